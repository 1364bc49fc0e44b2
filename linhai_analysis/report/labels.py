"""One label table for every figure: Chinese when ``lang="zh"``, English when ``"en"``."""

from __future__ import annotations

import re

LABELS: dict[str, tuple[str, str]] = {
    "history": ("历史数据", "history"),
    "median": ("中位预测", "median"),
    "band": ("{p}%区间", "{p}% band"),
    "target": ("目标", "target"),
    "realized": ("实际值", "realized"),
    "realized_bound": ("实际值(下限)", "realized (lower bound)"),
    "claimed": ("报告所称(舍入区间)", "claimed (rounding interval)"),
    "computed": ("由公布水平计算", "computed from printed levels"),
    "pct_per_year": ("年均 %", "% per year"),
    "growth_pct": ("增长 %", "% growth"),
    "realized_real": ("实际增长(可比价)", "realized (real)"),
    "implied_nominal": ("目标隐含名义增长", "implied nominal growth"),
    "real_equivalent": ("不变价增速(推算)", "real growth (derived for level goals)"),
    "ladder_left": ("{y}年地区生产总值增长目标与实际", "{y} GDP growth: target and outcome"),
    "ladder_right": ("各级目标隐含的年均增长", "Average growth implied by each level's goal"),
    "sensitivity": ("达成概率的敏感性", "Sensitivity of P(goal met)"),
    "as_of": ("信息截止日", "information set (as of)"),
    "goal_drift": ("实现目标所需年均增长", "Growth required to reach the goal"),
    "release_year": ("数据年份", "release (data year)"),
    "required": ("所需年均增长 %", "required growth, % a year"),
    "consistent": ("一致", "consistent"),
    "consistent_within_rounding": ("舍入范围内一致", "consistent within rounding"),
    "discrepancy": ("不一致", "discrepancy"),
    "basis_mismatch": ("口径不同", "basis mismatch"),
    "not_checkable": ("无法核对", "not checkable"),
    "likely": ("很可能", "likely"),
    "plausible": ("有可能", "plausible"),
    "unlikely": ("不太可能", "unlikely"),
    "implausible": ("几乎不可能", "implausible"),
    "ols": ("对数线性趋势", "log-linear trend"),
    "rw_drift": ("带漂移随机游走", "random walk with drift"),
    "anchored": ("锚定增长模型", "anchored growth"),
    "combined": ("等权组合", "combined (equal weights)"),
    "no_change": ("不变", "no change"),
    "last_cagr": ("延续最近增速", "last growth continued"),
    "combined_short": ("组合", "combined"),
    "ols_short": ("OLS", "OLS"),
    "rw_drift_short": ("随机游走", "RW"),
    "anchored_short": ("锚定", "anchored"),
    "all_short": ("全部", "all"),
    "without_third_party_short": ("无第三方", "no 3rd party"),
    "since_last_revision_short": ("普查后", "post-census"),
    "all": ("全部样本", "all levels"),
    "without_third_party": ("剔除第三方数据", "without third-party levels"),
    "since_last_revision": ("最近一次普查后", "since the last census revision"),
}


#: Table headers a reader sees instead of column names (English: the pages' prose is
#: English; ``--lang`` changes the table contents, indicator and place names).
HEADERS: dict[str, str] = {
    "indicator": "indicator", "indicator_text": "indicator", "indicator_zh": "indicator",
    "section_kind": "section", "value_text": "value", "ref_year": "year", "period_start": "from year",
    "period_end": "to year", "computed_low": "computed, low", "computed_high": "computed, high",
    "claimed_low": "claimed, low", "claimed_high": "claimed, high", "verdict_text": "in words",
    "verdict_label": "verdict", "implied_base_low": "implied base, low", "implied_base_high": "implied base, high",
    "published_base": "published base", "implied_revision_pct": "implied revision %",
    "implied_deflator_low": "implied deflator, low %", "implied_deflator_high": "implied deflator, high %",
    "deflator_band_low": "anchors' deflators, low %", "deflator_band_high": "anchors' deflators, high %",
    "p_ols": "P (log-linear trend)", "p_rw_drift": "P (random walk)", "p_anchored": "P (anchored)",
    "p_combined": "P (combined)", "p_meet": "P (target met)", "required_growth_pct": "required growth %",
    "historical_growth_pct": "historical growth %", "recent_growth_pct": "recent growth %",
    "recent_period": "recent period", "target_year": "target year", "target_text": "target",
    "target_growth_pct": "target %", "realized_growth_pct": "realized %", "realized_low": "realized, low",
    "realized_high": "realized, high", "gap_pp": "gap (pp)", "miss_pp": "miss (pp)", "markup_pp": "mark-up (pp)",
    "markup_over": "over", "target_point": "threshold %", "realized_pct": "realized %",
    "target_label": "target as printed", "avg_growth_pct": "average growth %", "price_basis": "prices",
    "real_equivalent_pct": "real equivalent %", "known_at_as_of": "known then", "years_covered": "years",
    "nominal_growth_pct": "nominal growth %", "real_growth_pct": "real growth %", "deflator_pct": "deflator %",
    "levels": "levels (亿元)", "release_year": "data year", "years_left": "years left", "model": "model",
    "ex_ante_median": "ex-ante median", "pit": "percentile of outcome", "crps_mean": "mean CRPS",
    "log_score_mean": "mean log score", "coverage_50": "50% band covers", "coverage_80": "80% band covers",
    "coverage_95": "95% band covers", "n_points": "points", "models_agree": "models agree",
    "benchmark_breaks": "census breaks", "as_of": "as of", "sample": "sample", "what": "what",
    "place_en": "place", "gt_id": "id", "comparator": "comparator", "kind": "kind",
}
#: Model and sample codes in table cells.
CELL_LABELS: dict[str, tuple[str, str]] = {
    "required_growth": ("所需增速", "required growth"), "own_numbers": ("报告自身数字", "report's own numbers"),
    "no_change": ("不变", "no change"), "last_cagr": ("上期年均增速", "last CAGR"),
    "combined": ("综合", "combined"), "review": ("回顾", "review"), "goals": ("五年目标", "goals"),
    "plan": ("年度计划", "plan"), "models disagree": ("模型意见不一", "models disagree"),
    "insufficient_data": ("数据不足", "insufficient data"), "above_own_plan": ("高于自身计划", "above own plan"),
    "within_own_plan": ("在自身计划内", "within own plan"), "above_trend": ("高于趋势", "above trend"),
    "within_trend": ("在趋势内", "within trend"), "national_shortfall": ("全国未达", "national shortfall"),
    "provincial_shortfall": ("全省未达", "provincial shortfall"), "local_gap": ("本地差距", "local gap"),
    "escalation": ("层层加码", "escalation"), "total": ("合计", "total"),
    "level": ("水平", "level"), "yoy_growth": ("同比增长", "growth on the year"),
    "avg_growth": ("年均增长", "average growth"), "from_to": ("从…到…", "from … to …"),
    "multiple": ("倍数", "multiple"), "threshold": ("首次突破", "first crossing"), "share": ("比重", "share"),
    "count": ("个数", "count"), "target_level": ("水平目标", "level target"),
    "target_growth": ("增长目标", "growth target"), "target_cumulative": ("累计目标", "cumulative target"),
    "target_rate": ("比率目标", "rate target"),
}
_LANG: dict[str, str] = {}


def set_language(lang: str) -> None:
    """Set the language of table contents (``zh`` or ``en``) for :func:`current_language`."""
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    _LANG["lang"] = lang


def current_language() -> str:
    """The language set by :func:`set_language` (default ``zh``)."""
    return _LANG.get("lang", "zh")


def header(column: str) -> str:
    """The header a reader sees for ``column`` (never an internal name)."""
    if column in HEADERS:
        return HEADERS[column]
    if column.endswith("_pct"):
        return column[:-4].replace("_", " ") + " %"
    if column.endswith("_pp"):
        return column[:-3].replace("_", " ") + " (pp)"
    return column.replace("_", " ")


def cell_label(value: str, lang: str) -> str:
    """A code found in a table cell (verdict, model, sample) in words; other text as is."""
    if value in LABELS:
        return t(value, lang)
    if value in CELL_LABELS:
        zh, en = CELL_LABELS[value]
        return zh if lang == "zh" else en
    return value


def t(key: str, lang: str = "en", **fmt) -> str:
    """The label ``key`` in ``lang`` (``zh`` or ``en``), formatted with ``fmt``.

    Examples
    --------
    >>> t("band", "zh", p=80)
    '80%区间'
    """
    zh, en = LABELS.get(key, (key, key))
    return (zh if lang == "zh" else en).format(**fmt)


#: Kinds of source, as a citation names them.
CELL_LABELS.update({
    "work_report": ("政府工作报告", "work report"), "statistical_bulletin": ("统计公报", "statistical bulletin"),
    "third_party": ("第三方", "third-party"), "ex_ante": ("事前", "ex ante"),
})
#: Codes a sentence may carry: any token joined by underscores, and the codes that are
#: not words (``gdp``, ``cpi``, ``ols``); ASCII boundaries, so a code next to Chinese
#: text is found, and a file name or path is not.
_CODE = re.compile(r"(?<![A-Za-z0-9_./\\-])(?:[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|gdp|cpi|ols)(?![A-Za-z0-9_/-]|\.[A-Za-z])")


def _source_titles() -> dict[str, str]:
    if "sources" not in _CACHE:
        import pandas as pd

        from ..data import paths
        from ..data.sources import load_raw_sources

        frames = [load_raw_sources()[["source_id", "title"]]]
        frames += [pd.read_csv(p, encoding="utf-8-sig", dtype=str, usecols=["source_id", "title"])
                   for p in sorted(paths.RAW_DIR.rglob("*_sources.csv"))]  # the other places' sources
        src = pd.concat(frames, ignore_index=True)
        _CACHE["sources"] = {i: str(t).split(" (")[0].split("(")[0].strip() or i
                             for i, t in zip(src["source_id"], src["title"], strict=True)}
    return _CACHE["sources"]


_CACHE: dict[str, dict[str, str]] = {}


def code_label(code: str, lang: str) -> str:
    """A code in words: an indicator by its catalog name, a verdict, model, sample or
    kind by its label, a source by the short title of its document (a source is cited
    by title, never by its id); an unknown code is returned as is."""
    from ..data.indicators import CATALOG

    if code in CATALOG:
        return CATALOG[code].name_zh if lang == "zh" else CATALOG[code].name_en
    if code in LABELS or code in CELL_LABELS:
        return cell_label(code, lang)
    return _source_titles().get(code, code)


def humanize(text: str, lang: str | None = None) -> str:
    """``text`` with every internal code it carries (indicator, verdict, model, kind,
    source id) replaced by its words in ``lang`` (default: :func:`current_language`).
    Text with a URL is left as is.

    Examples
    --------
    >>> humanize("insufficient_data: ols on 3 points", "en")
    'insufficient data: log-linear trend on 3 points'
    """
    if not isinstance(text, str) or "://" in text:
        return text
    lang = lang or current_language()
    return _CODE.sub(lambda m: code_label(m.group(0), lang), text)

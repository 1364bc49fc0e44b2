"""One label table for every figure: Chinese when ``lang="zh"``, English when ``"en"``."""

from __future__ import annotations

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
    "real_equivalent": ("实际增长(推算)", "real growth (derived for level goals)"),
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


def t(key: str, lang: str = "en", **fmt) -> str:
    """The label ``key`` in ``lang`` (``zh`` or ``en``), formatted with ``fmt``.

    Examples
    --------
    >>> t("band", "zh", p=80)
    '80%区间'
    """
    zh, en = LABELS.get(key, (key, key))
    return (zh if lang == "zh" else en).format(**fmt)

"""The annotated report: the work report's own text with every extracted figure
highlighted by its verdict, and each check shown in place when a figure is selected.

:func:`claim_checks` joins the claims table with the verdict tables (reconciliation
for the review, plausibility for goals and targets, the scorecard for outcomes) into
one row per claim; :func:`annotated_page` turns the report text and those rows into
one self-contained HTML page (inline CSS and JavaScript, nothing fetched). Both are
pure functions of their inputs; :func:`annotate_report` computes the verdict tables
for any report text and the observation series at hand (the ``annotate`` command).

Every claim gets exactly one ``<mark>`` with ``data-claim-id`` and ``data-verdict``;
a claim without a check has the verdict ``not_checkable`` and says why.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .display import VERDICT_COLOURS
from .labels import t

#: Verdicts a reader should look at first ("jump to next discrepancy" visits them).
FLAGGED = ("discrepancy", "implausible", "unlikely", "above_own_plan", "models_disagree")
#: Order of the verdicts in the summary and the legend.
VERDICT_ORDER = (
    "discrepancy", "basis_mismatch", "consistent_within_rounding", "consistent",
    "implausible", "unlikely", "models_disagree", "plausible", "likely",
    "above_own_plan", "within_own_plan", "above_trend", "within_trend",
    "insufficient_data", "not_checkable",
)
#: Model whose row is read for a target's probability when the table has it.
PREFERRED_MODEL = "combined"
MODEL_KEYS = ("ols", "rw_drift", "anchored")

#: Page chrome in both languages (verdict and kind labels come from :mod:`.labels`).
CHROME: dict[str, tuple[str, str]] = {
    "title": ("{place}{year}年政府工作报告:逐项核对", "{place} {year} Government Work Report, checked figure by figure"),
    "lead": ("报告原文,每个数字按核对结果着色。点击(或用 Tab 选中后按 Enter)一个数字,查看它的核对过程。",
             "The report's own text; every figure is coloured by its verdict. Click a figure (or Tab to it "
             "and press Enter) to see its check."),
    "figures": ("个数字", "figures"),
    "summary": ("核对结果", "Verdicts"),
    "legend": ("图例", "Legend"),
    "next": ("下一个问题数字 ▸", "Jump to next discrepancy ▸"),
    "flagged_note": ("“问题数字”:与统计不一致、目标几乎不可能或不太可能、模型意见不一、或高于自身计划。",
                     "Discrepancies here: figures that disagree with the statistics, targets judged "
                     "implausible or unlikely, targets the models disagree on, or above the report's own plan."),
    "claim": ("报告所说", "The claim as parsed"),
    "indicator": ("指标", "Indicator"),
    "kind": ("类型", "Kind"),
    "value": ("数值", "Value"),
    "period": ("时期", "Period"),
    "section": ("章节", "Section"),
    "compared": ("用来比较的数字", "Figures it was compared with"),
    "arith": ("计算", "Arithmetic"),
    "claimed_iv": ("报告数字代表的区间", "Interval the printed figure stands for"),
    "computed_iv": ("由数据计算的区间", "Interval computed from the data"),
    "verdict": ("结论", "Verdict"),
    "check": ("核对", "The check"),
    "nominal_note": ("名义,由公布水平计算", "nominal, from the printed levels"),
    "why": ("理由", "Why"),
    "plaus": ("达成概率", "Probability the target is met"),
    "required": ("所需年均增长", "Growth required per year"),
    "recent": ("近期年均增长", "Recent growth per year"),
    "outcome": ("实际结果", "Outcome"),
    "realized": ("实际增速", "Realized growth"),
    "links": ("表格", "Tables"),
    "page": ("笔记本页面", "notebook page"),
    "workbook": ("工作簿", "workbook"),
    "sheet_row": ("工作表 {sheet},第 {row} 行", "sheet {sheet}, row {row}"),
    "close": ("关闭", "Close"),
    "no_check": ("未核对", "Not checked"),
    "outside": ("正文以外的数字", "Figures outside the body text"),
    "none": ("—", "—"),
    "met": ("达成", "met"),
    "missed": ("未达成", "missed"),
    "rounding": ("舍入决定", "decided by rounding"),
    "no_outcome": ("尚无结果", "no outcome yet"),
    "source_note": ("来源:{name}。核对所用数据截至 {as_of}。", "Source text: {name}. Data as of {as_of}."),
    "also": ("同一处文字的另一个数字", "another figure on the same words"),
    "model_combined": ("综合", "combined"),
}
#: Why a claim has no check, by what is missing.
NO_CHECK: dict[str, tuple[str, str]] = {
    "no_indicator": ("这个数字不属于指标目录中的任何指标,没有可比的统计数据。",
                     "The figure names no indicator of the catalog: there is no statistical series to compare it with."),
    "not_review": ("计划中的数字(不是可判断的指标目标),没有核对。",
                   "A figure of the plan that is not a target of a catalog indicator: not checked."),
    "not_judged": ("没有这个目标的概率判断(未提供表格)。", "No probability was computed for this target (no table given)."),
    "not_in_table": ("核对表中没有这个数字。", "The verdict tables hold no row for this figure."),
}
KIND_LABELS: dict[str, tuple[str, str]] = {
    "level": ("水平", "level"), "yoy_growth": ("同比增长", "growth on the year"),
    "avg_growth": ("年均增长", "average growth"), "from_to": ("从…到…", "from … to …"),
    "multiple": ("倍数(翻番)", "multiple (doubling)"), "threshold": ("首次突破", "first crossing"),
    "share": ("比重", "share"), "count": ("个数", "count"),
    "target_level": ("水平目标", "level target"), "target_growth": ("增长目标", "growth target"),
    "target_cumulative": ("累计目标", "cumulative target"), "target_rate": ("比率目标", "rate target"),
}
SECTION_LABELS: dict[str, tuple[str, str]] = {
    "review": ("过去五年回顾", "five-year review"), "goals": ("今后五年目标", "five-year goals"),
    "plan": ("年度工作安排", "plan for the year"),
}
#: Where each check is explained (notebook page, section anchor) and its workbook sheet.
PAGES = {"reconciliation": ("02_reconciliation.html", "reconciliation"),
         "targets": ("03_targets_2026.html", "targets"),
         "outcome": ("04_outcomes_2022_2025.html", "targets_2022"),
         "claims": ("01_claims.html", "claims")}


def _c(key: str, lang: str, **fmt) -> str:
    zh, en = CHROME[key]
    return (zh if lang == "zh" else en).format(**fmt)


def _pair(table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
    zh, en = table.get(key, (key, key))
    return zh if lang == "zh" else en


def verdict_label(verdict: str, lang: str = "en") -> str:
    """The verdict in words (``models_disagree`` -> "models disagree")."""
    extra = {"models_disagree": ("模型意见不一", "models disagree"),
             "insufficient_data": ("数据不足", "insufficient data"),
             "above_own_plan": ("高于自身计划", "above its own plan"),
             "within_own_plan": ("在自身计划内", "within its own plan"),
             "above_trend": ("高于趋势", "above trend"), "within_trend": ("在趋势内", "within trend")}
    if verdict in extra:
        return _pair(extra, verdict, lang)
    return t(verdict, lang)


_CODES = {"rw_drift": "random walk with drift", "ols": "log-linear trend",
          "not_checkable": "not checkable", "insufficient_data": "insufficient data",
          "basis_mismatch": "basis mismatch", "above_own_plan": "above its own plan",
          "within_own_plan": "within its own plan", "consistent_within_rounding": "consistent within rounding",
          "required_growth": "required growth", "own_numbers": "the report's own numbers"}


def readable(text: str) -> str:
    """Model and verdict codes in a computed sentence replaced by words
    ("models disagree: ols plausible, rw_drift unlikely" -> "... log-linear trend plausible, ...")."""
    import re

    from ..data.indicators import CATALOG

    def sub(m: re.Match) -> str:
        w = m.group(0)
        if w in _CODES:
            return _CODES[w]
        return CATALOG[w].name_en if w in CATALOG and "_" in w else w

    return re.sub(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*\b", sub, text)


def _num(v, digits: int = 2) -> str:
    """A number for prose: no trailing zeros, thousands separators, never ``-0``."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return "—"
    v = float(v)
    text = f"{v:,.{digits}f}".rstrip("0").rstrip(".") if "." in f"{v:,.{digits}f}" else f"{v:,.{digits}f}"
    return "0" if text in ("-0", "") else text


def _pct(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{float(v):.1%}"


def _nonempty(v) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v).strip() != ""


@dataclass
class Check:
    """The check of one claim, as the page shows it."""

    claim: dict
    verdict: str = "not_checkable"
    group: str = "none"  # "review", "target" or "none"
    p: float | None = None
    outcome: str = ""  # "met", "missed", "rounding", "" (none known)
    rows: list[tuple[str, str]] = field(default_factory=list)  # (label, text) of the detail
    inputs: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, href or "")


def _truthy(v) -> bool | None:
    if v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == "":
        return None
    return str(v).strip().lower() in ("true", "1", "1.0")


def _claim_rows(c: Mapping, lang: str) -> list[tuple[str, str]]:
    from ..data.indicators import CATALOG

    ind = CATALOG.get(str(c.get("indicator") or ""))
    name = (ind.name_zh if lang == "zh" else f"{ind.name_en} ({ind.name_zh})") if ind else ""
    printed = str(c.get("indicator_text") or "")
    if not name:
        name = printed or "—"
    elif printed and printed != ind.name_zh:
        name += f" — “{printed}”"
    value = f"{c.get('comparator', '') if c.get('comparator') not in ('=', None) else ''}{c.get('value_text', '')}" \
            f"{c.get('unit', '') or ''}"
    if _nonempty(c.get("value_from")):
        value = f"{_num(c['value_from'])} → {value}"
    p0, p1 = c.get("period_start"), c.get("period_end")
    if _nonempty(p0) and _nonempty(p1) and int(float(p0)) != int(float(p1)):
        period = f"{int(float(p0))}–{int(float(p1))}"
    else:
        ref = c.get("ref_year")
        period = str(int(float(ref))) if _nonempty(ref) else "—"
    return [(_c("indicator", lang), name), (_c("kind", lang), _pair(KIND_LABELS, str(c.get("kind")), lang)),
            (_c("value", lang), value), (_c("period", lang), period),
            (_c("section", lang), _pair(SECTION_LABELS, str(c.get("section_kind")), lang))]


#: Section of each notebook page where a check's row is shown (nbconvert heading ids).
SECTIONS = {"discrepancy": "Discrepancies-and-what-could-explain-them",
            "basis_mismatch": "GDP:-real-growth-against-nominal-levels",
            "not_checkable": "What-cannot-be-checked,-and-why", "targets": "Verdicts",
            "outcome": "The-2022-targets-against-2022-outcomes", "reconciliation": "Verdicts"}


def _sheet_link(kind: str, row: int, lang: str, pages: bool, workbook: str | None,
                section: str = "") -> list[tuple[str, str]]:
    page, sheet = PAGES[kind]
    out = []
    if pages:
        anchor = SECTIONS.get(section or kind, "")
        out.append((f"{_c('page', lang)} {page.replace('.html', '')}", page + (f"#{anchor}" if anchor else "")))
    if workbook:
        out.append((f"{_c('workbook', lang)}: {_c('sheet_row', lang, sheet=sheet, row=row)}", workbook))
    return out


def _target_check(ck: Check, rows: pd.DataFrame, summary_row: pd.Series | None, lang: str,
                  prefer: str) -> None:
    """Fill a target's verdict and detail from the long plausibility table."""
    pref = rows[rows["model"] == prefer] if len(rows) else rows
    if len(pref):
        r = pref.iloc[0]
        ck.p = None if pd.isna(r["p_meet"]) else float(r["p_meet"])
        ck.verdict = str(r["verdict"]).replace(" ", "_")
        ck.rows.append((_c("plaus", lang), f"{_pct(ck.p)} ({_c('model_combined', lang)})"))
        why = str(r.get("reason", "") or "")
    elif summary_row is not None:
        ck.verdict = str(summary_row["verdict_label"]).replace(" ", "_")
        ps = [(m, summary_row.get(f"p_{m}")) for m in MODEL_KEYS]
        ps = [(m, float(v)) for m, v in ps if _nonempty(v)]
        if ps:
            ck.p = min(v for _, v in ps)
            ck.rows.append((_c("plaus", lang), "; ".join(f"{_pct(v)} ({t(m, lang)})" for m, v in ps)))
        why = str(summary_row.get("verdict", "") or "")
    else:
        return
    first = rows.iloc[0] if len(rows) else summary_row
    req, rec = first.get("required_growth_pct"), first.get("recent_growth_pct")
    if summary_row is not None:
        req, rec = summary_row.get("required_growth_pct"), summary_row.get("recent_growth_pct")
    # growth computed from printed levels is nominal (a level goal is nominal too)
    note = f"; {_c('nominal_note', lang)}" if str(first.get("kind", "")) != "target_growth" else ""
    if _nonempty(req):
        ck.rows.append((_c("required", lang), f"{float(req):.1f}%" + (f" ({note[2:]})" if note else "")))
    if _nonempty(rec):
        per = summary_row.get("recent_period") if summary_row is not None else first.get("recent_period")
        ck.rows.append((_c("recent", lang), f"{float(rec):.1f}%" + (f" ({per}{note})" if _nonempty(per) else "")))
    ck.rows.append((_c("verdict", lang), verdict_label(ck.verdict, lang)))
    if why:
        ck.rows.append((_c("why", lang), readable(why)))


def claim_checks(claims: pd.DataFrame, *, reconciliation: pd.DataFrame | None = None,
                 targets: pd.DataFrame | None = None, scorecard: pd.DataFrame | None = None,
                 lang: str = "en", prefer_model: str = PREFERRED_MODEL, pages: bool = True,
                 workbook: str | None = "linhai_tables.xlsx",
                 row_numbers: Mapping[str, Mapping[str, int]] | None = None) -> list[Check]:
    """One :class:`Check` per claim, in the order of ``claims``.

    Parameters
    ----------
    claims : pandas.DataFrame
        The claims table (:func:`linhai_analysis.claims.extract_claims`).
    reconciliation : pandas.DataFrame, optional
        :func:`linhai_analysis.assess.reconcile.reconcile` rows (matched by ``claim_id``).
    targets : pandas.DataFrame, optional
        The long plausibility table (:func:`~linhai_analysis.assess.plausibility.judge_targets`),
        matched by ``target_id``. Rows whose ``model`` is ``prefer_model`` give the
        probability and verdict when present; otherwise the summary over the models
        (:func:`~linhai_analysis.assess.plausibility.summarize_targets`) does.
    scorecard : pandas.DataFrame, optional
        :func:`~linhai_analysis.assess.outcomes.scorecard_2022`: the outcome of each
        growth target of its year (matched by indicator).
    lang : {"zh", "en"}
        Language of the labels.
    prefer_model : str
        Model row to read for a target's probability (default ``"combined"``).
    pages : bool
        Link each check to its notebook page.
    workbook : str, optional
        File name of the workbook to link (``None``: no workbook link).
    row_numbers : mapping, optional
        ``{sheet: {claim_id: row}}``: workbook rows (default: row of the table + 2).

    Returns
    -------
    list of Check
    """
    from ..assess.plausibility import summarize_targets

    row_numbers = row_numbers or {}
    rec = reconciliation if reconciliation is not None else pd.DataFrame(columns=["claim_id"])
    rec_pos = {cid: i for i, cid in enumerate(rec["claim_id"].astype(str))}
    tg = targets if targets is not None else pd.DataFrame(columns=["target_id", "model"])
    summ = summarize_targets(tg) if len(tg) else pd.DataFrame(columns=["target_id"])
    summ_pos = {cid: i for i, cid in enumerate(summ["target_id"].astype(str))}
    tg_by = {k: g for k, g in tg.groupby(tg["target_id"].astype(str), sort=False)} if len(tg) else {}
    card = scorecard if scorecard is not None else pd.DataFrame(columns=["indicator"])
    card_year = None
    out = []
    for i, (_, c) in enumerate(claims.reset_index(drop=True).iterrows()):
        cd = c.to_dict()
        cid = str(cd["claim_id"])
        ck = Check(cd, rows=_claim_rows(cd, lang))
        has_ind = _nonempty(cd.get("indicator"))
        if cid in rec_pos:
            r = rec.iloc[rec_pos[cid]]
            ck.group, ck.verdict = "review", str(r["verdict"])
            ck.rows.append((_c("claimed_iv", lang), f"[{_num(r['claimed_low'])}, {_num(r['claimed_high'])}]"))
            if _nonempty(r.get("computed_low")):
                ck.rows.append((_c("computed_iv", lang), f"[{_num(r['computed_low'])}, {_num(r['computed_high'])}]"))
            if _nonempty(r.get("formula")):
                ck.rows.append((_c("arith", lang), str(r["formula"])))
            ck.rows.append((_c("verdict", lang), f"{verdict_label(ck.verdict, lang)} — {r.get('verdict_text', '')}"))
            ck.rows.append((_c("why", lang), readable(str(r.get("explanation", "") or ""))))
            if _nonempty(r.get("inputs")):
                ck.inputs = [s.strip() for s in str(r["inputs"]).split(" | ") if s.strip()]
            row = row_numbers.get("reconciliation", {}).get(cid, rec_pos[cid] + 2)
            ck.links = _sheet_link("reconciliation", row, lang, pages, workbook,
                                   ck.verdict if ck.verdict in SECTIONS else "reconciliation")
        elif cid in tg_by or cid in summ_pos:
            ck.group = "target"
            srow = summ.iloc[summ_pos[cid]] if cid in summ_pos else None
            _target_check(ck, tg_by.get(cid, tg.iloc[:0]), srow, lang, prefer_model)
            sheet = "targets_summary" if srow is not None else "targets"
            row = row_numbers.get(sheet, {}).get(cid, (summ_pos.get(cid, 0)) + 2)
            ck.links = [(a, b) for a, b in _sheet_link("targets", row, lang, pages, workbook)]
            if workbook:
                ck.links[-1] = (f"{_c('workbook', lang)}: {_c('sheet_row', lang, sheet=sheet, row=row)}", workbook)
        else:
            why = ("no_indicator" if not has_ind else
                   "not_review" if str(cd.get("section_kind")) != "review" and not str(cd.get("kind", "")).startswith("target")
                   else "not_judged" if str(cd.get("kind", "")).startswith("target") and targets is None
                   else "not_in_table")
            ck.rows.append((_c("verdict", lang), verdict_label("not_checkable", lang)))
            ck.rows.append((_c("why", lang), _pair(NO_CHECK, why, lang)))
        # the outcome of a growth target of the scorecard's year
        if len(card) and str(cd.get("kind")) == "target_growth" and has_ind:
            card_year = card_year or _scorecard_year(claims)
            hit = card[card["indicator"].astype(str) == str(cd["indicator"])]
            if len(hit) and _nonempty(cd.get("ref_year")) and int(float(cd["ref_year"])) == card_year:
                k = hit.index[0]
                o = hit.iloc[0]
                met = _truthy(o.get("met"))
                ck.outcome = {True: "met", False: "missed", None: "rounding" if _nonempty(o.get("realized_growth_pct")) else ""}[met]
                if ck.outcome:
                    iv = (f" [{_num(o['realized_low'])}, {_num(o['realized_high'])}]"
                          if _nonempty(o.get("realized_low")) else "")
                    ck.rows.append((_c("outcome", lang), f"{_c(ck.outcome, lang)}: {_c('realized', lang).lower()} "
                                    f"{_num(o['realized_growth_pct'], 1)}%{iv} — {o.get('basis', '')}"
                                    + (f" ({o['sources']})" if _nonempty(o.get("sources")) else "")))
                    row = row_numbers.get("targets_2022", {}).get(cid, int(card.index.get_loc(k)) + 2)
                    ck.links += _sheet_link("outcome", row, lang, pages, workbook)
        crow = row_numbers.get("claims", {}).get(cid, i + 2)
        if workbook:
            ck.links.append((f"{_c('workbook', lang)}: {_c('sheet_row', lang, sheet='claims', row=crow)}", workbook))
        out.append(ck)
    return out


def _scorecard_year(claims: pd.DataFrame) -> int:
    plan = claims[claims["kind"].astype(str).eq("target_growth")]["ref_year"].dropna()
    return int(float(plan.min())) if len(plan) else 0


_CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Serif CJK SC","Source Han Serif SC","Songti SC",serif;margin:0;color:#1d1d1d;background:#fcfcfa;line-height:1.9}
header{background:#f3f1ea;border-bottom:1px solid #ddd;padding:0.8em 1em}
header h1{font-size:1.25em;margin:0 0 0.3em;line-height:1.4}
header p{margin:0.3em 0;font-family:sans-serif;font-size:0.9em;line-height:1.5}
.wrap{max-width:46em;margin:0 auto;padding:0 1em}
.summary{display:flex;flex-wrap:wrap;gap:0.35em 0.5em;margin:0.5em 0;font-family:sans-serif;font-size:0.85em;line-height:1.4}
.chip{display:inline-block;padding:1px 8px;border-radius:10px;white-space:nowrap}
.tools{font-family:sans-serif;font-size:0.85em;margin:0.5em 0}
button{font:inherit;padding:4px 10px;border:1px solid #888;border-radius:4px;background:#fff;cursor:pointer}
button:focus-visible,mark:focus-visible{outline:3px solid #1565c0;outline-offset:1px}
main{padding-bottom:4em}
main p{margin:0.7em 0;text-indent:2em;overflow-wrap:anywhere}
main h2{font-size:1.1em;margin:1.4em 0 0.4em}
main h3{font-size:1em;margin:1.1em 0 0.3em}
main .title{text-align:center;text-indent:0;font-weight:bold;font-size:1.1em}
mark{padding:0 2px;border-radius:3px;cursor:pointer;border-bottom:2px solid transparent;white-space:nowrap}
mark[aria-expanded=true]{outline:2px solid #1d1d1d}
mark.twin{font-family:sans-serif;font-size:0.75em;vertical-align:super;margin-left:1px}
mark[data-outcome=missed]::after{content:"\\2717";font-family:sans-serif;font-size:0.75em;vertical-align:super;color:#b71c1c}
mark[data-outcome=met]::after{content:"\\2713";font-family:sans-serif;font-size:0.75em;vertical-align:super;color:#1b5e20}
#panel{font-family:sans-serif;font-size:0.85em;line-height:1.5;background:#fff;border:1px solid #bbb;border-left:5px solid #888;border-radius:4px;padding:0.6em 0.9em;margin:0.4em 0 1em}
#panel dl{display:grid;grid-template-columns:minmax(6em,14em) minmax(0,1fr);gap:2px 12px;margin:0.3em 0}
#panel dt{color:#555}
#panel dd{margin:0;overflow-wrap:anywhere}
#panel ul{margin:0.2em 0 0.2em 1.2em;padding:0}
#panel h4{margin:0.5em 0 0.2em;font-size:1em}
#panel .head{display:flex;justify-content:space-between;gap:1em;align-items:baseline}
footer{font-family:sans-serif;font-size:0.8em;color:#666;padding:1em 0 3em}
@media (max-width:600px){body{line-height:1.8}#panel dl{grid-template-columns:minmax(0,1fr)}#panel dt{font-weight:600;margin-top:4px}main p{text-indent:0}}
"""

_JS = """
(function(){
var marks=[].slice.call(document.querySelectorAll('mark[data-claim-id]'));
var panel=document.getElementById('panel');var current=null;
function close(){if(current){current.setAttribute('aria-expanded','false');}panel.hidden=true;current=null;}
function select(m){
 if(current===m&&!panel.hidden){close();m.focus();return;}
 if(current){current.setAttribute('aria-expanded','false');}
 var d=document.getElementById(m.getAttribute('data-detail'));
 panel.innerHTML=d.innerHTML;panel.style.borderLeftColor=getComputedStyle(m).backgroundColor;
 var host=m.closest('p,h2,h3')||m;host.parentNode.insertBefore(panel,host.nextSibling);
 panel.hidden=false;m.setAttribute('aria-expanded','true');current=m;
 var b=panel.querySelector('button.close');if(b){b.addEventListener('click',function(){var c=current;close();if(c)c.focus();});}
}
marks.forEach(function(m){
 m.addEventListener('click',function(){select(m);});
 m.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '||e.key==='Spacebar'){e.preventDefault();select(m);}
  else if(e.key==='Escape'){close();}});
});
document.addEventListener('keydown',function(e){if(e.key==='Escape'&&current){var c=current;close();c.focus();}});
var next=document.getElementById('next');
if(next){next.addEventListener('click',function(){
 var flagged=marks.filter(function(m){return m.getAttribute('data-flag')==='1';});if(!flagged.length)return;
 var start=current?marks.indexOf(current):-1;
 var m=flagged.filter(function(x){return marks.indexOf(x)>start;})[0]||flagged[0];
 select(m);m.scrollIntoView({block:'center'});m.focus();
});}
if(location.hash){var h=document.getElementById(location.hash.slice(1));if(h&&h.tagName==='MARK'){select(h);h.scrollIntoView({block:'center'});}}
})();
"""


def _colour(verdict: str) -> tuple[str, str]:
    key = verdict.replace("_", " ") if verdict == "models_disagree" else verdict
    return VERDICT_COLOURS.get(key, ("#ececec", "#555555"))


def _is_heading(p, text: str) -> int:
    if p.section and text.strip() == p.section[-1].strip() and len(text) <= 40:
        return min(len(p.section), 2)
    return 0


def _detail_html(ck: Check, idx: int, lang: str) -> str:
    e = html.escape
    bg, fg = _colour(ck.verdict)
    claim_rows = ck.rows[:5]
    check_rows = ck.rows[5:]
    dl = lambda rows: "<dl>" + "".join(f"<dt>{e(a)}</dt><dd>{e(b)}</dd>" for a, b in rows) + "</dl>"  # noqa: E731
    parts = [f"<div class='head'><b><span class='chip' style='background:{bg};color:{fg}'>"
             f"{e(verdict_label(ck.verdict, lang))}</span></b>"
             f"<button type='button' class='close' aria-label='{e(_c('close', lang))}'>×</button></div>",
             f"<h4>{e(_c('claim', lang))}</h4>", dl(claim_rows)]
    if ck.inputs:
        parts.append(f"<h4>{e(_c('compared', lang))}</h4><ul>"
                     + "".join(f"<li>{e(s)}</li>" for s in ck.inputs) + "</ul>")
    if check_rows:
        parts.append(f"<h4>{e(_c('check', lang))}</h4>" + dl(check_rows))
    if ck.links:
        parts.append(f"<h4>{e(_c('links', lang))}</h4><ul>" + "".join(
            f"<li><a href='{e(href)}'>{e(text)}</a></li>" if href else f"<li>{e(text)}</li>"
            for text, href in ck.links) + "</ul>")
    return f"<div id='d{idx}' class='detail'>" + "".join(parts) + "</div>"


def _mark(ck: Check, idx: int, text: str, lang: str, twin: bool = False) -> str:
    e = html.escape
    bg, fg = _colour(ck.verdict)
    flag = "1" if ck.verdict in FLAGGED or ck.outcome == "missed" else "0"
    label = f"{text} — {verdict_label(ck.verdict, lang)}"
    attrs = (f" id='m{idx}' data-claim-id='{e(str(ck.claim['claim_id']))}' data-verdict='{e(ck.verdict)}'"
             f" data-detail='d{idx}' data-flag='{flag}' tabindex='0' role='button' aria-expanded='false'"
             f" aria-label='{e(label)}' title='{e(verdict_label(ck.verdict, lang))}'"
             f" style='background:{bg};color:{fg};border-bottom-color:{fg}'")
    if ck.outcome:
        attrs += f" data-outcome='{e(ck.outcome)}'"
    return f"<mark{attrs}{' class=twin' if twin else ''}>{e(text)}</mark>"


def annotated_page(report, checks: Sequence[Check], *, lang: str = "zh", as_of: str = "",
                   place: str = "", year: int | None = None) -> str:
    """The annotated report as one self-contained HTML page.

    Parameters
    ----------
    report : linhai_analysis.claims.text.Report
        The parsed report; claims' ``span_start``/``span_end`` index ``report.text``.
    checks : sequence of Check
        From :func:`claim_checks`, one per claim.
    lang : {"zh", "en"}
        Language of the page chrome (the report text stays as printed).
    as_of : str
        Information set of the data, shown in the footer.
    place, year : optional
        For the title (default: the report's own).

    Returns
    -------
    str
        The HTML page: one ``<mark>`` per check, in the paragraph that holds its span
        (claims outside the body are listed after it), the detail of each check in a
        hidden block that a selection shows in place.
    """
    e = html.escape
    text = report.text
    place = place or report.place or ""
    year = year or report.year or ""
    by_para: dict[int, list[tuple[int, int, int]]] = {}
    outside: list[int] = []
    for i, ck in enumerate(checks):
        try:
            a, b = int(ck.claim["span_start"]), int(ck.claim["span_end"])
        except (TypeError, ValueError, KeyError):
            outside.append(i)
            continue
        para = next((p.index for p in report.paragraphs if p.start <= a and b <= p.end and a < b), None)
        if para is None:
            outside.append(i)
        else:
            by_para.setdefault(para, []).append((a, b, i))
    body = []
    for p in report.paragraphs:
        spans = sorted(by_para.get(p.index, []), key=lambda s: (s[0], -s[1], s[2]))
        out, pos, last_end = [], p.start, p.start
        pending_twins: list[int] = []
        for a, b, i in spans:
            if a < last_end:  # overlaps a figure already marked: a small twin mark after it
                pending_twins.append(i)
                continue
            out.append(_twins(pending_twins, checks, lang))
            pending_twins = []
            out.append(e(text[pos:a]))
            out.append(_mark(checks[i], i, text[a:b], lang))
            pos = last_end = b
        out.append(_twins(pending_twins, checks, lang))
        out.append(e(text[pos:p.end]))
        inner = "".join(out)
        level = _is_heading(p, p.text)
        if p.index == 0 and report.title and p.text.strip() == report.title.strip():
            body.append(f"<p class='title'>{inner}</p>")
        elif level:
            body.append(f"<h{level + 1}>{inner}</h{level + 1}>")
        else:
            body.append(f"<p>{inner}</p>")
    if outside:
        body.append(f"<h2>{e(_c('outside', lang))}</h2>")
        for i in outside:
            ck = checks[i]
            body.append(f"<p>{e(str(ck.claim.get('text', '')))} "
                        f"{_mark(ck, i, str(ck.claim.get('value_text', '')), lang)}</p>")
    counts: dict[str, int] = {}
    for ck in checks:
        counts[ck.verdict] = counts.get(ck.verdict, 0) + 1
    order = [v for v in VERDICT_ORDER if v in counts] + sorted(v for v in counts if v not in VERDICT_ORDER)
    chips = "".join(
        f"<span class='chip' data-count-verdict='{e(v)}' style='background:{_colour(v)[0]};color:{_colour(v)[1]}'>"
        f"{e(verdict_label(v, lang))}: {counts[v]}</span>" for v in order)
    n_flag = sum(1 for ck in checks if ck.verdict in FLAGGED or ck.outcome == "missed")
    outcome_note = ("✓ 已达成  ✗ 未达成(2022年目标)" if lang == "zh" else "✓ met  ✗ missed (targets with a known outcome)")
    details = "".join(_detail_html(ck, i, lang) for i, ck in enumerate(checks))
    title = _c("title", lang, place=place, year=year)
    return (
        f"<!DOCTYPE html><html lang='{'zh' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><div class='wrap'><h1>{e(title)}</h1><p>{e(_c('lead', lang))}</p>"
        f"<p><b>{len(checks)}</b> {e(_c('figures', lang))} · {e(_c('summary', lang))}:</p>"
        f"<div class='summary' aria-label='{e(_c('legend', lang))}'>{chips}</div>"
        f"<p>{e(outcome_note)}</p>"
        f"<div class='tools'><button type='button' id='next'>{e(_c('next', lang))} ({n_flag})</button> "
        f"<span>{e(_c('flagged_note', lang))}</span></div></div></header>"
        f"<main class='wrap' lang='zh'>{''.join(body)}"
        "<div id='panel' role='region' aria-live='polite' tabindex='-1' hidden></div></main>"
        f"<div id='details' hidden>{details}</div>"
        f"<footer class='wrap'>{e(_c('source_note', lang, name=report.name, as_of=as_of or '—'))}</footer>"
        f"<script>{_JS}</script></body></html>\n")


def _twins(idx: Sequence[int], checks: Sequence[Check], lang: str) -> str:
    return "".join(_mark(checks[i], i, f"+{k + 1}", lang, twin=True) for k, i in enumerate(idx))


def verdict_counts(checks: Sequence[Check]) -> dict[str, int]:
    """Number of claims by verdict (every claim counted once)."""
    out: dict[str, int] = {}
    for ck in checks:
        out[ck.verdict] = out.get(ck.verdict, 0) + 1
    return out


def annotate_report(report, *, place: str | None = None, year: int | None = None,
                    user_series: Sequence[str] = (), as_of: str = "2022-02-17", lang: str = "zh",
                    with_targets: bool = True) -> tuple[str, dict[str, pd.DataFrame]]:
    """Extract, check and annotate any report: the page and the tables behind it.

    Parameters
    ----------
    report : linhai_analysis.claims.text.Report
        A parsed report (:func:`linhai_analysis.claims.text.load_report`).
    place : str, optional
        The place the report is about (default: read from its title).
    year : int, optional
        The report year when the title lacks it.
    user_series : sequence of str
        CSV files of official series, merged with the raw data.
    as_of : str
        Information set of the reconciliation and the plausibility judgments.
    lang : {"zh", "en"}
        Page chrome language.
    with_targets : bool
        Judge the goals and targets (trend models; slower).

    Returns
    -------
    (html, tables)
        The page, and the tables ``claims``, ``reconciliation``, ``targets`` (long),
        ``targets_summary`` and ``targets_2022`` it was built from. Figures for a place
        or indicator with no data are ``not_checkable`` and say so.
    """
    from ..assess.outcomes import scorecard_2022
    from ..assess.plausibility import judge_targets, summarize_targets
    from ..assess.reconcile import reconcile
    from ..claims.extract import extract_claims
    from ..data import paths
    from ..data.anchors import load_anchor_targets, load_forecasts
    from ..data.load import observations
    from ..data.places import DEFAULT_PLACE, canonical_place
    from ..data.vintage import Vintage

    # the project's own report is the source "linhai_gwr_2022" in the data: under that
    # name its own figures never confirm it (any other text keeps its file name)
    own = paths.REPORT_FILE.is_file() and report.text == _project_report_text()
    claims = extract_claims(report, place=place, report_year=year, name="linhai_gwr_2022" if own else None)
    obs = observations(user_series)
    the_place = canonical_place(place) if place else (claims["place"].iloc[0] if len(claims) else "")
    targets, forecasts = load_anchor_targets(), load_forecasts()
    vintage = Vintage(obs, targets, forecasts, as_of)  # what was published by as_of
    rec = reconcile(claims, vintage)
    tables = {"claims": claims, "reconciliation": rec}
    long = None
    if with_targets and len(claims):
        if the_place == DEFAULT_PLACE:
            judged_on = vintage
        else:  # another place's own series only; a place with none gets insufficient_data everywhere
            obs_place = obs[obs["place"] == the_place] if "place" in obs.columns else obs
            judged_on = vintage.with_observations(obs_place.assign(place=DEFAULT_PLACE))
        long = judge_targets(claims, judged_on)
        tables["targets"] = long
        tables["targets_summary"] = summarize_targets(long) if len(long) else long
    card = None
    if the_place and len(claims):
        if the_place == DEFAULT_PLACE:
            card = scorecard_2022(claims, Vintage(obs, targets, forecasts), year=_scorecard_year(claims) or 2022)
            tables["targets_2022"] = card
    checks = claim_checks(claims, reconciliation=rec, targets=long, scorecard=card, lang=lang,
                          pages=False)
    page = annotated_page(report, checks, lang=lang, as_of=as_of, place=the_place,
                          year=year or report.year)
    return page, tables


def _project_report_text() -> str:
    from ..claims.text import load_report
    from ..data import paths

    return load_report(paths.REPORT_FILE, verify=False).text


def read_table_csv(path) -> pd.DataFrame:
    """A table the notebooks wrote, with printed values kept as text (``8.0`` stays ``8.0``)."""
    df = pd.read_csv(path, encoding="utf-8-sig",
                     dtype={"value_text": str, "claim_id": str, "target_id": str, "claimed": str})
    for col in df.columns:  # undo the CSV's formula guard ("'=" was written for the comparator "=")
        if not pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col]):
            text = df[col].astype(str)
            df[col] = df[col].where(~text.str.match(r"^'[=+\-@]"), text.str[1:])
    return df


def page_from_tables(report, tables_dir, *, lang: str = "zh", as_of: str = "",
                     workbook: str | None = "linhai_tables.xlsx") -> str | None:
    """The annotated page from the tables a report run wrote (``claims.csv``,
    ``reconciliation.csv``, ``targets.csv``, ``targets_2022.csv``); ``None`` without
    a claims table."""
    from pathlib import Path

    folder = Path(tables_dir)
    if not (folder / "claims.csv").is_file():
        return None
    read = {name: read_table_csv(folder / f"{name}.csv") for name in
            ("claims", "reconciliation", "targets", "targets_2022") if (folder / f"{name}.csv").is_file()}
    claims = read["claims"]
    claims = claims[claims["report"].astype(str) == str(claims["report"].iloc[0])] if len(claims) else claims
    rec = read.get("reconciliation")
    if rec is not None and "independent" in rec.columns:
        rec = rec.assign(independent=rec["independent"].astype(str).str.lower().eq("true"))
    checks = claim_checks(claims, reconciliation=rec, targets=read.get("targets"),
                          scorecard=read.get("targets_2022"), lang=lang, pages=True, workbook=workbook)
    return annotated_page(report, checks, lang=lang, as_of=as_of)


def checks_json(checks: Sequence[Check]) -> str:
    """The checks as JSON (claim id, verdict, probability, outcome): for scripts."""
    return json.dumps([{"claim_id": str(c.claim["claim_id"]), "verdict": c.verdict, "p": c.p,
                        "outcome": c.outcome} for c in checks], ensure_ascii=False)

"""Render an audit of any place (``linhai-analysis audit``): one self-contained HTML
page, the verdict table as CSV and a workbook, written with the output-folder rules
of :mod:`linhai_analysis.report.outdir` (a new or empty folder, or an update of a
previous run of this program; anything else is refused before any work).

The page follows the report's conventions: tables through
:func:`linhai_analysis.report.display.show` (numbers by meaning, "—" for missing,
coloured verdicts), labels from :mod:`linhai_analysis.report.labels` and the
indicator catalog instead of codes, no script and nothing fetched from the network.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..assess.audit import REFUSED_VERDICT_TEXT, Audit
from ..data.indicators import CATALOG
from .labels import t

#: Kinds of claims in words.
KIND_WORDS = {"level": ("水平", "level"), "yoy_growth": ("同比增长", "growth on a year earlier"),
              "avg_growth": ("年均增长", "average growth"), "from_to": ("由…增至…", "from … to …"),
              "multiple": ("倍数", "multiple"), "threshold": ("首次突破", "first crossing"),
              "share": ("比重", "share"), "count": ("数量", "count")}
VERDICT_ORDER = ("discrepancy", "basis_mismatch", "consistent_within_rounding", "consistent", "not_checkable")
_CODES = re.compile(r"\b(" + "|".join(sorted(map(re.escape, CATALOG), key=len, reverse=True)) + r")\b")
PAGE_CSS = ("body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em;line-height:1.45}"
            "td,th{padding:3px 8px;text-align:left;vertical-align:top}li{margin:0.3em 0}"
            "caption{text-align:left;font-weight:600;padding:4px 0}"
            "code{overflow-wrap:anywhere}footer{color:#777;font-size:0.85em;margin-top:2em}")


def readable(text: str, lang: str = "en") -> str:
    """``text`` with indicator codes replaced by their catalog names."""
    def name(m: re.Match) -> str:
        ind = CATALOG[m.group(1)]
        return ind.name_zh if lang == "zh" else ind.label
    return _CODES.sub(name, str(text))


def _interval(lo, hi) -> str:
    if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):
        return "—"
    d = 2 if max(abs(lo), abs(hi)) < 1e4 else 0
    return f"[{lo:,.{d}f}, {hi:,.{d}f}]"


def _indicator(r: pd.Series, lang: str) -> str:
    ind = CATALOG.get(r["indicator"])
    label = (ind.name_zh if lang == "zh" else ind.label) if ind is not None else str(r["indicator_text"])
    return label + (f" — {r['sub_area']}" if isinstance(r.get("sub_area"), str) and r["sub_area"] else "")


def verdict_view(verdicts: pd.DataFrame, lang: str = "en"):
    """The verdict table as a reader sees it (a styled table, verdicts coloured).

    Parameters
    ----------
    verdicts : pandas.DataFrame
        :attr:`linhai_analysis.assess.audit.Audit.verdicts`.
    lang : {"zh", "en"}
        Language of the labels.
    """
    from .display import _verdict_style, show

    v = verdicts.reset_index(drop=True)
    period = [f"{int(a)}" if a == b else f"{int(a)}–{int(b)}"
              for a, b in zip(v["period_start"], v["period_end"], strict=True)]
    view = pd.DataFrame({
        "indicator": [_indicator(r, lang) for _, r in v.iterrows()],
        "kind": [KIND_WORDS.get(k, (k, k))[0 if lang == "zh" else 1] for k in v["kind"]],
        "period": period, "claimed": v["claimed"].astype(str),
        "computed": [_interval(a, b) for a, b in zip(v["computed_low"], v["computed_high"], strict=True)],
        "verdict": [t(x, lang) for x in v["verdict"]], "in words": v["verdict_text"],
        "why": [readable(x, lang) for x in v["explanation"]],
    })
    styler = show(view, verdict_columns=())
    codes = list(v["verdict"])
    return styler.apply(lambda col: [_verdict_style(c) for c in codes], subset=["verdict"])


def _sources_table(sources: pd.DataFrame) -> str:
    from .display import show

    s = sources.assign(reliability=sources["source_reliability"].map({"low": "low"}).fillna(""))
    cols = ["source_id", "source_kind", "title", "publisher", "url", "document_date", "reliability", "note"]
    rename = {"source_id": "id", "source_kind": "kind", "document_date": "dated"}
    return show(s[[c for c in cols if c in s.columns]], rename=rename, verdict_columns=()).to_html()


def audit_page(audit: Audit, lang: str = "en") -> str:
    """One self-contained HTML page for an audit: counts, the verdict table, refused
    codes, and the sources with their reliability."""
    v = audit.verdicts
    counts = v["verdict"].value_counts()
    summary = "".join(f"<li>{html.escape(t(k, lang))}: {int(counts[k])}</li>" for k in VERDICT_ORDER if k in counts)
    caveated = v[v["source_caveats"].fillna("").ne("")]
    caveat_items = "".join(
        f"<li>{html.escape(_indicator(r, lang))} {html.escape(str(r['claimed']))}: "
        f"{html.escape(str(r['source_caveats']))}</li>" for _, r in caveated.iterrows())
    refused = "".join(f"<li>line {int(r['line'])}: <code>{html.escape(r['indicator'])}</code> — "
                      f"{html.escape(r['reason'])}</li>" for _, r in audit.refused.iterrows())
    title = f"{audit.place}: the work report's figures against other documents"
    return (
        f"<!DOCTYPE html><html lang='{'zh' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        "<p>Each printed figure stands for an interval (8.7% means [8.65, 8.75]); a verdict comes from "
        "interval arithmetic on every input. A figure from the report itself never confirms the report; "
        "a figure about a sub-area (a development zone) is never compared with the whole place's; a growth "
        "rate printed 同口径 (like-for-like) is not the plain change in levels. Verdicts that rest on a "
        "third-party or a low-reliability source say so.</p>"
        f"<p>{html.escape(t('as_of', lang))}: {html.escape(audit.as_of)}. "
        f"Claims: {len(v)}.</p><h2>Verdicts at a glance</h2><ul>{summary}</ul>"
        f"<h2>Every claim</h2>{verdict_view(v, lang).to_html()}"
        + (f"<h2>Verdicts resting on third-party or low-reliability sources</h2><ul>{caveat_items}</ul>"
           if caveat_items else "")
        + (f"<h2>Indicator codes refused</h2><p>Not guessed: the catalog does not hold them, and the "
           f"reason is given.</p><ul>{refused}</ul>" if refused else "")
        + f"<h2>Sources</h2>{_sources_table(audit.sources)}"
        "<footer>linhai-analysis audit. Full tables: verdicts.csv, tables/*.csv and audit_tables.xlsx (first "
        "sheet explains the columns).</footer>"
        "</body></html>\n")


def render_audit(out_dir: Path, place: str, claims_file: Path, observations_file: Path,
                 sources_file: Path | None = None, *, as_of: str | None = None,
                 lang: str = "en") -> list[Path]:
    """Audit a place and write ``audit.html``, ``verdicts.csv``, ``tables/*.csv`` and
    ``audit_tables.xlsx`` into ``out_dir``.

    Inputs are read and validated before the folder is touched; the folder rules are
    those of ``report --out`` (:mod:`linhai_analysis.report.outdir`).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    DataValidationError
        For a bad input (file, line and field named); nothing is written.
    OutputFolderError
        For a folder that is a file, a foreign non-empty folder, or locked.
    """
    import shutil
    import tempfile

    from ..assess.audit import audit_place
    from .outdir import check_out_dir, locked, publish, stage_dir
    from .tables import merge_workbook, write_tables

    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    audit = audit_place(place, claims_file, observations_file, sources_file,
                        as_of=None if as_of in (None, "latest") else as_of)
    with locked(out_dir):
        check_out_dir(out_dir)
        stage = stage_dir(out_dir)
        try:
            tables = audit_tables(audit)
            write_tables({"verdicts": tables.pop("verdicts")}, stage)
            write_tables(tables, stage / "tables")
            book = Path(tempfile.mkdtemp(prefix="workbook-", dir=stage))  # every table, one sheet each
            write_tables(audit_tables(audit), book)
            merge_workbook(book, stage / "audit_tables.xlsx", sources=audit.sources)
            shutil.rmtree(book)
            (stage / "audit.html").write_text(audit_page(audit, lang), encoding="utf-8")
            return publish(stage, out_dir)
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def audit_tables(audit: Audit) -> dict[str, pd.DataFrame]:
    """The tables of an audit for CSV and the workbook: verdicts, observations, refused."""
    tables = {"verdicts": audit.verdicts, "observations": audit.observations}
    if len(audit.refused):
        tables["refused_codes"] = audit.refused
    return tables


def audits_frame(audits: Sequence[Audit]) -> pd.DataFrame:
    """The verdict tables of several audits, one after the other."""
    return pd.concat([a.verdicts for a in audits], ignore_index=True)


def level_chart(verdicts: pd.DataFrame, ax=None, lang: str = "en"):
    """Level claims against the published level, both as intervals in percent of the
    published value (0 = the published figure), one row per checked level claim.

    Growth claims are drawn by :func:`linhai_analysis.report.plots.interval_chart`.
    """
    from .plots import _ax, label

    ax = _ax(ax)
    d = verdicts[verdicts["kind"].isin(["level", "from_to"]) & verdicts["computed_low"].notna()]
    d = d.reset_index(drop=True)
    for i, r in d.iterrows():
        mid = (r["computed_low"] + r["computed_high"]) / 2
        lo, hi = (r["claimed_low"] / mid - 1) * 100, (r["claimed_high"] / mid - 1) * 100
        clo, chi = (r["computed_low"] / mid - 1) * 100, (r["computed_high"] / mid - 1) * 100
        ax.plot([lo, hi], [i + 0.12] * 2, color="C0", lw=6, marker="|", ms=12, solid_capstyle="butt",
                label=t("claimed", lang) if i == 0 else None)
        ax.plot([clo, chi], [i - 0.12] * 2, color="C3", lw=6, marker="|", ms=12, solid_capstyle="butt",
                label=t("computed", lang) if i == 0 else None)
        ax.annotate(t(r["verdict"], lang), (max(hi, chi), i), xytext=(6, -3), textcoords="offset points",
                    fontsize="small")
    ax.set_yticks(range(len(d)), [f"{r['place']} {label(r['indicator'], lang)} {int(r['period_end'])}"
                                  for _, r in d.iterrows()])
    ax.axvline(0, color="0.6", lw=0.8)
    ax.set_xlabel("% of the published level" if lang != "zh" else "相对公布值 %")
    ax.legend(fontsize="small", loc="lower right")
    return ax


def audit_findings(audit: Audit, lang: str = "en") -> list[str]:
    """One sentence per claim that could be judged, with the numbers from the table,
    then one sentence counting the claims that could not."""
    v = audit.verdicts
    out = []
    for _, r in v[v["verdict"] != "not_checkable"].iterrows():
        period = (f"{int(r['period_start'])}" if r["period_start"] == r["period_end"]
                  else f"{int(r['period_start'])}–{int(r['period_end'])}")
        gap = "" if pd.isna(r["gap"]) else f" (gap {r['gap']:+.3g}, {r['gap_pct']:+.2f}%)"
        out.append(f"{_indicator(r, lang)} {r['claimed']} ({period}): **{t(r['verdict'], lang)}**{gap} — "
                   f"{r['verdict_text']}.")
    nc = v[v["verdict"] == "not_checkable"]
    if len(nc):
        refused = int(nc["verdict_text"].eq(REFUSED_VERDICT_TEXT).sum())
        sub = int(nc["sub_area"].fillna("").ne("").sum())
        out.append(f"{len(nc)} of {len(v)} claims cannot be checked: {refused} with a refused indicator code, "
                   f"{sub} about a sub-area, {len(nc) - refused - sub} for want of a second document.")
    return out

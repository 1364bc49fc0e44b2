"""Key findings: plain sentences computed from the tables, never typed.

Each notebook opens with its findings; ``index.html`` opens with the headline ones
(:func:`index_findings`), computed from the tables the notebooks wrote. A sentence is
left out when its table row is missing, rather than filled in.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

MODEL_NAMES = {"ols": "log-linear trend", "rw_drift": "random walk with drift", "anchored": "anchored growth"}


def _p(v) -> str:
    return "—" if v is None or pd.isna(v) else f"{v:.1%}"


def claims_findings(claims: pd.DataFrame, quality) -> list[str]:
    """Findings of notebook 01: how many claims by section, and the extractor's quality.

    Parameters
    ----------
    claims : pandas.DataFrame
        :func:`linhai_analysis.claims.claims_table`.
    quality : linhai_analysis.evaluation.Quality
        From :func:`linhai_analysis.evaluation.extractor_quality`.
    """
    by = claims["section_kind"].value_counts()
    named = claims["indicator"].fillna("").ne("").sum()
    return [
        f"The report makes {len(claims)} numeric claims: {by.get('review', 0)} in the five-year review, "
        f"{by.get('goals', 0)} goals for the next five years and {by.get('plan', 0)} targets for the "
        f"coming year; {named} name an indicator the analysis can check.",
        f"Against the hand-checked table the extractor's precision is {quality.precision:.1%} and its "
        f"recall {quality.recall:.1%} (headline claims: {quality.headline_recall:.1%}).",
    ]


def reconciliation_findings(recon: pd.DataFrame) -> list[str]:
    """Findings of notebook 02: verdict counts, the discrepancies, the GDP deflator."""
    out = []
    main = recon[recon["report"] == recon["report"].iloc[0]] if len(recon) else recon
    counts = main["verdict"].value_counts()
    checked = main[main["verdict"] != "not_checkable"]
    own = main[main["verdict"].isin(["consistent", "consistent_within_rounding"]) & ~main["independent"].astype(bool)]
    n_out = int(counts.get("not_checkable", 0))
    out.append(f"The reconciliation looked at {len(main)} review figures of the report: {len(checked)} could be "
               "checked (" + (", ".join(f"{n} {v.replace('_', ' ')}" for v, n in counts.items() if v != "not_checkable")
                              or "none") + f") and {n_out} could not, for want of data"
               + (f"; the {len(own)} that agree rest only on the government's own earlier reports"
                  if len(own) else "") + ".")
    for _, r in main[main["verdict"] == "discrepancy"].iterrows():
        out.append(f"{r['indicator_text']} {r['period_start']}–{r['period_end']}: claimed {r['claimed']}, the "
                   f"printed levels give {r['computed_low']:.2f}–{r['computed_high']:.2f}% "
                   f"(off by {r['gap']:+.2f} pp); the back-cast implies a revision of the base of "
                   f"{r['implied_revision_pct']:+.1f}%." if pd.notna(r["implied_revision_pct"]) else
                   f"{r['indicator_text']}: claimed {r['claimed']} does not agree with the levels.")
    for _, r in main[(main["indicator"] == "gdp") & (main["verdict"] == "basis_mismatch")].iterrows():
        avg = r.get("deflator_anchor_avg")
        compare = ""
        if avg is not None and pd.notna(avg):
            gap = (r["implied_deflator_low"] + r["implied_deflator_high"]) / 2 - avg
            compare = (f"; the national GDP deflator averaged {avg:.2f}% a year over {r['deflator_anchor_years']}, "
                       f"{abs(gap):.1f} pp {'less' if gap > 0 else 'more'}")
            brk = str(r.get("benchmark_break", "") or "")
            if gap > 0.5 and brk not in ("", "nan"):
                import re

                year = re.search(r"\((\d{4})\)", brk)
                compare += (f", a gap that points to the {year.group(1) + ' ' if year else ''}economic census: the "
                            "base level predates it and the end level includes its upward revision")
        out.append(f"GDP growth of {r['claimed']} a year is real; the nominal levels grew "
                   f"{r['computed_low']:.2f}% a year, so the claim implies an average deflator of "
                   f"{r['implied_deflator_low']:.2f}–{r['implied_deflator_high']:.2f}% a year{compare}. "
                   "The rate itself cannot be checked without the comparable-price indices.")
    return out


def targets_findings(summary: pd.DataFrame, robust: pd.DataFrame | None = None) -> list[str]:
    """Findings of notebook 03: each 2026 goal's probabilities, its robustness, and the
    goals judged by the report's own numbers."""
    out = []
    last = summary["target_year"].max() if len(summary) else None
    goals = summary[(summary["target_year"] == last) & summary["kind"].isin(["target_level", "target_cumulative"])]
    for _, r in goals.iterrows():
        ps = {m: r.get(f"p_{m}") for m in MODEL_NAMES}
        if any(pd.notna(v) for v in ps.values()):
            line = (f"{r['indicator_zh']} {r['comparator']}{r['threshold']:g} by {int(r['target_year'])}: P = "
                    + ", ".join(f"{_p(v)} ({MODEL_NAMES[m]})" for m, v in ps.items() if pd.notna(v))
                    + f"; it needs {r['required_growth_pct']:.1f}% a year"
                    + (f" against {r['recent_growth_pct']:.1f}% over {r['recent_period']}"
                       if pd.notna(r.get("recent_growth_pct")) else "") + ".")
            if robust is not None:
                rb = robust[robust["target_id"] == r["target_id"]]
                if len(rb):
                    line += f" Across information sets, samples and models: {rb.iloc[0]['summary']}."
            out.append(line)
        elif str(r["verdict"]).startswith(("above_own_plan", "within_own_plan")):
            out.append(f"{r['indicator_zh']} {r['comparator']}{r['threshold']:g} ({r['kind']}): "
                       + str(r["verdict"]).split(": ", 1)[-1])
    return out


def backtest_findings(summary: pd.DataFrame, brier: pd.DataFrame | None = None) -> list[str]:
    """Findings of the backtest: pooled 80% coverage and CRPS of each model."""
    pooled = summary[summary["horizon"] == "all"]
    out = []
    if len(pooled):
        out.append("Rolling-origin backtest (every report or bulletin date since 2014, all later published "
                   "levels, log scale): " + "; ".join(
                       f"{r['model']} 80% band covers {r['coverage_80']:.0%} of {int(r['n'])} outcomes, mean CRPS "
                       f"{r['crps_mean']:.3f}" for _, r in pooled.iterrows()) + ".")
    if brier is not None and len(brier):
        out.append("Brier score of the probabilities given to the 2022 growth targets: " + "; ".join(
            f"{r['model']} {r['brier']:.3f} ({int(r['n'])} targets)" for _, r in brier.iterrows()) + ".")
    return out


def index_findings(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The headline findings for ``index.html``, from the tables the notebooks wrote
    (``targets_summary``, ``reconciliation``, ``targets_2022``, ``miss_decomposition``,
    ``sensitivity_robustness``). Missing tables are skipped."""
    out: list[str] = []
    summ = tables.get("targets_summary")
    rob = tables.get("sensitivity_robustness")
    if summ is not None:
        for ind in ("gdp", "fiscal_total_revenue"):
            rows = summ[(summ["indicator"] == ind) & (summ["kind"] == "target_level")]
            if len(rows):
                out.extend(targets_findings(rows, rob))
    rec = tables.get("reconciliation")
    if rec is not None and len(rec):
        rec = rec.assign(independent=rec["independent"].astype(str).str.lower().eq("true"))
        own = rec[rec["report"] == "linhai_gwr_2022"]
        out.extend(reconciliation_findings(own if len(own) else rec)[1:])
    card = tables.get("targets_2022")
    if card is not None and len(card):
        known = card[card["met"].notna() & card["met"].astype(str).ne("")]
        met = known[known["met"].astype(str).str.lower().isin(["true", "1", "1.0"])]
        from ..data.indicators import CATALOG

        names = [CATALOG[c].name_zh if c in CATALOG else str(c) for c in met["indicator"]]
        out.append(f"2022 targets: {len(known)} of {len(card)} have an outcome; {len(met)} met "
                   f"({', '.join(names) or 'none'}).")
    dec = tables.get("miss_decomposition")
    if dec is not None and len(dec):
        nat = dec[dec["reference"] == "全国"]
        parts = dict(zip(nat["component"], nat["pp"], strict=True))
        if {"escalation", "national_shortfall", "local_gap", "total"} <= set(parts):
            out.append(f"Linhai's 2022 GDP miss of {parts['total']:+.1f} pp: {parts['escalation']:+.1f} pp from "
                       f"setting its target above the national one, {parts['national_shortfall']:+.1f} pp national "
                       f"shortfall, {parts['local_gap']:+.1f} pp local gap.")
    return out[:8]


def verdict_overview(tables: Mapping[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """Counts by verdict for the reconciliation and the targets (for ``index.html``)."""
    import re

    out = {}
    rec = tables.get("reconciliation")
    if rec is not None:
        # one line per report: the 2022 report's review and, for comparison, the 2017 one's
        for report, g in rec.groupby("report", sort=False) if "report" in rec.columns else [("", rec)]:
            year = re.search(r"(\d{4})", str(report))
            name = f"{year.group(1)} report's five-year review" if year else "review figures"
            out[f"Reconciliation, {name} ({len(g)} figure{'' if len(g) == 1 else 's'})"] = g["verdict"].value_counts().to_dict()
    summ = tables.get("targets")
    if summ is not None:
        s = summ[summ["model"].isin(list(MODEL_NAMES))]
        out["Targets (one verdict per model and target)"] = s["verdict"].value_counts().to_dict()
    return out

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


def _goal_line(r: pd.Series, robust: pd.DataFrame | None) -> str:
    """One goal: the combined P with the models' range, the growth it needs, and the
    robustness of the ex-ante verdict (later information sets as updating)."""
    ps = {m: r.get(f"p_{m}") for m in MODEL_NAMES}
    given = {m: v for m, v in ps.items() if v is not None and pd.notna(v)}
    p_comb = r.get("p_combined")
    verdict = str(r.get("verdict_label", ""))
    head = f"{r['indicator_zh']} {r['comparator']}{r['threshold']:g} by {int(r['target_year'])}: "
    if p_comb is not None and pd.notna(p_comb):
        rng = (f"the models give {min(given.values()):.1%} to {max(given.values()):.1%} ("
               + ", ".join(f"{MODEL_NAMES[m]} {_p(v)}" for m, v in given.items()) + ")"
               if len(given) > 1 else f"only the {MODEL_NAMES[next(iter(given))]} model gives one")
        line = head + f"P = {_p(p_comb)} combined ({verdict}); {rng}"
    else:
        line = head + "P = " + ", ".join(f"{_p(v)} ({MODEL_NAMES[m]})" for m, v in given.items())
    line += f"; it needs {r['required_growth_pct']:.1f}% a year"
    if pd.notna(r.get("recent_growth_pct")):
        line += f" against {r['recent_growth_pct']:.1f}% over {r['recent_period']}"
    line += "."
    if robust is not None:
        rb = robust[robust["target_id"] == r["target_id"]]
        if len(rb):
            line += f" Across samples and information sets up to the report date: {rb.iloc[0]['summary']}."
    return line


def targets_findings(summary: pd.DataFrame, robust: pd.DataFrame | None = None) -> list[str]:
    """Findings of notebook 03: each 2026 goal's combined probability with the models'
    range, its robustness, and the goals judged by the report's own numbers."""
    out = []
    last = summary["target_year"].max() if len(summary) else None
    goals = summary[(summary["target_year"] == last) & summary["kind"].isin(["target_level", "target_cumulative"])]
    for _, r in goals.iterrows():
        ps = [r.get(f"p_{m}") for m in MODEL_NAMES]
        if any(v is not None and pd.notna(v) for v in ps):
            out.append(_goal_line(r, robust))
        elif str(r["verdict"]).startswith(("above_own_plan", "within_own_plan")):
            out.append(f"{r['indicator_zh']} {r['comparator']}{r['threshold']:g} ({r['kind']}): "
                       + str(r["verdict"]).split(": ", 1)[-1])
    return out


def backtest_findings(like: pd.DataFrame, brier: pd.DataFrame | None = None) -> list[str]:
    """Findings of the like-for-like backtest (:func:`linhai_analysis.assess.backtest.like_for_like`):
    on the common points, each model's 80% coverage and mean CRPS, the combined forecast
    against the best single model and against no change (year-clustered 95% intervals),
    the same on Linhai's own points; and the Brier scores beside their references."""
    out = []
    names = {**MODEL_NAMES, "combined": "combined", "no_change": "no change", "last_cagr": "last growth continued"}

    def nm(m):
        return names.get(m, m)

    def iv(r, col):
        return f"{r[col]:+.3f} [{r[col + '_low']:+.3f}, {r[col + '_high']:+.3f}]"

    for table, group, what in (("all common points", "all", "all series"),
                               ("Linhai only", "all Linhai series", "Linhai's own series")):
        g = like[(like["table"] == table) & (like["group"] == group)] if len(like) else like
        if g.empty:
            continue
        first = g.iloc[0]
        line = (f"Like for like on the {int(first['n'])} points every model forecast ({what}, "
                f"{int(first['effective_n'])} distinct target years): "
                + "; ".join(f"{nm(r['model'])} covers {r['coverage_80']:.0%} with its 80% band, mean CRPS "
                            f"{r['crps_mean']:.3f}" for _, r in g.sort_values("crps_mean").iterrows()) + ".")
        c = g[g["model"] == "combined"]
        if len(c) and pd.notna(c.iloc[0].get("crps_diff_rival")):
            c = c.iloc[0]
            line += (f" Combined minus the best single model ({nm(c['best_rival'])}): {iv(c, 'crps_diff_rival')}; "
                     f"minus no change: {iv(c, 'crps_diff_no_change')} (negative: combined is better).")
        out.append(line)
    if brier is not None and len(brier):
        b0 = brier.iloc[0]
        out.append("Brier score of the probabilities given to the 2022 growth targets: " + "; ".join(
            f"{nm(r['model'])} {r['brier']:.3f} ({int(r['n'])} targets)" for _, r in brier.iterrows())
            + f". References: a flat 50% forecast scores {b0['brier_flat']:.2f}; a constant forecast at the "
            f"base rate of {b0['base_rate']:.0%} scores {b0['brier_base_rate']:.3f}.")
    return out


def index_findings(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """The headline findings for ``index.html``, from the tables the notebooks wrote
    (``targets_summary``, ``reconciliation``, ``targets_2022``, ``miss_decomposition``,
    ``sensitivity_robustness``). Missing tables are skipped.

    The first finding states one probability for the GDP goal (the combined one, with the
    models' range) and one for the fiscal goal."""
    out: list[str] = []
    summ = tables.get("targets_summary")
    rob = tables.get("sensitivity_robustness")
    if summ is not None:
        last = summ["target_year"].max()
        heads = []
        for ind in ("gdp", "fiscal_total_revenue"):
            rows = summ[(summ["indicator"] == ind) & (summ["kind"] == "target_level") & (summ["target_year"] == last)]
            if len(rows) and "p_combined" in rows and pd.notna(rows.iloc[0]["p_combined"]):
                heads.append(rows.iloc[0])
        if heads:
            parts = []
            for r in heads:
                ps = [r.get(f"p_{m}") for m in MODEL_NAMES if pd.notna(r.get(f"p_{m}"))]
                rng = (f"models {min(ps):.1%}–{max(ps):.1%}" if len(ps) > 1 else "one model")
                parts.append(f"{r['indicator_zh']} {r['comparator']}{r['threshold']:g} by {int(r['target_year'])}: "
                             f"P = {_p(r['p_combined'])} ({rng}), {r['verdict_label']}")
            out.append(f"The 2026 goals as judged on {heads[0]['as_of']}: " + "; ".join(parts) + ".")
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
            year = int(nat["year"].iloc[0])
            when = ""
            esc = tables.get("target_escalation")
            if esc is not None and len(esc):
                e = esc[esc["year"] == year].set_index("place")["target_available"].astype(str)
                own, ref = e.get("临海市", ""), e.get("全国", "")
                if own and ref and own != "nan" and ref != "nan":
                    when = (f" (the national target was announced on {ref}, "
                            + ("after" if ref > own else "before") + f" Linhai's report of {own})")
            out.append(f"Linhai's {year} GDP miss of {parts['total']:+.1f} pp: {parts['escalation']:+.1f} pp from "
                       f"its target sitting above the national one{when}, "
                       f"{parts['national_shortfall']:+.1f} pp national shortfall, {parts['local_gap']:+.1f} pp "
                       "local gap.")
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
        s = summ[summ["model"].isin([*MODEL_NAMES, "combined"])]
        out["Targets (one verdict per model and target)"] = s["verdict"].value_counts().to_dict()
    return out

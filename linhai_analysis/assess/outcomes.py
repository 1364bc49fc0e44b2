"""Hold the February-2022 judgments against what happened in 2022-2025.

Every function takes two vintages: the ex-ante one (the report date: what the fits see)
and the latest one (where the realized values come from). Nothing is tuned on the
realized data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.indicators import CATALOG
from ..data.places import DEFAULT_PLACE
from ..data.vintage import Vintage
from ..models.growth import Interval, printed_interval
from ..models.trend import BANDS, MODELS, InsufficientDataError, fit
from .plausibility import (
    JUDGE_MODELS,
    fit_anchored_on,
    judge_targets,
    summarize_targets,
    usable_series,
)
from .pool import POOL_MODEL, pool

OUTCOME_COLUMNS = [
    "indicator", "year", "realized", "comparator", "source_id", "source_kind", "model",
    "ex_ante_median", "pit", "p_exceed_bound", "in_band_50", "in_band_80", "in_band_95",
    "error_pct", "benchmark_break",
]
SCORECARD_COLUMNS = [
    "indicator", "target_text", "comparator", "target_growth_pct", "realized_growth_pct",
    "realized_low", "realized_high", "met", "gap_pp", "basis", "sources",
]


def _realized_rows(observations: pd.DataFrame, indicator: str, after: int,
                   place: str = DEFAULT_PLACE) -> pd.DataFrame:
    rows = observations[(observations["indicator"] == indicator) & (observations["year"] > after)
                        & observations["value"].notna() & (observations["place"] == place)]
    exact = rows[rows["is_preferred"]]
    bounds = rows[rows["comparator"].isin([">", ">="])]
    bounds = bounds[~bounds["year"].isin(exact["year"])]
    return pd.concat([exact, bounds]).sort_values("year")


def _ex_ante_fits(ex_ante: Vintage, latest: Vintage, codes: list[str] | None = None):
    """For each indicator with a usable series in ``ex_ante``: the series, every model
    that can be fitted on it (the trend models need 3 residual df; ``anchored`` an
    anchor series) and their equal-weight pool (``combined``), and the realized rows of
    ``latest`` after its last year."""
    obs = ex_ante.observations
    for code in codes or sorted(obs["indicator"].unique()):
        s = usable_series(ex_ante, code)
        if not len(s.years) or s.problem == "basis_mismatch":
            continue
        fits = {}
        for m in MODELS:
            try:
                fits[m] = fit(m, s.years, s.values, s.segments or None)
            except InsufficientDataError:
                pass  # too few points (within benchmark segments)
        try:
            fits["anchored"] = fit_anchored_on(ex_ante, code, s.years, s.values, horizon=2030)
        except InsufficientDataError:
            pass
        members = tuple(fits[m] for m in JUDGE_MODELS if m in fits)
        if members:
            fits[POOL_MODEL] = pool(members)
        if fits:
            yield code, s, fits, _realized_rows(latest.observations, code, int(s.years[-1]))


def score_outcomes(ex_ante: Vintage, latest: Vintage, *, indicators: list[str] | None = None) -> pd.DataFrame:
    """Place each realized value (``latest``) in its ex-ante predictive distribution
    (fitted on ``ex_ante``).

    For every indicator with a usable series in ``ex_ante`` and each model (and the
    combined pool): the predictive percentile (PIT) of the realized value, whether it
    falls inside the 50/80/95% bands, and the error of the ex-ante median in percent. A
    lower bound (``>``, e.g. 2025 GDP 突破千亿) is scored as a bound: ``p_exceed_bound`` =
    ex-ante P(value > bound); its PIT, bands and error stay empty.
    """
    rows = []
    for code, s, fits, realized in _ex_ante_fits(ex_ante, latest, indicators):
        fit_basis = s.segments[-1] if s.segments else ""
        for model, fc in fits.items():
            for _, r in realized.iterrows():
                y, v = int(r["year"]), float(r["value"])
                med = float(fc.median(y))
                brk = r.get("benchmark", "") or ""
                row = {"indicator": code, "year": y, "realized": v, "comparator": r["comparator"],
                       "source_id": r["source_id"], "source_kind": r["source_kind"], "model": model,
                       "ex_ante_median": med,
                       "benchmark_break": (f"forecast on '{fit_basis}', realized on '{brk}': the error "
                                           "includes the census revision") if brk and brk != fit_basis else ""}
                if r["comparator"] == "=":
                    bands = {}
                    for c in BANDS:
                        lo, hi = fc.band(y, c)
                        bands[f"in_band_{int(c * 100)}"] = bool(float(lo) <= v <= float(hi))
                    row.update(pit=float(fc.cdf(y, v)), p_exceed_bound=None,
                               error_pct=(med / v - 1) * 100, **bands)
                else:
                    row.update(pit=None, p_exceed_bound=fc.p_at_least(y, v), error_pct=None,
                               **{f"in_band_{int(c * 100)}": None for c in BANDS})
                rows.append(row)
    return pd.DataFrame(rows, columns=OUTCOME_COLUMNS)


def target_met(realized: Interval, threshold: float, comparator: str) -> bool | None:
    """Was a target met? The target is an exact threshold; only the realized figure
    carries a rounding interval.

    ``True`` when the whole realized interval satisfies the target, ``False`` when
    none of it does, ``None`` when rounding alone decides. For ``≈`` (左右) targets,
    reaching the threshold counts as met, as for ``≥``.

    Examples
    --------
    >>> target_met(Interval(5.55, 5.65), 6.0, "≥")  # 5.6% against 增长6%以上
    False
    >>> target_met(Interval(5.95, 6.05), 6.0, "≥") is None
    True
    """
    if comparator in ("≤", "<="):
        return True if realized.hi <= threshold else False if realized.lo > threshold else None
    return True if realized.lo >= threshold else False if realized.hi < threshold else None


def scorecard_2022(claims: pd.DataFrame, latest: Vintage, year: int = 2022) -> pd.DataFrame:
    """The report's growth targets for ``year`` against what was published since.

    The realized rate is the printed growth where a source prints one (GDP at
    comparable prices by convention); otherwise it is computed from the two printed
    levels, with its rounding interval, and the basis says so. The target is an
    exact threshold (:func:`target_met`). Outcomes come from ``latest``.
    """
    observations = latest.observations
    t = claims[(claims["kind"] == "target_growth") & (claims["ref_year"] == year)
               & claims["indicator"].fillna("").ne("")]
    rows = []
    for _, c in t.iterrows():
        code = c["indicator"]
        ind = CATALOG[code]
        cmp_word = {"≥": "以上", "≤": "以内", "≈": "左右"}.get(c["comparator"], "")
        obs = observations[(observations["indicator"] == code) & (observations["place"] == DEFAULT_PLACE)]
        cur = obs[(obs["year"] == year)]
        printed = cur[cur["growth_pct"].notna()].sort_values("source_precedence")
        row = {"indicator": code, "target_text": f"{c['indicator_text']}增长{c['value_text']}%{cmp_word}",
               "comparator": c["comparator"], "target_growth_pct": c["value"],
               "realized_growth_pct": None, "realized_low": None, "realized_high": None,
               "met": None, "gap_pp": None, "basis": "", "sources": ""}
        prev = obs[(obs["year"] == year - 1) & obs["is_preferred"]]
        now = cur[cur["is_preferred"]]
        if not printed.empty:
            p = printed.iloc[0]
            iv = printed_interval(p["growth_as_printed"])
            conv = "comparable prices by convention" if ind.growth == "real" else "nominal"
            row.update(realized_growth_pct=p["growth_pct"], basis=f"printed growth ({conv})",
                       sources=p["source_id"])
        elif not prev.empty and not now.empty:
            a, b = prev.iloc[0], now.iloc[0]
            lo_a, lo_b = printed_interval(a["value_as_printed"]), printed_interval(b["value_as_printed"])
            iv = Interval((lo_b.lo / lo_a.hi - 1) * 100, (lo_b.hi / lo_a.lo - 1) * 100)
            row.update(realized_growth_pct=(b["value"] / a["value"] - 1) * 100,
                       basis=f"computed from levels {year - 1}->{year} ({a['value']:g} -> {b['value']:g}); "
                             "no rate printed; nominal",
                       sources=f"{a['source_id']};{b['source_id']}")
        else:
            row["basis"] = f"no {year} figure in the data"
            rows.append(row)
            continue
        row.update(realized_low=iv.lo, realized_high=iv.hi)
        met = target_met(iv, float(c["value"]), c["comparator"])
        row.update(met=met, gap_pp=row["realized_growth_pct"] - c["value"])
        rows.append(row)
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


def benchmark_errors(claims: pd.DataFrame, ex_ante: Vintage, latest: Vintage) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Errors of each model against naive forecasts on the realized exact values.

    Methods: ``ols`` and ``rw_drift`` medians; ``naive_last`` (no change from the last
    level); ``last_cagr`` (the CAGR between the last two usable points, continued);
    ``target_path`` (constant growth from the base-year level to the report's goal,
    where the report sets a level goal for the indicator).

    Returns
    -------
    (points, summary)
        Per realized point and method the forecast and absolute log error; and per
        method the mean absolute log error (MALE) and the number of points, plus the
        same on the points every method forecast (``male_common``, ``n_common``, and
        ``years_common``, the distinct years among them), by which the summary is sorted.
        With two or three realized years no method can be called the most accurate: the
        rolling-origin backtest (:mod:`linhai_analysis.assess.backtest`) is the test.
    """
    goals = claims[claims["kind"].eq("target_level") & claims["indicator"].fillna("").ne("")]
    rows = []
    for code, s, fits, realized in _ex_ante_fits(ex_ante, latest):
        last_y, last_v = int(s.years[-1]), float(s.values[-1])
        realized = realized[realized["comparator"] == "="]
        if realized.empty:
            continue
        if len(s.years) < 2:
            continue
        g = (s.values[-1] / s.values[-2]) ** (1 / (s.years[-1] - s.years[-2]))
        goal = goals[goals["indicator"] == code]
        for _, r in realized.iterrows():
            y, v = int(r["year"]), float(r["value"])
            fcs = {m: float(f.median(y)) for m, f in fits.items()}
            fcs["naive_last"] = last_v
            fcs["last_cagr"] = last_v * g ** (y - last_y)
            if not goal.empty:
                gy, gv = int(goal.iloc[0]["ref_year"]), float(goal.iloc[0]["value_canonical"])
                fcs["target_path"] = last_v * (gv / last_v) ** ((y - last_y) / (gy - last_y))
            for method, f in fcs.items():
                rows.append({"indicator": code, "year": y, "realized": v, "method": method,
                             "forecast": f, "abs_log_error": abs(np.log(f / v))})
    points = pd.DataFrame(rows, columns=["indicator", "year", "realized", "method", "forecast", "abs_log_error"])
    summary = (points.groupby("method", sort=False)["abs_log_error"].agg(["mean", "count"])
               .rename(columns={"mean": "male", "count": "n_points"}).reset_index())
    # the fair comparison: the realized points that every method forecast
    n_methods = points["method"].nunique()
    common = points.groupby(["indicator", "year"]).filter(lambda g: g["method"].nunique() == n_methods)
    c = common.groupby("method").agg(male_common=("abs_log_error", "mean"), n_common=("abs_log_error", "count"),
                                     years_common=("year", "nunique"))
    summary = summary.merge(c, left_on="method", right_index=True, how="left")
    summary = summary.sort_values(["male_common", "male"], kind="mergesort").reset_index(drop=True)
    return points, summary


def updated_probabilities(claims: pd.DataFrame, ex_ante: Vintage, latest: Vintage, *,
                          seed: int | None = None) -> pd.DataFrame:
    """P(goal met) with the ex-ante information set next to the same with the latest one,
    for the 2026 goals that some model can judge: the combined P (the headline), its
    verdict and the range of the single models' P, for each of the two information sets."""
    kw = {} if seed is None else {"seed": seed}
    feb = summarize_targets(judge_targets(claims, ex_ante, **kw))
    now = summarize_targets(judge_targets(claims, latest, **kw))
    keep = ["target_id", "indicator", "indicator_zh", "kind", "target_year", "threshold", "comparator"]
    ps = ["n_points", "p_combined", "p_model_min", "p_model_max", "verdict_label"]
    m = feb[keep + ps].merge(now[["target_id", *ps]], on="target_id",
                             suffixes=("_" + ex_ante.label, "_" + latest.label))
    m = m[m["target_year"] == m["target_year"].max()]
    pcols = [c for c in m.columns if c.startswith("p_combined")]
    return m[m[pcols].notna().any(axis=1)].reset_index(drop=True)


def findings(card: pd.DataFrame, outcomes: pd.DataFrame, bench: pd.DataFrame,
             updated: pd.DataFrame) -> list[str]:
    """Plain-language conclusions, each sentence computed from the tables above.

    Parameters
    ----------
    card, outcomes, bench, updated : pandas.DataFrame
        Outputs of :func:`scorecard_2022`, :func:`score_outcomes`,
        :func:`benchmark_errors` (summary) and :func:`updated_probabilities`.
    """
    out = []
    known = card[card["met"].notna()]
    met = known[known["met"].astype(bool)]
    missing = card[card["met"].isna()]
    out.append(f"Of the {len(card)} growth targets for 2022, {len(known)} have a published outcome; "
               f"{len(met)} met ({', '.join(met['indicator']) or 'none'}), {len(known) - len(met)} missed"
               + (f"; no outcome for {', '.join(missing['indicator'])}." if len(missing) else "."))
    if len(known):
        worst = known.loc[known["gap_pp"].idxmin()]
        out.append(f"The largest shortfall is {worst['indicator']}: {worst['realized_growth_pct']:.1f}% "
                   f"against a target of {worst['target_growth_pct']:g}% ({worst['basis']}).")
    exact = outcomes[outcomes["comparator"] == "="]
    if len(exact):
        share80 = exact["in_band_80"].astype(bool).mean() * 100
        over = (exact["error_pct"] > 0).mean() * 100
        out.append(f"Across models, {share80:.0f}% of the {len(exact)} realized values fell inside the ex-ante "
                   f"80% band, and the ex-ante median was above the outcome in {over:.0f}% of cases.")
    if len(bench) and "n_common" in bench.columns and bench["n_common"].notna().any():
        best = bench.iloc[0]
        yrs = int(best["years_common"]) if "years_common" in bench.columns else None
        out.append(f"The {int(best['n_common'])} realized values that every method forecast cover "
                   + (f"{yrs} year(s)" if yrs is not None else "few years")
                   + ": too few to call any method the most accurate (the like-for-like backtest below "
                   "compares them on many more points).")
    p_cols = [c for c in updated.columns if c.startswith("p_combined_")]
    if len(p_cols) == 2:
        rows = updated.dropna(subset=p_cols)
        for _, r in rows.iterrows():
            out.append(f"P({r['indicator_zh']} {r['comparator']}{r['threshold']:g} by {int(r['target_year'])}, "
                       f"combined): {r[p_cols[0]]:.1%} with the {p_cols[0].removeprefix('p_combined_')} "
                       f"information set, {r[p_cols[1]]:.1%} with everything published since.")
    return out

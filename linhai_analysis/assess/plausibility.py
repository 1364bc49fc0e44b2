"""Judge report targets by models fitted on one information set (a :class:`Vintage`).

Every judgement takes a vintage and never filters by date itself: what the models see
is what the vintage holds.

Targets come from the extracted claims (kinds ``target_level``, ``target_rate``,
``target_cumulative``, ``target_growth`` with a catalog indicator), never retyped.
For each target every model gives P(target met) or, when it cannot, a reason:
``insufficient_data`` (fewer than three usable points) or ``basis_mismatch``
(only a non-comparable caliber, or a real-growth target against nominal levels).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.indicators import CATALOG
from ..data.places import DEFAULT_PLACE
from ..data.vintage import Vintage
from ..models.growth import cagr
from ..models.trend import (
    Forecast,
    InsufficientDataError,
    fit,
    required_growth,
    verdict_from_p,
)
from .cache import shared_result
from .pool import POOL_MODEL, pool, pool_probability

TARGET_KINDS = ("target_level", "target_rate", "target_cumulative", "target_growth")
TARGET_COLUMNS = [
    "target_id", "indicator", "indicator_zh", "kind", "target_year", "threshold", "comparator",
    "as_of", "model", "n_points", "first_year", "last_year", "last_value",
    "required_growth_pct", "historical_growth_pct", "recent_growth_pct", "recent_period", "growth_basis",
    "verdict_basis", "benchmark_breaks", "projected_median", "median_growth_pct", "band_80_low",
    "band_80_high", "p_meet", "verdict", "reason",
]
#: Models that give a probability; their equal-weight pool is reported as ``combined``.
JUDGE_MODELS = ("ols", "rw_drift", "anchored")
#: Short names of the models in sentences on the pages.
MODEL_WORDS = {"ols": "log-linear trend", "rw_drift": "random walk with drift", "anchored": "anchored growth",
               POOL_MODEL: "combined (equal-weight pool)"}
#: Years over which the "recent" growth rate is measured (the slowdown).
RECENT_YEARS = 5
DEFAULT_SEED = 20220217
DEFAULT_THRESHOLDS = (0.8, 0.2, 0.05)


@dataclass(frozen=True)
class Series:
    """Usable points of one indicator in an information set, or why there are none."""

    indicator: str
    years: np.ndarray
    values: np.ndarray
    problem: str = ""  # "", "insufficient_data" or "basis_mismatch"
    reason: str = ""
    segments: tuple[str, ...] = ()
    place: str = DEFAULT_PLACE

    def keep(self, mask: np.ndarray) -> Series:
        """The same series restricted to the points where ``mask`` is true."""
        segs = tuple(np.asarray(self.segments, dtype=object)[mask]) if self.segments else ()
        return Series(self.indicator, self.years[mask], self.values[mask], self.problem, self.reason,
                      segs, self.place)

    @property
    def breaks(self) -> str:
        """Benchmark breaks the series spans, as text ("" when none)."""
        segs = list(self.segments)
        return "; ".join(f"census revision between {int(y0)} and {int(y1)} ({a} -> {b})" for a, b, y0, y1 in
                         zip(segs[:-1], segs[1:], self.years[:-1], self.years[1:], strict=True) if a != b)


def growth_summary(s: Series, recent: int = RECENT_YEARS) -> dict:
    """Whole-sample and recent CAGR of a series (percent), and what they span.

    ``historical_growth_pct`` runs first to last point; ``recent_growth_pct`` from the
    latest point at least ``recent`` years before the last one (the slowdown shows
    here). Both are nominal level growth and say when they cross a benchmark break.
    """
    out = {"historical_growth_pct": None, "recent_growth_pct": None, "recent_period": ""}
    if len(s.years) < 2:
        return out
    y, v = s.years, s.values
    out["historical_growth_pct"] = cagr(v[0], v[-1], y[-1] - y[0])
    early = np.nonzero(y <= y[-1] - recent)[0]
    i = int(early[-1]) if len(early) else 0
    out["recent_growth_pct"] = cagr(v[i], v[-1], y[-1] - y[i])
    out["recent_period"] = f"{int(y[i])}-{int(y[-1])}"
    return out


def recent_real_growth(vintage: Vintage, indicator: str, before: int, place: str = DEFAULT_PLACE,
                       recent: int = RECENT_YEARS) -> dict:
    """Average of the printed real (comparable-price) growth rates of the ``recent`` years
    before ``before``, as held in ``vintage``: the like-for-like comparison for a real
    growth target (a nominal level CAGR would add inflation). Years without a printed
    rate are left out and ``recent_period`` names the years used."""
    from ..models.deflators import _geo_mean, realized_growth

    got = [(y, realized_growth(vintage.observations, place, y, indicator)) for y in range(before - recent, before)]
    got = [(y, float(r["growth_pct"])) for y, r in got if r is not None]
    if not got:
        return {"recent_growth_pct": None, "recent_period": ""}
    ys = [y for y, _ in got]
    period = f"{ys[0]}-{ys[-1]}" if len(ys) == ys[-1] - ys[0] + 1 else ", ".join(map(str, ys))
    return {"recent_growth_pct": _geo_mean([g for _, g in got]), "recent_period": period}


def _recent_real(claims: pd.DataFrame, vintage: Vintage, indicator: str, year: int, place: str) -> dict:
    """Recent real growth before ``year``: the printed comparable-price rates when they
    cover all :data:`RECENT_YEARS` years, else the report's own review average of the
    years before ``year`` (e.g. 2017–2021 年均增长6.1%), else the rates there are."""
    rates = recent_real_growth(vintage, indicator, year, place)
    period = rates["recent_period"]
    if rates["recent_growth_pct"] is not None and "," not in period and period.count("-") == 1 \
            and int(period.split("-")[1]) - int(period.split("-")[0]) + 1 == RECENT_YEARS:
        return {**rates, "growth_basis": "real (printed comparable-price rates)"}
    own = claims[(claims["kind"] == "avg_growth") & (claims["indicator"] == indicator)
                 & (claims["period_end"] == year - 1)]
    if "section_kind" in own.columns:
        own = own[own["section_kind"].fillna("review") == "review"]
    if len(own):
        o = own.iloc[0]
        return {"recent_growth_pct": float(o["value"]), "recent_period": f"{int(o['period_start'])}-{int(o['period_end'])}",
                "growth_basis": "real (the report's own review average; no independent rates for every year)"}
    return {**rates, "growth_basis": "real (printed comparable-price rates of the years named)"}


def usable_series(vintage: Vintage, indicator: str, place: str = DEFAULT_PLACE) -> Series:
    """Preferred exact levels of ``indicator`` for ``place`` in the vintage, in the
    current caliber (``comparable_from`` in the catalog), with the benchmark basis of
    each point (``segments``). Lower bounds are not levels."""
    obs = vintage.observations
    ind = CATALOG[indicator]
    if "place" in obs.columns:
        obs = obs[obs["place"] == place]
    rows = obs[(obs["indicator"] == indicator) & obs["is_preferred"] & obs["value"].notna()]
    old = rows[rows["year"] < ind.comparable_from] if ind.comparable_from else rows.iloc[:0]
    rows = rows.drop(old.index).sort_values("year")
    y, v = rows["year"].to_numpy(float), rows["value"].to_numpy(float)
    segs = tuple(rows["benchmark"].fillna("")) if "benchmark" in rows.columns else ()
    if len(rows) < 3:
        if len(old) and len(rows) == 0:
            return Series(indicator, y, v, "basis_mismatch",
                          f"only levels before {ind.comparable_from} exist ({', '.join(map(str, old['year']))}), "
                          f"in a caliber not comparable with the target: {ind.caliber_note}", segs, place)
        return Series(indicator, y, v, "insufficient_data",
                      f"{len(rows)} usable level(s) of {indicator} as of {vintage.label} "
                      f"({', '.join(str(int(a)) for a in y) or 'none'}); the models need 3", segs, place)
    return Series(indicator, y, v, segments=segs, place=place)


def fit_anchored_on(vintage: Vintage, indicator: str, years, values, *, place: str = DEFAULT_PLACE,
                    horizon: int = 2030) -> Forecast:
    """The anchored model fitted on ``vintage`` (its ``as_of`` is the information set)."""
    from ..models.anchored import fit_anchored

    return fit_anchored(vintage, indicator, years, values, place=place, horizon=horizon)


def targets_from_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The quantitative targets among the claims that name a catalog indicator."""
    t = claims[claims["kind"].isin(TARGET_KINDS) & claims["indicator"].fillna("").ne("")]
    if "scope" in t.columns:  # a sub-area's target is not the place's
        t = t[t["scope"].fillna("").astype(str).eq("")]
    t = t.copy()
    t["target_id"] = t["claim_id"]
    return t.reset_index(drop=True)


def _sums(fc, tgt: pd.Series, seed: int) -> np.ndarray:
    years = list(range(int(tgt["period_start"]), int(tgt["ref_year"]) + 1))
    return fc.simulate(years, seed=seed).sum(axis=1)


def _p_and_median(fc: Forecast, tgt: pd.Series, base: float | None, seed: int) -> tuple[float, float]:
    year = int(tgt["ref_year"])
    if tgt["kind"] == "target_cumulative":
        sums = _sums(fc, tgt, seed)
        return float(np.mean(sums >= tgt["value_canonical"])), float(np.median(sums))
    thr = tgt["value_canonical"]
    median = float(fc.median(year))
    if tgt["kind"] == "target_growth":
        thr = base * (1 + tgt["value"] / 100)
        median = (median / base - 1) * 100
    p = fc.p_at_least(year, thr)
    return (1 - p if tgt["comparator"] in ("≤", "<=") else p), median


def _spread(fc, tgt: pd.Series, last: tuple[int, float] | None) -> dict:
    """Median growth a year from the last level and the 80% band of a level target."""
    if tgt["kind"] != "target_level" or last is None:
        return {}
    year = int(tgt["ref_year"])
    lo, hi = fc.band(year, 0.8)
    med = float(fc.median(year))
    return {"band_80_low": float(lo), "band_80_high": float(hi),
            "median_growth_pct": cagr(last[1], med, year - last[0])}


def _required(tgt: pd.Series, s: Series) -> float | None:
    if not len(s.years):
        return None
    last_y, last_v = int(s.years[-1]), float(s.values[-1])
    year = int(tgt["ref_year"])
    if tgt["kind"] == "target_growth":
        return float(tgt["value"]) if last_y == year - 1 else None
    if tgt["kind"] == "target_cumulative":
        from scipy.optimize import brentq

        yrs = np.arange(int(tgt["period_start"]), year + 1) - last_y
        f = lambda g: float(np.sum(last_v * (1 + g) ** yrs)) - tgt["value_canonical"]  # noqa: E731
        return brentq(f, -0.9, 5.0) * 100
    if year <= last_y:
        return None
    return required_growth(last_v, last_y, tgt["value_canonical"], year)


def _solve_growth(first: float, n_years: int, total: float) -> float:
    """Constant growth g (percent) with first·Σ_{k<n}(1+g)^k = total."""
    from scipy.optimize import brentq

    f = lambda g: first * sum((1 + g) ** k for k in range(n_years)) - total  # noqa: E731
    return brentq(f, -0.99, 10.0) * 100


def own_numbers(targets: pd.DataFrame) -> pd.DataFrame:
    """Judge cumulative goals by the report's own plan-year targets.

    A report that sets a five-year cumulative goal (固定资产投资五年累计2500亿) and,
    for the first of those years, both a level (290亿) and a growth target (+10%)
    implies a base (290 / 1.10) and a path. The growth the remaining years need to
    reach the goal, if the first year lands exactly on plan, is set against the
    planned growth: ``above_own_plan`` or ``within_own_plan``. Also the five-year
    sum at the planned growth rate held constant.

    Caveat (stated in ``reason``): the base is implied by the report's own targets,
    not a published level; and the plan year's level is itself only a target.

    Returns
    -------
    pandas.DataFrame
        Columns ``target_id, indicator, implied_base, plan_year, plan_level,
        plan_growth_pct, required_growth_pct, sum_at_plan_growth, verdict, reason``.
    """
    cols = ["target_id", "indicator", "implied_base", "plan_year", "plan_level", "plan_growth_pct",
            "required_growth_pct", "sum_at_plan_growth", "verdict", "reason"]
    rows = []
    cum = targets[targets["kind"] == "target_cumulative"]
    for _, t in cum.iterrows():
        start, end = int(t["period_start"]), int(t["ref_year"])
        same = targets[(targets["indicator"] == t["indicator"]) & (targets["ref_year"] == start)]
        lvl = same[same["kind"] == "target_level"]
        gr = same[same["kind"] == "target_growth"]
        if lvl.empty or gr.empty:
            continue
        level, growth = float(lvl.iloc[0]["value_canonical"]), float(gr.iloc[0]["value"])
        n = end - start + 1
        base = level / (1 + growth / 100)
        need = _solve_growth(level, n, float(t["value_canonical"]))
        at_plan = level * sum((1 + growth / 100) ** k for k in range(n))
        unit = CATALOG[t["indicator"]].unit
        verdict = "above_own_plan" if need > growth else "within_own_plan"
        rows.append({
            "target_id": t["target_id"], "indicator": t["indicator"], "implied_base": base,
            "plan_year": start, "plan_level": level, "plan_growth_pct": growth,
            "required_growth_pct": need, "sum_at_plan_growth": at_plan, "verdict": verdict,
            "reason": (f"the report's own {start} targets ({level:g}{unit}, +{growth:g}%) imply a {start - 1} "
                       f"base of {base:.1f}{unit}; with {start} on plan, {start + 1}-{end} must grow "
                       f"{need:.1f}% a year to sum to {t['value_canonical']:g}{unit}, against the "
                       f"{growth:g}% planned for {start}; at {growth:g}% a year the {start}-{end} sum is "
                       f"{at_plan:.0f}{unit} ({(at_plan / t['value_canonical'] - 1) * 100:+.0f}%). "
                       "Caveat: the base is implied by targets, not a published level."),
        })
    return pd.DataFrame(rows, columns=cols)


def _anchored_reason(fc: Forecast, year: int) -> str:
    """What the anchored fit rests on, from its parameters (those it has)."""
    pr = fc.params
    parts = []
    if isinstance(pr.get("path_growth"), dict) and isinstance(pr.get("path_source"), dict):
        parts.append(f"anchor {pr.get('anchor', '')} path " + ", ".join(
            f"{y}: {v:.1f}% ({pr['path_source'].get(y, '')})" for y, v in pr["path_growth"].items() if y <= year))
    if pr.get("gap") is not None:
        parts.append(f"county gap {pr['gap']:+.2f} pp" + (f" from {pr['gap_n']} year(s)" if "gap_n" in pr else ""))
    if "s_gap_pp" in pr and "s_anchor_pp" in pr:
        parts.append(f"yearly sd {pr['s_gap_pp']:.2f} (gap) and {pr['s_anchor_pp']:.2f} pp (anchor errors)")
    parts.append(f"t with {fc.df} df")
    return "; ".join(parts)


def _judge_anchored(vintage: Vintage, tgt: pd.Series, s: Series, seed: int,
                    thresholds: tuple[float, float, float]) -> tuple[dict, Forecast | None]:
    """P(target) under the anchored model (:mod:`linhai_analysis.models.anchored`), and
    the fit (``None`` when it gives no probability)."""
    from ..models.anchored import p_growth_at_least

    year = int(tgt["ref_year"])
    if not len(s.years):
        return {"verdict": "insufficient_data", "reason": s.reason or "no level to start from"}, None
    if s.problem == "basis_mismatch":
        return {"verdict": "basis_mismatch", "reason": s.reason}, None
    try:
        fc = fit_anchored_on(vintage, tgt["indicator"], s.years, s.values, place=s.place,
                             horizon=max(year, int(s.years[-1]) + 1))
    except InsufficientDataError as exc:
        return {"verdict": "insufficient_data", "reason": str(exc)}, None
    extra = {}
    if tgt["kind"] == "target_growth":
        if int(s.years[-1]) != year - 1:
            return {"verdict": "insufficient_data", "reason": f"no {year - 1} level to grow from"}, None
        if CATALOG[tgt["indicator"]].growth == "real":
            p = p_growth_at_least(fc, year, float(tgt["value"]))
            pr = fc.params
            median = (pr["path_growth"][year] + pr["gap"]) if "path_growth" in pr and "gap" in pr else None
            if tgt["comparator"] in ("≤", "<="):
                p = 1 - p
        else:
            p, median = _p_and_median(fc, tgt, float(s.values[-1]), seed)
    else:
        p, median = _p_and_median(fc, tgt, float(s.values[-1]), seed)
        extra = _spread(fc, tgt, (int(s.years[-1]), float(s.values[-1])))
    return {"projected_median": median, "p_meet": p, "verdict": verdict_from_p(p, thresholds),
            "reason": _anchored_reason(fc, year), **extra}, fc


def _fit_basis(model: str, fc, s: Series, vintage: Vintage) -> str:
    """Where a model's growth comes from, in words (for the disagreement sentence)."""
    if model == "anchored":
        if CATALOG[s.indicator].growth == "real":
            return f"the national real growth path known at {vintage.label}, the deflator and the county gap"
        return f"the county's anchored nominal GDP path known at {vintage.label} times revenue buoyancy"
    span = f"{int(s.years[0])}–{int(s.years[-1])} levels"
    return {"ols": f"the trend of {span}", "rw_drift": f"the drift of {span}"}.get(model, span)


def disagreement(rows: list[dict], s: Series, vintage: Vintage, fits: dict) -> str:
    """One sentence on why the models differ: the growth a year each carries to the
    target year (median path from the last level) and where it comes from, and the
    range of their probabilities. Computed from the fits, never typed."""
    parts = []
    for r in rows:
        g = r.get("median_growth_pct")
        if g is None or (isinstance(g, float) and np.isnan(g)):
            continue
        parts.append(f"{MODEL_WORDS[r['model']]} carries {g:.1f}% a year ({_fit_basis(r['model'], fits[r['model']], s, vintage)})")
    ps = [r["p_meet"] for r in rows]
    rng = (f"P from {min(ps):.1%} to {max(ps):.1%}" if len(ps) > 1 else f"P {ps[0]:.1%}")
    if not parts:
        return f"Equal-weight pool of {', '.join(MODEL_WORDS[r['model']] for r in rows)}: {rng}."
    return ("Nominal growth the models carry forward: " + "; ".join(parts) + f"; {rng}.")


def combine_row(rows: list[dict], fits: dict, tgt: pd.Series, s: Series, vintage: Vintage, seed: int,
                thresholds: tuple[float, float, float]) -> dict:
    """The ``combined`` row of one target: the equal-weight linear pool of the models that
    gave a probability (P = their mean; median and 80% band of the pooled level; a
    sentence that explains the disagreement). See :mod:`linhai_analysis.assess.pool`."""
    with_p = [r for r in rows if r.get("p_meet") is not None]
    p = pool_probability([r["p_meet"] for r in with_p])
    out = {"projected_median": None, "p_meet": p, "verdict": verdict_from_p(p, thresholds)}
    members = tuple(fits[r["model"]] for r in with_p)
    year = int(tgt["ref_year"])
    if tgt["kind"] == "target_level":
        pooled = pool(members)
        out["projected_median"] = float(pooled.median(year))
        out.update(_spread(pooled, tgt, (int(s.years[-1]), float(s.values[-1]))))
    elif tgt["kind"] == "target_cumulative":
        out["projected_median"] = float(np.median(_sums(pool(members), tgt, seed)))
    names = ", ".join(MODEL_WORDS[r["model"]] for r in with_p)
    out["reason"] = (f"equal-weight linear pool of {names}. " + disagreement(with_p, s, vintage, fits))
    return out


@shared_result  # 03, 04 and the sensitivity grid ask for the same judgements in one report run
def judge_targets(
    claims: pd.DataFrame, vintage: Vintage, *,
    thresholds: tuple[float, float, float] = DEFAULT_THRESHOLDS, seed: int = DEFAULT_SEED,
    models: tuple[str, ...] = JUDGE_MODELS,
) -> pd.DataFrame:
    """P(target met) under each model and their equal-weight pool, with required vs
    historical growth.

    Parameters
    ----------
    claims : pandas.DataFrame
        Extracted claims; targets are selected with :func:`targets_from_claims`.
    vintage : Vintage
        The information set: every fit sees only what it holds
        (``Vintage.load(as_of, user_series)``).
    thresholds : (likely, plausible, unlikely)
        P cut-offs of the verdicts (see :func:`linhai_analysis.models.trend.verdict_from_p`).
    seed : int
        Seed of the simulations used for cumulative targets.
    models : tuple of str
        Models to judge with (default ``ols``, ``rw_drift``, ``anchored``).

    Returns
    -------
    pandas.DataFrame
        Long table, one row per target and model (the ``models``; ``combined``, the
        equal-weight linear pool of those that give a probability, whose verdict is the
        headline; ``required_growth``; ``own_numbers`` where the report's own plan judges
        a cumulative goal), columns :data:`TARGET_COLUMNS`.
    """
    label = vintage.label
    rows = []
    all_targets = targets_from_claims(claims)
    own = own_numbers(all_targets).set_index("target_id")
    for _, tgt in all_targets.iterrows():
        ind = CATALOG[tgt["indicator"]]
        s = usable_series(vintage, ind.code)
        if tgt["kind"] == "target_growth":  # judged on the years before the target year
            keep = s.years < int(tgt["ref_year"])
            s = s.keep(keep)
            if not s.problem and keep.sum() < 3:
                s = Series(s.indicator, s.years, s.values, "insufficient_data",
                           f"{int(keep.sum())} usable level(s) before {int(tgt['ref_year'])}; the models need 3",
                           s.segments, s.place)
        problem, reason = s.problem, s.reason
        if tgt["kind"] == "target_growth" and ind.growth == "real":
            problem, reason = "basis_mismatch", (
                "the target is real growth at comparable prices; the series are nominal levels "
                "and no run of comparable-price growth rates exists")
        if not problem and tgt["kind"] == "target_growth" and int(s.years[-1]) != int(tgt["ref_year"]) - 1:
            problem, reason = "insufficient_data", f"no {int(tgt['ref_year']) - 1} level to grow from"
        base = float(s.values[-1]) if len(s.values) else None
        last = (int(s.years[-1]), base) if len(s.values) else None
        growth = {**growth_summary(s), "growth_basis": "nominal levels (CAGR)"}
        if tgt["kind"] == "target_growth" and ind.growth == "real":  # compare real with real
            growth.update(_recent_real(claims, vintage, ind.code, int(tgt["ref_year"]), s.place))
        hist = growth["recent_growth_pct"]
        req = _required(tgt, s) if not problem or problem == "insufficient_data" else None
        req_problem, req_reason = problem, reason
        if growth["growth_basis"].startswith("real") and hist is not None:
            req, req_problem, req_reason = float(tgt["value"]), "", ""
        common = {
            "target_id": tgt["target_id"], "indicator": ind.code, "indicator_zh": ind.name_zh,
            "kind": tgt["kind"], "target_year": int(tgt["ref_year"]),
            "threshold": tgt["value_canonical"] if tgt["kind"] != "target_growth" else tgt["value"],
            "comparator": tgt["comparator"], "as_of": label, "n_points": len(s.years),
            "first_year": int(s.years[0]) if len(s.years) else None,
            "last_year": int(s.years[-1]) if len(s.years) else None, "last_value": base,
            "required_growth_pct": req, **growth,
            "verdict_basis": (f"required vs recent growth ({growth['recent_period']})"
                              if hist is not None else ""),
            "benchmark_breaks": s.breaks,
        }
        req_verdict = req_problem or ("" if req is None or hist is None else
                                      "above_trend" if req > hist else "within_trend")
        rows.append({**common, "model": "required_growth", "projected_median": None, "p_meet": None,
                     "verdict": req_verdict, "reason": req_reason or (
                         f"needs {req:.1f}% a year against {hist:.1f}% over {growth['recent_period']}"
                         f" ({growth['growth_basis']})"
                         + (f" (spans a benchmark break: {s.breaks})" if s.breaks else "")
                         if req is not None and hist is not None else "")})
        judged, fits = [], {}
        for model in models:
            row = {**common, "model": model, "projected_median": None, "p_meet": None}
            if model == "anchored":
                res, fc = _judge_anchored(vintage, tgt, s, seed, thresholds)
                judged.append({**row, **res})
                if fc is not None:
                    fits[model] = fc
                continue
            if problem:
                judged.append({**row, "verdict": problem, "reason": reason})
                continue
            try:
                fc = fit(model, s.years, s.values, s.segments or None)
            except InsufficientDataError as exc:
                judged.append({**row, "verdict": "insufficient_data", "reason": str(exc)})
                continue
            p, median = _p_and_median(fc, tgt, base, seed)
            fits[model] = fc
            judged.append({**row, "projected_median": median, "p_meet": p, **_spread(fc, tgt, last),
                           "verdict": verdict_from_p(p, thresholds),
                           "reason": f"fitted on {len(s.years)} points {int(s.years[0])}-{int(s.years[-1])}"
                           + (f"; level shift at each benchmark break ({s.breaks})" if s.breaks else "")})
        rows.extend(judged)
        with_p = [r for r in judged if r.get("p_meet") is not None]
        if with_p:
            rows.append({**common, "model": POOL_MODEL,
                         **combine_row(with_p, fits, tgt, s, vintage, seed, thresholds)})
        if tgt["target_id"] in own.index:
            o = own.loc[tgt["target_id"]]
            rows.append({**common, "model": "own_numbers", "required_growth_pct": o["required_growth_pct"],
                         "projected_median": o["sum_at_plan_growth"], "p_meet": None,
                         "verdict": o["verdict"], "reason": o["reason"]})
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _label(text: str) -> str:
    """The short verdict of a summary sentence (``implausible``, ``models disagree`` ...)."""
    head = text.split(":")[0].split(" (")[0]
    for word in ("implausible", "unlikely", "plausible", "likely", "insufficient_data", "models_disagree",
                 "basis_mismatch", "above_own_plan", "within_own_plan"):
        if head.startswith(word):
            return word
    return head


def summarize_targets(long: pd.DataFrame) -> pd.DataFrame:
    """One row per target: each model's P side by side, the combined P (the equal-weight
    pool) and its verdict, the range of the models' P, and whether the models fall in
    one verdict band (``models_agree``).

    The verdict is the combined one: "unlikely: combined P 6.0% (models 1.2–9.8%)"
    followed by the sentence that explains the models' disagreement."""
    out = []
    for tid, g in long.groupby("target_id", sort=False):
        first = g.iloc[0]
        models = g[g["model"].isin(JUDGE_MODELS)]
        ps = dict(zip(models["model"], models["p_meet"], strict=True))
        with_p = models[models["p_meet"].notna()]
        verdicts = list(dict.fromkeys(with_p["verdict"]))
        silent = models[models["p_meet"].isna()]
        comb = g[g["model"] == POOL_MODEL]
        p_comb = float(comb.iloc[0]["p_meet"]) if len(comb) and pd.notna(comb.iloc[0]["p_meet"]) else None
        if with_p.empty:
            text = f"{models['verdict'].iloc[0]}: {models['reason'].iloc[0]}"
        else:
            lo, hi = with_p["p_meet"].min(), with_p["p_meet"].max()
            rng = (f"models {lo:.1%}–{hi:.1%}" if len(with_p) > 1 else f"one model: {MODEL_WORDS[with_p.iloc[0]['model']]}")
            if comb.empty or p_comb is None:  # a table judged without the pool: the models speak for themselves
                text = f"{verdicts[0] if len(verdicts) == 1 else 'models_disagree'}: {rng}."
            else:
                c = comb.iloc[0]
                text = f"{c['verdict']}: combined P {p_comb:.1%} ({rng}). " + str(c["reason"]).split(". ", 1)[-1]
            if not silent.empty:
                text += " No probability from " + ", ".join(
                    f"{MODEL_WORDS.get(m, m)} ({v})" for m, v in zip(silent["model"], silent["verdict"], strict=True)) + "."
        req = g[g["model"] == "required_growth"].iloc[0]
        own = g[g["model"] == "own_numbers"]
        if len(own) and models["p_meet"].isna().all():
            o = own.iloc[0]
            text = f"{o['verdict']} (judged by the report's own numbers): {o['reason']}"
            req = o
        out.append({
            "target_id": tid, "indicator": first["indicator"], "indicator_zh": first["indicator_zh"],
            "kind": first["kind"], "target_year": first["target_year"], "threshold": first["threshold"],
            "comparator": first["comparator"], "as_of": first["as_of"], "n_points": first["n_points"],
            "required_growth_pct": req["required_growth_pct"],
            "historical_growth_pct": req["historical_growth_pct"],
            "recent_growth_pct": req["recent_growth_pct"], "recent_period": req["recent_period"],
            "growth_basis": req.get("growth_basis", ""),
            "p_ols": ps.get("ols"), "p_rw_drift": ps.get("rw_drift"), "p_anchored": ps.get("anchored"),
            "p_combined": p_comb,
            "p_model_min": with_p["p_meet"].min() if len(with_p) else None,
            "p_model_max": with_p["p_meet"].max() if len(with_p) else None,
            "models_agree": (len(verdicts) == 1) if len(with_p) else None,
            "verdict_label": _label(text), "verdict": text, "benchmark_breaks": first["benchmark_breaks"],
        })
    return pd.DataFrame(out)


def forecast_for(vintage: Vintage, indicator: str, model: str, horizon: int = 2026) -> Forecast:
    """Fit one model to one indicator's usable series in ``vintage`` (raises
    InsufficientDataError)."""
    s = usable_series(vintage, indicator)
    if model == "anchored":
        if not len(s.years) or s.problem == "basis_mismatch":
            raise InsufficientDataError(s.reason or "the anchored model needs a level to start from")
        return fit_anchored_on(vintage, indicator, s.years, s.values, place=s.place, horizon=horizon)
    if s.problem:
        raise InsufficientDataError(s.reason)
    return fit(model, s.years, s.values, s.segments or None)


def fan_items(long: pd.DataFrame, vintage: Vintage, *, model: str = "ols",
              realized: pd.DataFrame | None = None) -> list[dict]:
    """Inputs of :func:`linhai_analysis.report.plots.fan_grid` for every level or rate
    target that ``model`` could judge in ``vintage``: the fitted forecast, projection
    years, the target and, if ``realized`` (an outcomes table) is given, the realized
    values after the fit."""
    rows = long[(long["model"] == model) & long["p_meet"].notna()
                & long["kind"].isin(["target_level", "target_rate"])]
    items = []
    for _, r in rows.iterrows():
        fc = forecast_for(vintage, r["indicator"], model, int(r["target_year"]))
        item = {"indicator": r["indicator"], "forecast": fc,
                "years": list(range(int(fc.years[-1]) + 1, int(r["target_year"]) + 1)),
                "target": (int(r["target_year"]), float(r["threshold"]))}
        if realized is not None:
            rz = realized[(realized["indicator"] == r["indicator"]) & (realized["model"] == model)]
            item["realized"] = rz[["year", "realized", "comparator"]]
        items.append(item)
    return items

"""Judge report targets by trend models fitted on an information set (``as_of``).

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
from ..data.load import REPORT_DATE, restrict_as_of
from ..data.places import DEFAULT_PLACE
from ..models.growth import cagr
from ..models.trend import (
    MODELS,
    Forecast,
    InsufficientDataError,
    fit,
    required_growth,
    verdict_from_p,
)

TARGET_KINDS = ("target_level", "target_rate", "target_cumulative", "target_growth")
TARGET_COLUMNS = [
    "target_id", "indicator", "indicator_zh", "kind", "target_year", "threshold", "comparator",
    "as_of", "model", "n_points", "first_year", "last_year", "last_value",
    "required_growth_pct", "historical_growth_pct", "recent_growth_pct", "recent_period",
    "verdict_basis", "benchmark_breaks", "projected_median", "p_meet", "verdict", "reason",
]
#: Models that give a probability (``anchored`` only when anchor data are given).
JUDGE_MODELS = ("ols", "rw_drift", "anchored")
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


def usable_series(observations: pd.DataFrame, indicator: str, as_of: str | None,
                  place: str = DEFAULT_PLACE) -> Series:
    """Preferred exact levels of ``indicator`` for ``place`` available at ``as_of``, in
    the current caliber (``comparable_from`` in the catalog), with the benchmark basis
    of each point (``segments``). Lower bounds are not levels."""
    obs = restrict_as_of(observations, as_of)
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
                      f"{len(rows)} usable level(s) of {indicator} as of {as_of or 'latest'} "
                      f"({', '.join(str(int(a)) for a in y) or 'none'}); the models need 3", segs, place)
    return Series(indicator, y, v, segments=segs, place=place)


def targets_from_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The quantitative targets among the claims that name a catalog indicator."""
    t = claims[claims["kind"].isin(TARGET_KINDS) & claims["indicator"].fillna("").ne("")]
    if "scope" in t.columns:  # a sub-area's target is not the place's
        t = t[t["scope"].fillna("").astype(str).eq("")]
    t = t.copy()
    t["target_id"] = t["claim_id"]
    return t.reset_index(drop=True)


def _p_and_median(fc: Forecast, tgt: pd.Series, base: float | None, seed: int) -> tuple[float, float]:
    year = int(tgt["ref_year"])
    if tgt["kind"] == "target_cumulative":
        years = list(range(int(tgt["period_start"]), year + 1))
        sums = fc.simulate(years, seed=seed).sum(axis=1)
        return float(np.mean(sums >= tgt["value_canonical"])), float(np.median(sums))
    thr = tgt["value_canonical"]
    median = float(fc.median(year))
    if tgt["kind"] == "target_growth":
        thr = base * (1 + tgt["value"] / 100)
        median = (median / base - 1) * 100
    p = fc.p_at_least(year, thr)
    return (1 - p if tgt["comparator"] in ("≤", "<=") else p), median


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


def _judge_anchored(anchors, tgt: pd.Series, s: Series, as_of: str | None, seed: int,
                    thresholds: tuple[float, float, float]) -> dict:
    """P(target) under the anchored model (:mod:`linhai_analysis.anchored`)."""
    from ..models.anchored import fit_anchored, p_growth_at_least

    year = int(tgt["ref_year"])
    if anchors is None:
        return {"verdict": "insufficient_data", "reason": "no anchor data given"}
    if not len(s.years):
        return {"verdict": "insufficient_data", "reason": s.reason or "no level to start from"}
    if s.problem == "basis_mismatch":
        return {"verdict": "basis_mismatch", "reason": s.reason}
    try:
        fc = fit_anchored(anchors, tgt["indicator"], s.years, s.values, as_of=as_of, place=s.place,
                          horizon=max(year, int(s.years[-1]) + 1))
    except InsufficientDataError as exc:
        return {"verdict": "insufficient_data", "reason": str(exc)}
    pr = fc.params
    if tgt["kind"] == "target_growth":
        if int(s.years[-1]) != year - 1:
            return {"verdict": "insufficient_data", "reason": f"no {year - 1} level to grow from"}
        if CATALOG[tgt["indicator"]].growth == "real":
            p = p_growth_at_least(fc, year, float(tgt["value"]))
            median = pr["path_growth"][year] + pr["gap"]
        else:
            p, median = _p_and_median(fc, tgt, float(s.values[-1]), seed)
    else:
        p, median = _p_and_median(fc, tgt, float(s.values[-1]), seed)
    if tgt["comparator"] in ("≤", "<=") and tgt["kind"] == "target_growth" and CATALOG[tgt["indicator"]].growth == "real":
        p = 1 - p
    srcs = ", ".join(f"{y}: {v:.1f}% ({pr['path_source'][y]})" for y, v in pr["path_growth"].items() if y <= year)
    return {"projected_median": median, "p_meet": p, "verdict": verdict_from_p(p, thresholds),
            "reason": (f"anchor {pr['anchor']} path {srcs}; county gap {pr['gap']:+.2f} pp from "
                       f"{pr['gap_n']} year(s); yearly sd {pr['s_gap_pp']:.2f} (gap) and "
                       f"{pr['s_anchor_pp']:.2f} pp (anchor errors, {pr['n_anchor_errors']} observed); "
                       f"t with {fc.df} df")}


def judge_targets(
    claims: pd.DataFrame, observations: pd.DataFrame, *, as_of: str | None = REPORT_DATE,
    thresholds: tuple[float, float, float] = DEFAULT_THRESHOLDS, seed: int = DEFAULT_SEED,
    anchors=None,
) -> pd.DataFrame:
    """P(target met) under each model, with required vs historical growth.

    Parameters
    ----------
    claims : pandas.DataFrame
        Extracted claims; targets are selected with :func:`targets_from_claims`.
    observations : pandas.DataFrame
        Processed observations; only rows available on ``as_of`` enter a fit.
    as_of : str, default "2022-02-17"
        Information set: a date, or ``"latest"``/``None`` for everything.
    thresholds : (likely, plausible, unlikely)
        P cut-offs of the verdicts (see :func:`linhai_analysis.trend.verdict_from_p`).
    seed : int
        Seed of the simulations used for cumulative targets.
    anchors : linhai_analysis.anchored.AnchorInputs, optional
        Observations of every place, anchor targets and forecasts: adds the
        ``anchored`` model (which can also judge a real GDP growth target).

    Returns
    -------
    pandas.DataFrame
        Long table, one row per target and model (``ols``, ``rw_drift``, ``anchored``
        when ``anchors`` are given, ``required_growth``, ``own_numbers`` where the
        report's own plan judges a cumulative goal), columns :data:`TARGET_COLUMNS`.
    """
    models = MODELS + (("anchored",) if anchors is not None else ())
    label = as_of or "latest"
    rows = []
    all_targets = targets_from_claims(claims)
    own = own_numbers(all_targets).set_index("target_id")
    for _, tgt in all_targets.iterrows():
        ind = CATALOG[tgt["indicator"]]
        s = usable_series(observations, ind.code, as_of)
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
        growth = growth_summary(s)
        hist = growth["recent_growth_pct"]
        req = _required(tgt, s) if not problem or problem == "insufficient_data" else None
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
        req_verdict = problem or ("" if req is None or hist is None else
                                  "above_trend" if req > hist else "within_trend")
        rows.append({**common, "model": "required_growth", "projected_median": None, "p_meet": None,
                     "verdict": req_verdict, "reason": reason or (
                         f"needs {req:.1f}% a year against {hist:.1f}% over {growth['recent_period']}"
                         + (f" (spans a benchmark break: {s.breaks})" if s.breaks else "")
                         if req is not None and hist is not None else "")})
        for model in models:
            row = {**common, "model": model, "projected_median": None, "p_meet": None}
            if model == "anchored":
                rows.append({**row, **_judge_anchored(anchors, tgt, s, as_of, seed, thresholds)})
                continue
            if problem:
                rows.append({**row, "verdict": problem, "reason": reason})
                continue
            try:
                fc = fit(model, s.years, s.values, s.segments or None)
            except InsufficientDataError as exc:
                rows.append({**row, "verdict": "insufficient_data", "reason": str(exc)})
                continue
            p, median = _p_and_median(fc, tgt, base, seed)
            rows.append({**row, "projected_median": median, "p_meet": p,
                         "verdict": verdict_from_p(p, thresholds),
                         "reason": f"fitted on {len(s.years)} points {int(s.years[0])}-{int(s.years[-1])}"
                         + (f"; level shift at each benchmark break ({s.breaks})" if s.breaks else "")})
        if tgt["target_id"] in own.index:
            o = own.loc[tgt["target_id"]]
            rows.append({**common, "model": "own_numbers", "required_growth_pct": o["required_growth_pct"],
                         "projected_median": o["sum_at_plan_growth"], "p_meet": None,
                         "verdict": o["verdict"], "reason": o["reason"]})
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _label(text: str) -> str:
    """The short verdict of a summary sentence (``implausible``, ``models disagree`` ...)."""
    head = text.split(":")[0].split(" (")[0]
    for word in ("implausible", "unlikely", "plausible", "likely", "models disagree", "insufficient_data",
                 "basis_mismatch", "above_own_plan", "within_own_plan"):
        if head.startswith(word):
            return word
    return head


def summarize_targets(long: pd.DataFrame) -> pd.DataFrame:
    """One row per target: each model's P side by side and a combined verdict that
    says whether the models agree (e.g. "implausible: P < 5% under every model")."""
    out = []
    for tid, g in long.groupby("target_id", sort=False):
        first = g.iloc[0]
        models = g[g["model"].isin(JUDGE_MODELS)]
        ps = dict(zip(models["model"], models["p_meet"], strict=True))
        with_p = models[models["p_meet"].notna()]
        verdicts = list(dict.fromkeys(with_p["verdict"]))
        silent = models[models["p_meet"].isna()]
        if with_p.empty:
            text = f"{models['verdict'].iloc[0]}: {models['reason'].iloc[0]}"
        elif len(verdicts) == 1:
            names = ", ".join(with_p["model"])
            text = {"implausible": "implausible: P < 5%", "unlikely": "unlikely", "plausible": "plausible",
                    "likely": "likely: P >= 80%"}[verdicts[0]] + (
                " under every model" if silent.empty else f" under every model that gives a probability ({names})")
            if not silent.empty:
                text += "; no probability from " + ", ".join(f"{m} ({v})" for m, v in zip(silent["model"], silent["verdict"], strict=True))
        else:
            text = "models disagree: " + ", ".join(f"{m} {vv}" for m, vv in zip(with_p["model"], with_p["verdict"], strict=True))
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
            "p_ols": ps.get("ols"), "p_rw_drift": ps.get("rw_drift"), "p_anchored": ps.get("anchored"),
            "models_agree": (len(verdicts) == 1) if len(with_p) else None,
            "verdict_label": _label(text), "verdict": text, "benchmark_breaks": first["benchmark_breaks"],
        })
    return pd.DataFrame(out)


def forecast_for(observations: pd.DataFrame, indicator: str, model: str, as_of: str | None,
                 anchors=None, horizon: int = 2026) -> Forecast:
    """Fit one model to one indicator's usable series (raises InsufficientDataError);
    ``anchored`` needs ``anchors``."""
    s = usable_series(observations, indicator, as_of)
    if model == "anchored":
        from ..models.anchored import fit_anchored

        if anchors is None or not len(s.years) or s.problem == "basis_mismatch":
            raise InsufficientDataError(s.reason or "the anchored model needs anchor data")
        return fit_anchored(anchors, indicator, s.years, s.values, as_of=as_of, place=s.place, horizon=horizon)
    if s.problem:
        raise InsufficientDataError(s.reason)
    return fit(model, s.years, s.values, s.segments or None)


def fan_items(long: pd.DataFrame, observations: pd.DataFrame, *, model: str = "ols",
              as_of: str | None = REPORT_DATE, realized: pd.DataFrame | None = None,
              anchors=None) -> list[dict]:
    """Inputs of :func:`linhai_analysis.plots.fan_grid` for every level or rate target
    that ``model`` could judge: the fitted forecast, projection years, the target and,
    if ``realized`` (an outcomes table) is given, the realized values after the fit."""
    rows = long[(long["model"] == model) & long["p_meet"].notna()
                & long["kind"].isin(["target_level", "target_rate"])]
    items = []
    for _, r in rows.iterrows():
        fc = forecast_for(observations, r["indicator"], model, as_of, anchors, int(r["target_year"]))
        item = {"indicator": r["indicator"], "forecast": fc,
                "years": list(range(int(fc.years[-1]) + 1, int(r["target_year"]) + 1)),
                "target": (int(r["target_year"]), float(r["threshold"]))}
        if realized is not None:
            rz = realized[(realized["indicator"] == r["indicator"]) & (realized["model"] == model)]
            item["realized"] = rz[["year", "realized", "comparator"]]
        items.append(item)
    return items

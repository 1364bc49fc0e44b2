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

from .data import REPORT_DATE, restrict_as_of
from .indicators import CATALOG
from .trend import MODELS, Forecast, InsufficientDataError, fit, required_growth, verdict_from_p

TARGET_KINDS = ("target_level", "target_rate", "target_cumulative", "target_growth")
TARGET_COLUMNS = [
    "target_id", "indicator", "indicator_zh", "kind", "target_year", "threshold", "comparator",
    "as_of", "model", "n_points", "first_year", "last_year", "last_value",
    "required_growth_pct", "historical_growth_pct", "projected_median", "p_meet", "verdict",
    "reason",
]
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


def usable_series(observations: pd.DataFrame, indicator: str, as_of: str | None) -> Series:
    """Preferred exact levels of ``indicator`` available at ``as_of``, in the current
    caliber (``comparable_from`` in the catalog). Lower bounds are not levels."""
    obs = restrict_as_of(observations, as_of)
    ind = CATALOG[indicator]
    rows = obs[(obs["indicator"] == indicator) & obs["is_preferred"] & obs["value"].notna()]
    old = rows[rows["year"] < ind.comparable_from] if ind.comparable_from else rows.iloc[:0]
    rows = rows.drop(old.index).sort_values("year")
    y, v = rows["year"].to_numpy(float), rows["value"].to_numpy(float)
    if len(rows) < 3:
        if len(old) and len(rows) == 0:
            return Series(indicator, y, v, "basis_mismatch",
                          f"only levels before {ind.comparable_from} exist ({', '.join(map(str, old['year']))}), "
                          f"in a caliber not comparable with the target: {ind.caliber_note}")
        return Series(indicator, y, v, "insufficient_data",
                      f"{len(rows)} usable level(s) of {indicator} as of {as_of or 'latest'} "
                      f"({', '.join(str(int(a)) for a in y) or 'none'}); the models need 3")
    return Series(indicator, y, v)


def targets_from_claims(claims: pd.DataFrame) -> pd.DataFrame:
    """The quantitative targets among the claims that name a catalog indicator."""
    t = claims[claims["kind"].isin(TARGET_KINDS) & claims["indicator"].fillna("").ne("")].copy()
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


def judge_targets(
    claims: pd.DataFrame, observations: pd.DataFrame, *, as_of: str | None = REPORT_DATE,
    thresholds: tuple[float, float, float] = DEFAULT_THRESHOLDS, seed: int = DEFAULT_SEED,
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

    Returns
    -------
    pandas.DataFrame
        Long table, one row per target and model (``ols``, ``rw_drift``,
        ``required_growth``), columns :data:`TARGET_COLUMNS`.
    """
    label = as_of or "latest"
    rows = []
    for _, tgt in targets_from_claims(claims).iterrows():
        ind = CATALOG[tgt["indicator"]]
        s = usable_series(observations, ind.code, as_of)
        if tgt["kind"] == "target_growth":  # judged on the years before the target year
            keep = s.years < int(tgt["ref_year"])
            s = Series(s.indicator, s.years[keep], s.values[keep], s.problem, s.reason)
            if not s.problem and keep.sum() < 3:
                s = Series(s.indicator, s.years, s.values, "insufficient_data",
                           f"{int(keep.sum())} usable level(s) before {int(tgt['ref_year'])}; the models need 3")
        problem, reason = s.problem, s.reason
        if tgt["kind"] == "target_growth" and ind.growth == "real":
            problem, reason = "basis_mismatch", (
                "the target is real growth at comparable prices; the series are nominal levels "
                "and no run of comparable-price growth rates exists")
        if not problem and tgt["kind"] == "target_growth" and int(s.years[-1]) != int(tgt["ref_year"]) - 1:
            problem, reason = "insufficient_data", f"no {int(tgt['ref_year']) - 1} level to grow from"
        base = float(s.values[-1]) if len(s.values) else None
        hist = (float(((s.values[-1] / s.values[0]) ** (1 / (s.years[-1] - s.years[0])) - 1) * 100)
                if len(s.years) >= 2 else None)
        req = _required(tgt, s) if not problem or problem == "insufficient_data" else None
        common = {
            "target_id": tgt["target_id"], "indicator": ind.code, "indicator_zh": ind.name_zh,
            "kind": tgt["kind"], "target_year": int(tgt["ref_year"]),
            "threshold": tgt["value_canonical"] if tgt["kind"] != "target_growth" else tgt["value"],
            "comparator": tgt["comparator"], "as_of": label, "n_points": len(s.years),
            "first_year": int(s.years[0]) if len(s.years) else None,
            "last_year": int(s.years[-1]) if len(s.years) else None, "last_value": base,
            "required_growth_pct": req, "historical_growth_pct": hist,
        }
        req_verdict = problem or ("" if req is None or hist is None else
                                  "above_trend" if req > hist else "within_trend")
        rows.append({**common, "model": "required_growth", "projected_median": None, "p_meet": None,
                     "verdict": req_verdict, "reason": reason or (
                         f"needs {req:.1f}% a year against {hist:.1f}% historically" if req is not None and hist is not None else "")})
        for model in MODELS:
            row = {**common, "model": model, "projected_median": None, "p_meet": None}
            if problem:
                rows.append({**row, "verdict": problem, "reason": reason})
                continue
            try:
                fc = fit(model, s.years, s.values)
            except InsufficientDataError as exc:
                rows.append({**row, "verdict": "insufficient_data", "reason": str(exc)})
                continue
            p, median = _p_and_median(fc, tgt, base, seed)
            rows.append({**row, "projected_median": median, "p_meet": p,
                         "verdict": verdict_from_p(p, thresholds),
                         "reason": f"fitted on {len(s.years)} points {int(s.years[0])}-{int(s.years[-1])}"})
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def summarize_targets(long: pd.DataFrame) -> pd.DataFrame:
    """One row per target: each model's P side by side and a combined verdict that
    says whether the models agree (e.g. "implausible: P < 5% under every model")."""
    out = []
    for tid, g in long.groupby("target_id", sort=False):
        first = g.iloc[0]
        models = g[g["model"].isin(MODELS)]
        ps = dict(zip(models["model"], models["p_meet"], strict=True))
        verdicts = list(dict.fromkeys(models["verdict"]))
        if len(verdicts) == 1:
            v = verdicts[0]
            text = {"implausible": "implausible: P < 5% under every model",
                    "unlikely": "unlikely under every model", "plausible": "plausible under every model",
                    "likely": "likely: P >= 80% under every model"}.get(v, f"{v}: {models['reason'].iloc[0]}")
        else:
            text = "models disagree: " + ", ".join(f"{m} {vv}" for m, vv in zip(models["model"], models["verdict"], strict=True))
        req = g[g["model"] == "required_growth"].iloc[0]
        out.append({
            "target_id": tid, "indicator": first["indicator"], "indicator_zh": first["indicator_zh"],
            "kind": first["kind"], "target_year": first["target_year"], "threshold": first["threshold"],
            "comparator": first["comparator"], "as_of": first["as_of"], "n_points": first["n_points"],
            "required_growth_pct": req["required_growth_pct"],
            "historical_growth_pct": req["historical_growth_pct"],
            "p_ols": ps.get("ols"), "p_rw_drift": ps.get("rw_drift"),
            "models_agree": len(verdicts) == 1, "verdict": text,
        })
    return pd.DataFrame(out)


def forecast_for(observations: pd.DataFrame, indicator: str, model: str, as_of: str | None) -> Forecast:
    """Fit one model to one indicator's usable series (raises InsufficientDataError)."""
    s = usable_series(observations, indicator, as_of)
    if s.problem:
        raise InsufficientDataError(s.reason)
    return fit(model, s.years, s.values)


def fan_items(long: pd.DataFrame, observations: pd.DataFrame, *, model: str = "ols",
              as_of: str | None = REPORT_DATE, realized: pd.DataFrame | None = None) -> list[dict]:
    """Inputs of :func:`linhai_analysis.plots.fan_grid` for every level or rate target
    that ``model`` could judge: the fitted forecast, projection years, the target and,
    if ``realized`` (an outcomes table) is given, the realized values after the fit."""
    rows = long[(long["model"] == model) & long["p_meet"].notna()
                & long["kind"].isin(["target_level", "target_rate"])]
    items = []
    for _, r in rows.iterrows():
        fc = forecast_for(observations, r["indicator"], model, as_of)
        item = {"indicator": r["indicator"], "forecast": fc,
                "years": list(range(int(fc.years[-1]) + 1, int(r["target_year"]) + 1)),
                "target": (int(r["target_year"]), float(r["threshold"]))}
        if realized is not None:
            rz = realized[(realized["indicator"] == r["indicator"]) & (realized["model"] == model)]
            item["realized"] = rz[["year", "realized", "comparator"]]
        items.append(item)
    return items

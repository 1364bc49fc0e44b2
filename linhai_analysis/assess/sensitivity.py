"""How much does an answer move with harmless-looking choices? The sensitivity grid of
every 2026 goal's probability, and the drift of the growth each goal requires.

Grid
----
``as_of``
    2021-12-31 (before the report), the report date, every later release of the goal's
    indicator for the county, and ``latest``.
``sample``
    ``all`` usable levels; ``without_third_party`` (drops levels from third-party pages,
    e.g. the 2010 Wikipedia-mirror GDP); ``since_last_revision`` (only levels on the
    latest census benchmark of that information set).
``model``
    ``ols``, ``rw_drift``, ``anchored``.

The headline is the ``combined`` probability (the equal-weight pool of the models, see
:mod:`linhai_analysis.assess.pool`), and the grid holds its cells beside each model's.

Robustness is a property of the **ex-ante** judgement: a goal's verdict is **robust** only
if every ``combined`` cell of the information sets up to the report date (``period`` =
``ex_ante``) falls in one verdict band (:func:`linhai_analysis.models.trend.verdict_from_p`).
Cells of later information sets (``period`` = ``updating``) show how the answer moved as
data arrived; they are reported beside the verdict and never count against it. The single
models' ex-ante cells are counted too (how many fall in the combined band), and cells
without a probability are counted, not hidden.
"""

from __future__ import annotations

import pandas as pd

from ..data.load import REPORT_DATE
from ..data.places import DEFAULT_PLACE
from ..data.vintage import Vintage
from ..models.trend import verdict_from_p
from .plausibility import JUDGE_MODELS, judge_targets, targets_from_claims
from .pool import POOL_MODEL

SAMPLES = ("all", "without_third_party", "since_last_revision")
SENSITIVITY_COLUMNS = ["target_id", "indicator", "threshold", "as_of", "period", "sample", "model", "p_meet",
                       "verdict"]
ROBUSTNESS_COLUMNS = ["target_id", "indicator", "threshold", "cells", "cells_with_p", "p_min", "p_max",
                      "verdicts", "robust", "model_cells_in_band", "model_cells", "p_updating_min",
                      "p_updating_max", "verdicts_updating", "summary"]
DRIFT_COLUMNS = ["target_id", "indicator", "goal", "target_year", "release_year", "level", "comparator",
                 "available_date", "source_id", "years_left", "required_growth_pct", "bound", "note"]


def goal_targets(claims: pd.DataFrame) -> pd.DataFrame:
    """The level and cumulative goals of the report's last target year (the 2026 goals)."""
    t = targets_from_claims(claims)
    t = t[t["kind"].isin(["target_level", "target_cumulative"])]
    return t[t["ref_year"] == t["ref_year"].max()].reset_index(drop=True)


def as_of_grid(vintage: Vintage, indicator: str, place: str = DEFAULT_PLACE,
               before: str = "2021-12-31", report_date: str = REPORT_DATE) -> list[str]:
    """Information sets of the grid: ``before``, the report date, each later date at
    which ``vintage`` got a level of ``indicator`` for ``place``, and ``latest`` (when
    ``vintage`` is the latest one)."""
    obs = vintage.observations
    rows = obs[(obs["place"] == place) & (obs["indicator"] == indicator) & obs["value"].notna()]
    later = sorted(d for d in rows["available_date"].unique() if d > report_date)
    return [before, report_date, *later, *(["latest"] if vintage.as_of is None else [])]


def sample_observations(vintage: Vintage, sample: str, indicator: str,
                        place: str = DEFAULT_PLACE) -> Vintage:
    """The vintage with the county series of ``indicator`` restricted to ``sample``
    (other places and indicators untouched)."""
    observations = vintage.observations
    if sample == "all":
        return vintage
    mine = (observations["place"] == place) & (observations["indicator"] == indicator)
    if sample == "without_third_party":
        return vintage.with_observations(observations[~(mine & observations["source_kind"].eq("third_party"))])
    if sample == "since_last_revision":
        known = observations[mine & observations["value"].notna() & observations["is_preferred"]]
        if known.empty or not known["benchmark"].any():
            return vintage
        last = known.sort_values("year")["benchmark"].iloc[-1]
        return vintage.with_observations(
            observations[~(mine & observations["benchmark"].ne(last) & observations["value"].notna())])
    raise ValueError(f"unknown sample {sample!r}; choose from {SAMPLES}")


def sensitivity(claims: pd.DataFrame, vintage: Vintage, *, seed: int | None = None,
                report_date: str = REPORT_DATE) -> pd.DataFrame:
    """P(goal met) for every 2026 goal over the grid of ``as_of`` × sample × model.

    Parameters
    ----------
    claims : pandas.DataFrame
    vintage : Vintage
        The latest information set of the run; every earlier one of the grid is
        ``vintage.at(as_of)``.
    seed : int, optional
        Seed of the simulations of cumulative goals.
    report_date : str
        Information sets up to this date are ``ex_ante``, later ones ``updating``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SENSITIVITY_COLUMNS` (``p_meet`` empty where a model gives none);
        ``model`` includes ``combined``.
    """
    goals = goal_targets(claims)
    claim_rows = claims[claims["claim_id"].isin(goals["claim_id"])]
    kw = {} if seed is None else {"seed": seed}
    rows = []
    for _, g in goals.iterrows():
        one = claim_rows[claim_rows["claim_id"] == g["claim_id"]]
        for as_of in as_of_grid(vintage, g["indicator"], report_date=report_date):
            v = vintage if as_of == "latest" else vintage.at(as_of)
            period = "ex_ante" if as_of != "latest" and as_of <= report_date else "updating"
            for sample in SAMPLES:
                j = judge_targets(one, sample_observations(v, sample, g["indicator"]), **kw)
                for _, r in j[j["model"].isin((*JUDGE_MODELS, POOL_MODEL))].iterrows():
                    rows.append({"target_id": g["claim_id"], "indicator": g["indicator"],
                                 "threshold": g["value_canonical"], "as_of": as_of, "period": period,
                                 "sample": sample, "model": r["model"], "p_meet": r["p_meet"],
                                 "verdict": r["verdict"]})
    out = pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
    judged = out.groupby("target_id")["p_meet"].transform(lambda p: p.notna().any())
    return out[judged.astype(bool)].reset_index(drop=True)  # the goals that get a probability


def robustness(sens: pd.DataFrame, thresholds: tuple[float, float, float] = (0.8, 0.2, 0.05)) -> pd.DataFrame:
    """Per goal: is the combined verdict the same in every ex-ante cell ("robust")?

    ``cells``, ``cells_with_p``, ``p_min``, ``p_max`` and ``verdicts`` describe the
    ``combined`` cells of the ex-ante information sets (``period == "ex_ante"``);
    ``model_cells_in_band`` counts the single models' ex-ante cells in the combined
    band (out of ``model_cells`` with a probability); the ``*_updating`` columns
    summarise the later information sets, shown beside the verdict and never counted
    against it."""
    rows = []
    for tid, g in sens.groupby("target_id", sort=False):
        ex = g[g["period"] == "ex_ante"]
        comb = ex[ex["model"] == POOL_MODEL]
        with_p = comb.dropna(subset=["p_meet"])
        singles = ex[(ex["model"] != POOL_MODEL)].dropna(subset=["p_meet"])
        upd = g[(g["period"] == "updating") & (g["model"] == POOL_MODEL)].dropna(subset=["p_meet"])
        bands = sorted({verdict_from_p(p, thresholds) for p in with_p["p_meet"]})
        robust = len(bands) == 1
        in_band = int(sum(verdict_from_p(p, thresholds) == bands[0] for p in singles["p_meet"])) if robust else None
        summary = (f"robust: {bands[0]} in all {len(with_p)} ex-ante cells of the combined probability "
                   f"(P {with_p['p_meet'].min():.1%}–{with_p['p_meet'].max():.1%}); {in_band} of "
                   f"{len(singles)} single-model cells agree" if robust else
                   f"not robust: combined P from {with_p['p_meet'].min():.1%} to {with_p['p_meet'].max():.1%} "
                   f"across the ex-ante cells ({', '.join(bands)})" if len(with_p) else
                   "no ex-ante cell gives a probability")
        if len(with_p) and with_p["as_of"].nunique() > 1:
            summary += "; by information set: " + ", ".join(
                f"{d} {gd['p_meet'].min():.1%}" + (f"–{gd['p_meet'].max():.1%}" if len(gd) > 1 else "")
                for d, gd in with_p.groupby("as_of", sort=True))
        if len(with_p) < len(comb):
            summary += f"; {len(comb) - len(with_p)} of {len(comb)} ex-ante cells give none"
        if len(upd):
            ub = sorted({verdict_from_p(p, thresholds) for p in upd["p_meet"]})
            summary += (f"; updating with later data: {upd['p_meet'].min():.1%}–{upd['p_meet'].max():.1%} "
                        f"({', '.join(ub)})")
        rows.append({"target_id": tid, "indicator": g["indicator"].iloc[0], "threshold": g["threshold"].iloc[0],
                     "cells": len(comb), "cells_with_p": len(with_p),
                     "p_min": with_p["p_meet"].min() if len(with_p) else None,
                     "p_max": with_p["p_meet"].max() if len(with_p) else None,
                     "verdicts": ", ".join(bands), "robust": robust if len(with_p) else None,
                     "model_cells_in_band": in_band, "model_cells": len(singles),
                     "p_updating_min": upd["p_meet"].min() if len(upd) else None,
                     "p_updating_max": upd["p_meet"].max() if len(upd) else None,
                     "verdicts_updating": ", ".join(sorted({verdict_from_p(p, thresholds) for p in upd["p_meet"]})),
                     "summary": summary})
    return pd.DataFrame(rows, columns=ROBUSTNESS_COLUMNS)


def goal_drift(claims: pd.DataFrame, vintage: Vintage, place: str = DEFAULT_PLACE) -> pd.DataFrame:
    """For each 2026 level goal: the average growth required to reach it from each
    release of the indicator (the base year of the goal and every later year).

    A lower bound (2025 GDP 突破千亿) gives an upper bound on the required growth
    (``bound`` = ``at most``); a level on a later census benchmark than the base year
    says so in ``note``. Every release in ``vintage`` counts.
    """
    observations = vintage.observations
    rows = []
    for _, g in goal_targets(claims).iterrows():
        if g["kind"] != "target_level":
            continue
        start = int(g["period_start"]) - 1
        lv = observations[(observations["place"] == place) & (observations["indicator"] == g["indicator"])
                          & (observations["year"] >= start) & observations["value"].notna()]
        exact = lv[lv["is_preferred"]]
        bounds = lv[lv["comparator"].isin([">", ">="]) & ~lv["year"].isin(exact["year"])]
        base_bm = exact.loc[exact["year"] == start, "benchmark"]
        for _, r in pd.concat([exact, bounds]).sort_values("year").iterrows():
            left = int(g["ref_year"]) - int(r["year"])
            if left <= 0:
                continue
            need = ((g["value_canonical"] / r["value"]) ** (1 / left) - 1) * 100
            bm_note = ("" if base_bm.empty or not r["benchmark"] or r["benchmark"] == base_bm.iloc[0]
                       else f"level on a later benchmark ({r['benchmark']})")
            rows.append({"target_id": g["claim_id"], "indicator": g["indicator"],
                         "goal": f"{g['comparator']}{g['value_canonical']:g}{g['unit_canonical']}",
                         "target_year": int(g["ref_year"]), "release_year": int(r["year"]),
                         "level": r["value"], "comparator": r["comparator"],
                         "available_date": r["available_date"], "source_id": r["source_id"],
                         "years_left": left, "required_growth_pct": need,
                         "bound": "at most" if r["comparator"] in (">", ">=") else "",
                         "note": bm_note})
    return pd.DataFrame(rows, columns=DRIFT_COLUMNS)

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

A goal's verdict is **robust** only if every cell that gives a probability falls in one
verdict band (:func:`linhai_analysis.trend.verdict_from_p`); cells without one are
counted, not hidden.
"""

from __future__ import annotations

import pandas as pd

from ..data.load import REPORT_DATE, restrict_as_of
from ..data.places import DEFAULT_PLACE
from ..models.trend import verdict_from_p
from .plausibility import JUDGE_MODELS, judge_targets, targets_from_claims

SAMPLES = ("all", "without_third_party", "since_last_revision")
SENSITIVITY_COLUMNS = ["target_id", "indicator", "threshold", "as_of", "sample", "model", "p_meet", "verdict"]
ROBUSTNESS_COLUMNS = ["target_id", "indicator", "threshold", "cells", "cells_with_p", "p_min", "p_max",
                      "verdicts", "robust", "summary"]
DRIFT_COLUMNS = ["target_id", "indicator", "goal", "target_year", "release_year", "level", "comparator",
                 "available_date", "source_id", "years_left", "required_growth_pct", "bound", "note"]


def goal_targets(claims: pd.DataFrame) -> pd.DataFrame:
    """The level and cumulative goals of the report's last target year (the 2026 goals)."""
    t = targets_from_claims(claims)
    t = t[t["kind"].isin(["target_level", "target_cumulative"])]
    return t[t["ref_year"] == t["ref_year"].max()].reset_index(drop=True)


def as_of_grid(observations: pd.DataFrame, indicator: str, place: str = DEFAULT_PLACE,
               before: str = "2021-12-31", report_date: str = REPORT_DATE) -> list[str]:
    """Information sets of the grid: ``before``, the report date, each later date at
    which a level of ``indicator`` for ``place`` was published, and ``latest``."""
    rows = observations[(observations["place"] == place) & (observations["indicator"] == indicator)
                        & observations["value"].notna()]
    later = sorted(d for d in rows["available_date"].unique() if d > report_date)
    return [before, report_date, *later, "latest"]


def sample_observations(observations: pd.DataFrame, sample: str, indicator: str, as_of: str | None,
                        place: str = DEFAULT_PLACE) -> pd.DataFrame:
    """The observations with the county series of ``indicator`` restricted to ``sample``
    (other places and indicators untouched)."""
    if sample == "all":
        return observations
    mine = (observations["place"] == place) & (observations["indicator"] == indicator)
    if sample == "without_third_party":
        return observations[~(mine & observations["source_kind"].eq("third_party"))]
    if sample == "since_last_revision":
        known = restrict_as_of(observations[mine], as_of)
        known = known[known["value"].notna() & known["is_preferred"]]
        if known.empty or not known["benchmark"].any():
            return observations
        last = known.sort_values("year")["benchmark"].iloc[-1]
        return observations[~(mine & observations["benchmark"].ne(last) & observations["value"].notna())]
    raise ValueError(f"unknown sample {sample!r}; choose from {SAMPLES}")


def sensitivity(claims: pd.DataFrame, observations: pd.DataFrame, anchors=None, *,
                seed: int | None = None) -> pd.DataFrame:
    """P(goal met) for every 2026 goal over the grid of ``as_of`` × sample × model.

    Parameters
    ----------
    claims, observations : pandas.DataFrame
    anchors : linhai_analysis.anchored.AnchorInputs, optional
        Adds the ``anchored`` model; its county observations follow the sample too.
    seed : int, optional
        Seed of the simulations of cumulative goals.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SENSITIVITY_COLUMNS` (``p_meet`` empty where a model gives none).
    """
    from ..models.anchored import AnchorInputs

    goals = goal_targets(claims)
    claim_rows = claims[claims["claim_id"].isin(goals["claim_id"])]
    kw = {} if seed is None else {"seed": seed}
    rows = []
    for _, g in goals.iterrows():
        one = claim_rows[claim_rows["claim_id"] == g["claim_id"]]
        for as_of in as_of_grid(observations, g["indicator"]):
            for sample in SAMPLES:
                obs_s = sample_observations(observations, sample, g["indicator"], as_of)
                anc = None if anchors is None else AnchorInputs(obs_s, anchors.targets, anchors.forecasts)
                j = judge_targets(one, obs_s, as_of=as_of, anchors=anc, **kw)
                for _, r in j[j["model"].isin(JUDGE_MODELS)].iterrows():
                    rows.append({"target_id": g["claim_id"], "indicator": g["indicator"],
                                 "threshold": g["value_canonical"], "as_of": as_of, "sample": sample,
                                 "model": r["model"], "p_meet": r["p_meet"],
                                 "verdict": r["verdict"]})
    out = pd.DataFrame(rows, columns=SENSITIVITY_COLUMNS)
    judged = out.groupby("target_id")["p_meet"].transform(lambda p: p.notna().any())
    return out[judged.astype(bool)].reset_index(drop=True)  # the goals that get a probability


def robustness(sens: pd.DataFrame, thresholds: tuple[float, float, float] = (0.8, 0.2, 0.05)) -> pd.DataFrame:
    """Per goal: the range of P over the grid and whether every cell with a P falls in
    one verdict band ("robust")."""
    rows = []
    for tid, g in sens.groupby("target_id", sort=False):
        with_p = g.dropna(subset=["p_meet"])
        bands = sorted({verdict_from_p(p, thresholds) for p in with_p["p_meet"]})
        robust = len(bands) == 1
        summary = (f"robust: {bands[0]} in all {len(with_p)} cells with a probability" if robust else
                   f"not robust: P from {with_p['p_meet'].min():.1%} to {with_p['p_meet'].max():.1%} "
                   f"({', '.join(bands)})" if len(with_p) else "no cell gives a probability")
        if len(with_p) < len(g):
            summary += f"; {len(g) - len(with_p)} of {len(g)} cells give none"
        rows.append({"target_id": tid, "indicator": g["indicator"].iloc[0], "threshold": g["threshold"].iloc[0],
                     "cells": len(g), "cells_with_p": len(with_p),
                     "p_min": with_p["p_meet"].min() if len(with_p) else None,
                     "p_max": with_p["p_meet"].max() if len(with_p) else None,
                     "verdicts": ", ".join(bands), "robust": robust if len(with_p) else None,
                     "summary": summary})
    return pd.DataFrame(rows, columns=ROBUSTNESS_COLUMNS)


def goal_drift(claims: pd.DataFrame, observations: pd.DataFrame, place: str = DEFAULT_PLACE) -> pd.DataFrame:
    """For each 2026 level goal: the average growth required to reach it from each
    release of the indicator (the base year of the goal and every later year).

    A lower bound (2025 GDP 突破千亿) gives an upper bound on the required growth
    (``bound`` = ``at most``); a level on a later census benchmark than the base year
    says so in ``note``.
    """
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

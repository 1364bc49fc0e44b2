"""The anchored growth model: a county's growth is the wider economy's plus a gap.

Trend regressions on 3–6 county levels cannot tell a national slowdown from a local
one, and their bands rest on a handful of residuals. The anchored model, in the spirit
of how the OBR, the Fed's SEP or the IMF build forecasts, models **growth, not levels**:

``g_county(t) = g_anchor(t) + gap + e(t)``

* ``g_anchor(t)`` — the anchor's growth path **known at** ``as_of``: realized growth
  where published; else the latest IMF WEO forecast for that year; else the anchor's
  target (annual, or the five-year-plan average) for that year; beyond all of them the
  last value is carried forward (the source of every year is recorded).
* ``gap`` — the county's mean gap to the anchor over the years where both growth
  rates are printed, **shrunk toward zero** with a unit-information prior (one
  pseudo-year of zero gap at the prior noise scale below). No peer counties are in
  the data, so there is no county pool to shrink toward.
* ``e(t)`` — yearly noise. Its variance is sized from **errors actually observed**
  (the anchor's at each horizon separately: a forecast for next year errs more than one
  for the current year),
  each pooled with a prior so that a handful of points cannot make it vanish
  (scaled inverse-χ², ``PRIOR_DF`` pseudo-years):
  the county's gap residuals (prior scale: the larger of the province–nation gap's
  spread and the spread of the county's own growth rates); the anchor path's own
  errors (realized minus target / IMF forecast, every pair known at ``as_of``;
  :func:`anchor_errors`; prior scale: the spread of the anchor's realized growth over
  the last ten years); and the deflator's year-to-year spread for a nominal level with
  a real anchor.
* nominal level growth = real growth × the national GDP deflator (its mean over the
  last five years known at ``as_of``, within census benchmarks), for GDP; series
  without a real measure (fiscal revenue, retail sales) are anchored directly on the
  province's nominal growth of the closest indicator (:data:`NOMINAL_ANCHORS`).

Why closed forms rather than statsmodels' UnobservedComponents or MixedLM: the county
gap rests on 0–6 years in which both growth rates are printed, and no peer counties are
in the data to pool. Maximum-likelihood state-space or mixed models on so few points
either fail to converge or return a zero variance; the conjugate normal /
scaled-inverse-χ² formulas used here are exact, take the prior explicitly, and their
calibration is checked by simulation (``tests/test_forecasting.py``).

The level forecast starts from the county's last level and adds the path, so it never
chains levels across a census break. Its log level is a Student t with
``PRIOR_DF + n_gaps − 1`` degrees of freedom (never fewer than ``PRIOR_DF``): no
probability rests on a t with one degree of freedom. Uncertainty of the gap and of the
deflator mean is common to every year (variance ∝ h²); the yearly noise adds up (∝ h).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.anchors import known_at, latest_forecasts
from ..data.indicators import CATALOG
from ..data.load import restrict_as_of
from ..data.places import DEFAULT_PLACE
from .trend import Forecast, InsufficientDataError

#: Prior pseudo-years behind the noise variance (and the minimum t degrees of freedom).
PRIOR_DF = 4
#: Anchor of series without a real measure: (place, indicator) whose nominal growth leads.
NOMINAL_ANCHORS = {
    "fiscal_total_revenue": ("浙江省", "general_budget_revenue"),
    "general_budget_revenue": ("浙江省", "general_budget_revenue"),
}
#: Lower bound of every standard deviation in percentage points (a numerical floor).
SD_FLOOR_PP = 0.1


@dataclass(frozen=True)
class AnchorInputs:
    """Everything the anchored model reads: observations, targets, forecasts."""

    observations: pd.DataFrame
    targets: pd.DataFrame
    forecasts: pd.DataFrame


def _growth_by_year(obs: pd.DataFrame, place: str, indicator: str, real: bool) -> dict[int, float]:
    """Printed growth by year (real: comparable/unknown basis), else growth computed from
    consecutive levels on one benchmark (nominal series only)."""
    rows = obs[(obs["place"] == place) & (obs["indicator"] == indicator)]
    out: dict[int, float] = {}
    g = rows[rows["growth_pct"].notna()]
    if real:
        g = g[g["growth_basis"].isin(["comparable", "unknown"])]
    for year, grp in g.sort_values(["source_precedence", "available_date"], ascending=[True, False],
                                   kind="mergesort").groupby("year", sort=True):
        out[int(year)] = float(grp.iloc[0]["growth_pct"])
    if not real:
        lv = rows[rows["is_preferred"] & rows["value"].notna()].set_index("year")
        for y in lv.index:
            if y - 1 in lv.index and int(y) not in out and lv.loc[y, "benchmark"] == lv.loc[y - 1, "benchmark"]:
                out[int(y)] = (lv.loc[y, "value"] / lv.loc[y - 1, "value"] - 1) * 100
    return out


def _anchor_of(indicator: str, place: str) -> tuple[str, str, bool]:
    """(anchor place, anchor indicator, real?) for a county series."""
    ind = CATALOG[indicator]
    if ind.growth == "real":
        return "全国", indicator, True
    if indicator in NOMINAL_ANCHORS:
        p, i = NOMINAL_ANCHORS[indicator]
        return p, i, False
    raise InsufficientDataError(f"no anchor series for {indicator}: the anchored model needs a real "
                                f"measure or a provincial nominal series ({sorted(NOMINAL_ANCHORS)})")


def anchor_path(inputs: AnchorInputs, years: list[int], as_of: str | None, anchor_place: str,
                anchor_indicator: str, real: bool) -> tuple[list[float], list[str]]:
    """Growth of the anchor for each of ``years`` as known at ``as_of``, and its source."""
    obs = restrict_as_of(inputs.observations, as_of)
    realized = _growth_by_year(obs, anchor_place, anchor_indicator, real)
    imf = latest_forecasts(inputs.forecasts, as_of) if (real and anchor_place == "全国") else pd.DataFrame()
    imf_map = dict(zip(imf["target_year"], imf["value"], strict=True)) if len(imf) else {}
    t = known_at(inputs.targets, as_of)
    t = t[(t["place"] == anchor_place) & (t["indicator"] == anchor_indicator) & t["value_low"].notna()]
    path, src = [], []
    last = None
    for y in years:
        if y in realized:
            v, s = realized[y], "realized"
        elif y in imf_map:
            v, s = float(imf_map[y]), "IMF WEO"
        else:
            annual = t[(t["kind"] == "annual_growth_target") & (t["target_year"] == y)]
            plan = t[(t["kind"] == "avg_growth_target") & (t["period_start"] <= y) & (t["period_end"] >= y)]
            pick = annual if len(annual) else plan
            if len(pick):
                r = pick.iloc[-1]
                v = float(r["value_low"]) if pd.isna(r["value_high"]) else (r["value_low"] + r["value_high"]) / 2
                s = "target" if len(annual) else "five-year plan"
            elif last is not None:
                v, s = last, "carried forward"
            else:
                hist = [realized[k] for k in sorted(realized)[-5:]]
                if not hist:
                    raise InsufficientDataError(f"no growth of {anchor_place} {anchor_indicator} known at {as_of}")
                v, s = float(np.mean(hist)), "mean of the last five realized years"
        path.append(v)
        src.append(s)
        last = v
    return path, src


def anchor_errors(inputs: AnchorInputs, as_of: str | None, anchor_place: str, anchor_indicator: str,
                  real: bool) -> list[tuple[float, int]]:
    """Observed errors (realized − expected, pp) of the anchor's own targets and IMF
    forecasts, each with its horizon, for every pair whose outcome was published by
    ``as_of``. The horizon is the target year minus the year the figure became known
    (0: a target set in March of its own year, or a WEO forecast for the current year;
    1: a forecast for next year ...). For a nominal anchor without targets: year-to-year
    changes of its growth (the error of a no-change growth forecast one year ahead)."""
    obs = restrict_as_of(inputs.observations, as_of)
    realized = _growth_by_year(obs, anchor_place, anchor_indicator, real)
    errs = []
    t = known_at(inputs.targets, as_of)
    t = t[(t["place"] == anchor_place) & (t["indicator"] == anchor_indicator)
          & (t["kind"] == "annual_growth_target") & t["value_low"].notna()]
    for _, r in t.iterrows():
        y = int(r["target_year"])
        if y in realized:
            point = float(r["value_low"]) if pd.isna(r["value_high"]) else (r["value_low"] + r["value_high"]) / 2
            errs.append((realized[y] - point, max(y - int(str(r["available_date"])[:4]), 0)))
    if real and anchor_place == "全国":
        f = known_at(inputs.forecasts, as_of)
        f = f[(f["forecaster"] == "IMF") & ~f["note"].str.contains("not a WEO vintage", regex=False)]
        for _, r in f.iterrows():
            y = int(r["target_year"])
            if y in realized:
                errs.append((realized[y] - float(r["value"]), max(y - int(str(r["release_date"])[:4]), 0)))
    if not errs:
        ys = sorted(realized)
        errs = [(realized[b] - realized[a], 1) for a, b in zip(ys[:-1], ys[1:], strict=True) if b == a + 1]
    return errs


def anchor_variance_by_lead(anchor_errors, prior_sd: float, leads: int) -> list[float]:
    """Yearly anchor-error variance (pp²) for leads 1..``leads`` (lead k = the k-th year
    after the county's last level, forecast at horizon k − 1 from the year after it).

    Errors observed at that horizon are pooled with ``PRIOR_DF`` pseudo-errors at
    ``prior_sd``; a lead beyond every observed horizon takes the longest one observed.
    Plain numbers (no horizon) count for every lead.
    """
    tagged = [(float(e[0]), int(e[1])) if isinstance(e, tuple) else (float(e), -1) for e in anchor_errors]
    horizons = sorted({h for _, h in tagged if h >= 0})
    out = []
    for k in range(1, leads + 1):
        h = k - 1
        if horizons and h > horizons[-1]:
            h = horizons[-1]
        errs = [e for e, hh in tagged if hh in (h, -1)]
        out.append((PRIOR_DF * prior_sd**2 + sum(e * e for e in errs)) / (PRIOR_DF + len(errs)))
    return out


def provincial_gap_scale(inputs: AnchorInputs, as_of: str | None) -> float:
    """Standard deviation (pp) of Zhejiang's real growth minus the nation's, over the
    years both are known at ``as_of``: the prior scale of a sub-national gap."""
    obs = restrict_as_of(inputs.observations, as_of)
    zj = _growth_by_year(obs, "浙江省", "gdp", True)
    cn = _growth_by_year(obs, "全国", "gdp", True)
    gaps = [zj[y] - cn[y] for y in zj if y in cn]
    return max(float(np.std(gaps, ddof=1)) if len(gaps) >= 2 else 1.0, SD_FLOOR_PP)


def national_deflator(inputs: AnchorInputs, as_of: str | None, before: int) -> tuple[float, float, int]:
    """Mean and standard deviation (pp) of the national GDP deflator over the last five
    years up to ``before`` known at ``as_of``, and how many years entered."""
    from .deflators import annual_deflators

    d = annual_deflators(inputs.observations, "全国", as_of=as_of).dropna(subset=["deflator_pct"])
    d = d[d["year"] <= before].tail(5)
    if len(d) == 0:
        return 2.0, 1.5, 0  # no deflator known: a wide, stated default
    sd = float(d["deflator_pct"].std(ddof=1)) if len(d) >= 2 else 1.5
    return float(d["deflator_pct"].mean()), max(sd, SD_FLOOR_PP), len(d)


def fit_anchored(inputs: AnchorInputs, indicator: str, years, values, *, as_of: str | None,
                 place: str = DEFAULT_PLACE, horizon: int = 2030) -> Forecast:
    """Fit the anchored model for ``indicator`` of ``place`` on its usable levels.

    Parameters
    ----------
    inputs : AnchorInputs
        Observations (all places), anchor targets and external forecasts.
    indicator : str
        Catalog code of the county series (GDP: real anchor; fiscal revenue: the
        provincial nominal series, see :data:`NOMINAL_ANCHORS`).
    years, values : array-like
        The county's usable levels (the last one is the starting point).
    as_of : str or None
        Information set of the anchor path, the errors and the deflator.
    place : str
        The county (default 临海市).
    horizon : int
        Last year of the path.

    Returns
    -------
    Forecast
        ``model="anchored"``; ``params`` hold the path, its sources, the gap and the
        variance components.

    Raises
    ------
    InsufficientDataError
        Without a level to start from or an anchor series.
    """
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    if len(years) == 0:
        raise InsufficientDataError(f"no level of {indicator} for {place} to start from")
    a_place, a_ind, real = _anchor_of(indicator, place)
    obs = restrict_as_of(inputs.observations, as_of)
    own = _growth_by_year(obs, place, indicator, real)
    anchor_hist = _growth_by_year(obs, a_place, a_ind, real)
    gaps = [own[y] - anchor_hist[y] for y in own if y in anchor_hist]
    tau = provincial_gap_scale(inputs, as_of)
    errs = anchor_errors(inputs, as_of, a_place, a_ind, real)
    last_year = int(years[-1])
    fut = list(range(last_year + 1, max(horizon, last_year + 1) + 1))
    path, src = anchor_path(inputs, fut, as_of, a_place, a_ind, real)
    if real and CATALOG[indicator].unit != "%":  # a nominal level with a real anchor
        deflator = national_deflator(inputs, as_of, last_year)
    else:
        deflator = (0.0, 0.0, 0)
    return anchored_forecast(
        years, values, gaps=gaps, own_growth=[own[y] for y in sorted(own)[-10:]],
        anchor_growth=[anchor_hist[y] for y in sorted(anchor_hist)[-10:]], anchor_errors=errs,
        path=dict(zip(fut, path, strict=True)), path_source=dict(zip(fut, src, strict=True)), tau=tau,
        deflator=deflator, anchor_label=f"{a_place} {a_ind} ({'real' if real else 'nominal'})")


def anchored_forecast(years, values, *, gaps, own_growth, anchor_growth, anchor_errors,
                      path: dict[int, float], path_source: dict[int, str] | None = None, tau: float = 1.0,
                      deflator: tuple[float, float, int] = (0.0, 0.0, 0), anchor_label: str = "") -> Forecast:
    """The numeric core of the anchored model (no data access; see the module docstring).

    Parameters
    ----------
    years, values : array-like
        County levels; the forecast starts from the last one.
    gaps : sequence of float
        County minus anchor growth (pp) in the years both are known.
    own_growth, anchor_growth : sequence of float
        Recent growth rates (pp) of the county and of the anchor: the prior noise scales.
    anchor_errors : sequence of (float, int) or float
        Observed errors (pp) of the anchor's targets and forecasts, with their horizon
        (see :func:`anchor_errors`); plain numbers count for every horizon.
    path : dict
        Anchor growth (pp) for every year after the last level.
    tau : float
        Floor of the prior gap scale (the province–nation gap's spread).
    deflator : (mean, sd, n)
        Deflator growth (pp) to add for a nominal level with a real anchor.

    Returns
    -------
    Forecast
        ``model="anchored"``, a t with ``PRIOR_DF + len(gaps) - 1`` (at least ``PRIOR_DF``) df.
    """
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    gaps = np.asarray(list(gaps), dtype=float)
    s0 = max(tau, float(np.std(own_growth, ddof=1)) if len(own_growth) >= 2 else tau)
    n = len(gaps)
    ss = float(np.sum((gaps - gaps.mean()) ** 2)) if n else 0.0
    df = PRIOR_DF + max(n - 1, 0)
    s2_gap = (PRIOR_DF * s0**2 + ss) / df  # scaled inverse-chi2 posterior scale
    if n:  # unit-information prior: one pseudo-year of zero gap at the prior noise scale
        prec = n / s2_gap + 1 / s0**2
        gap, v_gap = float((n / s2_gap) * gaps.mean() / prec), float(1 / prec)
    else:
        gap, v_gap = 0.0, s0**2
    a0 = max(float(np.std(anchor_growth, ddof=1)) if len(anchor_growth) >= 2 else tau, SD_FLOOR_PP)
    d_mean, d_sd, d_n = deflator
    v_dmean = d_sd**2 / d_n if d_n else d_sd**2
    last_year = int(years[-1])
    fut = sorted(path)
    s2_anchor_k = anchor_variance_by_lead(list(anchor_errors), a0, len(fut))
    if path_source:  # a year whose anchor growth is already published carries no anchor error
        s2_anchor_k = [0.0 if path_source.get(y) == "realized" else v for y, v in zip(fut, s2_anchor_k, strict=True)]
    growth = [(1 + (path[y] + gap) / 100) * (1 + d_mean / 100) for y in fut]
    cum = np.cumsum(np.log(growth))
    yearly = [(s2_gap + a + d_sd**2) / 1e4 for a in s2_anchor_k]  # pp² -> log-points², per year
    var_cum = np.cumsum(yearly)
    s2_anchor = s2_anchor_k[0] if s2_anchor_k else a0**2
    sy2 = yearly[0] if yearly else (s2_gap + a0**2 + d_sd**2) / 1e4
    sc2 = (v_gap + v_dmean) / 1e4
    params = {
        "last_year": float(last_year), "last_log": float(math.log(values[-1])),
        "path_years": np.array([last_year] + fut, dtype=float), "path_cum": np.concatenate([[0.0], cum]),
        "path_var": np.concatenate([[0.0], var_cum]), "s2_anchor_by_lead_pp2": list(s2_anchor_k),
        "path_growth": dict(path), "path_source": dict(path_source or {y: "given" for y in fut}),
        "anchor": anchor_label, "gap": gap, "gap_n": n,
        "gap_raw_mean": float(gaps.mean()) if n else None, "sy2": sy2, "sc2": sc2, "sigma2": 1.0,
        "s_gap_pp": math.sqrt(s2_gap), "s_anchor_pp": math.sqrt(s2_anchor), "n_anchor_errors": len(anchor_errors),
        "deflator_mean": d_mean, "deflator_sd": d_sd, "tau_pp": tau,
        "v_gap_pp2": v_gap, "s2_real_pp2": s2_gap + s2_anchor, "prior_gap_pp": s0, "prior_anchor_pp": a0,
    }
    return Forecast("anchored", years, values, int(df), params)


def p_growth_at_least(fc: Forecast, year: int, threshold_pct: float) -> float:
    """P(real growth in ``year`` >= ``threshold_pct``) under an anchored fit of a real
    series (the model's growth distribution: anchor + gap, yearly and gap variance)."""
    from scipy import stats

    p = fc.params
    mean = p["path_growth"][year] + p["gap"]
    lead = year - int(p["last_year"])
    s2_anchor = p["s2_anchor_by_lead_pp2"][lead - 1]
    sd_pp = math.sqrt(p["s_gap_pp"] ** 2 + s2_anchor + p["v_gap_pp2"])
    return float(1 - stats.t.cdf((threshold_pct - mean) / sd_pp, fc.df))

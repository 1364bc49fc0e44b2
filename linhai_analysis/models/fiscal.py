"""Fiscal revenue anchored on the county's own nominal GDP path, times a buoyancy.

``log R(t) − log R(L) = b · (log Y(t) − log Y(L)) + U(t)``

* ``Y`` — the county's nominal GDP, forecast by the anchored GDP model
  (:func:`linhai_analysis.models.anchored.fit_anchored`) in the same vintage: revenue
  is a share of the economy, so its path follows the economy's, not a past rebound.
* ``b`` — the **revenue buoyancy** (elasticity of revenue to nominal GDP), estimated
  where both are printed on one caliber for consecutive years (no skipped years in a
  growth rate; levels on one census benchmark): the county's own pairs (财政总收入 or
  一般公共预算收入 against GDP) and Zhejiang's (一般公共预算收入, whose growth is printed,
  against its nominal GDP). Each pair gives ``log(1+g_R) / log(1+g_Y)``. Prior:
  ``b ~ N(1, 0.3²)`` (:data:`BUOYANCY_PRIOR`) — revenue grows with nominal GDP,
  with room for the usual 0.7–1.3 range of tax buoyancies; the estimate is the
  normal–normal posterior with the observations' spread as noise.
* ``U`` — revenue shocks not explained by GDP: AR(1) (persistent: a tax-policy change
  lasts), yearly sd from the buoyancy residuals pooled with ``PRIOR_DF`` pseudo-years
  at the spread of printed revenue growth rates, ρ from consecutive Zhejiang revenue
  growth rates shrunk toward ``RHO_PRIOR``.

Variance of the cumulative log revenue over k years:
``b̂²·Var(G_k) + v_b·G_k² + Var(U_k)``, with ``G_k`` the GDP model's cumulative log
growth; t tails with the GDP model's df at that year.

Known policy risk, **not** in the path: the 2022 VAT-credit refunds (留抵退税),
announced in the national Government Work Report of 2022-03-05, cut 2022 revenue
across China (Zhejiang's budget revenue of 2022 fell on the natural caliber). A vintage
before that day could not know them; after it they are named but not quantified (no
county figure of the refunds is in the data).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..data.indicators import CATALOG
from ..data.places import DEFAULT_PLACE
from ..data.vintage import Vintage
from . import errors_history as eh
from .trend import Forecast, InsufficientDataError

#: Prior of the buoyancy: mean and standard deviation.
BUOYANCY_PRIOR = (1.0, 0.3)
#: Prior pseudo-years behind the revenue-shock variance.
PRIOR_DF = 4
#: The 2022 VAT-credit refunds: the day they became known.
VAT_REFUND_ANNOUNCED = "2022-03-05"
FISCAL_INDICATORS = ("fiscal_total_revenue", "general_budget_revenue")
INPUT_COLUMNS = ["name", "value", "source", "why"]


def _levels(obs: pd.DataFrame, place: str, indicator: str) -> pd.DataFrame:
    r = obs[(obs["place"] == place) & (obs["indicator"] == indicator) & obs["is_preferred"]
            & obs["value"].notna()]
    return r.sort_values("year").set_index("year")


def _printed_growth(obs: pd.DataFrame, place: str, indicator: str) -> dict[int, float]:
    r = obs[(obs["place"] == place) & (obs["indicator"] == indicator) & obs["growth_pct"].notna()]
    r = r.sort_values(["source_precedence", "available_date"], ascending=[True, False], kind="mergesort")
    return {int(y): float(g.iloc[0]) for y, g in r.groupby("year")["growth_pct"]}


def buoyancy_observations(vintage: Vintage, place: str = DEFAULT_PLACE,
                          indicator: str = "fiscal_total_revenue") -> pd.DataFrame:
    """Pairs of revenue growth and nominal GDP growth in one year, each from consecutive
    printed levels on one benchmark (or a printed revenue growth): ``place``'s own
    ``indicator`` and Zhejiang's 一般公共预算收入 (one caliber per place, so no county year
    counts twice). Columns ``place``, ``indicator``, ``year``, ``revenue_growth_pct``,
    ``gdp_growth_pct``, ``buoyancy`` (ratio of log growths), ``how``."""
    obs = vintage.observations
    rows = []
    for pl, ind in dict.fromkeys([(place, indicator), ("浙江省", "general_budget_revenue")]):
        gdp = _levels(obs, pl, "gdp")
        rev = _levels(obs, pl, ind)
        printed = _printed_growth(obs, pl, ind)
        years = sorted(set(rev.index) | set(printed))
        for y in years:
            if y not in gdp.index or y - 1 not in gdp.index:
                continue
            if gdp.loc[y, "benchmark"] != gdp.loc[y - 1, "benchmark"]:
                continue  # a census revision between the two levels: not the economy's growth
            gy = (gdp.loc[y, "value"] / gdp.loc[y - 1, "value"] - 1) * 100
            if y in rev.index and y - 1 in rev.index:
                gr, how = (rev.loc[y, "value"] / rev.loc[y - 1, "value"] - 1) * 100, "consecutive levels"
            elif y in printed:
                gr, how = printed[y], "printed revenue growth"
            else:
                continue
            if gy <= 0:
                continue
            rows.append({"place": pl, "indicator": ind, "year": int(y), "revenue_growth_pct": gr,
                         "gdp_growth_pct": gy, "buoyancy": math.log1p(gr / 100) / math.log1p(gy / 100),
                         "how": how})
    return pd.DataFrame(rows, columns=["place", "indicator", "year", "revenue_growth_pct", "gdp_growth_pct",
                                       "buoyancy", "how"])


def estimate_buoyancy(obs_b: pd.DataFrame, prior: tuple[float, float] = BUOYANCY_PRIOR) -> tuple[float, float, float]:
    """Posterior mean and sd of the buoyancy (normal–normal, known noise = the
    observations' sd, at least the prior sd when fewer than three), and the noise sd."""
    m0, s0 = prior
    b = obs_b["buoyancy"].to_numpy(float)
    if len(b) == 0:
        return m0, s0, s0
    noise = float(np.std(b, ddof=1)) if len(b) >= 3 else s0
    noise = max(noise, 0.05)
    prec = 1 / s0**2 + len(b) / noise**2
    mean = (m0 / s0**2 + b.sum() / noise**2) / prec
    return float(mean), float(math.sqrt(1 / prec)), noise


def _revenue_shocks(vintage: Vintage, obs_b: pd.DataFrame, b: float, place: str) -> tuple[float, float, int, float]:
    """Yearly sd (pp) of revenue shocks, their persistence ρ, the pairs behind ρ, and the
    prior scale (spread of printed revenue growth rates)."""
    obs = vintage.observations
    growth = []
    for pl in dict.fromkeys([place, "浙江省"]):
        for ind in FISCAL_INDICATORS:
            growth += list(_printed_growth(obs, pl, ind).values())
    prior = float(np.std(growth, ddof=1)) if len(growth) >= 3 else 3.0
    resid = [100 * (math.log1p(r.revenue_growth_pct / 100) - b * math.log1p(r.gdp_growth_pct / 100))
             for r in obs_b.itertuples()]
    s2 = (PRIOR_DF * prior**2 + float(np.sum(np.square(resid)))) / (PRIOR_DF + len(resid))
    rho, pairs = eh.shrunk_rho(_printed_growth(obs, "浙江省", "general_budget_revenue"))
    return math.sqrt(s2), rho, pairs, prior


def fiscal_model_inputs(vintage: Vintage, place: str = DEFAULT_PLACE,
                        indicator: str = "fiscal_total_revenue") -> pd.DataFrame:
    """Every input of the fiscal model for a vintage: columns ``name``, ``value``,
    ``source``, ``why`` (for the page and the workbook), including the buoyancy
    observations and the 2022 VAT-credit refund risk."""
    obs_b = buoyancy_observations(vintage, place, indicator)
    b, sb, noise = estimate_buoyancy(obs_b)
    s_u, rho_u, pairs, prior = _revenue_shocks(vintage, obs_b, b, place)
    known = vintage.as_of is None or vintage.as_of >= VAT_REFUND_ANNOUNCED
    rows = [
        {"name": "anchor", "value": f"{place} nominal GDP path (anchored GDP model)",
         "source": f"vintage of {vintage.label}", "why": "revenue is a share of the economy; no single year's "
         "rebound is carried forward"},
        {"name": "buoyancy prior", "value": f"{BUOYANCY_PRIOR[0]:g} (sd {BUOYANCY_PRIOR[1]:g})",
         "source": "stated assumption", "why": "revenue grows one-for-one with nominal GDP unless the data say "
         "otherwise; sd covers the usual 0.7-1.3 range"},
    ]
    for r in obs_b.itertuples():
        rows.append({"name": f"buoyancy observation {r.place} {r.year} ({CATALOG[r.indicator].name_zh})",
                     "value": round(r.buoyancy, 3),
                     "source": f"revenue {r.revenue_growth_pct:+.1f}% ({r.how}), nominal GDP "
                               f"{r.gdp_growth_pct:+.1f}% (consecutive levels)",
                     "why": "years with both printed on one caliber, no skipped year"})
    rows += [
        {"name": "buoyancy (posterior mean)", "value": round(b, 3),
         "source": f"{len(obs_b)} observation(s), noise sd {noise:.2f}", "why": "normal-normal update of the prior"},
        {"name": "buoyancy sd", "value": round(sb, 3), "source": "posterior", "why": "common to all years (∝ G²)"},
        {"name": "revenue shock yearly sd (pp)", "value": round(s_u, 2),
         "source": f"buoyancy residuals + {PRIOR_DF} pseudo-years at the spread of printed revenue growth "
                   f"({prior:.2f} pp)", "why": "tax policy and land/one-off revenue move revenue beyond GDP"},
        {"name": "revenue shock persistence (rho)", "value": round(rho_u, 2),
         "source": f"{pairs} consecutive Zhejiang revenue-growth pairs, shrunk toward {eh.RHO_PRIOR}",
         "why": "policy changes last several years"},
        {"name": "known policy risk: 2022 VAT-credit refunds (留抵退税)",
         "value": "known, not quantified" if known else "not yet announced",
         "source": f"national Government Work Report, {VAT_REFUND_ANNOUNCED}",
         "why": "a large 2022 cut in recorded revenue; " + (
             "named, not in the path (no county figure in the data)" if known else
             f"announced after {vintage.label}: outside this information set, a downside risk")},
    ]
    return pd.DataFrame(rows, columns=INPUT_COLUMNS)


def fit_fiscal(vintage: Vintage, indicator: str, years, values, *, place: str = DEFAULT_PLACE,
               horizon: int = 2030) -> Forecast:
    """Anchored fiscal-revenue forecast: the county's nominal GDP path times a buoyancy.

    Parameters
    ----------
    vintage : Vintage
        The information set.
    indicator : {"fiscal_total_revenue", "general_budget_revenue"}
        The revenue series.
    years, values : array-like
        The county's usable revenue levels (the last one is the starting point).
    place : str
        The county.
    horizon : int
        Last year of the path.

    Returns
    -------
    Forecast
        ``model="anchored"`` with ``params["inputs"]`` (:func:`fiscal_model_inputs`).

    Raises
    ------
    InsufficientDataError
        Without a revenue level, or without GDP levels to anchor on.
    """
    from .anchored import fit_anchored

    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    if len(years) == 0:
        raise InsufficientDataError(f"no level of {indicator} for {place} to start from")
    gdp = _levels(vintage.observations, place, "gdp")
    if gdp.empty:
        raise InsufficientDataError(f"no GDP level of {place} to anchor {indicator} on")
    last = int(years[-1])
    gfc = fit_anchored(vintage, "gdp", gdp.index.to_numpy(float), gdp["value"].to_numpy(float),
                       place=place, horizon=max(horizon, last + 1))
    g_last = int(gfc.params["last_year"])
    if last < g_last:
        if last not in gdp.index:
            raise InsufficientDataError(f"no {place} GDP level in {last}, the last {indicator} year: the "
                                        f"revenue path cannot start on the GDP path")
        if gdp.loc[last, "benchmark"] != gdp.loc[g_last, "benchmark"]:
            raise InsufficientDataError(f"{place} GDP levels of {last} and {g_last} are on different census "
                                        f"benchmarks: their growth is not the economy's")
    known = gdp[gdp.index <= g_last]

    def g_loc_var(t: int) -> tuple[float, float]:
        if t <= g_last:  # between published levels: the constant-growth path joining them (model only)
            return float(np.interp(t, known.index.to_numpy(float), np.log(known["value"].to_numpy(float)))), 0.0
        loc, scale = gfc.loc_scale(t)
        return float(loc), float(scale) ** 2

    obs_b = buoyancy_observations(vintage, place, indicator)
    b, sb, _ = estimate_buoyancy(obs_b)
    s_u, rho_u, _, _ = _revenue_shocks(vintage, obs_b, b, place)
    fut = list(range(last + 1, max(horizon, last + 1) + 1))
    base_loc, base_var = g_loc_var(last)
    cum, var, dfs = [], [], []
    for k, y in enumerate(fut, start=1):
        loc, v = g_loc_var(y)
        gk, vg = loc - base_loc, max(v - base_var, 0.0)
        cum.append(b * gk)
        var.append(b**2 * vg + sb**2 * gk**2 + float(eh.ar1_sum_variance(s_u**2, rho_u, k)) / 1e4)
        dfs.append(float(gfc.df_at(max(y, g_last + 1))))
    var = np.maximum.accumulate(np.asarray(var))
    dfs_arr = np.asarray(dfs)
    growth = {y: (math.exp(c - (cum[i - 1] if i else 0.0)) - 1) * 100 for i, (y, c) in enumerate(zip(fut, cum, strict=True))}
    params = {
        "last_year": float(last), "last_log": float(math.log(values[-1])),
        "path_years": np.array([last] + fut, dtype=float), "path_cum": np.concatenate([[0.0], cum]),
        "path_var": np.concatenate([[0.0], var]), "path_df": np.concatenate([[dfs_arr[0]], dfs_arr]),
        "path_growth": growth, "path_source": {y: "GDP path × buoyancy" for y in fut},
        "anchor": f"{place} nominal GDP (anchored) × buoyancy", "buoyancy": b, "buoyancy_sd": sb,
        "s_revenue_shock_pp": s_u, "rho_revenue": rho_u, "sc2": 0.0, "sigma2": 1.0, "gap": 0.0,
        "gdp_forecast_last_year": g_last,
        "inputs": fiscal_model_inputs(vintage, place, indicator).to_dict("records"),
        "policy_risk": "2022 VAT-credit refunds (留抵退税), announced 2022-03-05",
    }
    return Forecast("anchored", years, values, int(dfs_arr.min()), params)

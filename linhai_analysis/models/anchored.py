"""The anchored growth model: a county's growth is the wider economy's plus a gap.

Trend regressions on 3–6 county levels cannot tell a national slowdown from a local
one, and their bands rest on a handful of residuals. The anchored model, in the spirit
of how the OBR, the Fed's SEP or the IMF build forecasts, models **growth, not levels**:

``g_county(t) = g_anchor(t) + gap + e(t)``

Everything is read from one :class:`~linhai_analysis.data.vintage.Vintage`: nothing
here filters by date (the vintage holds what was published by its ``as_of``).

* ``g_anchor(t)`` — the anchor's growth path in the vintage (:func:`anchor_path`):
  realized growth where published; else the latest IMF WEO forecast for that year;
  else the anchor's target (annual, or the five-year-plan average) for that year;
  beyond all of them the last value is carried forward (the source of every year is
  recorded).
* **Anchor error, cumulative and persistent** — the error of the anchor's *cumulative*
  growth over the first m unreleased years is sized directly from real-time replays of
  this very path since 2001, scored against first releases
  (:mod:`linhai_analysis.models.errors_history`): RMS of overlapping m-year windows,
  pooled with :data:`PRIOR_WINDOWS` pseudo-windows of an AR(1) prior (yearly sd = the
  anchor's realized-growth spread over ten years, ρ = ``RHO_PRIOR``); t tails with
  ``df = max(3, non-overlapping windows)``. Beyond the longest window the scale grows
  as the AR(1) prior's does.
* ``gap`` — the county's mean gap to the anchor over the years both growth rates are
  printed, **shrunk toward zero** with a unit-information prior (one pseudo-year of zero
  gap at the prior scale). Its yearly deviations are AR(1): variance from a scaled
  inverse-χ² (``PRIOR_DF`` pseudo-years at the larger of the province–nation gap's
  spread and the spread of the county's own growth), persistence from consecutive
  province–nation gaps shrunk toward ``RHO_PRIOR``; the uncertainty of the mean gap is
  common to all years (variance ∝ h²).
* nominal level growth = real growth × the national GDP deflator (mean of the last five
  years in the vintage, within census benchmarks), for GDP. The deflator path carries
  its own persistent error: AR(1) deviations (sd of the last ten deflators, ρ from their
  consecutive pairs shrunk toward ``RHO_PRIOR``) plus the uncertainty of the mean (∝ h²).
* Fiscal revenue is anchored on the county's own nominal GDP path times a revenue
  buoyancy (:mod:`linhai_analysis.models.fiscal`).

The three error sources are independent of each other; their cumulative variances add.
The log level in year t is a Student t with the anchor error's degrees of freedom at
that horizon. Every chosen parameter is listed in ``Forecast.params["inputs"]`` (name,
value, source, why) for the page (:func:`params_table`).

Why closed forms rather than statsmodels' UnobservedComponents or MixedLM: the county
gap rests on 0–6 years in which both growth rates are printed and no peer counties are
in the data to pool; state-space or mixed models on so few points either fail to
converge or return a zero variance. The replay windows and the AR(1) sums are exact,
take the prior explicitly, and their calibration is checked by simulation
(``tests/test_error_history.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..data.indicators import CATALOG
from ..data.places import DEFAULT_PLACE
from ..data.vintage import Vintage
from . import errors_history as eh
from .trend import Forecast, InsufficientDataError

#: Prior pseudo-years behind the noise variance (and the minimum t degrees of freedom).
PRIOR_DF = 4
#: Anchor of series without a real measure: (place, indicator) whose nominal growth leads.
NOMINAL_ANCHORS = {
    "fiscal_total_revenue": ("浙江省", "general_budget_revenue"),
    "general_budget_revenue": ("浙江省", "general_budget_revenue"),
}
#: Pseudo-windows of the AR(1) prior pooled with the replayed cumulative anchor errors.
PRIOR_WINDOWS = 2
#: Lower bound of every standard deviation in percentage points (a numerical floor).
SD_FLOOR_PP = 0.1


@dataclass(frozen=True)
class AnchorInputs:
    """Deprecated: pass a :class:`~linhai_analysis.data.vintage.Vintage` instead (kept so
    that ``fit_anchored(AnchorInputs(obs, targets, forecasts), ..., as_of=...)`` still works)."""

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


def anchor_path(vintage: Vintage, years: list[int], anchor_place: str, anchor_indicator: str,
                real: bool) -> tuple[list[float], list[str]]:
    """Growth of the anchor for each of ``years`` as known in ``vintage``, and its source
    (``realized``, ``IMF WEO``, ``target``, ``five-year plan``, ``carried forward`` or
    ``mean of the last five realized years``)."""
    realized = _growth_by_year(vintage.observations, anchor_place, anchor_indicator, real)
    imf = vintage.latest_forecasts() if (real and anchor_place == "全国") else pd.DataFrame()
    imf_map = dict(zip(imf["target_year"], imf["value"], strict=True)) if len(imf) else {}
    t = vintage.targets
    if len(t):
        t = t[(t["place"] == anchor_place) & (t["indicator"] == anchor_indicator) & t["value_low"].notna()]
    path, src = [], []
    last = None
    for y in years:
        if y in realized:
            v, s = realized[y], "realized"
        elif y in imf_map:
            v, s = float(imf_map[y]), "IMF WEO"
        else:
            annual = t[(t["kind"] == "annual_growth_target") & (t["target_year"] == y)] if len(t) else t
            plan = t[(t["kind"] == "avg_growth_target") & (t["period_start"] <= y) & (t["period_end"] >= y)] \
                if len(t) else t
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
                    raise InsufficientDataError(f"no growth of {anchor_place} {anchor_indicator} known at "
                                                f"{vintage.label}")
                v, s = float(np.mean(hist)), "mean of the last five realized years"
        path.append(v)
        src.append(s)
        last = v
    return path, src



def provincial_gaps(vintage: Vintage) -> dict[int, float]:
    """Zhejiang's real growth minus the nation's (pp), by year, in the vintage."""
    obs = vintage.observations
    zj = _growth_by_year(obs, "浙江省", "gdp", True)
    cn = _growth_by_year(obs, "全国", "gdp", True)
    return {y: zj[y] - cn[y] for y in zj if y in cn}


def provincial_gap_scale(vintage: Vintage) -> float:
    """Standard deviation (pp) of Zhejiang's real growth minus the nation's over the years
    both are in the vintage: the prior scale of a sub-national gap (1 pp with < 2 years)."""
    gaps = list(provincial_gaps(vintage).values())
    return max(float(np.std(gaps, ddof=1)) if len(gaps) >= 2 else 1.0, SD_FLOOR_PP)


#: Results that depend only on a few rows of a vintage, keyed by their content.
_REPLAY_CACHE: dict = {}

#: Economic censuses before the ones the indicator catalog tracks (2018, 2023): their
#: restatements of national levels (1st: 2004, announced 2005-12-20; 2nd: 2008, announced
#: 2009-12-25, source cn_2008rev_smh; 3rd: 2013, announced 2014-12-19) are not marked as
#: benchmark breaks in the data, so a level pair around them may mix the restatement with
#: prices. The deflators of the census year and the year after are left out of the history.
EARLY_CENSUS_YEARS = (2004, 2008, 2013)


def deflator_history(vintage: Vintage) -> dict[int, float]:
    """National GDP deflator growth (pp) by year, computable from the vintage's levels
    (without the years next to an untracked census, :data:`EARLY_CENSUS_YEARS`)."""
    from .deflators import annual_deflators

    obs = vintage.observations
    mine = obs[(obs["place"] == "全国") & (obs["indicator"] == "gdp")]
    key = ("deflators", _rows_key(mine))
    if key not in _REPLAY_CACHE:
        d = annual_deflators(mine, "全国").dropna(subset=["deflator_pct"])
        skip = {y + k for y in EARLY_CENSUS_YEARS for k in (0, 1)}
        _cache_put(key, {int(y): float(v) for y, v in zip(d["year"], d["deflator_pct"], strict=True)
                         if int(y) not in skip})
    return dict(_REPLAY_CACHE[key])


def _rows_key(rows: pd.DataFrame) -> int:
    """A content hash of observation rows (the caches below key on what a result reads)."""
    cols = [c for c in ("year", "value", "growth_pct", "available_date", "comparator", "benchmark",
                        "is_preferred", "source_precedence") if c in rows]
    return int(pd.util.hash_pandas_object(rows[cols], index=False).sum())


def _cache_put(key, value) -> None:
    if len(_REPLAY_CACHE) > 512:
        _REPLAY_CACHE.clear()
    _REPLAY_CACHE[key] = value


def national_deflator(vintage: Vintage, before: int,
                      history: dict[int, float] | None = None) -> tuple[float, float, int]:
    """Mean of the national GDP deflator over the last five calendar years up to the latest
    one known by ``before``, the standard deviation (pp) over the last ten calendar years,
    and how many years entered the mean."""
    d = deflator_history(vintage) if history is None else history
    ys = [y for y in sorted(d) if y <= before]
    if not ys:
        return 2.0, 1.5, 0  # no deflator known: a wide, stated default
    end = ys[-1]  # the last calendar five and ten years up to the latest deflator known
    last5 = [d[y] for y in ys if y > end - 5]
    last10 = [d[y] for y in ys if y > end - 10]
    sd = float(np.std(last10, ddof=1)) if len(last10) >= 2 else 1.5
    return float(np.mean(last5)), max(sd, SD_FLOOR_PP), len(last5)


def anchor_error_scale(vintage: Vintage, anchor_place: str, anchor_indicator: str, real: bool,
                       prior_sd: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cumulative anchor-error scale by number of unreleased years m = 1…H_MAX.

    Returns
    -------
    (scale, errors) : (pandas.DataFrame, pandas.DataFrame)
        ``scale``: columns ``h``, ``n_windows``, ``n_nonoverlap``, ``rms``, ``mean``,
        ``df`` (:func:`~linhai_analysis.models.errors_history.cumulative_scale`) plus
        ``prior`` (AR(1) prior, pp), ``scale`` (the pooled scale, pp) and ``yearly``
        (RMS of the single-year errors at lead h−1 pooled with the prior yearly sd);
        ``errors``: the replayed yearly errors.
    """
    obs = vintage.observations
    mine = obs[(obs["place"] == anchor_place) & (obs["indicator"] == anchor_indicator)]
    key = (vintage.label, anchor_place, anchor_indicator, real, round(prior_sd, 9), _rows_key(mine),
           len(vintage.targets), len(vintage.forecasts))
    if key not in _REPLAY_CACHE:
        def path_fn(v, ys):
            return anchor_path(v, ys, anchor_place, anchor_indicator, real)

        errs = eh.replay_errors(vintage, anchor_place, anchor_indicator, real, path_fn)
        scale = eh.cumulative_scale(eh.cumulative_errors(errs))
        prior = np.sqrt(eh.ar1_sum_variance(prior_sd**2, eh.RHO_PRIOR, scale["h"].to_numpy()))
        nn = scale["n_nonoverlap"].to_numpy(float)
        rms2 = np.nan_to_num(scale["rms"].to_numpy(float) ** 2)
        scale["prior"] = prior
        scale["scale"] = np.sqrt((PRIOR_WINDOWS * prior**2 + nn * rms2) / (PRIOR_WINDOWS + nn))
        yearly = []
        for h in scale["h"]:
            e = errs.loc[errs["lead"] == h - 1, "error"].to_numpy(float) if len(errs) else np.array([])
            yearly.append(math.sqrt((PRIOR_DF * prior_sd**2 + float(np.sum(e**2))) / (PRIOR_DF + len(e))))
        scale["yearly"] = yearly
        _cache_put(key, (scale, errs))
    scale, errs = _REPLAY_CACHE[key]
    return scale.copy(), errs.copy()


def _scale_at(scale, m: int) -> tuple[float, int]:
    """Cumulative anchor-error scale (pp) and df after ``m`` unreleased years (beyond the
    longest horizon: grown like the AR(1) prior). ``scale``: a DataFrame with columns
    ``h``, ``scale``, ``df`` (or a dict of those arrays)."""
    if m <= 0:
        return 0.0, 10**6
    h = np.asarray(scale["h"], dtype=int)
    i = int(np.searchsorted(h, min(m, int(h.max()))))
    s = float(np.asarray(scale["scale"], dtype=float)[i])
    hmax = int(h.max())
    if m > hmax:
        s *= math.sqrt(float(eh.ar1_sum_variance(1.0, eh.RHO_PRIOR, m)) /
                       float(eh.ar1_sum_variance(1.0, eh.RHO_PRIOR, hmax)))
    return s, int(np.asarray(scale["df"])[i])


def _inputs_row(name: str, value, source: str, why: str) -> dict:
    return {"name": name, "value": value, "source": source, "why": why}


def params_table(fc) -> pd.DataFrame:
    """The table of every chosen parameter of an anchored (or fiscal) forecast:
    columns ``name``, ``value``, ``source``, ``why``."""
    return pd.DataFrame(fc.params.get("inputs", []), columns=["name", "value", "source", "why"])


def fit_anchored(vintage: Vintage, indicator: str, years, values, *, place: str = DEFAULT_PLACE,
                 horizon: int = 2030, as_of: str | None = None) -> Forecast:
    """Fit the anchored model for ``indicator`` of ``place`` on its usable levels.

    Parameters
    ----------
    vintage : Vintage
        The information set (observations of all places, targets, forecasts by its date).
        A deprecated :class:`AnchorInputs` with ``as_of`` is still accepted.
    indicator : str
        Catalog code of the county series: a real-growth series (GDP: real national
        anchor) or fiscal revenue (``fiscal_total_revenue``, ``general_budget_revenue``:
        the county's nominal GDP path times a buoyancy, :mod:`.fiscal`).
    years, values : array-like
        The county's usable levels (the last one is the starting point).
    place : str
        The county (default 临海市).
    horizon : int
        Last year of the path.

    Returns
    -------
    Forecast
        ``model="anchored"``; ``params`` hold the path, its sources, the variance
        components and ``inputs`` (the parameter table, :func:`params_table`).

    Raises
    ------
    InsufficientDataError
        Without a level to start from or an anchor series.
    """
    if isinstance(vintage, AnchorInputs):  # deprecated call: (AnchorInputs, ..., as_of=...)
        vintage = Vintage(vintage.observations, vintage.targets, vintage.forecasts, as_of)
    if indicator in NOMINAL_ANCHORS:
        from .fiscal import fit_fiscal

        return fit_fiscal(vintage, indicator, years, values, place=place, horizon=horizon)
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    if len(years) == 0:
        raise InsufficientDataError(f"no level of {indicator} for {place} to start from")
    a_place, a_ind, real = _anchor_of(indicator, place)
    obs = vintage.observations
    own = _growth_by_year(obs, place, indicator, real)
    anchor_hist = _growth_by_year(obs, a_place, a_ind, real)
    gaps = [own[y] - anchor_hist[y] for y in own if y in anchor_hist]
    last_year = int(years[-1])
    fut = list(range(last_year + 1, max(horizon, last_year + 1) + 1))
    path, src = anchor_path(vintage, fut, a_place, a_ind, real)
    nominal = real and CATALOG[indicator].unit != "%"  # a nominal level with a real anchor
    a0 = max(float(np.std([anchor_hist[y] for y in sorted(anchor_hist)[-10:]], ddof=1))
             if len(anchor_hist) >= 3 else provincial_gap_scale(vintage), SD_FLOOR_PP)
    scale, errs = anchor_error_scale(vintage, a_place, a_ind, real, a0)
    pgaps = provincial_gaps(vintage)
    rho_gap, n_gap_pairs = eh.shrunk_rho(pgaps)
    if nominal:
        hist = deflator_history(vintage)
        d_mean, d_sd, d_n = national_deflator(vintage, last_year, hist)
        rho_d, n_d_pairs = eh.shrunk_rho({y: v for y, v in hist.items() if y <= last_year})
    else:
        d_mean, d_sd, d_n, rho_d, n_d_pairs = 0.0, 0.0, 0, 0.0, 0
    fc = anchored_forecast(
        years, values, gaps=gaps, own_growth=[own[y] for y in sorted(own)[-10:]],
        path=dict(zip(fut, path, strict=True)), path_source=dict(zip(fut, src, strict=True)),
        tau=provincial_gap_scale(vintage), anchor_scale=scale, rho_gap=rho_gap,
        deflator=(d_mean, d_sd, d_n), rho_deflator=rho_d,
        anchor_label=f"{a_place} {a_ind} ({'real' if real else 'nominal'})")
    p = fc.params
    h5 = scale[scale["h"] == min(5, int(scale["h"].max()))].iloc[0]
    tgt = eh.target_errors(vintage, a_place, a_ind)
    zj = eh.target_errors(vintage, "浙江省", "gdp")
    rms = lambda e: round(math.sqrt(float(np.mean(np.square(e)))), 2) if len(e) else None  # noqa: E731
    p["inputs"] = [
        _inputs_row("anchor path", ", ".join(f"{y}: {g:.1f}% ({s})" for y, g, s in zip(fut[:6], path, src, strict=False)),
                    f"{a_place} realized / IMF WEO / targets in the vintage of {vintage.label}",
                    "the wider economy's growth as known on the day; later years carry the last value"),
        _inputs_row("anchor error, 1-year (pp, RMS)", round(float(scale.iloc[0]["scale"]), 2),
                    f"{int(scale.iloc[0]['n_windows'])} real-time replays since 2001 vs first releases",
                    "error of this path for the first unreleased year, pooled with the AR(1) prior"),
        _inputs_row(f"anchor error, cumulative {int(h5['h'])}-year (pp, RMS)", round(float(h5["scale"]), 2),
                    f"{int(h5['n_windows'])} overlapping windows ({int(h5['n_nonoverlap'])} non-overlapping); "
                    f"raw RMS {h5['rms']:.2f}, mean {h5['mean']:+.2f}",
                    "cumulative errors measured directly, so their persistence is in the estimate"),
        _inputs_row("t degrees of freedom at 5 years", int(h5["df"]), eh.DF_RULE,
                    "tails from the data: few independent windows, heavy tails"),
        _inputs_row("prior yearly anchor sd (pp)", round(a0, 2),
                    f"sd of {a_place}'s realized growth over the last ten years",
                    f"AR(1) prior (rho {eh.RHO_PRIOR}) worth {PRIOR_WINDOWS} pseudo-windows"),
        _inputs_row("national target errors (pp, RMS, current year)", rms(tgt["error"]),
                    f"{len(tgt)} annual targets vs first releases ({', '.join(map(str, tgt['year'].head(1)))}–"
                    f"{', '.join(map(str, tgt['year'].tail(1)))})" if len(tgt) else "none in the vintage",
                    "cross-check of the 1-year scale (targets are set in March of their year)"),
        _inputs_row("Zhejiang target errors (pp, RMS, current year)", rms(zj["error"]),
                    f"{len(zj)} provincial targets vs first releases" if len(zj) else "none in the vintage",
                    "cross-check: sub-national targets err like national ones"),
        _inputs_row("county gap (pp/yr)", round(p["gap"], 2),
                    f"{len(gaps)} year(s) with both growth rates printed, shrunk toward 0",
                    "the county grows like the nation plus a gap"),
        _inputs_row("gap yearly sd (pp)", round(p["s_gap_pp"], 2),
                    "scaled inverse-chi2: county gap residuals + prior (province-nation gap spread, "
                    "county growth spread)", "few county years: the prior keeps it from vanishing"),
        _inputs_row("gap persistence (rho)", round(rho_gap, 2),
                    f"{n_gap_pairs} consecutive Zhejiang-nation gap pairs, shrunk toward {eh.RHO_PRIOR}",
                    "a county above or below trend stays so for several years"),
    ]
    if nominal:
        p["inputs"] += [
            _inputs_row("deflator path (%/yr)", round(d_mean, 2),
                        f"mean of {d_n} national deflator(s) of the last five years in the vintage",
                        "nominal levels from real growth"),
            _inputs_row("deflator yearly sd (pp)", round(d_sd, 2),
                        "sd of the national deflators of the last ten years (years next to the 2004, 2008 "
                        "and 2013 censuses left out)", "price shocks"),
            _inputs_row("deflator persistence (rho)", round(rho_d, 2),
                        f"{n_d_pairs} consecutive deflator pairs, shrunk toward {eh.RHO_PRIOR}",
                        "inflation persists"),
        ]
    p["anchor_replay"] = errs
    return fc


def anchored_forecast(years, values, *, gaps, own_growth, path: dict[int, float],
                      path_source: dict[int, str] | None = None, tau: float = 1.0,
                      anchor_scale: pd.DataFrame | None = None, rho_gap: float = eh.RHO_PRIOR,
                      deflator: tuple[float, float, int] = (0.0, 0.0, 0), rho_deflator: float = eh.RHO_PRIOR,
                      anchor_label: str = "", anchor_prior_sd: float = 1.0) -> Forecast:
    """The numeric core of the anchored model (no data access; see the module docstring).

    Parameters
    ----------
    years, values : array-like
        County levels; the forecast starts from the last one.
    gaps : sequence of float
        County minus anchor growth (pp) in the years both are known.
    own_growth : sequence of float
        Recent growth rates (pp) of the county: a prior scale of the gap.
    path : dict
        Anchor growth (pp) for every year after the last level.
    path_source : dict, optional
        Source of each path year; ``"realized"`` years carry no anchor error.
    tau : float
        Floor of the prior gap scale (the province–nation gap's spread).
    anchor_scale : pandas.DataFrame, optional
        Cumulative anchor-error scale by unreleased years (:func:`anchor_error_scale`:
        columns ``h``, ``scale``, ``df``, ``yearly``). Default: an AR(1) prior with
        yearly sd ``anchor_prior_sd`` and no windows (df 3). A dict of those arrays works too.
    rho_gap, rho_deflator : float
        Lag-one autocorrelations of the gap's and the deflator's yearly deviations.
    deflator : (mean, sd, n)
        Deflator growth (pp) to add for a nominal level with a real anchor.

    Returns
    -------
    Forecast
        ``model="anchored"``; ``params["path_df"]`` holds the t df of each path year.
    """
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    gaps = np.asarray(list(gaps), dtype=float)
    s0 = max(tau, float(np.std(own_growth, ddof=1)) if len(own_growth) >= 2 else tau)
    n = len(gaps)
    ss = float(np.sum((gaps - gaps.mean()) ** 2)) if n else 0.0
    df_gap = PRIOR_DF + max(n - 1, 0)
    s2_gap = (PRIOR_DF * s0**2 + ss) / df_gap  # scaled inverse-chi2 posterior scale
    if n:  # unit-information prior: one pseudo-year of zero gap at the prior noise scale
        prec = n / s2_gap + 1 / s0**2
        gap, v_gap = float((n / s2_gap) * gaps.mean() / prec), float(1 / prec)
    else:
        gap, v_gap = 0.0, s0**2
    if anchor_scale is None:
        hs = np.arange(1, eh.H_MAX + 1)
        prior = np.sqrt(eh.ar1_sum_variance(anchor_prior_sd**2, eh.RHO_PRIOR, hs))
        anchor_scale = {"h": hs, "scale": prior, "df": np.full(len(hs), eh.MIN_DF),
                        "yearly": np.full(len(hs), anchor_prior_sd), "n_windows": np.zeros(len(hs), dtype=int)}
    d_mean, d_sd, d_n = deflator
    v_dmean = (d_sd**2 / d_n if d_n else d_sd**2) if d_sd else 0.0
    last_year = int(years[-1])
    fut = sorted(path)
    src = path_source or {y: "given" for y in fut}
    growth = [(1 + (path[y] + gap) / 100) * (1 + d_mean / 100) for y in fut]
    cum = np.cumsum(np.log(growth))
    sc = {c: np.asarray(anchor_scale[c]) for c in ("h", "scale", "df", "yearly")}
    var, dfs, yearly_anchor = [], [], []
    m = 0
    for k, y in enumerate(fut, start=1):
        if src.get(y) != "realized":
            m += 1
        s_a, df_a = _scale_at(sc, m)
        v = (s_a**2 + float(eh.ar1_sum_variance(s2_gap, rho_gap, k)) + v_gap * k**2
             + (float(eh.ar1_sum_variance(d_sd**2, rho_deflator, k)) + v_dmean * k**2 if d_sd else 0.0))
        var.append(v / 1e4)  # pp² -> log-points²
        dfs.append(min(df_a, df_gap if m == 0 else df_a))
        if src.get(y) == "realized":
            yearly_anchor.append(0.0)
        else:
            i = int(np.searchsorted(sc["h"], min(m, int(sc["h"].max()))))
            yearly_anchor.append(float(sc["yearly"][i]) ** 2)
    var = np.maximum.accumulate(np.asarray(var)) if var else np.asarray(var)
    dfs_arr = np.asarray(dfs, dtype=float)
    df_min = int(dfs_arr.min()) if len(dfs_arr) else df_gap
    params = {
        "last_year": float(last_year), "last_log": float(math.log(values[-1])),
        "path_years": np.array([last_year] + fut, dtype=float), "path_cum": np.concatenate([[0.0], cum]),
        "path_var": np.concatenate([[0.0], var]),
        "path_df": np.concatenate([[float(dfs_arr[0]) if len(dfs_arr) else df_gap], dfs_arr]),
        "s2_anchor_by_lead_pp2": yearly_anchor,
        "path_growth": dict(path), "path_source": dict(src), "anchor": anchor_label, "gap": gap, "gap_n": n,
        "gap_raw_mean": float(gaps.mean()) if n else None, "sc2": 0.0, "sigma2": 1.0,
        "s_gap_pp": math.sqrt(s2_gap), "rho_gap": rho_gap,
        "s_anchor_pp": math.sqrt(yearly_anchor[0]) if yearly_anchor else 0.0,
        "n_anchor_errors": int(np.asarray(anchor_scale["n_windows"])[0]),
        "anchor_scale": anchor_scale,
        "deflator_mean": d_mean, "deflator_sd": d_sd, "rho_deflator": rho_deflator, "tau_pp": tau,
        "v_gap_pp2": v_gap, "prior_gap_pp": s0,
    }
    return Forecast("anchored", years, values, df_min, params)


def p_growth_at_least(fc: Forecast, year: int, threshold_pct: float) -> float:
    """P(real growth in ``year`` >= ``threshold_pct``) under an anchored fit of a real
    series: anchor path + gap, with the single-year anchor error at that lead (replay
    RMS), the gap's yearly variance and the mean-gap variance."""
    from scipy import stats

    p = fc.params
    mean = p["path_growth"][year] + p["gap"]
    lead = year - int(p["last_year"])
    s2_anchor = p["s2_anchor_by_lead_pp2"][lead - 1]
    sd_pp = math.sqrt(p["s_gap_pp"] ** 2 + s2_anchor + p["v_gap_pp2"])
    df = float(np.interp(year, p["path_years"], p["path_df"]))
    return float(1 - stats.t.cdf((threshold_pct - mean) / sd_pp, df))

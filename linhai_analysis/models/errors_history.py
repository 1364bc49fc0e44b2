"""Forecast uncertainty from long error histories, with persistence.

A county series with 3–6 annual points says little about its own future errors, and
summing independent yearly shocks understates the error of cumulative growth when
errors persist (a slowdown lasts several years). This module sizes the error of
*cumulative* h-year growth (h = 1…5) **directly** from overlapping historical windows
of errors that were actually observed, the way forecast offices evaluate their own
records (the OBR's and the IMF's forecast evaluations):

Real-time replays of the anchor path (:func:`replay_errors`)
    For every origin year ``o`` from the start of the data, the anchor path is rebuilt
    **from the vintage of that origin** (same calendar day as the forecast's ``as_of``,
    e.g. 17 February of ``o``): realized growth where already published, else the
    latest IMF WEO vintage for the year (published in year t−k for year t), else the
    annual target (announced at the start of its year), else the five-year-plan
    average, else the last value carried forward. Its error in each later year is the
    **first release** of that year's growth minus the path (log points). The
    replayed path is exactly what the anchored model would have used on that day, so
    its errors are the errors of this model's anchor path at each horizon.
Cumulative windows (:func:`cumulative_errors`, :func:`cumulative_scale`)
    For every origin, the cumulative error over its first h unreleased years is the
    sum of its yearly errors; h-year windows of consecutive origins overlap. The
    scale at h is the root mean square of those sums (around zero, not around their
    mean: a persistent bias of the targets is part of the error a reader faces).
    Persistence is thus in the estimate, not assumed.
Tails (:data:`DF_RULE`)
    The cumulative error is a Student t with ``df = max(MIN_DF, n_nonoverlap)``,
    where ``n_nonoverlap = floor(span / h)`` is the number of non-overlapping h-year
    windows in the span of origins used: overlapping windows carry about as much
    information as the non-overlapping ones they contain.
Short histories (county gap, deflator)
    Where only a handful of years exist, the yearly deviations are an AR(1) with a
    lag-one autocorrelation estimated from consecutive pairs and shrunk toward
    :data:`RHO_PRIOR` (:func:`shrunk_rho`); the variance of their h-year sum has the
    closed form :func:`ar1_sum_variance`.

An ``as_of`` before a release sees none of its errors: every function here reads a
:class:`~linhai_analysis.data.vintage.Vintage`, which holds only what was published
by its date, and a window counts only when the first release of its last year is in
the vintage.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: Fewest degrees of freedom of any t used for a probability.
MIN_DF = 3
#: Prior lag-one autocorrelation of yearly deviations (gap, deflator, revenue) and the
#: number of pseudo-pairs it counts for. 0.6 is the persistence of yearly growth-forecast
#: errors found for national forecasts (the issue's AR(1) check, ρ≈0.6).
RHO_PRIOR = 0.6
RHO_PRIOR_PAIRS = 5
DF_RULE = "df = max(3, floor(span of origins / h)): the number of non-overlapping h-year windows"
#: Calendar day of the replay origins for the ``latest`` vintage: the day of Linhai's
#: 2022 report (17 February), early in the year like every county report.
ORIGIN_DAY = "02-17"
#: Longest cumulative horizon estimated directly (years).
H_MAX = 5


def ar1_sum_variance(sigma2: float, rho: float, h: int | np.ndarray) -> np.ndarray:
    """Variance of the sum of ``h`` consecutive stationary AR(1) deviations with
    marginal variance ``sigma2`` and lag-one autocorrelation ``rho``:
    ``sigma2 · (h + 2 Σ_{k=1}^{h-1} (h − k) ρ^k)``.

    Examples
    --------
    >>> float(ar1_sum_variance(1.0, 0.0, 5))   # independent: h
    5.0
    >>> float(ar1_sum_variance(1.0, 1.0, 5))   # fully persistent: h²
    25.0
    """
    hs = np.atleast_1d(np.asarray(h, dtype=int))
    out = []
    for n in hs:
        k = np.arange(1, max(int(n), 1))
        out.append(sigma2 * (n + 2 * float(np.sum((n - k) * rho ** k))) if n > 0 else 0.0)
    arr = np.asarray(out, dtype=float)
    return arr if np.ndim(h) else arr[0]


def shrunk_rho(series: dict[int, float], prior: float = RHO_PRIOR,
               prior_pairs: int = RHO_PRIOR_PAIRS) -> tuple[float, int]:
    """Lag-one autocorrelation of a yearly series (deviations from its mean) over the
    pairs of consecutive years, shrunk toward ``prior`` with ``prior_pairs`` pseudo-pairs:
    ``(n·ρ̂ + n0·ρ0) / (n + n0)``; clipped to [0, 0.95]. Returns (ρ, n pairs)."""
    ys = sorted(series)
    if len(ys) < 2:
        return prior, 0
    m = float(np.mean([series[y] for y in ys]))
    pairs = [(series[a] - m, series[b] - m) for a, b in zip(ys[:-1], ys[1:], strict=True) if b == a + 1]
    n = len(pairs)
    if n == 0:
        return prior, 0
    x = np.array(pairs)
    den = float(np.sum(x[:, 0] ** 2))
    rho_hat = float(np.sum(x[:, 0] * x[:, 1]) / den) if den > 0 else prior
    rho = (n * rho_hat + prior_pairs * prior) / (n + prior_pairs)
    return float(min(max(rho, 0.0), 0.95)), n


def df_rule(span: int, h: int) -> int:
    """t degrees of freedom for an h-year scale from windows spanning ``span`` years
    (:data:`DF_RULE`): ``max(MIN_DF, span // h)``."""
    return max(MIN_DF, int(span) // int(h))


def overlapping_window_rms(errors: np.ndarray, h: int) -> np.ndarray:
    """RMS of the sums of every ``h`` consecutive yearly errors, along the last axis (one
    row per history: vectorised twin of :func:`cumulative_errors` +
    :func:`cumulative_scale` for complete histories)."""
    e = np.asarray(errors, dtype=float)
    c = np.cumsum(np.concatenate([np.zeros(e.shape[:-1] + (1,)), e], axis=-1), axis=-1)
    w = c[..., h:] - c[..., :-h]
    return np.sqrt(np.mean(w**2, axis=-1))


def cumulative_errors(errors: pd.DataFrame, h_max: int = H_MAX) -> pd.DataFrame:
    """Cumulative errors of overlapping windows.

    Parameters
    ----------
    errors : pandas.DataFrame
        Columns ``origin``, ``lead`` (0 = the first unreleased year of that origin) and
        ``error`` (log points ×100, i.e. approximately pp).
    h_max : int
        Longest window.

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``h``, ``cum_error``: one row per origin and h whose leads
        0…h−1 all have an error.
    """
    rows = []
    for o, grp in errors.groupby("origin", sort=True):
        e = dict(zip(grp["lead"].astype(int), grp["error"].astype(float), strict=True))
        total = 0.0
        for h in range(1, h_max + 1):
            if h - 1 not in e:
                break
            total += e[h - 1]
            rows.append({"origin": int(o), "h": h, "cum_error": total})
    return pd.DataFrame(rows, columns=["origin", "h", "cum_error"])


def cumulative_scale(cum: pd.DataFrame, h_max: int = H_MAX) -> pd.DataFrame:
    """Root-mean-square cumulative error by horizon, with the t degrees of freedom of
    :data:`DF_RULE`.

    Returns
    -------
    pandas.DataFrame
        Columns ``h``, ``n_windows``, ``n_nonoverlap``, ``rms`` (same unit as the
        errors), ``mean`` (the bias, shown, not removed) and ``df``; a horizon
        without a window has ``rms`` NaN.
    """
    out = []
    for h in range(1, h_max + 1):
        c = cum[cum["h"] == h]
        n = len(c)
        span = int(c["origin"].max() - c["origin"].min() + h) if n else 0
        nn = span // h
        out.append({"h": h, "n_windows": n, "n_nonoverlap": nn,
                    "rms": math.sqrt(float(np.mean(c["cum_error"] ** 2))) if n else float("nan"),
                    "mean": float(c["cum_error"].mean()) if n else float("nan"),
                    "df": df_rule(span, h) if n else MIN_DF})
    return pd.DataFrame(out)


def first_release_growth(observations: pd.DataFrame, place: str, indicator: str,
                         real: bool = True) -> dict[int, float]:
    """Growth by year as first published: the earliest printed growth of each year
    (real: comparable or unknown basis), the benchmark against which errors are scored."""
    rows = observations[(observations["place"] == place) & (observations["indicator"] == indicator)
                        & observations["growth_pct"].notna()]
    if real:
        rows = rows[rows["growth_basis"].isin(["comparable", "unknown"])]
    rows = rows.sort_values(["available_date", "source_precedence"], kind="mergesort")
    first = rows.drop_duplicates("year", keep="first")
    return {int(y): float(g) for y, g in zip(first["year"], first["growth_pct"], strict=True)}


def _log_pp(g: float) -> float:
    return 100 * math.log1p(g / 100)


def replay_errors(vintage, anchor_place: str, anchor_indicator: str, real: bool,
                  path_fn, first_origin: int = 2001, leads: int = H_MAX) -> pd.DataFrame:
    """Errors of the anchor path replayed from every origin year's own vintage.

    Parameters
    ----------
    vintage : Vintage
        The information set of the forecast; origins run from ``first_origin`` to its
        year, each on the same calendar day (``latest``: :data:`ORIGIN_DAY`, up to the
        last date in the data — deterministic, never today's date).
    path_fn : callable
        ``path_fn(vintage, years) -> (path, sources)``: the anchor path as the model
        builds it (:func:`linhai_analysis.models.anchored.anchor_path`).

    Returns
    -------
    pandas.DataFrame
        Columns ``origin``, ``origin_date``, ``lead``, ``year``, ``path``, ``source``,
        ``first_release``, ``error`` (log points ×100, realized minus path), for every
        unreleased year of every origin whose first release is in ``vintage``.
    """
    from .trend import InsufficientDataError

    realized = first_release_growth(vintage.observations, anchor_place, anchor_indicator, real)
    if vintage.as_of:
        day = vintage.as_of
    else:  # everything: origins up to the last day in the data, on the report's calendar day
        dates = vintage.observations["available_date"].astype(str)
        day = max(dates) if len(dates) else "2022-02-17"
    end_year = int(day[:4])
    md = vintage.as_of[5:] if vintage.as_of else ORIGIN_DAY
    obs = vintage.observations
    # the path reads only the anchor's own rows: replay on those (same result, faster)
    base = vintage.with_observations(obs[(obs["place"] == anchor_place) & (obs["indicator"] == anchor_indicator)])
    rows = []
    for o in range(first_origin, end_year + 1):
        od = f"{o}-{md}" if md != "02-29" else f"{o}-02-28"
        if od > day:
            break
        past = base.at(od)
        years = list(range(o - 1, o + leads + 1))
        try:
            path, src = path_fn(past, years)
        except InsufficientDataError:
            continue
        lead = 0
        for y, p, s in zip(years, path, src, strict=True):
            if s == "realized":
                continue
            if y in realized:
                rows.append({"origin": o, "origin_date": od, "lead": lead, "year": y, "path": p, "source": s,
                             "first_release": realized[y], "error": _log_pp(realized[y]) - _log_pp(p)})
            lead += 1
            if lead >= leads:
                break
    return pd.DataFrame(rows, columns=["origin", "origin_date", "lead", "year", "path", "source",
                                       "first_release", "error"])


def target_errors(vintage, place: str, indicator: str = "gdp") -> pd.DataFrame:
    """Errors of annual growth targets (announced at the start of their year, horizon 0)
    against first releases, for every target year whose first release is in the vintage.
    Columns ``year``, ``target``, ``first_release``, ``error`` (log points ×100)."""
    t = vintage.targets
    if t.empty:
        return pd.DataFrame(columns=["year", "target", "first_release", "error"])
    t = t[(t["place"] == place) & (t["indicator"] == indicator) & (t["kind"] == "annual_growth_target")
          & t["value_low"].notna()]
    realized = first_release_growth(vintage.observations, place, indicator, True)
    rows = []
    for _, r in t.drop_duplicates("target_year", keep="first").iterrows():
        y = int(r["target_year"])
        if y in realized:
            point = float(r["value_low"]) if pd.isna(r["value_high"]) else (r["value_low"] + r["value_high"]) / 2
            rows.append({"year": y, "target": point, "first_release": realized[y],
                         "error": _log_pp(realized[y]) - _log_pp(point)})
    return pd.DataFrame(rows, columns=["year", "target", "first_release", "error"]).sort_values("year") \
        .reset_index(drop=True)

"""Honest evaluation: rolling-origin backtests with proper scores, against naive
benchmarks that also have distributions.

For every series (Linhai and the anchor places), every information set ``as_of`` at
which the series got a new figure (each report or bulletin date from 2014 on) and every
model, the model is fitted on what was known then and every later published level of
the series is scored:

* PIT (the predictive percentile of the realized value) and whether it falls inside the
  central 50/80/95% bands;
* CRPS and the log score, both on the **log level**, so that a county and the nation
  pool fairly (a CRPS of 0.02 is about 2% of the level);

Naive benchmarks, with distributions sized the same way (a random walk's yearly
variance estimated from the series' own within-benchmark increments):
``no_change`` (the last level) and ``last_cagr`` (the growth between the last two
points, continued).

Effective sample size: forecasts from successive origins overlap (nested horizons) and
all series share national shocks (2020, 2022), so the scored points are far from
independent; ``effective_n`` counts distinct (series, target year) pairs, an upper
bound on the independent information.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special, stats

from ..models.trend import BANDS, MODELS, Forecast, InsufficientDataError, fit
from .plausibility import usable_series

BACKTEST_COLUMNS = ["series", "place", "model", "as_of", "year", "horizon", "realized", "median", "pit",
                    "in_band_50", "in_band_80", "in_band_95", "crps", "log_score", "benchmark_break"]
SUMMARY_COLUMNS = ["model", "horizon", "n", "effective_n", "coverage_50", "coverage_80", "coverage_95",
                   "crps_mean", "log_score_mean"]
NAIVE = ("no_change", "last_cagr")
#: Series scored by default: (place, indicator).
DEFAULT_SERIES = (("临海市", "gdp"), ("临海市", "fiscal_total_revenue"), ("临海市", "general_budget_revenue"),
                  ("台州市", "gdp"), ("浙江省", "gdp"), ("全国", "gdp"))


def crps_normal(y: float | np.ndarray, mu: float | np.ndarray, sigma: float | np.ndarray) -> np.ndarray:
    """CRPS of a normal N(mu, sigma²) at ``y`` (closed form, Gneiting & Raftery 2007):
    σ [z(2Φ(z) − 1) + 2φ(z) − 1/√π], z = (y − μ)/σ."""
    z = (np.asarray(y) - mu) / sigma
    return sigma * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi))


def crps_t(y: float | np.ndarray, loc: float | np.ndarray, scale: float | np.ndarray, df: float) -> np.ndarray:
    """CRPS of a location-scale Student t with ``df`` > 1 degrees of freedom (closed form,
    Jordan, Krüger & Lerch 2019); tends to :func:`crps_normal` as df grows."""
    if df <= 1:
        raise ValueError("the CRPS of a t needs df > 1 (finite mean)")
    z = (np.asarray(y) - loc) / scale
    nu = float(df)
    term1 = z * (2 * stats.t.cdf(z, nu) - 1)
    term2 = 2 * stats.t.pdf(z, nu) * (nu + z**2) / (nu - 1)
    term3 = (2 * math.sqrt(nu) * special.beta(0.5, nu - 0.5)) / ((nu - 1) * special.beta(0.5, nu / 2) ** 2)
    return scale * (term1 + term2 - term3)


def score(fc: Forecast, year: int, realized: float) -> dict:
    """PIT, band hits, CRPS and log score (log level) of one realized value."""
    loc, scale = fc.loc_scale(year)
    loc, scale = float(loc), float(scale)
    y = math.log(realized)
    pit = float(stats.t.cdf((y - loc) / scale, fc.df))
    out = {"median": float(math.exp(loc)), "pit": pit,
           "crps": float(crps_t(y, loc, scale, fc.df)),
           "log_score": float(np.log(stats.t.pdf((y - loc) / scale, fc.df) / scale))}
    for c in BANDS:
        out[f"in_band_{int(c * 100)}"] = bool((1 - c) / 2 <= pit <= 1 - (1 - c) / 2)
    return out


def naive_forecast(kind: str, years: np.ndarray, values: np.ndarray, segments=None) -> Forecast:
    """A naive benchmark with a distribution: a random walk whose yearly variance is
    estimated from the series' own within-benchmark increments (mean-zero for
    ``no_change``; around the last growth for ``last_cagr``); no drift uncertainty.

    Raises
    ------
    InsufficientDataError
        With fewer than two within-benchmark increments.
    """
    y, v = np.asarray(years, float), np.log(np.asarray(values, float))
    seg = np.asarray([""] * len(y) if segments is None else list(segments), dtype=object)
    same = seg[1:] == seg[:-1]
    k, d = np.diff(y)[same], np.diff(v)[same]
    if len(d) < 2:
        raise InsufficientDataError(f"{kind} needs 2 increments within benchmark segments, got {len(d)}")
    if kind == "no_change":
        mu = 0.0
        resid = d
    else:
        mu = float(d[-1] / k[-1])
        resid = d - k * float(d.sum() / k.sum())
    sigma2 = max(float(np.sum(resid**2 / k) / len(d)), 1e-8)
    return Forecast(kind, y, np.exp(v), max(len(d) - 1, 2) if kind == "last_cagr" else len(d),
                    {"mu": mu, "sigma2": sigma2, "K": math.inf, "last_year": float(y[-1]), "last_log": float(v[-1])})


def _fit_model(model: str, s, anchors, as_of: str) -> Forecast:
    if model in MODELS:
        return fit(model, s.years, s.values, s.segments or None)
    if model in NAIVE:
        return naive_forecast(model, s.years, s.values, s.segments or None)
    from ..models.anchored import fit_anchored

    return fit_anchored(anchors, s.indicator, s.years, s.values, as_of=as_of, place=s.place, horizon=2030)


def origins(observations: pd.DataFrame, place: str, indicator: str, since: str = "2014-01-01") -> list[str]:
    """Dates at which the series got a new published figure (its report or bulletin dates)."""
    rows = observations[(observations["place"] == place) & (observations["indicator"] == indicator)
                        & observations["value"].notna() & observations["comparator"].eq("=")]
    return sorted(d for d in rows["available_date"].unique() if d >= since)


def backtest(observations: pd.DataFrame, anchors=None, *, series=DEFAULT_SERIES,
             models: tuple[str, ...] = ("ols", "rw_drift", "anchored", *NAIVE),
             since: str = "2014-01-01") -> pd.DataFrame:
    """Rolling-origin backtest: one row per series, model, origin and later published value.

    Parameters
    ----------
    observations : pandas.DataFrame
        Every place's observations (latest information set; each fit restricts itself).
    anchors : linhai_analysis.anchored.AnchorInputs, optional
        Needed for the ``anchored`` model; without it that model is skipped.
    series : sequence of (place, indicator)
    models : sequence of str
    since : str
        First origin date.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BACKTEST_COLUMNS`; a model that cannot be fitted at an origin
        (too few points) simply has no rows there.
    """
    rows = []
    for place, indicator in series:
        truth = observations[(observations["place"] == place) & (observations["indicator"] == indicator)
                             & observations["is_preferred"] & observations["value"].notna()]
        for as_of in origins(observations, place, indicator, since):
            s = usable_series(observations, indicator, as_of, place)
            if not len(s.years) or s.problem == "basis_mismatch":
                continue
            later = truth[truth["year"] > s.years[-1]]
            if later.empty:
                continue
            fit_basis = s.segments[-1] if s.segments else ""
            for model in models:
                if model == "anchored" and anchors is None:
                    continue
                try:
                    fc = _fit_model(model, s, anchors, as_of)
                except InsufficientDataError:
                    continue
                for _, r in later.iterrows():
                    y = int(r["year"])
                    rows.append({"series": indicator, "place": place, "model": model, "as_of": as_of,
                                 "year": y, "horizon": y - int(s.years[-1]), "realized": float(r["value"]),
                                 **score(fc, y, float(r["value"])),
                                 "benchmark_break": bool(r["benchmark"]) and r["benchmark"] != fit_basis})
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def summarize_backtest(bt: pd.DataFrame, by: tuple[str, ...] = ("model", "horizon")) -> pd.DataFrame:
    """Coverage of the 50/80/95% bands, mean CRPS and mean log score by model and horizon,
    with a pooled row (horizon ``all``) per model. ``effective_n`` counts distinct
    (place, series, year) pairs: an upper bound on the independent information."""
    out = []
    for model, g in bt.groupby("model", sort=True):
        parts = [(h, gh) for h, gh in g.groupby("horizon", sort=True)] + [("all", g)]
        for h, gh in parts:
            out.append({"model": model, "horizon": str(h), "n": len(gh),
                        "effective_n": len(gh[["place", "series", "year"]].drop_duplicates()),
                        "coverage_50": gh["in_band_50"].mean(), "coverage_80": gh["in_band_80"].mean(),
                        "coverage_95": gh["in_band_95"].mean(), "crps_mean": gh["crps"].mean(),
                        "log_score_mean": gh["log_score"].mean()})
    return pd.DataFrame(out, columns=SUMMARY_COLUMNS)


def common_pool(bt: pd.DataFrame, models: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The rows whose (place, series, origin, year) every one of ``models`` forecast:
    the only fair ground for comparing models (default: every model in ``bt``)."""
    models = tuple(models or sorted(bt["model"].unique()))
    key = ["place", "series", "as_of", "year"]
    sub = bt[bt["model"].isin(models)]
    counts = sub.groupby(key)["model"].nunique()
    keep = counts[counts == len(models)].index
    return sub.set_index(key).loc[keep].reset_index()[bt.columns] if len(keep) else sub.iloc[:0]


def crps_ratios(summary: pd.DataFrame, reference: str = "no_change") -> pd.Series:
    """Each model's pooled mean CRPS as a ratio to ``reference``'s (below 1 beats it).
    Pools differ in which origins a model could be fitted at: compare with care."""
    pooled = summary[summary["horizon"] == "all"].set_index("model")["crps_mean"]
    return pooled / pooled.get(reference, np.nan)


def brier_scores(judged: pd.DataFrame, card: pd.DataFrame) -> pd.DataFrame:
    """Brier score of each model's P for the binary targets of the scorecard year.

    Parameters
    ----------
    judged : pandas.DataFrame
        :func:`linhai_analysis.plausibility.judge_targets` at the report date.
    card : pandas.DataFrame
        :func:`linhai_analysis.outcomes.scorecard_2022` (``met`` True/False/None).

    Returns
    -------
    pandas.DataFrame
        ``model, n, brier, targets``; targets whose outcome is undecided are left out.
    """
    known = card[card["met"].notna()].set_index("indicator")["met"].astype(float)
    g = judged[(judged["kind"] == "target_growth") & judged["p_meet"].notna()
               & judged["indicator"].isin(known.index)]
    rows = []
    for model, gm in g.groupby("model", sort=True):
        err = [(p - known[i]) ** 2 for i, p in zip(gm["indicator"], gm["p_meet"], strict=True)]
        rows.append({"model": model, "n": len(err), "brier": float(np.mean(err)),
                     "targets": ", ".join(gm["indicator"])})
    return pd.DataFrame(rows, columns=["model", "n", "brier", "targets"])


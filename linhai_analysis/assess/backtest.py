"""Honest evaluation: rolling-origin backtests with proper scores, against naive
benchmarks that also have distributions, compared like for like.

For every series (Linhai and the anchor places), every information set at which the
series got a new figure (each report or bulletin date from 2014 on; the vintage of that
date, ``latest.at(origin)``) and every model, the model is fitted on what was known then
and every later year is scored against its **first release** (what a forecaster saw
first; later revisions are later vintages):

* PIT (the predictive percentile of the realized value) and whether it falls inside the
  central 50/80/95% bands;
* CRPS and the log score, both on the **log level**, so that a county and the nation
  pool fairly (a CRPS of 0.02 is about 2% of the level).

Naive benchmarks, with distributions sized the same way (a random walk's yearly
variance estimated from the series' own within-benchmark increments):
``no_change`` (the last level) and ``last_cagr`` (the growth between the last two
points, continued). ``combined`` is the equal-weight linear pool of the models that
give a probability on the pages (:mod:`linhai_analysis.assess.pool`). ``combined_weighted``
(asked for by name; ``benchmarks/forecast_quality.py`` does) pools the same models with
weights from the scores of outcomes first released on or before the origin
(:func:`past_weights`: inverse mean CRPS shrunk toward equal), so it is out of sample.

Like for like
-------------
Models are compared only on the (series, place, origin, year) points that every one of
them forecast (:func:`common_pool`, :func:`like_for_like`): by horizon, by level of
government, and on Linhai's own points. A pooled table of every forecast a model could
make is kept, but its pools differ across models (the trend models need more points,
so they forecast from fewer origins and at shorter horizons): it is not comparable
across models.

Effective sample size
---------------------
Forecasts from successive origins overlap (nested horizons) and every series shares
the national shocks of a year (2020, 2022), so the scored points are far from
independent: the effective sample is the number of **distinct target years**
(``effective_n``), and intervals for CRPS differences come from a bootstrap that
resamples target years (:func:`cluster_bootstrap`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special, stats

from ..data.places import get_place
from ..data.vintage import Vintage
from ..models.combine import SHRINK_K, score_weights
from ..models.trend import BANDS, MODELS, Forecast, InsufficientDataError, fit
from .plausibility import JUDGE_MODELS, fit_anchored_on, usable_series
from .pool import POOL_MODEL, POOL_WEIGHTED, crps_log, is_pool, log_pdf, pool

BACKTEST_COLUMNS = ["series", "place", "level", "model", "as_of", "year", "horizon", "realized", "median",
                    "pit", "in_band_50", "in_band_80", "in_band_95", "crps", "log_score", "benchmark_break"]
SUMMARY_COLUMNS = ["model", "horizon", "n", "effective_n", "coverage_50", "coverage_80", "coverage_95",
                   "crps_mean", "log_score_mean"]
LIKE_COLUMNS = ["table", "group", "model", "n", "effective_n", "coverage_50", "coverage_80", "coverage_95",
                "mean_pit", "crps_mean", "crps_diff_no_change", "crps_diff_no_change_low",
                "crps_diff_no_change_high", "best_rival", "crps_diff_rival", "crps_diff_rival_low",
                "crps_diff_rival_high"]
PIT_YEAR_COLUMNS = ["model", "year", "n", "mean_pit", "share_below_half", "in_band_80"]
NAIVE = ("no_change", "last_cagr")
#: Seed of the year-clustered bootstraps.
BOOT_SEED = 20220217
LEVEL_ORDER = ("county", "prefecture", "province", "nation")
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


def score_pool(fc, year: int, realized: float) -> dict:
    """PIT, band hits, CRPS and log score (log level) of one realized value under a pool
    (:func:`linhai_analysis.assess.pool.pool`)."""
    pit = float(fc.cdf(year, realized))
    out = {"median": float(fc.median(year)), "pit": pit, "crps": crps_log(fc, year, realized),
           "log_score": float(np.log(max(log_pdf(fc, year, math.log(realized)), 1e-300)))}
    for c in BANDS:
        out[f"in_band_{int(c * 100)}"] = bool((1 - c) / 2 <= pit <= 1 - (1 - c) / 2)
    return out


def _fit_model(model: str, s, vintage: Vintage) -> Forecast:
    if model in MODELS:
        return fit(model, s.years, s.values, s.segments or None)
    if model in NAIVE:
        return naive_forecast(model, s.years, s.values, s.segments or None)
    return fit_anchored_on(vintage, s.indicator, s.years, s.values, place=s.place, horizon=2030)


def origins(vintage: Vintage, place: str, indicator: str, since: str = "2014-01-01") -> list[str]:
    """Dates at which the series got a new published figure (its report or bulletin
    dates) in ``vintage``."""
    obs = vintage.observations
    rows = obs[(obs["place"] == place) & (obs["indicator"] == indicator)
               & obs["value"].notna() & obs["comparator"].eq("=")]
    return sorted(d for d in rows["available_date"].unique() if d >= since)


def first_release_truth(vintage: Vintage, place: str, indicator: str) -> pd.DataFrame:
    """The first published exact level of each year of a series: what forecasts are
    scored against."""
    obs = vintage.observations
    exact = obs[(obs["place"] == place) & (obs["indicator"] == indicator) & obs["value"].notna()
                & obs["comparator"].eq("=")]
    return vintage.with_observations(exact).first_releases


def backtest(vintage: Vintage, *, series=DEFAULT_SERIES,
             models: tuple[str, ...] = (*JUDGE_MODELS, *NAIVE, POOL_MODEL),
             since: str = "2014-01-01") -> pd.DataFrame:
    """Rolling-origin backtest: one row per series, model, origin and later first release.

    Parameters
    ----------
    vintage : Vintage
        The latest information set; each origin's is ``vintage.at(origin)``.
    series : sequence of (place, indicator)
    models : sequence of str
        ``combined`` pools the models of :data:`JUDGE_MODELS` that could be fitted at
        the origin (equal weights); ``combined_weighted`` pools them with
        :func:`past_weights` of the scores known at the origin.
    since : str
        First origin date.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BACKTEST_COLUMNS`; a model that cannot be fitted at an origin
        (too few points) simply has no rows there.
    """
    rows, known, pending = [], [], []
    for place, indicator in series:
        truth = first_release_truth(vintage, place, indicator)
        level = get_place(place).level
        for as_of in origins(vintage, place, indicator, since):
            v0 = vintage.at(as_of)
            s = usable_series(v0, indicator, place)
            if not len(s.years) or s.problem == "basis_mismatch":
                continue
            later = truth[truth["year"] > s.years[-1]]
            if later.empty:
                continue
            fit_basis = s.segments[-1] if s.segments else ""
            fits = {}
            for model in models:
                if model in (POOL_MODEL, POOL_WEIGHTED):
                    continue
                try:
                    fits[model] = _fit_model(model, s, v0)
                except InsufficientDataError:
                    continue
            members = tuple(m for m in JUDGE_MODELS if m in fits)
            if POOL_MODEL in models and members:
                fits[POOL_MODEL] = pool(tuple(fits[m] for m in members))
            if POOL_WEIGHTED in models and members:  # weighted once every origin's scores are in
                pending.append((as_of, members, fits, later, s, place, indicator, level, fit_basis))
            for model, fc in fits.items():
                rows += _score_rows(model, fc, later, s, place, indicator, level, as_of, fit_basis)
                known += [str(d) for d in later["available_date"]]
    if pending:
        scored = pd.DataFrame(rows, columns=BACKTEST_COLUMNS).assign(known=known)
        for as_of, members, fits, later, s, place, indicator, level, fit_basis in pending:
            w = past_weights(scored[scored["known"] <= as_of], members)
            fc = pool(tuple(fits[m] for m in members), w["weights"], model=POOL_WEIGHTED, info=w)
            rows += _score_rows(POOL_WEIGHTED, fc, later, s, place, indicator, level, as_of, fit_basis)
    return pd.DataFrame(rows, columns=BACKTEST_COLUMNS)


def _score_rows(model, fc, later, s, place, indicator, level, as_of, fit_basis) -> list[dict]:
    rows = []
    for _, r in later.iterrows():
        y = int(r["year"])
        sc = score_pool(fc, y, float(r["value"])) if is_pool(fc) else score(fc, y, float(r["value"]))
        rows.append({"series": indicator, "place": place, "level": level, "model": model,
                     "as_of": as_of, "year": y, "horizon": y - int(s.years[-1]),
                     "realized": float(r["value"]), **sc,
                     "benchmark_break": bool(r["benchmark"]) and r["benchmark"] != fit_basis})
    return rows


def past_weights(scored: pd.DataFrame, members: tuple[str, ...], *, k: float = SHRINK_K) -> dict:
    """Pool weights of ``members`` from past backtest scores
    (:func:`linhai_analysis.models.combine.score_weights`): inverse mean CRPS on the
    points every member forecast, shrunk toward equal weights by n_years/(n_years + k).

    ``scored`` must hold only scores whose outcome was published by the date the weights
    are for (in :func:`backtest`: first released on or before the origin; for a vintage:
    :func:`pool_weights_at`, whose backtest sees nothing later)."""
    pts = common_pool(scored, tuple(members)) if len(scored) else scored
    return score_weights(pts, members, k=k)


def summarize_backtest(bt: pd.DataFrame, by: tuple[str, ...] = ("model", "horizon")) -> pd.DataFrame:
    """Coverage of the 50/80/95% bands, mean CRPS and mean log score by model and horizon,
    with a pooled row (horizon ``all``) per model. ``effective_n`` counts distinct target
    years: national shocks are shared by every place, so that is the independent
    information. On a whole backtest the pools differ across models: compare models with
    :func:`like_for_like`."""
    out = []
    for model, g in bt.groupby("model", sort=True):
        parts = [(h, gh) for h, gh in g.groupby("horizon", sort=True)] + [("all", g)]
        for h, gh in parts:
            out.append({"model": model, "horizon": str(h), "n": len(gh),
                        "effective_n": effective_n(gh),
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


def effective_n(points: pd.DataFrame) -> int:
    """The number of distinct target years among scored points: the effective sample
    (every place shares a year's national shock; successive origins share target years)."""
    return int(points["year"].nunique())


def cluster_bootstrap(diff: pd.DataFrame, *, value: str = "d", cluster: str = "year", n_boot: int = 2000,
                      seed: int = BOOT_SEED, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of ``value`` over all points with a bootstrap interval that resamples whole
    clusters (target years) with replacement.

    Parameters
    ----------
    diff : pandas.DataFrame
        One row per point, with ``value`` (e.g. a CRPS difference) and ``cluster``.
    n_boot : int
        Bootstrap replications.
    seed : int
        Seed of the generator (deterministic output).
    level : float
        Coverage of the percentile interval.

    Returns
    -------
    (estimate, low, high)
        The mean over all points and the percentile interval of the resampled means
        (each replication: the mean over every point of the drawn years, a year drawn
        twice counting twice).
    """
    if diff.empty:
        return (math.nan, math.nan, math.nan)
    sums = diff.groupby(cluster)[value].agg(["sum", "count"])
    s, c = sums["sum"].to_numpy(float), sums["count"].to_numpy(float)
    rng = np.random.default_rng(seed)
    draw = rng.integers(0, len(s), size=(n_boot, len(s)))
    means = s[draw].sum(axis=1) / c[draw].sum(axis=1)
    a = (1 - level) / 2
    return float(s.sum() / c.sum()), float(np.quantile(means, a)), float(np.quantile(means, 1 - a))


def _paired(g: pd.DataFrame, model: str, ref: str) -> pd.DataFrame:
    key = ["place", "series", "as_of", "year"]
    a = g[g["model"] == model].set_index(key)["crps"]
    b = g[g["model"] == ref].set_index(key)["crps"]
    d = (a - b).dropna().rename("d").reset_index()
    return d


def _like_rows(table: str, group: str, g: pd.DataFrame, n_boot: int, seed: int) -> list[dict]:
    means = g.groupby("model")["crps"].mean()
    rows = []
    for model, gm in g.groupby("model", sort=True):
        rivals = means.drop([model, POOL_MODEL, POOL_WEIGHTED], errors="ignore")  # pools: vs single models
        rival = str(rivals.idxmin()) if len(rivals) else ""
        r = {"table": table, "group": group, "model": model, "n": len(gm), "effective_n": effective_n(gm),
             "coverage_50": gm["in_band_50"].mean(), "coverage_80": gm["in_band_80"].mean(),
             "coverage_95": gm["in_band_95"].mean(), "mean_pit": gm["pit"].mean(), "crps_mean": gm["crps"].mean(),
             "best_rival": rival}
        for ref, col in (("no_change", "crps_diff_no_change"), (rival, "crps_diff_rival")):
            if ref and ref != model and ref in means.index:
                est, lo, hi = cluster_bootstrap(_paired(g, model, ref), n_boot=n_boot, seed=seed)
                r.update({col: est, f"{col}_low": lo, f"{col}_high": hi})
        rows.append(r)
    return rows


def like_for_like(bt: pd.DataFrame, models: tuple[str, ...] | None = None, *, n_boot: int = 2000,
                  seed: int = BOOT_SEED, home: str = "临海市") -> pd.DataFrame:
    """Every model on the same points: the (place, series, origin, year) points that
    all ``models`` forecast, summarised

    * ``table = "all common points"``: pooled over the common points;
    * ``"by horizon"``: horizon 1, 2, 3, 4 and ``5+``;
    * ``"by level"``: county (Linhai), prefecture (Taizhou), province (Zhejiang), nation;
    * ``"Linhai only"``: each of ``home``'s series and all of them together.

    Per model and group: n, effective n (distinct target years), coverage of the
    50/80/95% bands, mean PIT, mean CRPS, and the mean CRPS difference (model − reference,
    negative: the model is better) against ``no_change`` and against the best rival
    (the other model with the lowest mean CRPS in that group; for ``combined``, the best
    single model; ``combined`` is not a rival of the single models), each with a
    year-clustered bootstrap 95% interval (:func:`cluster_bootstrap`, seeded).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LIKE_COLUMNS`.
    """
    pool = common_pool(bt, models)
    if pool.empty:
        return pd.DataFrame(columns=LIKE_COLUMNS)
    rows = _like_rows("all common points", "all", pool, n_boot, seed)
    hz = pool.assign(hgroup=np.where(pool["horizon"] >= 5, "5+", pool["horizon"].astype(str)))
    for h in sorted(hz["hgroup"].unique(), key=lambda x: (len(x), x)):
        rows += _like_rows("by horizon", f"horizon {h}", hz[hz["hgroup"] == h], n_boot, seed)
    for lev in [x for x in LEVEL_ORDER if x in set(pool["level"])]:
        g = pool[pool["level"] == lev]
        rows += _like_rows("by level", f"{lev} ({', '.join(dict.fromkeys(g['place']))})", g, n_boot, seed)
    home_pts = pool[pool["place"] == home]
    if len(home_pts):
        for ser, g in home_pts.groupby("series", sort=True):
            rows += _like_rows("Linhai only", ser, g, n_boot, seed)
        rows += _like_rows("Linhai only", "all Linhai series", home_pts, n_boot, seed)
    return pd.DataFrame(rows, columns=LIKE_COLUMNS)


def pit_by_year(bt: pd.DataFrame) -> pd.DataFrame:
    """Mean PIT by model and target year (0.5 is unbiased; a year far above 0.5 came out
    above every model's centre, far below: below), the share of PITs below one half and
    the 80% band's coverage. Pass :func:`common_pool` output to compare models."""
    rows = []
    for (model, year), g in bt.groupby(["model", "year"], sort=True):
        rows.append({"model": model, "year": int(year), "n": len(g), "mean_pit": g["pit"].mean(),
                     "share_below_half": (g["pit"] < 0.5).mean(), "in_band_80": g["in_band_80"].mean()})
    return pd.DataFrame(rows, columns=PIT_YEAR_COLUMNS)


def pit_histogram(bt: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Share of PITs in each of ``bins`` equal bins, by model (flat at 1/bins when
    calibrated). Columns: model, bin_low, bin_high, share."""
    edges = np.linspace(0, 1, bins + 1)
    rows = []
    for model, g in bt.groupby("model", sort=True):
        counts, _ = np.histogram(g["pit"].clip(0, 1), bins=edges)
        for lo, hi, c in zip(edges[:-1], edges[1:], counts, strict=True):
            rows.append({"model": model, "bin_low": lo, "bin_high": hi, "share": c / max(len(g), 1)})
    return pd.DataFrame(rows, columns=["model", "bin_low", "bin_high", "share"])


def brier_scores(judged: pd.DataFrame, card: pd.DataFrame, base_rate: float | None = None) -> pd.DataFrame:
    """Brier score of each model's P (and the combined P) for the binary targets of the
    scorecard year, with two references.

    ``brier_flat`` is the score of a flat 50% forecast: always 0.25. ``brier_base_rate``
    is the score of a constant forecast at the base rate ``base_rate``: how often such
    targets were met before (e.g. :func:`linhai_analysis.assess.outside_view.target_hit_rate`
    on the ex-ante vintage); without one, the share of these targets that were met
    (in-sample climatology, b(1 − b)). A model that does not beat it has no skill over
    knowing how often targets are met.

    Parameters
    ----------
    judged : pandas.DataFrame
        :func:`linhai_analysis.assess.plausibility.judge_targets` at the report date.
    card : pandas.DataFrame
        :func:`linhai_analysis.assess.outcomes.scorecard_2022` (``met`` True/False/None).
    base_rate : float, optional
        The share of comparable targets met before; default: in-sample.

    Returns
    -------
    pandas.DataFrame
        ``model, n, brier, brier_flat, base_rate, brier_base_rate, targets``; targets whose
        outcome is undecided are left out.
    """
    cols = ["model", "n", "brier", "brier_flat", "base_rate", "brier_base_rate", "targets"]
    known = card[card["met"].notna()].set_index("indicator")["met"].astype(float)
    g = judged[(judged["kind"] == "target_growth") & judged["p_meet"].notna()
               & judged["indicator"].isin(known.index)]
    rows = []
    for model, gm in g.groupby("model", sort=True):
        out = known[gm["indicator"]].to_numpy(float)
        err = (gm["p_meet"].to_numpy(float) - out) ** 2
        b = float(out.mean()) if base_rate is None else float(base_rate)
        rows.append({"model": model, "n": len(err), "brier": float(err.mean()), "brier_flat": 0.25,
                     "base_rate": b, "brier_base_rate": float(np.mean((b - out) ** 2)),
                     "targets": ", ".join(gm["indicator"])})
    return pd.DataFrame(rows, columns=cols)


def pool_weights_at(vintage: Vintage, members: tuple[str, ...] = JUDGE_MODELS, *,
                    series=DEFAULT_SERIES, k: float = SHRINK_K) -> dict:
    """The pool weights of ``members`` for judgements on ``vintage``: from the backtest
    of ``vintage`` itself (origins and first releases published by its ``as_of``, so
    nothing later leaks in), by :func:`past_weights`. Cached per vintage (its label and
    a fingerprint of its data): the sensitivity grid asks for the same date many times.

    Returns
    -------
    dict
        As :func:`linhai_analysis.models.combine.score_weights`, plus ``members``.
    """
    from .cache import fingerprint

    return _pool_weights_cached(fingerprint(vintage), vintage, tuple(members), tuple(series), float(k))


_WEIGHTS_CACHE: dict = {}


def _pool_weights_cached(key: str, vintage: Vintage, members, series, k) -> dict:
    full = (key, members, series, k)
    if full not in _WEIGHTS_CACHE:
        bt = backtest(vintage, series=series, models=members)
        _WEIGHTS_CACHE[full] = {**past_weights(bt, members, k=k), "members": list(members)}
    return dict(_WEIGHTS_CACHE[full])


POOL_WEIGHT_COLUMNS = ["as_of", "model", "weight", "equal_weight", "data_weight", "mean_crps", "n_points",
                       "n_years", "lam", "k"]


def pool_weights_table(bt: pd.DataFrame, vintage: Vintage, as_of: str, members: tuple[str, ...] = JUDGE_MODELS,
                       *, k: float = SHRINK_K) -> pd.DataFrame:
    """The pool weights at ``as_of`` and their inputs, from a backtest of the latest
    vintage cut back to what was known then: origins on or before ``as_of`` and outcomes
    first released on or before it (the same points as ``backtest(vintage.at(as_of))``,
    without running it again; :func:`pool_weights_at`).

    Returns
    -------
    pandas.DataFrame
        One row per member, columns :data:`POOL_WEIGHT_COLUMNS` (``lam``: the data
        weights' share, n_years / (n_years + k)).
    """
    as_of = str(pd.Timestamp(as_of).date())
    parts = []
    for (place, series), g in bt[bt["as_of"] <= as_of].groupby(["place", "series"], sort=True):
        truth = first_release_truth(vintage, place, series)[["year", "available_date"]]
        g = g.merge(truth.rename(columns={"available_date": "known"}), on="year", how="left")
        parts.append(g[g["known"].astype(str) <= as_of])
    past = pd.concat(parts, ignore_index=True)[bt.columns] if parts else bt.iloc[:0]
    w = past_weights(past, members, k=k)
    return pd.DataFrame({"as_of": as_of, "model": list(members), "weight": w["weights"],
                         "equal_weight": 1 / len(members), "data_weight": w["data_weights"],
                         "mean_crps": w["mean_crps"], "n_points": w["n_points"], "n_years": w["n_years"],
                         "lam": w["lam"], "k": w["k"]}, columns=POOL_WEIGHT_COLUMNS)

"""Trend models in logs for sparse, irregularly spaced annual series.

Each model is fitted on (year, level) pairs and returns a :class:`Forecast`: a
Student-t predictive distribution of the log level for any future year, from which
medians, 50/80/95% prediction intervals, P(target met) and simulated paths follow.

Models
------
``ols``
    Log-linear trend, ``log y = a + b·year + e``, statsmodels OLS; the predictive
    distribution is the t-based observation interval (parameter and noise uncertainty).
``rw_drift``
    Random walk with drift in logs. An increment over ``k`` years has mean ``k·mu``
    and variance ``k·sigma²`` (so gaps in the series are handled exactly); ``mu`` is
    estimated by weighted least squares and its uncertainty enters the forecast:
    ``Var = h·sigma² + h²·sigma²/K`` with ``K`` the span of the sample in years.

Benchmark breaks
----------------
Levels on either side of an economic-census revision do not chain. Both models
take ``segments`` (one label per point, e.g. the ``benchmark`` column of the
observations) and then fit a **level shift**: OLS gets one intercept per segment
and a common slope, and forecasts from the last segment's intercept; the random
walk drops the increments that cross a break (their growth mixes the revision
with the economy) and continues from the last level. Growth is thus learned
within segments only, and the forecast starts from the latest benchmark. The
cost is residual degrees of freedom (one per extra segment), which is the honest
price of the break. ``Forecast.breaks`` names the breaks a fit spanned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

MODELS = ("ols", "rw_drift")
#: Fewest residual degrees of freedom behind a probability. With 1 or 2 the t has no
#: finite variance and P(target) is a tail artefact, not evidence; with 3 or more it has.
MIN_DF = 3
MIN_POINTS = {"ols": 3, "rw_drift": 3}
BANDS = (0.5, 0.8, 0.95)


class InsufficientDataError(ValueError):
    """Too few usable points for a model; carries a plain-language reason."""


@dataclass(frozen=True)
class Forecast:
    """A fitted model: t predictive distribution of log levels by year."""

    model: str
    years: np.ndarray
    values: np.ndarray
    df: int
    params: dict
    breaks: tuple[str, ...] = ()

    def loc_scale(self, year: float | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Centre and scale of the t distribution of the log level in ``year``."""
        t = np.asarray(year, dtype=float)
        p = self.params
        if self.model == "ols":
            x = t - p["t0"]
            loc = p["a"] + p["b"] * x
            var_mean = p["var_a"] + 2 * x * p["cov_ab"] + x**2 * p["var_b"]
            return loc, np.sqrt(var_mean + p["sigma2"])
        h = t - p["last_year"]
        if self.model == "anchored":  # yearly variances add up along the path; common part ∝ h²
            loc = p["last_log"] + np.interp(t, p["path_years"], p["path_cum"])
            return loc, np.sqrt(np.interp(t, p["path_years"], p["path_var"]) + h**2 * p["sc2"])
        loc = p["last_log"] + h * p["mu"]
        return loc, np.sqrt(h * p["sigma2"] + h**2 * p["sigma2"] / p["K"])

    def df_at(self, year) -> np.ndarray | int:
        """Degrees of freedom of the t in ``year`` (the anchored model's tails depend on
        the horizon: ``params["path_df"]``; other models have one ``df``)."""
        if "path_df" in self.params:
            return np.interp(np.asarray(year, dtype=float), self.params["path_years"], self.params["path_df"])
        return self.df

    def quantile(self, year, q) -> np.ndarray:
        """Level quantile(s) ``q`` in ``year``."""
        loc, scale = self.loc_scale(year)
        return np.exp(loc + scale * stats.t.ppf(q, self.df_at(year)))

    def median(self, year) -> np.ndarray:
        """Median level in ``year`` (the exponential of the centre of the log-level t).

        Parameters
        ----------
        year : int, float or array
            Forecast year(s).

        Returns
        -------
        numpy.ndarray
            Median level(s), in the unit of the fitted values.
        """
        return self.quantile(year, 0.5)

    def band(self, year, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        """Central prediction interval of the level with the given coverage."""
        a = (1 - coverage) / 2
        return self.quantile(year, a), self.quantile(year, 1 - a)

    def cdf(self, year, level) -> np.ndarray:
        """P(level in ``year`` <= ``level``) — the PIT of a realized value."""
        loc, scale = self.loc_scale(year)
        return stats.t.cdf((np.log(level) - loc) / scale, self.df_at(year))

    def p_at_least(self, year, threshold) -> float:
        """P(level in ``year`` >= ``threshold``)."""
        return float(1 - self.cdf(year, threshold))

    def simulate(self, years: Sequence[int], n: int = 20_000, seed: int = 0) -> np.ndarray:
        """Simulated level paths (``n`` × len(years)), parameter uncertainty included.

        Each draw takes ``sigma²`` from its scaled inverse-chi² posterior, then the
        parameters given ``sigma²``, then the noise, so sums of paths (五年累计
        targets) carry every source of uncertainty.
        """
        rng = np.random.default_rng(seed)
        ys = np.asarray(years, dtype=float)
        p = self.params
        sigma2 = p["sigma2"] * self.df / rng.chisquare(self.df, size=n)
        scale = np.sqrt(sigma2 / p["sigma2"])[:, None]
        if self.model == "ols":
            cov = np.array([[p["var_a"], p["cov_ab"]], [p["cov_ab"], p["var_b"]]])
            z = rng.multivariate_normal(np.zeros(2), cov, size=n)
            a = p["a"] + z[:, :1] * scale
            b = p["b"] + z[:, 1:] * scale
            logs = a + b * (ys - p["t0"]) + rng.standard_normal((n, len(ys))) * np.sqrt(sigma2)[:, None]
            return np.exp(logs)
        if self.model == "anchored":
            common = rng.standard_normal((n, 1)) * np.sqrt(p["sc2"]) * scale
            h = ys - p["last_year"]
            var_at = np.interp(ys, p["path_years"], p["path_var"])
            step_var = np.diff(np.concatenate([[0.0], var_at]))
            shocks = np.cumsum(rng.standard_normal((n, len(ys))) * np.sqrt(step_var) * scale, axis=1)
            return np.exp(p["last_log"] + np.interp(ys, p["path_years"], p["path_cum"]) + common * h + shocks)
        mu = p["mu"] + rng.standard_normal((n, 1)) * np.sqrt(sigma2 / p["K"])[:, None]
        steps = np.diff(np.concatenate([[p["last_year"]], ys]))
        inc = mu * steps + rng.standard_normal((n, len(ys))) * np.sqrt(sigma2[:, None] * steps)
        return np.exp(p["last_log"] + np.cumsum(inc, axis=1))


def _check(years, values, model: str, segments=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    seg = np.asarray([""] * len(y) if segments is None else [str(x) for x in segments], dtype=object)
    if y.shape != v.shape or seg.shape != y.shape:
        raise ValueError("years, values (and segments) differ in length")
    if np.any(v <= 0) or np.any(~np.isfinite(v)):
        raise ValueError("levels must be positive and finite for a model in logs")
    if len(np.unique(y)) != len(y):
        raise ValueError("one value per year, please (duplicate years)")
    need = MIN_POINTS[model]
    if len(y) < need:
        raise InsufficientDataError(f"{model} needs at least {need} points, got {len(y)}")
    order = np.argsort(y, kind="stable")
    return y[order], v[order], seg[order]


def _break_labels(seg: np.ndarray) -> tuple[str, ...]:
    return tuple(f"{a} -> {b}" for a, b in zip(seg[:-1], seg[1:], strict=True) if a != b)


def fit(model: str, years: Sequence[float], values: Sequence[float],
        segments: Sequence[str] | None = None) -> Forecast:
    """Fit ``model`` (``"ols"`` or ``"rw_drift"``) to annual levels.

    Parameters
    ----------
    model : {"ols", "rw_drift"}
        The trend model (see the module docstring).
    years, values : sequence of float
        Years and positive levels, one per year.
    segments : sequence of str, optional
        Benchmark basis of each point; where it changes, the fit allows a level
        shift (see "Benchmark breaks" above). Default: one segment.

    Returns
    -------
    Forecast
        With ``breaks`` listing the breaks the sample spans.

    Raises
    ------
    InsufficientDataError
        When no residual degree of freedom is left (fewer than three points, or
        too few within segments).
    ValueError
        For an unknown model, non-positive levels or duplicate years.
    """
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose from {MODELS}")
    y, v, seg = _check(years, values, model, segments)
    logv = np.log(v)
    breaks = _break_labels(seg)
    labels = list(dict.fromkeys(seg))
    if model == "ols":
        import statsmodels.api as sm

        t0 = float(y.mean())
        dummies = np.column_stack([(seg == lab).astype(float) for lab in labels])
        X = np.column_stack([dummies, y - t0])
        if len(y) - X.shape[1] < 1:
            raise InsufficientDataError(
                f"ols with {len(labels)} benchmark segment(s) needs at least {X.shape[1] + 1} points, "
                f"got {len(y)}")
        res = sm.OLS(logv, X).fit()
        if res.df_resid < MIN_DF:
            raise InsufficientDataError(
                f"ols on {len(y)} points with {len(labels)} benchmark segment(s) leaves "
                f"{int(res.df_resid)} residual degree(s) of freedom; a probability needs {MIN_DF}")
        cov = np.asarray(res.cov_params())
        last = labels.index(seg[-1])
        return Forecast(model, y, v, int(res.df_resid), {
            "t0": t0, "a": float(res.params[last]), "b": float(res.params[-1]),
            "var_a": float(cov[last, last]), "var_b": float(cov[-1, -1]),
            "cov_ab": float(cov[last, -1]), "sigma2": float(res.scale)}, breaks)
    same = seg[1:] == seg[:-1]  # increments within a segment only
    k = np.diff(y)[same]
    d = np.diff(logv)[same]
    m = len(d)
    if m < 2:
        raise InsufficientDataError(
            f"rw_drift needs at least 2 increments within benchmark segments, got {m}"
            + (f" (breaks: {'; '.join(breaks)})" if breaks else ""))
    if m - 1 < MIN_DF:
        raise InsufficientDataError(
            f"rw_drift on {m} increment(s) within benchmark segments leaves {m - 1} degree(s) of "
            f"freedom; a probability needs {MIN_DF}")
    K = float(k.sum())
    mu = float(d.sum() / K)
    sigma2 = float(np.sum((d - k * mu) ** 2 / k) / (m - 1))
    if sigma2 <= 0:
        sigma2 = 1e-12  # a perfectly straight series: degenerate but defined
    return Forecast(model, y, v, m - 1, {
        "mu": mu, "sigma2": sigma2, "K": K, "last_year": float(y[-1]), "last_log": float(logv[-1])},
        breaks)


def required_growth(last_value: float, last_year: int, threshold: float, target_year: int) -> float:
    """Average annual growth (percent) needed from the last level to the threshold."""
    return ((threshold / last_value) ** (1 / (target_year - last_year)) - 1) * 100


def verdict_from_p(p: float, thresholds: tuple[float, float, float] = (0.8, 0.2, 0.05)) -> str:
    """Plain verdict from P(target met): ``likely`` (>= 0.8), ``plausible`` (0.2-0.8),
    ``unlikely`` (0.05-0.2), ``implausible`` (< 0.05); thresholds are parameters."""
    likely, plausible, unlikely = thresholds
    if p >= likely:
        return "likely"
    if p >= plausible:
        return "plausible"
    if p >= unlikely:
        return "unlikely"
    return "implausible"

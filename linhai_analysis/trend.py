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
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

MODELS = ("ols", "rw_drift")
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
        loc = p["last_log"] + h * p["mu"]
        return loc, np.sqrt(h * p["sigma2"] + h**2 * p["sigma2"] / p["K"])

    def quantile(self, year, q) -> np.ndarray:
        """Level quantile(s) ``q`` in ``year``."""
        loc, scale = self.loc_scale(year)
        return np.exp(loc + scale * stats.t.ppf(q, self.df))

    def median(self, year) -> np.ndarray:
        return self.quantile(year, 0.5)

    def band(self, year, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        """Central prediction interval of the level with the given coverage."""
        a = (1 - coverage) / 2
        return self.quantile(year, a), self.quantile(year, 1 - a)

    def cdf(self, year, level) -> np.ndarray:
        """P(level in ``year`` <= ``level``) — the PIT of a realized value."""
        loc, scale = self.loc_scale(year)
        return stats.t.cdf((np.log(level) - loc) / scale, self.df)

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
        mu = p["mu"] + rng.standard_normal((n, 1)) * np.sqrt(sigma2 / p["K"])[:, None]
        steps = np.diff(np.concatenate([[p["last_year"]], ys]))
        inc = mu * steps + rng.standard_normal((n, len(ys))) * np.sqrt(sigma2[:, None] * steps)
        return np.exp(p["last_log"] + np.cumsum(inc, axis=1))


def _check(years, values, model: str) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    if y.shape != v.shape:
        raise ValueError("years and values differ in length")
    if np.any(v <= 0) or np.any(~np.isfinite(v)):
        raise ValueError("levels must be positive and finite for a model in logs")
    if len(np.unique(y)) != len(y):
        raise ValueError("one value per year, please (duplicate years)")
    need = MIN_POINTS[model]
    if len(y) < need:
        raise InsufficientDataError(f"{model} needs at least {need} points, got {len(y)}")
    order = np.argsort(y)
    return y[order], v[order]


def fit(model: str, years: Sequence[float], values: Sequence[float]) -> Forecast:
    """Fit ``model`` (``"ols"`` or ``"rw_drift"``) to annual levels.

    Raises
    ------
    InsufficientDataError
        With fewer than three points (no residual degrees of freedom otherwise).
    ValueError
        For an unknown model, non-positive levels or duplicate years.
    """
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose from {MODELS}")
    y, v = _check(years, values, model)
    logv = np.log(v)
    if model == "ols":
        import statsmodels.api as sm

        t0 = float(y.mean())
        res = sm.OLS(logv, sm.add_constant(y - t0)).fit()
        cov = np.asarray(res.cov_params())
        return Forecast(model, y, v, int(res.df_resid), {
            "t0": t0, "a": float(res.params[0]), "b": float(res.params[1]),
            "var_a": float(cov[0, 0]), "var_b": float(cov[1, 1]), "cov_ab": float(cov[0, 1]),
            "sigma2": float(res.scale)})
    k = np.diff(y)
    d = np.diff(logv)
    K = float(k.sum())
    mu = float(d.sum() / K)
    m = len(d)
    sigma2 = float(np.sum((d - k * mu) ** 2 / k) / (m - 1))
    if sigma2 <= 0:
        sigma2 = 1e-12  # a perfectly straight series: degenerate but defined
    return Forecast(model, y, v, m - 1, {
        "mu": mu, "sigma2": sigma2, "K": K, "last_year": float(y[-1]), "last_log": float(logv[-1])})


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

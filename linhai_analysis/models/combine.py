"""One forecast from several: an equal-weight linear opinion pool.

Why a linear pool with equal weights. With about ten distinct target years in the
backtest, weights estimated by stacking or by inverse scores would mostly fit noise
(Claeskens et al. 2016, "the forecast combination puzzle": equal weights are hard to
beat when the weights must be estimated on few points). A linear pool keeps each
model's whole distribution: its CDF is the weighted mean of the members' CDFs, so
P(target met) is the weighted mean of the members' probabilities, and the pooled
spread includes the disagreement between the members (unlike an average of
quantiles). Quantiles of the pool are found by root-finding on the pooled CDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from .trend import Forecast


@dataclass(frozen=True)
class CombinedForecast:
    """A linear pool of fitted forecasts, with the methods of :class:`Forecast`.

    Attributes
    ----------
    members : tuple of Forecast
        The pooled forecasts (any objects with ``cdf``, ``quantile`` and ``simulate``).
    weights : tuple of float
        Non-negative weights summing to one.
    model : str
        ``"combined"``.
    """

    members: tuple
    weights: tuple
    model: str = "combined"
    params: dict = field(default_factory=dict)

    @property
    def years(self) -> np.ndarray:
        """Years of the first member's sample."""
        return self.members[0].years

    @property
    def values(self) -> np.ndarray:
        """Levels of the first member's sample."""
        return self.members[0].values

    @property
    def df(self) -> int:
        """The smallest degrees of freedom among the members (for display only)."""
        return int(min(m.df for m in self.members))

    @property
    def breaks(self) -> tuple[str, ...]:
        """Benchmark breaks spanned by any member."""
        return tuple(dict.fromkeys(b for m in self.members for b in getattr(m, "breaks", ())))

    def cdf(self, year, level) -> np.ndarray:
        """P(level in ``year`` <= ``level``): the weighted mean of the members' CDFs."""
        return sum(w * np.asarray(m.cdf(year, level), dtype=float)
                   for m, w in zip(self.members, self.weights, strict=True))

    def p_at_least(self, year, threshold) -> float:
        """P(level in ``year`` >= ``threshold``): the weighted mean of the members' P."""
        return float(1 - self.cdf(year, threshold))

    def _quantile_one(self, year: float, q: float) -> float:
        lo = min(float(m.quantile(year, q)) for m in self.members)
        hi = max(float(m.quantile(year, q)) for m in self.members)
        if hi <= lo * (1 + 1e-12):
            return lo
        # the pooled q-quantile lies between the members' q-quantiles
        f = lambda x: float(self.cdf(year, np.exp(x))) - q  # noqa: E731
        return float(np.exp(optimize.brentq(f, np.log(lo), np.log(hi), xtol=1e-10)))

    def quantile(self, year, q) -> np.ndarray:
        """Level quantile(s) ``q`` in ``year`` (root of the pooled CDF)."""
        ys, qs = np.broadcast_arrays(np.asarray(year, dtype=float), np.asarray(q, dtype=float))
        out = np.array([self._quantile_one(y, p) for y, p in zip(ys.ravel(), qs.ravel(), strict=True)])
        return out.reshape(ys.shape) if ys.shape else out[0]

    def median(self, year) -> np.ndarray:
        """Median level in ``year``."""
        return self.quantile(year, 0.5)

    def band(self, year, coverage: float) -> tuple[np.ndarray, np.ndarray]:
        """Central prediction interval of the level with the given coverage."""
        a = (1 - coverage) / 2
        return self.quantile(year, a), self.quantile(year, 1 - a)

    def simulate(self, years: Sequence[int], n: int = 20_000, seed: int = 0) -> np.ndarray:
        """Level paths drawn from the pool: each path comes whole from one member,
        chosen with probability equal to its weight (so sums over years stay coherent)."""
        rng = np.random.default_rng(seed)
        pick = rng.choice(len(self.members), size=n, p=np.asarray(self.weights))
        out = np.empty((n, len(list(years))))
        for i, m in enumerate(self.members):
            k = int((pick == i).sum())
            if k:
                out[pick == i] = m.simulate(years, n=k, seed=seed + 1 + i)
        return out


def combine(forecasts: Sequence[Forecast], weights: Sequence[float] | None = None) -> CombinedForecast:
    """Pool fitted forecasts into one (equal weights unless given).

    Parameters
    ----------
    forecasts : sequence of Forecast
        At least one fitted forecast of the same series (same unit).
    weights : sequence of float, optional
        Non-negative weights, one per forecast; normalised to sum to one.

    Returns
    -------
    CombinedForecast
        ``model="combined"``; ``params["members"]`` names the pooled models and
        ``params["weights"]`` their weights.

    Raises
    ------
    ValueError
        For no forecast, a weight count that does not match, or negative/zero weights.

    Examples
    --------
    >>> pool = combine([fc_ols, fc_anchored])                 # doctest: +SKIP
    >>> pool.p_at_least(2026, 1500) == 0.5 * (fc_ols.p_at_least(2026, 1500)
    ...                                       + fc_anchored.p_at_least(2026, 1500))  # doctest: +SKIP
    True
    """
    members = tuple(forecasts)
    if not members:
        raise ValueError("combine needs at least one forecast")
    w = np.ones(len(members)) if weights is None else np.asarray(list(weights), dtype=float)
    if w.shape != (len(members),):
        raise ValueError(f"{len(w)} weights for {len(members)} forecasts")
    if np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
        raise ValueError("weights must be non-negative, finite and not all zero")
    w = w / w.sum()
    return CombinedForecast(members, tuple(float(x) for x in w), params={
        "members": [m.model for m in members], "weights": [float(x) for x in w],
        "rule": "equal-weight linear pool" if weights is None else "linear pool, given weights"})


#: Shrinkage constant k of :func:`score_weights`: the data weights count for
#: n_years / (n_years + k) of the pool's weights, so with k = 10 they get half the say
#: after ten distinct target years and never all of it.
SHRINK_K = 10.0


def score_weights(scores, models: Sequence[str], *, k: float = SHRINK_K) -> dict:
    """Pool weights from past forecast errors, shrunk toward equal weights.

    Rule: on the scored points (one row per model and point, every model scored on the
    same points), each model's data weight is proportional to the inverse of its mean
    CRPS, ``w_data_i = (1/c_i) / Σ_j (1/c_j)``; the weight used is
    ``w_i = λ·w_data_i + (1 − λ)/K`` with ``λ = n / (n + k)``, where ``n`` is the number
    of distinct target years among the points (the effective sample: every place shares
    a year's national shock, successive origins share target years) and ``K`` the
    number of models. With no scored point the weights are equal (λ = 0).

    Why not stacking (weights that minimise the pooled score): with about ten distinct
    target years the fitted weights would mostly fit the noise of a few shared shocks
    and often put all weight on one model (the "forecast combination puzzle",
    Claeskens et al. 2016); inverse scores keep every model in the pool, and the
    shrinkage toward equal weights makes the data earn its say year by year.

    Parameters
    ----------
    scores : pandas.DataFrame
        Columns ``model``, ``year`` (target year) and ``crps`` (past scores, known at
        the date the weights are for). Rows of other models are ignored.
    models : sequence of str
        The pooled models, in the order of the weights returned.
    k : float
        Shrinkage constant (default :data:`SHRINK_K`).

    Returns
    -------
    dict
        ``weights`` (list, order of ``models``), ``data_weights``, ``mean_crps``
        (``None`` for a model without scores), ``n_points``, ``n_years``, ``lam``, ``k``.

    Examples
    --------
    Two models, mean CRPS 0.1 and 0.3 over 10 target years: data weights 0.75/0.25,
    λ = 10/20 = 0.5, weights 0.5·0.75 + 0.25 = 0.625 and 0.5·0.25 + 0.25 = 0.375.
    """
    models = list(models)
    if not models:
        raise ValueError("score_weights needs at least one model")
    if k <= 0:
        raise ValueError("the shrinkage constant k must be positive")
    K = len(models)
    sub = scores[scores["model"].isin(models)] if len(scores) else scores
    means = sub.groupby("model")["crps"].mean() if len(sub) else None
    have = means is not None and all(m in means.index and means[m] > 0 for m in models)
    if not have:
        return {"weights": [1 / K] * K, "data_weights": [None] * K,
                "mean_crps": [float(means[m]) if means is not None and m in means.index else None
                              for m in models],
                "n_points": int(len(sub)), "n_years": 0, "lam": 0.0, "k": float(k)}
    inv = np.array([1 / float(means[m]) for m in models])
    w_data = inv / inv.sum()
    n_years = int(sub["year"].nunique())
    lam = n_years / (n_years + k)
    w = lam * w_data + (1 - lam) / K
    return {"weights": [float(x) for x in w], "data_weights": [float(x) for x in w_data],
            "mean_crps": [float(means[m]) for m in models], "n_points": int(len(sub) // K),
            "n_years": n_years, "lam": float(lam), "k": float(k)}

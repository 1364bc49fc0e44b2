"""One headline from several models: the equal-weight linear pool.

The combined predictive distribution of a level is the mixture of the members'
distributions with equal weights, F(x) = (1/m) Σ F_i(x): P(goal met) is the mean of the
members' probabilities, quantiles come from the pooled CDF by root-finding.

Why equal weights and not weights estimated from the backtest (stacking, Bayesian model
averaging): the backtest holds about ten distinct target years, and every series shares
the national shocks of those years, so the evidence on which model is better is about
ten numbers. Weights fitted on ten points are noisier than the differences they would
exploit; the forecast-combination literature finds that equal weights beat estimated
ones in exactly this case (the "forecast combination puzzle": Clemen 1989; Smith &
Wallis 2009; Claeskens et al. 2016), and the like-for-like CRPS differences between the
models here have year-clustered bootstrap intervals that include zero. A linear pool is
also never less dispersed than its members, which is the safe side with so little
history (Gneiting & Ranjan 2013).

This module is the stand-in for :mod:`linhai_analysis.models.combine`; it needs only
the members' ``cdf(year, level)`` (and ``loc_scale``/``df`` for the log score).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import integrate, optimize, stats

POOL_MODEL = "combined"


def pool_probability(ps: Sequence[float | None], weights: Sequence[float] | None = None) -> float | None:
    """P(event) under the linear pool: the weighted mean of the members' P (equal weights
    by default); members without a probability (``None``/NaN) are left out and the
    weights of the others renormalised. ``None`` when no member gives one.

    Examples
    --------
    >>> round(pool_probability([0.01, 0.04, 0.10]), 4)
    0.05
    """
    w = [1.0] * len(ps) if weights is None else list(weights)
    pairs = [(float(p), float(wi)) for p, wi in zip(ps, w, strict=True)
             if p is not None and not (isinstance(p, float) and math.isnan(p))]
    if not pairs:
        return None
    total = sum(wi for _, wi in pairs)
    return sum(p * wi for p, wi in pairs) / total


@dataclass(frozen=True)
class Pool:
    """Equal-weight (or weighted) linear pool of level forecasts.

    Parameters
    ----------
    members : sequence of Forecast
        Fitted forecasts with ``cdf(year, level)``.
    weights : sequence of float, optional
        Default: equal.
    """

    members: tuple
    weights: tuple = ()
    model: str = POOL_MODEL

    def __post_init__(self) -> None:
        if not self.members:
            raise ValueError("a pool needs at least one member forecast")
        w = self.weights or tuple(1.0 for _ in self.members)
        if len(w) != len(self.members) or min(w) < 0 or sum(w) <= 0:
            raise ValueError("one non-negative weight per member, not all zero")
        s = float(sum(w))
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "weights", tuple(float(x) / s for x in w))

    def cdf(self, year, level) -> float:
        """P(level in ``year`` <= ``level``) under the pool (the pooled PIT)."""
        return float(sum(w * float(m.cdf(year, level)) for m, w in zip(self.members, self.weights, strict=True)))

    def p_at_least(self, year, threshold) -> float:
        """P(level in ``year`` >= ``threshold``): the weighted mean of the members' P."""
        return float(sum(w * m.p_at_least(year, threshold) for m, w in zip(self.members, self.weights, strict=True)))

    def quantile(self, year, q: float) -> float:
        """Level quantile ``q`` of the pool (root of the pooled CDF, bracketed by the
        members' own quantiles)."""
        qs = [float(m.quantile(year, q)) for m in self.members]
        lo, hi = min(qs), max(qs)
        if math.isclose(lo, hi, rel_tol=1e-12):
            return lo
        return float(optimize.brentq(lambda x: self.cdf(year, x) - q, lo, hi, xtol=1e-10 * hi))

    def median(self, year) -> float:
        """Median level of the pool in ``year``."""
        return self.quantile(year, 0.5)

    def band(self, year, coverage: float) -> tuple[float, float]:
        """Central prediction interval of the pooled level."""
        a = (1 - coverage) / 2
        return self.quantile(year, a), self.quantile(year, 1 - a)

    def log_cdf(self, year, x: float) -> float:
        """Pooled CDF of the log level at ``x``."""
        return self.cdf(year, math.exp(x))

    def log_pdf(self, year, x: float) -> float:
        """Pooled density of the log level (members need ``loc_scale`` and ``df``)."""
        dens = 0.0
        for m, w in zip(self.members, self.weights, strict=True):
            loc, scale = (float(v) for v in m.loc_scale(year))
            dens += w * stats.t.pdf((x - loc) / scale, m.df) / scale
        return dens

    def crps_log(self, year, realized: float) -> float:
        """CRPS of the pooled distribution of the log level at log(``realized``):
        ∫ (F(x) − 1{x ≥ y})² dx, by quadrature on each side of y between the members'
        1e-7 and 1 − 1e-7 quantiles (the tails beyond add less than 1e-7 of the scale)."""
        y = math.log(realized)
        lo = min(math.log(float(m.quantile(year, 1e-7))) for m in self.members)
        hi = max(math.log(float(m.quantile(year, 1 - 1e-7))) for m in self.members)
        mids = sorted(math.log(float(m.median(year))) for m in self.members)
        left_pts = [x for x in mids if min(lo, y) < x < y]
        right_pts = [x for x in mids if y < x < max(hi, y)]
        left = integrate.quad(lambda x: self.log_cdf(year, x) ** 2, min(lo, y - 1e-9), y,
                              points=left_pts or None, limit=200)[0]
        right = integrate.quad(lambda x: (1 - self.log_cdf(year, x)) ** 2, y, max(hi, y + 1e-9),
                               points=right_pts or None, limit=200)[0]
        return float(left + right)

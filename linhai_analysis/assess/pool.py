"""One headline from several models: the equal-weight linear pool.

The combined predictive distribution of a level is the mixture of the members'
distributions with equal weights, F(x) = (1/m) Σ F_i(x): P(goal met) is the mean of the
members' probabilities, quantiles come from the pooled CDF by root-finding.

Why equal weights and not weights estimated from the backtest (stacking, Bayesian model
averaging): the backtest holds about ten distinct target years, and every series shares
the national shocks of those years, so the evidence on which model is better comes down to
about ten numbers. Weights fitted on ten points are noisier than the differences they
would exploit; the forecast-combination literature finds that equal weights are hard to
beat in exactly this case (the "forecast combination puzzle": Clemen 1989; Smith & Wallis
2009; Claeskens et al. 2016). A linear pool is also never less dispersed than its members,
the safe side with so little history (Gneiting & Ranjan 2013).

The cost of that choice is measured, not assumed: :func:`linhai_analysis.assess.backtest.like_for_like`
sets the pool against the best single model on the same points, with year-clustered
intervals. Where one member is clearly worse on the backtest (the trend models' long
horizons on the national series), the pool pays for it; the pages show that table beside
the headline rather than re-weighting on the backtest.

A middle way is measured beside it: ``combined_weighted`` (:data:`POOL_WEIGHTED`), the
pool weighted by the inverse mean CRPS of each model on the backtest points whose
outcomes were published by the information date, shrunk toward equal weights by
n_years / (n_years + 10) (n_years: distinct target years scored;
:func:`linhai_analysis.models.combine.score_weights`). In the backtest its weights at an
origin use only outcomes first released on or before that origin.

The pool itself is :func:`linhai_analysis.models.combine.combine`; this module adds
what judging and scoring need: the pooled probability of members that may give none,
and the CRPS and log density of a pool (members need ``loc_scale`` and ``df``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import integrate, stats

POOL_MODEL = "combined"
#: The pool weighted by past errors (shrunk toward equal): shown beside the headline.
POOL_WEIGHTED = "combined_weighted"


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


def pool(members: Sequence, weights: Sequence[float] | None = None, *, model: str = POOL_MODEL,
         info: dict | None = None):
    """The linear pool of fitted forecasts (:func:`linhai_analysis.models.combine.combine`):
    equal weights unless given; ``model == "combined"`` unless named (``info``, e.g. the
    inputs of the weights, is kept in ``params["weight_inputs"]``)."""
    import dataclasses

    from ..models.combine import combine

    fc = combine(list(members), weights)
    if model == POOL_MODEL and info is None:
        return fc
    params = {**fc.params, **({"weight_inputs": info} if info is not None else {})}
    return dataclasses.replace(fc, model=model, params=params)


def is_pool(fc) -> bool:
    """Whether ``fc`` is a pool of forecasts rather than one model's forecast."""
    return hasattr(fc, "members") and hasattr(fc, "weights")


def log_cdf(fc, year, x: float) -> float:
    """CDF of the log level at ``x`` of a forecast or a pool."""
    return float(fc.cdf(year, math.exp(x)))


def log_pdf(fc, year, x: float) -> float:
    """Density of the log level at ``x`` of a pool: the weighted mean of its members'
    t densities (members need ``loc_scale`` and ``df``)."""
    dens = 0.0
    for m, w in zip(fc.members, fc.weights, strict=True):
        loc, scale = (float(v) for v in m.loc_scale(year))
        dens += w * stats.t.pdf((x - loc) / scale, m.df) / scale
    return dens


def crps_log(fc, year, realized: float) -> float:
    """CRPS of the distribution of the log level at log(``realized``), for a pool (no
    closed form for a mixture of t's): ∫ (F(x) − 1{x ≥ y})² dx by quadrature on each side
    of y, between the members' 1e-7 and 1 − 1e-7 quantiles (the tails beyond add less
    than 1e-7 of the scale)."""
    members = getattr(fc, "members", (fc,))
    y = math.log(realized)
    lo = min(math.log(float(m.quantile(year, 1e-7))) for m in members)
    hi = max(math.log(float(m.quantile(year, 1 - 1e-7))) for m in members)
    mids = sorted(math.log(float(m.median(year))) for m in members)
    left_pts = [x for x in mids if min(lo, y) < x < y]
    right_pts = [x for x in mids if y < x < max(hi, y)]
    left = integrate.quad(lambda x: log_cdf(fc, year, x) ** 2, min(lo, y - 1e-9), y,
                          points=left_pts or None, limit=200)[0]
    right = integrate.quad(lambda x: (1 - log_cdf(fc, year, x)) ** 2, y, max(hi, y + 1e-9),
                           points=right_pts or None, limit=200)[0]
    return float(left + right)

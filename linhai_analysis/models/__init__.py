"""The models wing: interval growth arithmetic, deflators, trend models, the anchored
growth model (with its error histories and the fiscal model) and the linear pool.
Depends on the data wing only; returns forecasts, never verdicts.
"""
from __future__ import annotations

from ..data.lazy import lazy_exports

#: Public name -> module of this wing that defines it (imported on first use, so that
#: importing one light module of the wing does not pull in pandas).
_LAZY = {
    "Interval": "growth",
    "cagr": "growth",
    "cagr_interval": "growth",
    "printed_interval": "growth",
    "fit": "trend",
    "Forecast": "trend",
    "InsufficientDataError": "trend",
    "fit_anchored": "anchored",
    "AnchorInputs": "anchored",
    "annual_deflators": "deflators",
    "params_table": "anchored",
    "combine": "combine",
    "CombinedForecast": "combine",
    "fiscal_model_inputs": "fiscal",
}
__all__ = list(_LAZY)

__getattr__, __dir__ = lazy_exports(__name__, _LAZY)

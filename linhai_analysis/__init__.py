"""linhai-analysis: reconcile the 2022 Linhai Government Work Report with statistical
series and judge its targets by trend regression.

Importing the package is light (no pandas): the main entry points below load their
modules on first use.

>>> import linhai_analysis as la
>>> la.cagr_interval(515.6, 819.9, 5).lo > 9.7
True
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public entry point -> module that defines it (imported on first attribute access).
_LAZY = {
    "observations": "data", "build": "data",
    "claims_table": "claims", "extract_claims": "claims",
    "load_report": "report_text",
    "reconcile": "reconcile",
    "judge_targets": "plausibility", "summarize_targets": "plausibility",
    "fit": "trend",
    "cagr": "growth", "cagr_interval": "growth", "printed_interval": "growth", "Interval": "growth",
    "render_reports": "render",
    "target_escalation": "outside_view", "miss_decomposition": "outside_view", "goal_ladder": "outside_view",
    "load_anchor_targets": "anchors", "load_forecasts": "anchors",
    "AnchorInputs": "anchored", "fit_anchored": "anchored",
    "backtest": "backtest",
}
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'linhai_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

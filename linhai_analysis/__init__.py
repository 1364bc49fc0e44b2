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
import importlib.abc
import importlib.util
import sys
from typing import Any

__version__ = "0.1.0"

#: Public entry point -> module that defines it (imported on first attribute access).
_LAZY = {
    "observations": "data.load", "build": "pipeline", "Vintage": "data.vintage",
    "claims_table": "claims.extract", "extract_claims": "claims.extract",
    "load_report": "claims.text",
    "reconcile": "assess.reconcile",
    "judge_targets": "assess.plausibility", "summarize_targets": "assess.plausibility",
    "fit": "models.trend",
    "cagr": "models.growth", "cagr_interval": "models.growth", "printed_interval": "models.growth",
    "Interval": "models.growth",
    "render_reports": "report.render",
    "target_escalation": "assess.outside_view", "miss_decomposition": "assess.outside_view",
    "goal_ladder": "assess.outside_view",
    "load_anchor_targets": "data.anchors", "load_forecasts": "data.anchors",
    "AnchorInputs": "models.anchored", "fit_anchored": "models.anchored",
    "backtest": "assess.backtest",
}

#: Modules of the flat layout (before the wings) -> where they live now. ``import
#: linhai_analysis.growth`` keeps working: it is the same module object as
#: ``linhai_analysis.models.growth``.
_MOVED = {
    "paths": "data.paths", "provenance": "data.provenance", "safety": "data.safety",
    "units": "data.units", "indicators": "data.indicators", "places": "data.places",
    "sources": "data.sources", "checks": "data.checks", "anchors": "data.anchors",
    "report_text": "claims.text", "evaluation": "claims.evaluation",
    "growth": "models.growth", "trend": "models.trend", "anchored": "models.anchored",
    "reconcile": "assess.reconcile", "plausibility": "assess.plausibility",
    "outcomes": "assess.outcomes", "outside_view": "assess.outside_view",
    "backtest": "assess.backtest", "sensitivity": "assess.sensitivity",
    "display": "report.display", "labels": "report.labels", "plots": "report.plots",
    "tables": "report.tables", "findings": "report.findings", "render": "report.render",
    "outdir": "report.outdir",
}


class _MovedModuleFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve an old flat module path to the module in its wing (same object)."""

    def find_spec(self, fullname, path=None, target=None):  # noqa: D102
        head, _, tail = fullname.partition(".")
        if head == __name__ and tail in _MOVED:
            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):  # noqa: D102
        return importlib.import_module(f"{__name__}.{_MOVED[spec.name.partition('.')[2]]}")

    def exec_module(self, module):  # noqa: D102
        pass


if not any(isinstance(f, _MovedModuleFinder) for f in sys.meta_path):
    sys.meta_path.append(_MovedModuleFinder())
__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'linhai_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

"""The data wing: raw files with their sidecars -> validated, dated observations.

Units and printed precision, the indicator catalog, places, sources and provenance,
input safety, user-series checks, anchor targets and forecasts, and the information
set (:class:`~linhai_analysis.data.vintage.Vintage`) that every model and judgement
takes. Imports nothing from the other wings.
"""
from __future__ import annotations

from .lazy import lazy_exports

#: Public name -> module of this wing that defines it (imported on first use, so that
#: importing one light module of the wing does not pull in pandas).
_LAZY = {
    "observations": "load",
    "assemble": "load",
    "restrict_as_of": "vintage",
    "REPORT_DATE": "load",
    "AVAILABILITY_RULE": "load",
    "PROCESSED_COLUMNS": "load",
    "Vintage": "vintage",
    "load_anchor_targets": "anchors",
    "load_forecasts": "anchors",
    "CATALOG": "indicators",
    "convert": "units",
}
__all__ = list(_LAZY)

__getattr__, __dir__ = lazy_exports(__name__, _LAZY)

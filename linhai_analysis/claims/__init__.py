"""The claims wing: a report's text -> numeric claims (extraction and its evaluation).

Depends on the data wing only (units, indicators, places).
"""
from __future__ import annotations

from ..data.lazy import lazy_exports

#: Public name -> module of this wing that defines it (imported on first use, so that
#: importing one light module of the wing does not pull in pandas).
_LAZY = {
    "extract_claims": "extract",
    "claims_table": "extract",
    "CLAIM_COLUMNS": "extract",
    "CLAIM_KINDS": "extract",
    "ClaimsInputError": "extract",
    "ReportStructureWarning": "extract",
    "section_kind": "extract",
    "load_report": "text",
    "parse_report": "text",
    "Report": "text",
    "Paragraph": "text",
}
__all__ = list(_LAZY)

__getattr__, __dir__ = lazy_exports(__name__, _LAZY)

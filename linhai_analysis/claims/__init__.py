"""The claims wing: a report's text -> numeric claims (extraction and its evaluation).

Depends on the data wing only (units, indicators, places).
"""
from __future__ import annotations

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

"""Input hygiene shared by every reader and writer: strict numbers, safe text and URLs,
and spreadsheet-formula neutralisation (OWASP CSV-injection guidance).

Numbers are read as printed, never guessed: ``1,062.9`` (thousands separators) is
1062.9; ``1062,9`` (a decimal comma, or a misplaced separator) is refused rather
than read as 10629; ``inf``, ``nan`` and exponents are refused.
"""

from __future__ import annotations

import re

import pandas as pd

#: Characters that make a spreadsheet cell a formula (or a DDE command).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$")
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.I)


def is_number_text(text: str) -> bool:
    """True for a plain decimal number as printed (``-6.4``, ``32,801``, ``1,062.9``).

    Examples
    --------
    >>> is_number_text("1,062.9"), is_number_text("1062,9"), is_number_text("inf")
    (True, False, False)
    """
    return bool(_NUMBER.match(str(text).strip()))


def parse_number_text(text: str) -> float:
    """The value of a printed number; raises ``ValueError`` for anything
    :func:`is_number_text` refuses (decimal commas, ``inf``, exponents)."""
    t = str(text).strip()
    if not is_number_text(t):
        raise ValueError(f"not a plain number: {text!r}")
    return float(t.replace(",", ""))


def number_problem(text: str) -> str | None:
    """Why ``text`` is not a usable number, or ``None`` when it is one (or empty)."""
    t = str(text).strip()
    if t == "" or is_number_text(t):
        return None
    if re.match(r"^[+-]?\d+,\d{1,2}$|^[+-]?\d+,\d{4,}$", t):
        return (f"{text!r} is ambiguous: a decimal comma or a misplaced thousands separator; "
                "write the number with a decimal point (1062.9) or full thousands groups (1,062.9)")
    if t.lower().lstrip("+-") in ("inf", "infinity", "nan") or re.search(r"\d[eE][+-]?\d", t):
        return f"{text!r} is not a finite plain number (no inf, nan or exponents)"
    return f"{text!r} is not a number"


def unsafe_text(text: str) -> bool:
    """True when a text field would act as a spreadsheet formula: it starts with
    ``=``, ``+``, ``-`` or ``@`` followed by something to run (``=1+1``, ``-2+3``,
    ``@SUM(A1)``), or with a tab or carriage return, and is not a plain number.

    A lone sign (the comparator ``=``, a dash ``-`` for "none") runs nothing and is
    left as it is.

    Examples
    --------
    >>> [unsafe_text(t) for t in ("=1+1", "-2+3", "=", "-", "-6.4", ">=", "\\t=1")]
    [True, True, False, False, False, False, True]
    """
    t = str(text)
    if t.startswith(("\t", "\r")):
        return True
    return t.startswith(FORMULA_START) and t[1:].strip() != "" and not is_number_text(t)


def unneutralise(value):
    """Undo :func:`neutralise` (for text read back from a CSV to be shown in HTML,
    where nothing is ever run and a ``'`` would only confuse)."""
    if isinstance(value, str) and value.startswith("'") and unsafe_text(value[1:]):
        return value[1:]
    return value


def safe_url(url: str) -> bool:
    """True for an empty URL or an ``http(s)://`` one (no ``javascript:`` or ``file:``)."""
    return url == "" or bool(_URL.match(str(url).strip()))


def neutralise(value):
    """Prefix a formula-like text cell with ``'`` so spreadsheets show it as text."""
    if isinstance(value, str) and unsafe_text(value):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and column names) are :func:`neutralise`\\ d."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out

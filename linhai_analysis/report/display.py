"""One display helper for every table a notebook shows.

The full tables go to CSV and the workbook; a page shows what a reader needs: chosen
columns, numbers formatted by meaning (percent with one decimal, probabilities as
percentages, levels at printed precision, integer years), missing values as "—",
verdicts as coloured labels, text left-aligned and wrapping, and no horizontal
scroll. Long groups (e.g. ``not_checkable`` rows) can be folded into a count with the
details in a collapsible list.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd

#: Colours of verdict labels (background, text).
VERDICT_COLOURS: dict[str, tuple[str, str]] = {
    "consistent": ("#d8f0d8", "#1b5e20"), "consistent_within_rounding": ("#e6f4d7", "#33691e"),
    "discrepancy": ("#fbd9d3", "#b71c1c"), "basis_mismatch": ("#fff0c2", "#7a5b00"),
    "not_checkable": ("#ececec", "#555555"), "insufficient_data": ("#ececec", "#555555"),
    "likely": ("#d8f0d8", "#1b5e20"), "plausible": ("#e6f4d7", "#33691e"),
    "unlikely": ("#ffe2c2", "#8a4b00"), "implausible": ("#fbd9d3", "#b71c1c"),
    "above_own_plan": ("#fbd9d3", "#b71c1c"), "within_own_plan": ("#d8f0d8", "#1b5e20"),
    "above_trend": ("#ffe2c2", "#8a4b00"), "within_trend": ("#d8f0d8", "#1b5e20"),
    "models disagree": ("#ffe2c2", "#8a4b00"),
    "True": ("#d8f0d8", "#1b5e20"), "False": ("#fbd9d3", "#b71c1c"),
}
TABLE_CSS = [
    {"selector": "", "props": "width:100%; table-layout:auto; border-collapse:collapse; font-size:0.85em"},
    {"selector": "th", "props": "text-align:left; background:#f4f4f4; padding:4px 6px; white-space:normal"},
    {"selector": "td", "props": "text-align:left; padding:3px 6px; vertical-align:top; white-space:normal;"
                                " overflow-wrap:break-word; word-break:normal; max-width:32em"},
]


def _kind(col: str) -> str:
    c = col.lower()
    if c.startswith("p_") or c in ("p_meet", "pit", "coverage_50", "coverage_80", "coverage_95") \
            or c.startswith("coverage") or c.startswith("share"):
        return "prob"
    if c.endswith("_pct") or c.endswith("_pp") or c in ("pp", "gap_pp", "miss_pp", "markup_pp"):
        return "pct"
    if c in ("year", "target_year", "release_year", "first_year", "last_year", "period_start",
             "period_end", "ref_year", "base_year", "years_left", "n", "n_points", "effective_n",
             "cells", "cells_with_p", "horizon", "count", "claims"):
        return "int"
    if c in ("crps", "crps_mean", "log_score", "log_score_mean", "brier", "abs_log_error", "male"):
        return "score"
    return "auto"


def number(v, kind: str = "auto") -> str:
    """One number as a reader sees it, by meaning: ``prob`` as a percentage (a value
    outside [0, 1] is not a probability and is shown as a number), ``pct`` with one
    decimal (never ``-0.0``), ``int`` whole, ``score`` with three decimals, levels with
    thousands separators and at most two decimals (never in e-notation)."""
    return _fmt(kind)(v)


def _fmt(kind: str):
    def f(v):
        if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
            return "—"
        if isinstance(v, bool):
            return "yes" if v else "no"
        if hasattr(v, "item") and not isinstance(v, str):  # numpy scalar
            v = v.item()
        if kind == "prob" and isinstance(v, (int, float)) and not isinstance(v, bool):
            if isinstance(v, int) or not 0 <= v <= 1:  # a count or a level in a "share" column
                return _fmt("auto")(v)
            return f"{v:.1%}"
        if kind == "pct" and isinstance(v, (int, float)):
            r = round(float(v), 1)
            return "0.0" if r == 0 else f"{r:.1f}"
        if kind == "int" and isinstance(v, (int, float)):
            return f"{int(v)}" if float(v).is_integer() else f"{v:g}"
        if kind == "score" and isinstance(v, (int, float)):
            return f"{v:.3f}"
        if isinstance(v, float):
            text = f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"
            return "0" if text == "-0" else text
        if isinstance(v, int):
            return f"{v:,}" if abs(v) >= 10000 else str(v)
        return str(v)
    return f


def _cell_text(column: str, lang: str):
    """Codes and Chinese names in a column as the reader's language shows them."""
    from ..data.indicators import CATALOG
    from .labels import cell_label, humanize

    by_zh = {i.name_zh: i.name_en for i in CATALOG.values()}
    if column in ("indicator", "series"):
        return lambda v: (CATALOG[v].name_zh if lang == "zh" else CATALOG[v].name_en) \
            if isinstance(v, str) and v in CATALOG else v
    if column in ("indicator_text", "indicator_zh") and lang == "en":
        return lambda v: by_zh.get(v, v) if isinstance(v, str) else v
    if column in ("place", "reference", "markup_over") and lang == "en":
        from ..data.places import get_place

        def place(v):
            try:
                return get_place(v).name_en if isinstance(v, str) and v else v
            except Exception:  # noqa: BLE001 - not a place of the table: leave as printed
                return v
        return place
    if column in ("verdict", "verdict_label", "model", "sample", "section_kind", "component", "robust", "kind"):
        # a code is a label; a sentence that starts with one (a verdict and its reason) has its codes in words
        return lambda v: (cell_label(v, lang) if cell_label(v, lang) != v else humanize(v, lang)) \
            if isinstance(v, str) else v
    return lambda v: humanize(v, lang) if isinstance(v, str) else v  # codes inside prose, in words


def _verdict_style(v) -> str:
    key = str(v)
    if key not in VERDICT_COLOURS:
        key = key.split(":")[0].split(" ")[0]
    bg, fg = VERDICT_COLOURS.get(key, ("", ""))
    return f"background-color:{bg}; color:{fg}; font-weight:600; border-radius:3px" if bg else ""


def show(df: pd.DataFrame, columns: Sequence[str] | None = None, *, rename: Mapping[str, str] | None = None,
         caption: str | None = None,
         verdict_columns: Sequence[str] = ("verdict", "verdict_label", "met", "robust"),
         max_rows: int | None = None):
    """A styled view of ``df`` for a notebook page.

    Parameters
    ----------
    df : pandas.DataFrame
        The full table (unchanged; write it to CSV separately).
    columns : sequence of str, optional
        The columns a reader needs, in order (default: all).
    rename : mapping, optional
        Column headers to show instead of the code names.
    caption : str, optional
        A one-line caption above the table.
    verdict_columns : sequence of str
        Columns shown as coloured labels.
    max_rows : int, optional
        Show at most this many rows (the caption says how many were left out).

    Returns
    -------
    pandas.io.formats.style.Styler
        Numbers formatted by meaning (see module docstring), "—" for missing values.
    """
    view = df[list(columns)] if columns is not None else df
    left_out = 0
    if max_rows is not None and len(view) > max_rows:
        left_out = len(view) - max_rows
        view = view.head(max_rows)
    view = view.reset_index(drop=True)
    from .labels import current_language, header

    lang = current_language()
    styler = view.style.hide(axis="index")
    for col in view.columns:  # text is HTML-escaped before it is formatted: a cell never becomes markup
        kind = _kind(col)
        if kind == "prob" and pd.api.types.is_integer_dtype(view[col]):
            kind = "int"  # a count in a column whose name reads as a share
        text = _cell_text(col, lang)
        fmt = _fmt(kind)
        styler = styler.format((lambda v, f=fmt, tx=text: f(tx(v))) if text else fmt, subset=[col],
                               escape="html")
    styler = styler.format_index(escape="html", axis=1)
    short = [c for c in view.columns if _kind(c) in ("int", "prob", "pct", "score")
             or pd.api.types.is_numeric_dtype(view[c])]
    if short:  # numbers and years never break across lines
        styler = styler.set_properties(subset=short, **{"white-space": "nowrap", "overflow-wrap": "normal"})
    vcols = [c for c in verdict_columns if c in view.columns]
    if vcols:
        styler = styler.map(_verdict_style, subset=vcols)
    styler = styler.set_table_styles(TABLE_CSS)
    rename = dict(rename or {})
    styler = styler.relabel_index([html.escape(str(rename.get(c) or header(c))) for c in view.columns],
                                  axis=1)
    cap = caption or ""
    if left_out:
        cap += f" (first {max_rows} rows; {left_out} more in the CSV table)"
    if cap:
        styler = styler.set_caption(html.escape(cap))
    return styler


def folded(df: pd.DataFrame, by: str, *, value: str | Sequence[str], columns: Sequence[str], title: str) -> str:
    """HTML: the rows whose ``by`` is ``value`` (one value or several), counted, with the
    rows themselves in a collapsible list."""
    from .labels import current_language, humanize

    values = [value] if isinstance(value, str) else list(value)
    rows = df[df[by].isin(values)]
    if rows.empty:
        return ""
    lang = current_language()
    text = {c: _cell_text(c, lang) for c in columns}
    items = "".join(
        "<li>" + html.escape(" · ".join(str(text[c](r[c])) for c in columns if pd.notna(r[c]) and str(r[c])))
        + "</li>" for _, r in rows.iterrows())
    return (f"<details><summary><b>{html.escape(humanize(title, lang))}</b>: {len(rows)} row(s) — click to list them"
            f"</summary><ul style='font-size:0.85em'>{items}</ul></details>")


def bullet_list(sentences: Sequence[str]) -> str:
    """Markdown bullet list of computed sentences (for a "Key findings" cell)."""
    from .labels import humanize

    return "\n".join(f"- {humanize(s)}" for s in sentences) if sentences else "- (no finding: see the tables below)"

"""Write tables for people who work in spreadsheets: CSV (UTF-8 with BOM, so Excel
opens Chinese text correctly) and one Excel workbook with a sheet per table, formatted
to open well: bold frozen header with autofilter, column widths, number formats by
meaning, dates as dates, and a first sheet that explains every column and lists the
sources."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

#: What the columns mean (exact names); suffix rules below cover the rest.
COLUMN_DOCS: dict[str, str] = {
    "claim_id": "identifier of a claim extracted from the report (report-NNN)",
    "target_id": "claim_id of the target",
    "report": "source id of the report a claim comes from",
    "place": "place the figure is about (全国, 浙江省, 台州市, 临海市 ...)",
    "place_en": "English name of the place",
    "indicator": "indicator code of the catalog (linhai_analysis.indicators.CATALOG)",
    "indicator_zh": "indicator name in Chinese", "indicator_text": "indicator as printed",
    "kind": "kind of claim or target (level, avg_growth, target_level, target_cumulative ...)",
    "value": "value in the canonical unit", "value_text": "value as printed", "unit": "unit as printed",
    "comparator": "= exact; ≥ 突破/以上 (lower bound); ≤ 以内; ≈ 左右/近/约; range",
    "verdict": "the verdict (see the notebook's legend)", "verdict_text": "the verdict in words",
    "reason": "why: data used, or what is missing", "explanation": "a sentence that explains the verdict",
    "sources": "source ids used (see sources below)", "source_id": "source id (see sources below)",
    "independent": "True when a source outside the government's own work reports entered the check",
    "evidence": "what the check rests on", "vintages": "year:document date/status of each level used",
    "benchmark": "census benchmark of a level", "benchmark_break": "the computation spans a census revision",
    "model": "ols = log-linear trend; rw_drift = random walk with drift; anchored = anchored growth model; "
             "no_change, last_cagr = naive benchmarks; required_growth, own_numbers = arithmetic",
    "as_of": "information set: only what was published by this date", "threshold": "the target's threshold",
    "target_year": "year the target is for", "year": "reference year", "horizon": "years ahead of the last level",
    "realized": "the published outcome", "median": "median forecast", "pit": "predictive percentile of the outcome",
    "crps": "continuous ranked probability score on the log level (lower is better)",
    "log_score": "log predictive density of the log level (higher is better)",
    "n": "number of scored forecasts", "effective_n": "distinct (place, series, year) pairs: bound on independent evidence",
    "sample": "all levels; without third-party levels; only levels since the last census revision",
    "component": "part of the miss: escalation, national/provincial shortfall, local gap, total",
    "pp": "percentage points", "met": "True met, False missed, empty: rounding decides or no outcome",
    "title": "document title", "publisher": "publisher", "url": "address of the document",
    "document_date": "date printed on the document", "available_date": "date from which the figure counts as known",
    "sub_area": "zone inside the place the figure is about (empty: the whole place); never compared across",
    "source_caveats": "sources of the check that are third-party or of low reliability, with the caveat",
    "source_reliability": "low: the source's note says it is of low reliability",
    "growth_basis": "basis of a growth rate: comparable (real), nominal, like_for_like (同口径)",
    "claims_file": "claims file the claim comes from", "claims_line": "line of the claims file (header = 1)",
}
_SUFFIX_DOCS = (("_pct", "percent"), ("_pp", "percentage points"), ("p_", "probability (0-1)"),
                ("coverage_", "share of outcomes inside the central band"), ("_low", "lower end of an interval"),
                ("_high", "upper end of an interval"), ("_date", "date"))


def describe(column: str) -> str:
    """What ``column`` means, from :data:`COLUMN_DOCS` or its prefix/suffix."""
    if column in COLUMN_DOCS:
        return COLUMN_DOCS[column]
    for affix, text in _SUFFIX_DOCS:
        if column.endswith(affix) or (affix.endswith("_") and column.startswith(affix)):
            return text
    return "see the notebook that writes this table"


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table to ``out_dir/<name>.csv`` (UTF-8 with BOM, ``\\n`` line ends).

    Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
    tab, CR at the start, and not a number) are prefixed with ``'``.

    Returns
    -------
    list of Path
        The files written.
    """
    from ..data.files import write_atomic
    from ..data.safety import neutralise_frame

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        safe = neutralise_frame(df)
        p = write_atomic(out_dir / f"{name}.csv", lambda tmp, safe=safe: safe.to_csv(
            tmp, index=False, encoding="utf-8-sig", lineterminator="\n"))
        written.append(p)
    return written


def _number_format(column: str, series: pd.Series | None = None) -> str | None:
    """Excel number format of a numeric column, by meaning as on the pages (display
    helper): probabilities as percentages, percent and pp with one decimal, years and
    counts whole, scores with three decimals, other numbers (levels) with thousands
    separators and two decimals; integer columns whole. A "share" column of counts
    is a count."""
    from .display import _kind

    kind = _kind(column)
    if series is not None and kind == "prob" and (pd.api.types.is_integer_dtype(series)
                                                  or (series.dropna().abs() > 1).any()):
        kind = "auto"
    fmt = {"prob": "0.0%", "pct": "0.0", "int": "0", "score": "0.000"}.get(kind)
    if fmt is None and series is not None:
        whole = pd.api.types.is_integer_dtype(series) or bool(
            len(series.dropna()) and (series.dropna() % 1 == 0).all())
        fmt = "#,##0" if whole else "#,##0.00"
    return fmt


def _format_sheet(ws, df: pd.DataFrame) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    if ws.max_row >= 1 and ws.max_column >= 1:
        ws.auto_filter.ref = ws.dimensions
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, col in enumerate(df.columns, start=1):
        letter = get_column_letter(j)
        series = df[col]
        width = max([len(str(col))] + [len(str(v)) for v in series.head(200)]) + 2
        ws.column_dimensions[letter].width = min(max(width, 8), 60)
        fmt = (_number_format(str(col), series) if pd.api.types.is_numeric_dtype(series)
               and not pd.api.types.is_bool_dtype(series) else None)
        is_date = pd.api.types.is_datetime64_any_dtype(series)
        for row in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            for cell in row:
                if cell.data_type == "f":  # text is never a formula, whatever it starts with
                    cell.data_type = "s"
                if fmt and isinstance(cell.value, (int, float)):
                    cell.number_format = fmt
                elif is_date and cell.value is not None:
                    cell.number_format = "yyyy-mm-dd"
                if isinstance(cell.value, str) and len(cell.value) > 60:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _dates(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if ("date" in col or col == "as_of") and pd.api.types.is_string_dtype(out[col]):
            parsed = pd.to_datetime(out[col], format="%Y-%m-%d", errors="coerce")
            if parsed.notna().sum() and parsed.notna().sum() == out[col].replace("", pd.NA).notna().sum():
                out[col] = parsed
    return out


def _readme(frames: dict[str, pd.DataFrame], sources: pd.DataFrame | None) -> pd.DataFrame:
    rows = [{"sheet": name, "column": col, "meaning": describe(col)}
            for name, df in frames.items() for col in df.columns]
    out = pd.DataFrame(rows, columns=["sheet", "column", "meaning"])
    if sources is not None and len(sources):
        src = sources.rename(columns={"source_id": "column", "title": "meaning"})
        src = src.assign(sheet="(source) " + src["source_kind"].astype(str) + " " + src["document_date"].astype(str),
                         meaning=src["meaning"].astype(str) + " — " + src["publisher"].astype(str) + " — " + src["url"].astype(str))
        out = pd.concat([out, src[["sheet", "column", "meaning"]]], ignore_index=True)
    return out


def merge_workbook(csv_dir: Path, workbook: Path, sources: pd.DataFrame | None = None) -> Path | None:
    """Collect every ``*.csv`` in ``csv_dir`` into one workbook, a sheet per file
    (sheet names are the file stems cut to Excel's 31 characters), after a first sheet
    ``README`` that explains every column and lists the sources. Returns ``None`` and
    writes nothing when there is no table.

    Parameters
    ----------
    csv_dir : Path
        Folder of the CSV tables.
    workbook : Path
        The ``.xlsx`` to write.
    sources : pandas.DataFrame, optional
        The sources table (default: the raw ``sources.csv``), listed on the first sheet.
    """
    from ..data.safety import neutralise_frame

    files = sorted(Path(csv_dir).glob("*.csv"))
    if not files:
        return None
    if sources is None:
        from ..data.sources import load_raw_sources

        sources = load_raw_sources()
    frames = {f.stem[:31]: _dates(neutralise_frame(pd.read_csv(f, encoding="utf-8-sig"))) for f in files}
    from ..data.files import write_atomic

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            readme = neutralise_frame(_readme(frames, sources))
            readme.to_excel(xw, sheet_name="README", index=False)
            _format_sheet(xw.sheets["README"], readme)
            for name, df in frames.items():
                df.to_excel(xw, sheet_name=name, index=False)
                _format_sheet(xw.sheets[name], df)

    return write_atomic(Path(workbook), write)

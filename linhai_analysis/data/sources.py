"""Load and validate the observation tables: the raw ``sources.csv`` and
``observations.csv``, and user-supplied series in the same shape.

Every problem is reported with the file, the 1-based line number (header = line 1)
and the field, and all problems of a file are reported together.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from . import paths
from .files import read_input_bytes
from .indicators import CATALOG
from .places import canonical_place
from .provenance import read_verified_bytes
from .safety import is_number_text, safe_url, unsafe_text
from .units import UNITS, get_unit

SOURCE_COLUMNS = ["source_id", "source_kind", "title", "publisher", "url", "document_date", "note"]
OBSERVATION_COLUMNS = [
    "indicator", "label_as_printed", "year", "value", "unit", "growth_pct", "growth_basis",
    "comparator", "status", "source_id", "note",
]
#: Optional column: where the figure is about (default 临海市, see ``places``).
PLACE_COLUMN = "place"
#: Extra columns a user-series file carries so that it describes its own sources.
USER_SOURCE_COLUMNS = ["source_kind", "source_title", "publisher", "url", "document_date"]
#: Optional user-series column: the ``source_id`` whose figure a ``revised`` row replaces.
REVISES_COLUMN = "revises"

#: Source kinds in order of precedence when several sources give the same figure.
SOURCE_PRECEDENCE = ["yearbook", "statistical_bulletin", "work_report", "news", "third_party",
                     "forecast"]
GROWTH_BASES = ["", "comparable", "nominal", "unknown"]
COMPARATORS = ["=", ">", ">=", "<", "<=", "≈"]
STATUSES = ["", "preliminary", "final", "revised", "unknown"]
YEAR_RANGE = (1949, 2035)


def read_csv_strict(path: Path, *, verify: bool = True, label: str | None = None) -> pd.DataFrame:
    """Read a CSV as strings, strictly: UTF-8 (a BOM is accepted), not empty.

    Parameters
    ----------
    path : Path
        The file.
    verify : bool, default True
        Check the file against the sha256 in its ``.meta.yml`` sidecar (raw files).
        User files have no sidecar: pass ``False``.
    label : str, optional
        Name used in error messages (default: the file name).

    Raises
    ------
    DataValidationError
        For an empty file, bytes that are not UTF-8 (with the line), or CSV that
        cannot be parsed.
    ChecksumMismatchError
        If ``verify`` and the bytes differ from the sidecar's sha256.
    """
    path = Path(path)
    name = label or path.name
    if path.is_dir():
        raise DataValidationError([Problem(name, None, None, f"{path} is a folder, not a CSV file")])
    if not path.exists():
        hint = f" ({paths.data_help()})" if path.parent == paths.RAW_DIR else ""
        raise DataValidationError([Problem(name, None, None, f"no such file: {path}{hint}")])
    data = read_verified_bytes(path) if verify else read_input_bytes(path)
    if not data.strip():
        raise DataValidationError([Problem(name, None, None, "file is empty")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataValidationError([Problem(
            name, line, None,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 (Excel: 'CSV UTF-8')")]) from None
    # CR-only (old Mac) and CRLF line ends read like LF ones
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_control_characters(text, name)
    _check_field_counts(text, name)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=False,
                         index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise DataValidationError([Problem(name, None, None, f"not parseable as CSV: {exc}")]) from None
    df.columns = [str(c).strip() for c in df.columns]
    return df.apply(lambda s: s.str.strip())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_control_characters(text: str, name: str) -> None:
    """No NUL or other control character (a binary file, or a corrupted one)."""
    problems = []
    for m in _CONTROL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        problems.append(Problem(name, line, None, f"control character U+{ord(m.group()):04X} (a binary or "
                                                  "corrupted file?): remove it"))
        if len(problems) == 5:
            break
    if problems:
        raise DataValidationError(problems)


def _check_field_counts(text: str, name: str) -> None:
    """Every record has as many fields as the header (an unquoted ``1,062.9`` or a
    trailing comma adds one), and no column name appears twice; problems name the
    line."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise DataValidationError([Problem(name, 1, None, f"not parseable as CSV: {exc}")]) from None
    problems = []
    stripped = [h.strip() for h in header]
    for col in sorted({c for c in stripped if stripped.count(c) > 1}):
        problems.append(Problem(name, 1, col, "the column appears twice in the header: keep one"))
    try:
        for rec in reader:
            if rec and len(rec) != len(header):
                problems.append(Problem(
                    name, reader.line_num, None,
                    f"{len(rec)} fields where the header has {len(header)}: an unquoted comma "
                    "(a number such as 1,062.9 must be quoted) or a trailing comma?"))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, None, f"not parseable as CSV: {exc}"))
    if problems:
        raise DataValidationError(problems)


def _records(df: pd.DataFrame, *columns: str):
    """``(index, {column: value})`` pairs for the given columns: ``iterrows`` without
    building a Series per row (a 10⁵-row user series is read in seconds, not minutes)."""
    lists = [df[c].tolist() for c in columns]
    for i, values in zip(df.index, zip(*lists, strict=True), strict=True):
        yield i, dict(zip(columns, values, strict=True))


def _line(index: int) -> int:
    return int(index) + 2  # header is line 1, first data row line 2


def _require_columns(df: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataValidationError([
            Problem(name, 1, c, "required column is missing (header line)") for c in missing
        ])


def _numeric_ok(s: pd.Series) -> pd.Series:
    return (s == "") | s.map(is_number_text)


#: Message of a number that is not read (see :mod:`linhai_analysis.safety`).
NUMBER_RULE = ("is not a number (write 1062.9 or 1,062.9; decimal commas, inf, nan and "
               "exponents are refused, never misread)")


def _text_ok(s: pd.Series) -> pd.Series:
    return ~s.map(unsafe_text)


TEXT_RULE = ("must not start with =, +, -, @, tab or carriage return (a spreadsheet would run it "
             "as a formula)")


def _pandera_problems(df: pd.DataFrame, schema, name: str) -> list[Problem]:
    import pandera.pandas as pa

    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        fc = err.failure_cases
        problems = []
        for _, r in fc.iterrows():
            idx = r["index"]
            row = None if pd.isna(idx) else _line(int(idx))
            problems.append(Problem(name, row, r["column"], f"{r['check']}: got {r['failure_case']!r}"))
        return problems
    return []


def _check(fn, error: str):
    import pandera.pandas as pa

    return pa.Check(fn, error=error, name=error)


def validate_sources(df: pd.DataFrame, name: str = "sources.csv", *, unique: bool = True) -> pd.DataFrame:
    """Validate a sources table (``document_date`` is ``YYYY-MM-DD`` or empty).

    Parameters
    ----------
    unique : bool, default True
        Require one row per ``source_id`` (False for user files, one row per figure).

    Raises
    ------
    DataValidationError
        Missing column, unknown source kind, malformed date, duplicate source id.
    """
    import pandera.pandas as pa

    _require_columns(df, SOURCE_COLUMNS, name)
    schema = pa.DataFrameSchema({
        "source_id": pa.Column(str, [
            _check(lambda s: s != "", "source_id must not be empty"),
            _check(lambda s: ~s.duplicated(keep="first") if unique else s == s, "duplicate source_id"),
        ]),
        "source_kind": pa.Column(str, _check(lambda s: s.isin(SOURCE_PRECEDENCE),
                                             f"source_kind must be one of {SOURCE_PRECEDENCE}")),
        "document_date": pa.Column(str, _check(
            lambda s: (s == "") | (s.str.match(r"^\d{4}-\d{2}-\d{2}$")
                                   & pd.to_datetime(s, format="%Y-%m-%d", errors="coerce").notna())
            | (s.str.match(r"^\d{4}-\d{2}$") & pd.to_datetime(s, format="%Y-%m", errors="coerce").notna()),
            "document_date must be YYYY-MM-DD, YYYY-MM (month only) or empty")),
        "url": pa.Column(str, _check(lambda s: s.map(safe_url), "url must be empty or http(s)://")),
        **{c: pa.Column(str, _check(_text_ok, f"{c} {TEXT_RULE}"))
           for c in ("title", "publisher", "note")},
    })
    problems = _pandera_problems(df, schema, name)
    if problems:
        raise DataValidationError(problems)
    return df


def validate_observations(
    df: pd.DataFrame, known_sources: Iterable[str], name: str = "observations.csv"
) -> pd.DataFrame:
    """Validate an observations table (raw or user series, string columns).

    Checks types, known indicators and units, that the unit measures what the
    indicator measures, plausible years, comparators, statuses, growth bases,
    known source ids, and rejects two rows for the same indicator, year and source.

    Raises
    ------
    DataValidationError
        Listing every problem with file, line and field.
    """
    import pandera.pandas as pa

    _require_columns(df, OBSERVATION_COLUMNS, name)
    with_place(df)
    known_sources = set(known_sources)
    lo, hi = YEAR_RANGE

    def year_ok(s: pd.Series) -> pd.Series:
        y = pd.to_numeric(s, errors="coerce")
        return s.str.match(r"^\d{4}$") & y.between(lo, hi)

    schema = pa.DataFrameSchema({
        "indicator": pa.Column(str, _check(lambda s: s.isin(list(CATALOG)),
                                           "unknown indicator (see linhai_analysis.indicators.CATALOG)")),
        "year": pa.Column(str, _check(year_ok, f"year must be a whole number in {lo}..{hi}")),
        "value": pa.Column(str, _check(_numeric_ok, f"value {NUMBER_RULE}")),
        "unit": pa.Column(str, _check(lambda s: s.isin(list(UNITS)) | s.isin(["％", ""]),
                                      "unknown unit (see linhai_analysis.units.UNITS)")),
        "growth_pct": pa.Column(str, _check(_numeric_ok, f"growth_pct {NUMBER_RULE}")),
        "growth_basis": pa.Column(str, _check(lambda s: s.isin(GROWTH_BASES),
                                              f"growth_basis must be one of {GROWTH_BASES[1:]} or empty")),
        "comparator": pa.Column(str, _check(lambda s: s.isin(COMPARATORS),
                                            f"comparator must be one of {COMPARATORS}")),
        "status": pa.Column(str, _check(lambda s: s.isin(STATUSES),
                                        f"status must be one of {STATUSES[1:]} or empty")),
        "source_id": pa.Column(str, [
            _check(lambda s: s.isin(sorted(known_sources)), "unknown source_id (not in sources.csv)"),
            _check(_text_ok, f"source_id {TEXT_RULE}")]),
        **{c: pa.Column(str, _check(_text_ok, f"{c} {TEXT_RULE}")) for c in ("label_as_printed", "note")},
        PLACE_COLUMN: pa.Column(str, _check(_text_ok, f"place {TEXT_RULE}")),
    })
    problems = _pandera_problems(df, schema, name)

    # cross-field checks, on rows whose fields passed the column checks
    bad_rows = {p.row for p in problems}
    for i, r in _records(df, "value", "growth_pct", "indicator", "unit"):
        line = _line(i)
        if line in bad_rows:
            continue
        if r["value"] == "" and r["growth_pct"] == "":
            problems.append(Problem(name, line, "value", "neither a value nor a growth_pct is given"))
        ind = CATALOG[r["indicator"]]
        if r["value"] != "":
            v = float(r["value"].replace(",", ""))
            if ind.kind != "rate" and v <= 0:
                problems.append(Problem(name, line, "value",
                                        f"{r['indicator']} must be positive, got {r['value']}"))
            elif ind.kind == "rate" and not 0 <= v <= 100:
                problems.append(Problem(name, line, "value",
                                        f"{r['indicator']} is a rate in percent: 0 to 100, got {r['value']}"))
        if r["unit"] == "":  # a growth-only row may print no unit; a value needs one
            if r["value"] != "":
                problems.append(Problem(name, line, "unit", "a value needs a unit"))
        elif get_unit(r["unit"]).dimension != get_unit(ind.unit).dimension:
            problems.append(Problem(
                name, line, "unit",
                f"unit {r['unit']!r} does not measure {r['indicator']} (canonical unit {ind.unit!r})"))
    key = [PLACE_COLUMN, "indicator", "year", "source_id"]
    dup = df[df.duplicated(key, keep=False)]
    for _, grp in dup.groupby(key, sort=True):
        first = grp.index[0]
        for j in grp.index[1:]:
            same = (grp.loc[j, ["value", "unit", "growth_pct"]] == grp.loc[first, ["value", "unit", "growth_pct"]]).all()
            what = "repeats" if same else "conflicts with"
            problems.append(Problem(
                name, _line(j), "value",
                f"row {what} line {_line(first)} for the same place, indicator, year and source "
                f"({grp.loc[j, PLACE_COLUMN]}, {grp.loc[j, 'indicator']}, {grp.loc[j, 'year']}, "
                f"{grp.loc[j, 'source_id']}): "
                f"{grp.loc[first, 'value']!r} vs {grp.loc[j, 'value']!r}"))
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.row or 0, p.field or "")))
    return df


def with_place(df: pd.DataFrame) -> pd.DataFrame:
    """Give ``df`` a canonical ``place`` column in place (default 临海市) and return it."""
    if PLACE_COLUMN not in df.columns:
        df[PLACE_COLUMN] = ""
    df[PLACE_COLUMN] = df[PLACE_COLUMN].map(canonical_place)
    return df


def load_raw_sources(path: Path | None = None) -> pd.DataFrame:
    """Read and validate the raw ``sources.csv`` (checksum verified).

    A ``document_date`` printed to the month only (``YYYY-MM``) counts from the last day
    of that month: the latest day the document can have appeared, so that no
    information set holds it too early."""
    path = Path(path or paths.SOURCES_FILE)
    df = validate_sources(read_csv_strict(path), path.name)
    return df.assign(document_date=df["document_date"].map(month_end))


def month_end(date: str) -> str:
    """``"YYYY-MM"`` -> the last day of that month; any other string unchanged."""
    if len(date) == 7 and date[4] == "-":
        return str((pd.Timestamp(date + "-01") + pd.offsets.MonthEnd(0)).date())
    return date


def load_raw_observations(path: Path | None = None, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate a raw observations file (checksum verified).

    Default: Linhai's ``observations.csv``; the anchors' ``anchor_observations.csv``
    has the same columns plus ``place``. Rows without a place are Linhai's.
    """
    path = Path(path or paths.OBSERVATIONS_FILE)
    sources = load_raw_sources() if sources is None else sources
    return validate_observations(read_csv_strict(path), sources["source_id"], path.name)


def load_other_report_claims(path: Path | None = None) -> pd.DataFrame:
    """Read the transcribed claims of the 2017 report (checksum verified)."""
    path = Path(path or paths.OTHER_CLAIMS_FILE)
    df = read_csv_strict(path)
    _require_columns(df, ["source_id", "indicator", "kind", "value", "unit", "period_start",
                          "period_end", "note"], path.name)
    return df


def load_user_series(path: Path, sources: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and validate a user-supplied series file (see ``docs/user_series_template.csv``).

    The file has the columns of ``observations.csv`` plus ``source_kind``,
    ``source_title``, ``publisher``, ``url`` and ``document_date`` describing each
    row's source, so one file is self-contained. A ``source_id`` that already exists
    in ``sources`` must carry the same kind.

    Returns
    -------
    (observations, new_sources)
        Rows in the observations shape, and the sources they introduce.

    Raises
    ------
    DataValidationError
        With file, line and field for every problem.
    """
    path = Path(path)
    name = path.name
    df = read_csv_strict(path, verify=False)
    _check_user_columns(df, name)
    _require_columns(df, OBSERVATION_COLUMNS + USER_SOURCE_COLUMNS, name)
    if df.empty:
        raise DataValidationError([Problem(name, None, None, "no data rows: the file holds only a header")])
    if REVISES_COLUMN not in df.columns:
        df[REVISES_COLUMN] = ""
    src = df.rename(columns={"source_title": "title"})[
        ["source_id", "source_kind", "title", "publisher", "url", "document_date"]].copy()
    src["note"] = f"user series {name}"
    problems: list[Problem] = []
    existing = sources.set_index("source_id")["source_kind"].to_dict()
    for i, r in _records(src, "source_id", "source_kind"):
        if r["source_id"] in existing and existing[r["source_id"]] != r["source_kind"]:
            problems.append(Problem(name, _line(i), "source_kind",
                                    f"source_id {r['source_id']!r} exists with kind "
                                    f"{existing[r['source_id']]!r}, not {r['source_kind']!r}"))
    new = src[~src["source_id"].isin(list(existing))]
    # one row per new source, and rows of one source must agree on its description
    conflicting = new.groupby("source_id").nunique().gt(1).any(axis=1)
    for sid in conflicting[conflicting].index:
        rows = [_line(i) for i in new.index[new["source_id"] == sid]]
        problems.append(Problem(name, rows[1], "source_id",
                                f"rows {rows} describe source {sid!r} differently"))
    problems += _check_user_dates(df, name)
    known = set(existing) | set(new["source_id"])
    for i, r in _records(df, "status", "note", REVISES_COLUMN, "source_id"):
        if r["status"] == "revised" and not r["note"]:
            problems.append(Problem(name, _line(i), "note", "a revised figure says why in note (it is shown "
                                                            "wherever the figure is used)"))
        if r[REVISES_COLUMN] and r["status"] != "revised":
            problems.append(Problem(name, _line(i), REVISES_COLUMN, "only a row with status=revised revises "
                                                                    "another source's figure"))
        elif r[REVISES_COLUMN] and (r[REVISES_COLUMN] not in known or r[REVISES_COLUMN] == r["source_id"]):
            problems.append(Problem(name, _line(i), REVISES_COLUMN,
                                    f"{r[REVISES_COLUMN]!r} is not another known source_id (sources.csv or this "
                                    "file)"))
    for check in (lambda: validate_sources(src, name, unique=False),
                  lambda: validate_observations(with_place(df[OBSERVATION_COLUMNS + (
                      [PLACE_COLUMN] if PLACE_COLUMN in df.columns else [])].copy()),
                                                list(existing) + list(new["source_id"]), name)):
        try:
            check()
        except DataValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.row or 0, p.field or "")))
    new = new.drop_duplicates("source_id").reset_index(drop=True)
    obs = with_place(df[OBSERVATION_COLUMNS + ([PLACE_COLUMN] if PLACE_COLUMN in df.columns else [])
                        + [REVISES_COLUMN]].copy())
    return obs, new


def _check_user_columns(df: pd.DataFrame, name: str) -> None:
    """Every column of a user series is a known one: a misspelled ``Place`` or
    ``plase`` would otherwise be ignored (and the figure moved to 临海市)."""
    known = OBSERVATION_COLUMNS + USER_SOURCE_COLUMNS + [PLACE_COLUMN, REVISES_COLUMN]
    problems = []
    for col in df.columns:
        if col in known:
            continue
        close = difflib.get_close_matches(str(col).lower(), known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        problems.append(Problem(name, 1, str(col), f"unknown column: {hint}(the columns are "
                                                   f"{', '.join(known)}; see docs/user_series_template.csv)"))
    if problems:
        raise DataValidationError(problems)


def _check_user_dates(df: pd.DataFrame, name: str) -> list[Problem]:
    """A document cannot print a figure before the figure's year starts (a forecast
    excepted), nor be dated after today."""
    problems = []
    today = dt.date.today().isoformat()
    for i, r in _records(df, "document_date", "year", "source_kind"):
        d, y = str(r["document_date"]), str(r["year"])
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) or not re.fullmatch(r"\d{4}", y):
            continue  # malformed: reported by the column checks
        if d > today:
            problems.append(Problem(name, _line(i), "document_date",
                                    f"{d} is after today ({today}): a document date is the date printed on it"))
        elif d < f"{y}-01-01" and r["source_kind"] != "forecast":
            problems.append(Problem(name, _line(i), "document_date",
                                    f"{d} is before the year the figure is about ({y}): a document cannot "
                                    "print a figure of a year that has not begun"))
    return problems

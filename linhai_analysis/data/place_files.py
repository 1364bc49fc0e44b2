"""Another place's files: structured claims, observations and sources.

A user with another county's work report and statistical bulletin writes three CSV
files (``data/raw/other_county/`` holds two examples, 南昌县 and 宜兴市):

``<place>_claims.csv``
    One row per printed figure of the report: ``source_id, place, indicator, kind,
    value, value_from, unit, year, period_start, period_end, comparator, note``
    (optional ``growth_basis``: ``like_for_like`` for 同口径; optional ``sub_area``).
``<place>_observations.csv``
    Figures of other documents: the columns of ``observations.csv`` plus ``place``
    (optional ``sub_area``).
``<place>_sources.csv``
    One row per document: ``source_id, source_kind, title, publisher, url,
    document_date`` (``accessed`` and ``note`` optional).

The observations go through the same validation and assembly as Linhai's
(:func:`linhai_analysis.data.sources.validate_observations`,
:func:`linhai_analysis.data.load.assemble`); the claims come out in the claims shape
that :func:`linhai_analysis.assess.reconcile.reconcile` takes. Every error names the
file, line and field. Indicator codes are resolved through the catalog: a synonym
(:data:`~linhai_analysis.data.indicators.CODE_SYNONYMS`) is mapped to its code, any
other unknown or refused code is reported by name, never guessed.

Reliability
-----------
A source is *low reliability* when its ``note`` says so in words (``low
reliability`` or ``low-reliability``, any case; :data:`LOW_RELIABILITY_MARKERS`) —
the convention of the sources files, where the compiler records why (a spun repost,
an anonymous post). The kind alone does not decide it: a third-party page citing a
yearbook is third-party but not low reliability. Low-reliability figures rank after
every other source of the same kind when several give the same figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem, UnknownIndicatorError
from . import paths
from .indicators import CATALOG, CODE_SYNONYMS, get_indicator, row_sub_area
from .places import canonical_place
from .provenance import sidecar_path
from .safety import is_number_text, parse_number_text
from .sources import (
    COMPARATORS,
    OBSERVATION_COLUMNS,
    PLACE_COLUMN,
    read_csv_strict,
    validate_observations,
    validate_sources,
)
from .units import get_unit

CLAIM_FILE_COLUMNS = ["source_id", "place", "indicator", "kind", "value", "value_from", "unit", "year",
                      "period_start", "period_end", "comparator", "note"]
#: Kinds of retrospective claims a claims file may hold.
CLAIM_FILE_KINDS = ("level", "yoy_growth", "avg_growth", "from_to", "multiple", "threshold", "share", "count")
GROWTH_BASES = ("", "comparable", "nominal", "like_for_like")
LOW_RELIABILITY_MARKERS = ("low reliability", "low-reliability")
#: Columns of a claims table (the shape of ``claims/extract.py``'s CLAIM_COLUMNS that
#: reconcile reads, plus the file's line, growth basis and sub-area).
PLACE_CLAIM_COLUMNS = ["claim_id", "report", "place", "section_kind", "indicator", "indicator_text", "kind",
                       "value", "value_from", "value_text", "unit", "comparator", "ref_year", "period_start",
                       "period_end", "text", "growth_basis", "sub_area", "file", "line"]
REFUSED_COLUMNS = ["file", "line", "report", "place", "indicator", "kind", "value", "unit", "year", "reason"]
#: The two places shipped as examples: place -> file stem in ``data/raw/other_county``.
EXAMPLE_PLACES = {"南昌县": "nanchangxian", "宜兴市": "yixing"}


@dataclass(frozen=True)
class PlaceFiles:
    """The three files of one place."""

    place: str
    claims: Path
    observations: Path
    sources: Path | None


def example_files(place: str) -> PlaceFiles:
    """The shipped files of an example place (:data:`EXAMPLE_PLACES`).

    Raises
    ------
    KeyError
        For a place without example files (the message lists them).
    """
    key = canonical_place(place)
    if key not in EXAMPLE_PLACES:
        raise KeyError(f"no example files for {place!r}; examples: {', '.join(EXAMPLE_PLACES)}")
    stem = paths.OTHER_COUNTY_DIR / EXAMPLE_PLACES[key]
    return PlaceFiles(key, Path(f"{stem}_claims.csv"), Path(f"{stem}_observations.csv"),
                      Path(f"{stem}_sources.csv"))


def _read(path: Path, verify: bool | None) -> pd.DataFrame:
    """Strict CSV read; the sha256 is verified when ``verify`` or (``None``) when the
    file has a ``.meta.yml`` sidecar (every project raw file has one)."""
    path = Path(path)
    if verify is None:
        verify = sidecar_path(path).exists()
    return read_csv_strict(path, verify=verify)


def _line(i: int) -> int:
    return int(i) + 2


def source_reliability(note: str) -> str:
    """``"low"`` when a source's note says it is of low reliability, else ``""``.

    Examples
    --------
    >>> source_reliability("low reliability: anonymous post"), source_reliability("mirror of the site")
    ('low', '')
    """
    text = str(note or "").lower()
    return "low" if any(m in text for m in LOW_RELIABILITY_MARKERS) else ""


def load_place_sources(path: Path, *, verify: bool | None = None) -> pd.DataFrame:
    """Read and validate a place's sources file; adds ``source_reliability``.

    Raises
    ------
    DataValidationError
        Missing column, unknown source kind, malformed date or URL, duplicate id.
    ChecksumMismatchError
        When the file has a sidecar whose sha256 it no longer matches.
    """
    path = Path(path)
    df = _read(path, verify)
    if "note" not in df.columns:
        df["note"] = ""
    validate_sources(df, path.name)
    return df.assign(source_reliability=df["note"].map(source_reliability))


def _resolve_codes(df: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Map code synonyms; one problem per row whose code is unknown or refused."""
    df = df.copy()
    df["indicator"] = df["indicator"].map(lambda c: CODE_SYNONYMS.get(c, c))
    problems = []
    for i, code in df["indicator"].items():
        try:
            get_indicator(code)
        except UnknownIndicatorError as exc:
            msg = str(exc) if "refused" in str(exc) else f"unknown indicator {code!r} (not in the catalog)"
            problems.append(Problem(name, _line(i), "indicator", msg))
    return df, problems


def load_place_observations(path: Path, sources: pd.DataFrame, *, verify: bool | None = None) -> pd.DataFrame:
    """Read and validate a place's observations file (``observations.csv`` columns
    plus ``place``; optional ``sub_area``).

    Returns
    -------
    pandas.DataFrame
        Raw rows (strings) with codes resolved, ready for :func:`assemble`.

    Raises
    ------
    DataValidationError
        Every problem with file, line and field; an unknown or refused indicator
        code is named with the reason.
    """
    path = Path(path)
    name = path.name
    df = _read(path, verify)
    from .sources import _require_columns

    _require_columns(df, OBSERVATION_COLUMNS, name)
    df, problems = _resolve_codes(df, name)
    known = df[~df.index.isin([p.row - 2 for p in problems])]
    try:
        validate_observations(known.copy(), sources["source_id"], name)
    except DataValidationError as exc:
        problems += exc.problems
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.row or 0, p.field or "")))
    if PLACE_COLUMN not in df.columns:
        df[PLACE_COLUMN] = ""
    df[PLACE_COLUMN] = df[PLACE_COLUMN].map(canonical_place)
    return df


_LIKE_FOR_LIKE_WORDS = re.compile(r"qualifier\s*同口径")


def _growth_basis(r: pd.Series) -> str:
    """``like_for_like`` when the file says so (``growth_basis``) or the note attaches
    同口径 to this figure: ``<value>%(同口径)`` in the printed wording, or the words
    "qualifier 同口径". A 同口径 printed after another figure of the same sentence does
    not count."""
    given = str(r.get("growth_basis", "") or "")
    if given:
        return given
    note, value = str(r.get("note", "")), re.escape(str(r["value"]))
    if "growth" in r["kind"] and (re.search(rf"(?<![\d.]){value}\s*[%％]?\s*[((]同口径", note)
                                  or _LIKE_FOR_LIKE_WORDS.search(note)):
        return "like_for_like"
    return ""


def load_place_claims(path: Path, *, place: str | None = None, sources: pd.DataFrame | None = None,
                      verify: bool | None = None, strict: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read a place's structured claims file into the claims shape of
    :func:`linhai_analysis.assess.reconcile.reconcile`.

    ``from_to`` rows give (from year, to year) in ``period_start``/``period_end``; the
    claims shape uses the growth convention (first year of change), so one year is
    added, as in :func:`linhai_analysis.assess.reconcile.claims_from_table`. A
    ``level`` or ``yoy_growth`` row without a period is about ``year``.

    Parameters
    ----------
    path : Path
        The claims file.
    place : str, optional
        The place the audit is about: rows naming another place are an error; rows
        without a place get this one.
    sources : pandas.DataFrame, optional
        The place's sources: every ``source_id`` must be in it.
    verify : bool, optional
        Verify the sha256 against the sidecar (default: when a sidecar exists).
    strict : bool, default False
        Raise on an unknown or refused indicator code instead of returning the row
        in the second table.

    Returns
    -------
    (claims, refused)
        The claims table (columns :data:`PLACE_CLAIM_COLUMNS`) and the rows whose
        indicator code the catalog does not hold, with the reason
        (:data:`REFUSED_COLUMNS`).

    Raises
    ------
    DataValidationError
        Every problem with file, line and field (with ``strict``, unknown codes too).
    """
    path = Path(path)
    name = path.name
    df = _read(path, verify)
    from .sources import _require_columns

    _require_columns(df, CLAIM_FILE_COLUMNS, name)
    df, code_problems = _resolve_codes(df, name)
    problems: list[Problem] = []
    known_sources = None if sources is None else set(sources["source_id"])
    want = canonical_place(place) if place else None
    rows, refused = [], []
    bad_code = {p.row: p for p in code_problems}
    for i, r in df.iterrows():
        line = _line(i)
        before = len(problems)

        def bad(field: str, msg: str, line: int = line) -> None:
            problems.append(Problem(name, line, field, msg))

        if r["kind"] not in CLAIM_FILE_KINDS:
            bad("kind", f"kind must be one of {list(CLAIM_FILE_KINDS)}, not {r['kind']!r}")
        if not is_number_text(r["value"]):
            bad("value", f"value {r['value']!r} is not a number")
        if r["kind"] == "from_to" and not is_number_text(r["value_from"]):
            bad("value_from", "a from_to claim needs value_from, the printed start")
        elif r["value_from"] and not is_number_text(r["value_from"]):
            bad("value_from", f"value_from {r['value_from']!r} is not a number")
        try:
            get_unit(r["unit"])
        except Exception:  # noqa: BLE001 - reported as a problem
            bad("unit", f"unknown unit {r['unit']!r} (see linhai_analysis.data.units.UNITS)")
        for field in ("year", "period_start", "period_end"):
            v = r[field]
            if (v or field == "year") and not re.fullmatch(r"\d{4}", v):
                bad(field, f"{field} must be a four-digit year, not {v!r}")
        if bool(r["period_start"]) != bool(r["period_end"]):
            bad("period_end" if r["period_start"] else "period_start", "give both ends of the period or neither")
        if r["kind"] in ("from_to", "avg_growth") and not r["period_start"]:
            bad("period_start", f"a {r['kind']} claim needs period_start and period_end")
        if r["comparator"] not in COMPARATORS:
            bad("comparator", f"comparator must be one of {COMPARATORS}, not {r['comparator']!r}")
        if known_sources is not None and r["source_id"] not in known_sources:
            bad("source_id", f"source_id {r['source_id']!r} is not in the sources file")
        basis = _growth_basis(r)
        if basis not in GROWTH_BASES:
            bad("growth_basis", f"growth_basis must be one of {list(GROWTH_BASES[1:])} or empty, not {basis!r}")
        row_place = canonical_place(r["place"]) if r["place"] else (want or canonical_place(""))
        if want is not None and r["place"] and row_place != want:
            bad("place", f"the claim is about {row_place!r}, not {want!r}")
        if len(problems) > before:
            continue
        if line in bad_code:
            refused.append({"file": name, "line": line, "report": r["source_id"], "place": row_place,
                            "indicator": r["indicator"], "kind": r["kind"], "value": r["value"],
                            "unit": r["unit"], "year": int(r["year"]), "reason": bad_code[line].message})
            continue
        year = int(r["year"])
        p0 = int(r["period_start"]) if r["period_start"] else year
        p1 = int(r["period_end"]) if r["period_end"] else year
        if r["kind"] == "from_to":
            p0 += 1
        rows.append({
            "claim_id": f"{r['source_id']}-{i + 1:03d}", "report": r["source_id"], "place": row_place,
            "section_kind": "review", "indicator": r["indicator"],
            "indicator_text": CATALOG[r["indicator"]].name_zh, "kind": r["kind"],
            "value": parse_number_text(r["value"]),
            "value_from": parse_number_text(r["value_from"]) if r["value_from"] else None,
            "value_text": r["value"], "unit": r["unit"], "comparator": r["comparator"],
            "ref_year": year, "period_start": p0, "period_end": p1, "text": r["note"],
            "growth_basis": basis, "sub_area": row_sub_area(r["indicator"], r.get("sub_area", "")),
            "file": name, "line": line,
        })
    if strict:
        problems += code_problems
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.row or 0, p.field or "")))
    claims = pd.DataFrame(rows, columns=PLACE_CLAIM_COLUMNS)
    for col in ("ref_year", "period_start", "period_end"):
        claims[col] = claims[col].astype("Int64")
    return claims, pd.DataFrame(refused, columns=REFUSED_COLUMNS)


def report_levels(claims: pd.DataFrame) -> pd.DataFrame:
    """The reports' own printed levels as raw observation rows (source = the report).

    As in Linhai's data, where the work reports' figures are observations of kind
    ``work_report``: they never confirm the report that prints them
    (:func:`~linhai_analysis.assess.reconcile.reconcile` excludes them from level
    checks), but may serve as one end of a growth check whose other end comes from
    another document. Only ``level`` claims, with their comparator (an ``≈`` estimate
    is never used as an exact level).
    """
    lv = claims[claims["kind"] == "level"]
    return pd.DataFrame({
        "indicator": lv["indicator"], "label_as_printed": lv["indicator_text"],
        "year": lv["ref_year"].astype(str), "value": lv["value_text"], "unit": lv["unit"],
        "growth_pct": "", "growth_basis": "", "comparator": lv["comparator"], "status": "",
        "source_id": lv["report"], "note": "the report's own printed figure (claims file, line "
        + lv["line"].astype(str) + ")", PLACE_COLUMN: lv["place"], "sub_area": lv["sub_area"],
    }).reset_index(drop=True)


def place_observations(observations_file: Path, sources_file: Path, *, claims: pd.DataFrame | None = None,
                       verify: bool | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A place's processed observation table and its sources.

    The rows are validated and assembled exactly as Linhai's
    (:func:`linhai_analysis.data.load.assemble`: canonical units, availability dates,
    census benchmarks, the preferred figure per indicator and year); with ``claims``,
    the reports' own levels are added (:func:`report_levels`). Two columns are
    added: ``source_reliability`` (see the module docstring) and ``sub_area``.
    Low-reliability sources rank after every other source of the same kind.

    Returns
    -------
    (observations, sources)
    """
    from .load import PROCESSED_COLUMNS, _mark_preferred, assemble

    sources = load_place_sources(sources_file, verify=verify)
    raw = load_place_observations(observations_file, sources, verify=verify)
    if "sub_area" not in raw.columns:
        raw["sub_area"] = ""
    if claims is not None and len(claims):
        raw = pd.concat([raw, report_levels(claims)], ignore_index=True)
    raw["sub_area"] = [row_sub_area(c, s) for c, s in zip(raw["indicator"], raw["sub_area"], strict=True)]
    obs = assemble(raw, sources)
    rel = sources.set_index("source_id")["source_reliability"]
    obs["source_reliability"] = obs["source_id"].map(rel).fillna("")
    obs["source_precedence"] = obs["source_precedence"] + (obs["source_reliability"] == "low") * 0.5
    obs = _mark_preferred(obs)
    return obs[PROCESSED_COLUMNS + ["sub_area", "source_reliability"]].reset_index(drop=True), sources

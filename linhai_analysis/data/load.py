"""Assemble the analysis-ready observation table and write ``data/processed/``.

``observations()`` is what notebooks and other modules call. ``build()`` writes the
same table (plus sources and a manifest) to disk, deterministically and atomically:
everything is validated in memory first, files are written to temporary names and
renamed only when all of them are complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import paths
from .indicators import CATALOG
from .places import get_place
from .safety import parse_number_text
from .sources import (
    OBSERVATION_COLUMNS,
    PLACE_COLUMN,
    REVISES_COLUMN,
    SOURCE_PRECEDENCE,
    load_raw_observations,
    load_raw_sources,
    load_user_series,
)
from .units import convert

#: Rule applied to observations whose source prints no publication date.
AVAILABILITY_RULE = (
    "no publication date printed: assumed available from 31 December of the year after "
    "the reference year (bulletins appear in spring, yearbooks in autumn of that year)"
)
REPORT_DATE = "2022-02-17"
#: Raw columns that :func:`assemble` carries through when present: ``sub_area`` names
#: a zone inside the place (see :func:`linhai_analysis.data.indicators.row_sub_area`).
OPTIONAL_COLUMNS = ("sub_area",)

PROCESSED_COLUMNS = [
    "place", "place_en", "indicator", "indicator_zh", "indicator_en", "year", "value", "unit", "value_as_printed",
    "unit_as_printed", "comparator", "growth_pct", "growth_as_printed", "growth_basis", "growth_convention",
    "status", "benchmark", "source_id", "source_kind", "source_precedence", "document_date",
    "available_date", "available_date_rule", "is_preferred", "label_as_printed",
    "caliber_note", "note",
]


def _available(doc_date: str, year: int) -> tuple[str, str]:
    if doc_date:
        return doc_date, "document date as printed"
    return f"{year + 1}-12-31", AVAILABILITY_RULE


def assemble(raw_obs: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Turn validated raw rows into the processed observation table.

    Adds canonical units, source kind and date, the availability date used for
    ``as_of`` filtering, the growth convention of the catalog, and ``is_preferred``:
    per indicator and year, the exact value (not a bound) from the source of highest
    precedence (yearbook > statistical bulletin > work report > news > third party),
    the latest vintage among equals, then source id for a deterministic tie-break —
    per place. ``benchmark`` names the census basis a level carries (see
    :meth:`linhai_analysis.indicators.Indicator.benchmark`). An optional ``sub_area``
    column (:data:`OPTIONAL_COLUMNS`) is carried through, and the preferred figure is
    chosen per sub-area.
    """
    src = sources.set_index("source_id")
    extra = [c for c in OPTIONAL_COLUMNS if c in raw_obs.columns]
    rows = []
    for r in raw_obs.to_dict("records"):  # not iterrows: a Series per row is slow
        ind = CATALOG[r["indicator"]]
        year = int(r["year"])
        value = None if r["value"] == "" else convert(parse_number_text(r["value"]), r["unit"], ind.unit)
        doc = src.loc[r["source_id"], "document_date"]
        avail, rule = _available(doc, year)
        kind = src.loc[r["source_id"], "source_kind"]
        place = get_place(r.get(PLACE_COLUMN, "") or "")
        rows.append({
            "place": place.name_zh, "place_en": place.name_en, "indicator": ind.code, "indicator_zh": ind.name_zh, "indicator_en": ind.name_en,
            "year": year, "value": value, "unit": ind.unit,
            "value_as_printed": r["value"], "unit_as_printed": r["unit"],
            "comparator": r["comparator"],
            "growth_pct": None if r["growth_pct"] == "" else parse_number_text(r["growth_pct"]),
            "growth_as_printed": r["growth_pct"],
            "growth_basis": r["growth_basis"] or "unknown", "growth_convention": ind.growth,
            "status": r["status"] or "unknown",
            "benchmark": ind.benchmark(avail, year, r["status"]) if value is not None else "",
            "source_id": r["source_id"], "source_kind": kind,
            "source_precedence": SOURCE_PRECEDENCE.index(kind), "document_date": doc,
            "available_date": avail, "available_date_rule": rule,
            "label_as_printed": r["label_as_printed"], "caliber_note": ind.caliber_note,
            "note": r["note"], **{c: r[c] for c in extra},
        })
    df = pd.DataFrame(rows, columns=[c for c in PROCESSED_COLUMNS if c != "is_preferred"] + extra)
    df = df.sort_values(["place", "indicator", "year", "source_precedence", "available_date", "source_id"],
                        ascending=[True, True, True, True, False, True], kind="mergesort")
    return _mark_preferred(df)[PROCESSED_COLUMNS + extra].reset_index(drop=True)


def _mark_preferred(df: pd.DataFrame) -> pd.DataFrame:
    exact = df["comparator"].eq("=") & df["value"].notna()
    key = ["place", "sub_area", "indicator", "year"] if "sub_area" in df.columns else ["place", "indicator", "year"]
    ranked = df.assign(_bound=~exact).sort_values(
        key + ["_bound", "source_precedence", "available_date", "source_id"],
        ascending=[True] * len(key) + [True, True, False, True], kind="mergesort")
    first = ranked.drop_duplicates(key).index
    return df.assign(is_preferred=df.index.isin(first) & exact)


def observations(
    user_series: Sequence[str | Path] = (), *, as_of: str | None = None
) -> pd.DataFrame:
    """The validated observation table, optionally restricted to an information set.

    Parameters
    ----------
    user_series : sequence of path, optional
        CSV files of official series in the template's shape
        (``docs/user_series_template.csv``), merged with the raw data.
    as_of : str, optional
        ``"YYYY-MM-DD"``: keep only observations available on or before that date
        (see :data:`AVAILABILITY_RULE`); ``None`` or ``"latest"``: keep everything.

    Returns
    -------
    pandas.DataFrame
        One row per published figure with the columns of :data:`PROCESSED_COLUMNS`.
    """
    from .vintage import restrict_as_of  # the one place that filters by date

    raw, sources = _load_inputs(user_series)
    return restrict_as_of(assemble(raw, sources), as_of)


def _load_inputs(user_series: Sequence[str | Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated raw observations and sources, with the user series merged in."""
    from ..errors import DataValidationError
    from .checks import Origin, check_user_rows

    sources = load_raw_sources()
    raw = pd.concat([load_raw_observations(paths.OBSERVATIONS_FILE, sources),
                     load_raw_observations(paths.ANCHOR_OBSERVATIONS_FILE, sources)],
                    ignore_index=True)[OBSERVATION_COLUMNS + [PLACE_COLUMN]]
    origins: list = [None] * len(raw)
    revises = [""] * len(raw)
    for path in user_series:
        obs, new_sources = load_user_series(Path(path), sources)
        new_sources = new_sources[~new_sources["source_id"].isin(sources["source_id"])]
        sources = pd.concat([sources, new_sources], ignore_index=True)
        raw = pd.concat([raw, obs[OBSERVATION_COLUMNS + [PLACE_COLUMN]]], ignore_index=True)
        file_name = Path(path).name
        origins += [Origin(file_name, int(i) + 2) for i in obs.index]
        revises += obs[REVISES_COLUMN].tolist()
    if user_series:
        problems = check_user_rows(raw.assign(**{REVISES_COLUMN: revises}), origins)
        if problems:
            raise DataValidationError(problems)
    return raw, sources

"""Assemble the analysis-ready observation table and write ``data/processed/``.

``observations()`` is what notebooks and other modules call. ``build()`` writes the
same table (plus sources and a manifest) to disk, deterministically and atomically:
everything is validated in memory first, files are written to temporary names and
renamed only when all of them are complete.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import paths
from .indicators import CATALOG
from .places import get_place
from .provenance import sha256_of
from .safety import parse_number_text
from .sources import (
    OBSERVATION_COLUMNS,
    PLACE_COLUMN,
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
    :meth:`linhai_analysis.indicators.Indicator.benchmark`).
    """
    src = sources.set_index("source_id")
    rows = []
    for _, r in raw_obs.iterrows():
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
            "note": r["note"],
        })
    df = pd.DataFrame(rows, columns=[c for c in PROCESSED_COLUMNS if c != "is_preferred"])
    df = df.sort_values(["place", "indicator", "year", "source_precedence", "available_date", "source_id"],
                        ascending=[True, True, True, True, False, True], kind="mergesort")
    return _mark_preferred(df)[PROCESSED_COLUMNS].reset_index(drop=True)


def level_interval(row: pd.Series):
    """The interval a processed observation's printed level stands for, in its canonical
    unit ("819.9" 亿元 is [819.85, 819.95]; "32801" 百万元 is [328.005, 328.015] 亿元).

    Parameters
    ----------
    row : pandas.Series
        A row of :func:`observations` with ``value_as_printed``, ``unit_as_printed`` and ``unit``.

    Returns
    -------
    linhai_analysis.growth.Interval
    """
    from .growth import Interval, printed_interval

    iv = printed_interval(row["value_as_printed"])
    return Interval(convert(iv.lo, row["unit_as_printed"], row["unit"]),
                    convert(iv.hi, row["unit_as_printed"], row["unit"]))


def _mark_preferred(df: pd.DataFrame) -> pd.DataFrame:
    exact = df["comparator"].eq("=") & df["value"].notna()
    ranked = df.assign(_bound=~exact).sort_values(
        ["place", "indicator", "year", "_bound", "source_precedence", "available_date", "source_id"],
        ascending=[True, True, True, True, True, False, True], kind="mergesort")
    first = ranked.drop_duplicates(["place", "indicator", "year"]).index
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
    raw, sources = _load_inputs(user_series)
    return restrict_as_of(assemble(raw, sources), as_of)


def _load_inputs(user_series: Sequence[str | Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validated raw observations and sources, with the user series merged in."""
    from .checks import Origin, check_user_rows
    from .errors import DataValidationError

    sources = load_raw_sources()
    raw = pd.concat([load_raw_observations(paths.OBSERVATIONS_FILE, sources),
                     load_raw_observations(paths.ANCHOR_OBSERVATIONS_FILE, sources)],
                    ignore_index=True)[OBSERVATION_COLUMNS + [PLACE_COLUMN]]
    origins: list = [None] * len(raw)
    for path in user_series:
        obs, new_sources = load_user_series(Path(path), sources)
        new_sources = new_sources[~new_sources["source_id"].isin(sources["source_id"])]
        sources = pd.concat([sources, new_sources], ignore_index=True)
        raw = pd.concat([raw, obs[OBSERVATION_COLUMNS + [PLACE_COLUMN]]], ignore_index=True)
        origins += [Origin(Path(path).name, int(i) + 2) for i in obs.index]
    if user_series:
        problems = check_user_rows(raw, origins)
        if problems:
            raise DataValidationError(problems)
    return raw, sources


def restrict_as_of(df: pd.DataFrame, as_of: str | None) -> pd.DataFrame:
    """Keep rows with ``available_date <= as_of`` and recompute ``is_preferred``
    within that information set. ``None``/``"latest"`` keeps every row."""
    if as_of in (None, "latest"):
        return df
    pd.Timestamp(as_of)  # raises on a malformed date
    kept = df[df["available_date"] <= str(pd.Timestamp(as_of).date())]
    return _mark_preferred(kept).reset_index(drop=True)


def write_dir_atomic(out_dir: Path, frames: dict[str, pd.DataFrame | str]) -> list[Path]:
    """Replace the files of ``out_dir`` all at once, or not at all.

    Every file is written into a staging folder beside ``out_dir`` (UTF-8, ``\n``
    line ends); then the old folder is renamed away, the staging folder renamed into
    place, and the old one removed: one swap. A run killed between the two renames
    leaves the old folder as ``.<name>.old-*``, which the next run puts back before
    it starts. Where a folder cannot be renamed (a mount point), files are replaced
    one by one after all of them are staged.

    Raises
    ------
    OutputFolderError
        If ``out_dir`` is a file, or a non-empty folder that is not a previous build
        (no ``manifest.json``).
    """
    from .outdir import OutputFolderError

    out_dir = Path(out_dir)
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    olds = [o / "d" for o in sorted(parent.glob(f".{out_dir.name}.old-*")) if (o / "d").is_dir()]
    if not out_dir.exists() and olds:
        os.replace(olds[-1], out_dir)  # recover from a run killed mid-swap
    for stale in [*parent.glob(f".{out_dir.name}.old-*"), *parent.glob(f".{out_dir.name}.staging-*")]:
        shutil.rmtree(stale, ignore_errors=True)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir} exists and is a file, not a folder")
    if out_dir.exists() and any(out_dir.iterdir()) and not (out_dir / "manifest.json").exists():
        raise OutputFolderError(f"{out_dir} is not empty and holds no manifest.json of a previous build: "
                                "nothing was written; choose a new or empty folder")
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=parent))
    try:
        for name, content in frames.items():
            target = stage / name
            if isinstance(content, pd.DataFrame):
                content.to_csv(target, index=False, lineterminator="\n", encoding="utf-8")
            else:
                target.write_text(content, encoding="utf-8")
        if not out_dir.exists():
            os.replace(stage, out_dir)
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            try:
                os.replace(out_dir, old / "d")
            except OSError:  # a mount point or busy folder: replace file by file
                shutil.rmtree(old, ignore_errors=True)
                for name in frames:
                    os.replace(stage / name, out_dir / name)
                return [out_dir / n for n in frames]
            os.replace(stage, out_dir)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return [out_dir / n for n in frames]


def build(out_dir: Path | None = None, user_series: Sequence[str | Path] = ()) -> list[Path]:
    """Validate the raw data (and user series) and write ``data/processed/``.

    Writes ``observations.csv``, ``sources.csv`` and ``manifest.json`` (sha256 of every
    input, row counts; no timestamps, so that a rebuild is byte-identical). Nothing is
    written when any input fails validation.

    Returns
    -------
    list of Path
        The files written.
    """
    from .anchors import TARGET_AVAILABILITY_RULE, load_anchor_targets, load_forecasts
    from .claims import claims_table  # local: claims is only needed for the build
    from .sources import load_other_report_claims

    out_dir = Path(out_dir or paths.PROCESSED_DIR)
    raw, src = _load_inputs(user_series)  # validated once, used for both tables
    obs = assemble(raw, src)
    claims = claims_table()
    targets = load_anchor_targets(sources=src)
    forecasts = load_forecasts(sources=src)
    load_other_report_claims()  # verified against its sidecar like every raw file
    inputs = [paths.REPORT_FILE, paths.OBSERVATIONS_FILE, paths.ANCHOR_OBSERVATIONS_FILE,
              paths.ANCHOR_TARGETS_FILE, paths.FORECASTS_FILE, paths.SOURCES_FILE,
              paths.OTHER_CLAIMS_FILE]
    manifest = {
        "inputs": {**{f"data/raw/{p.relative_to(paths.RAW_DIR).as_posix()}": sha256_of(p) for p in inputs},
                   **{f"user series {Path(p).resolve()}": sha256_of(Path(p)) for p in user_series}},
        "rows": {"observations": len(obs), "sources": len(src), "claims": len(claims),
                 "anchor_targets": len(targets), "forecasts": len(forecasts)},
        "availability_rule": AVAILABILITY_RULE,
        "target_availability_rule": TARGET_AVAILABILITY_RULE,
    }
    files = {
        "observations.csv": obs,
        "sources.csv": src,
        "claims.csv": claims,
        "anchor_targets.csv": targets,
        "forecasts.csv": forecasts,
        "manifest.json": json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    }
    return write_dir_atomic(out_dir, files)

"""The build: raw files -> ``data/processed/`` (observations, sources, claims, targets,
forecasts and a manifest), written in one swap.

It sits above the ``data`` and ``claims`` wings because the processed folder holds
both: the observations and the claims extracted from the report.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .claims.extract import claims_table
from .data import paths
from .data.anchors import TARGET_AVAILABILITY_RULE, load_anchor_targets, load_forecasts
from .data.load import AVAILABILITY_RULE, _load_inputs, assemble
from .data.provenance import sha256_of
from .data.sources import load_other_report_claims
from .errors import OutputFolderError


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

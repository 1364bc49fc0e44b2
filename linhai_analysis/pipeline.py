"""The build: raw files -> ``data/processed/`` (observations, sources, claims, targets,
forecasts and a manifest), staged complete and moved into place; files the build
did not write are kept.

It sits above the ``data`` and ``claims`` wings because the processed folder holds
both: the observations and the claims extracted from the report.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .claims.extract import claims_table
from .data import paths
from .data.anchors import TARGET_AVAILABILITY_RULE, load_anchor_targets, load_forecasts
from .data.files import file_sha256, folder_lock, is_plain_dir, is_plain_file, naming
from .data.load import AVAILABILITY_RULE, _load_inputs, assemble
from .data.provenance import sha256_of
from .data.sources import load_other_report_claims
from .errors import OutputFolderError

#: The files a build writes (the manifest last), its staging folder and the file that
#: says a build made that folder. Names are exact: nothing else is ever removed.
BUILD_FILES = ("observations.csv", "sources.csv", "claims.csv", "anchor_targets.csv", "forecasts.csv",
               "manifest.json")
MANIFEST = "manifest.json"
STAGE = ".linhai-build.staging"
STAGE_SENTINEL = ".linhai-staging"


def _read_manifest(path: Path) -> dict[str, str] | None:
    """The ``files`` (name -> sha256) a build's manifest records, or ``None`` when
    ``path`` is not a manifest this program wrote (``{}``, another program's JSON,
    a link)."""
    if not is_plain_file(path):
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not {"inputs", "rows"} <= set(data):
        return None
    return {k: str(v).lower() for k, v in files.items() if k in BUILD_FILES and isinstance(v, str)}


def _recover_interrupted_swap(out_dir: Path) -> None:
    """Undo what a build of version 0.2 (one folder swap) left when killed mid-swap:
    ``.<name>.old-*/d`` (the previous folder, put back when ``out_dir`` is missing)
    and ``.<name>.staging-*`` folders holding nothing but build files. Anything else
    with such a name is not recognisably ours and is left alone."""
    parent = out_dir.parent
    if not parent.is_dir():
        return
    for old in sorted(parent.glob(f".{out_dir.name}.old-*")):
        d = old / "d"
        if not is_plain_dir(old) or [p.name for p in old.iterdir()] != ["d"] or not is_plain_dir(d) \
                or _read_manifest(d / MANIFEST) is None and not is_plain_file(d / MANIFEST):
            continue
        if not (out_dir.exists() or out_dir.is_symlink()):
            with contextlib.suppress(OSError):
                os.replace(d, out_dir)
        with contextlib.suppress(OSError):
            old.rmdir()  # only once emptied
    for stage in parent.glob(f".{out_dir.name}.staging-*"):
        if is_plain_dir(stage) and all(is_plain_file(p) and p.name in BUILD_FILES for p in stage.iterdir()):
            shutil.rmtree(stage, ignore_errors=True)


def _stale_stage(out_dir: Path) -> dict[str, str]:
    """Remove the staging folder a killed build left (we hold the lock), returning
    the files its complete manifest records: a build killed while moving its files
    into place leaves some of them already moved, and they are ours."""
    stage = out_dir / STAGE
    if not (stage.exists() or stage.is_symlink()):
        return {}
    if not (is_plain_dir(stage) and ((stage / STAGE_SENTINEL).is_file() or not any(stage.iterdir()))):
        raise OutputFolderError(f"{stage} was not made by linhai-analysis (no {STAGE_SENTINEL} inside); "
                                "move it away: the program does not remove what it did not make")
    recorded = _read_manifest(stage / MANIFEST) or {}
    shutil.rmtree(stage)
    return recorded


def write_dir_atomic(out_dir: Path, frames: dict[str, pd.DataFrame | str],
                     manifest: dict | None = None) -> list[Path]:
    """Write the build's files into ``out_dir``, keeping every file it did not write.

    Under an exclusive lock on ``out_dir`` (see
    :func:`linhai_analysis.data.files.folder_lock`), every file is written into
    ``out_dir/.linhai-build.staging`` (same filesystem, so a mount point works; text
    cells a spreadsheet would run are neutralised; UTF-8, ``\n`` line ends), with the
    manifest, which records the sha256 of each file, written there last; then the
    files are renamed into place and the manifest last of all. A file of the build is
    replaced only when the previous manifest records its current sha256; any other
    file in ``out_dir`` is left alone. A build killed while renaming leaves its
    complete staging folder, whose manifest the next build trusts for the files
    already moved.

    Parameters
    ----------
    out_dir : Path
        The folder (made if missing).
    frames : dict
        File name -> table or text.
    manifest : dict, optional
        Written as ``manifest.json`` with ``files`` (name -> sha256) added.

    Raises
    ------
    OutputFolderError
        Before anything is written, if ``out_dir`` is a file or a symbolic link, a
        non-empty folder without a ``manifest.json`` of a previous build, or holds a
        file the build writes that the manifest does not record with its current
        content (named).
    """
    from .data.safety import neutralise_frame

    out_dir = Path(out_dir)
    _recover_interrupted_swap(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir} exists and is a file, not a folder")
    names = [*frames, *([MANIFEST] if manifest is not None else [])]
    busy = f"another linhai-analysis build is writing into {out_dir}; wait for it to finish"
    with folder_lock(out_dir, busy):
        recorded = {**_stale_stage(out_dir)}
        content = [p.name for p in out_dir.iterdir()]
        ours = _read_manifest(out_dir / MANIFEST)
        if content and ours is None:
            if MANIFEST in content:
                raise OutputFolderError(
                    f"{out_dir / MANIFEST} was not written by linhai-analysis (no record of the files it wrote; "
                    "an earlier version kept none): nothing was written; move it away (an old build's "
                    f"{', '.join(BUILD_FILES)} may simply be deleted) or choose a new or empty folder")
            raise OutputFolderError(f"{out_dir} is not empty and holds no manifest.json of a previous build: "
                                    "nothing was written; choose a new or empty folder")
        recorded = {**(ours or {}), **recorded}
        clash = [n for n in names if n != MANIFEST and n in content
                 and not (is_plain_file(out_dir / n) and file_sha256(out_dir / n) == recorded.get(n))]
        if clash:
            raise OutputFolderError(
                f"{out_dir} holds {', '.join(clash)}, which the build writes, but its manifest does not record "
                "them with their current content (written by someone else, by an earlier version, or edited "
                "since): nothing was written; move them away (an old build's output may simply be deleted) "
                "or choose another folder")
        stage = out_dir / STAGE
        try:
            stage.mkdir()
            (stage / STAGE_SENTINEL).write_text("staging folder of a linhai-analysis build\n", encoding="utf-8")
            sums = {}
            for name, content_ in frames.items():
                target = stage / name
                with naming(out_dir / name):
                    if isinstance(content_, pd.DataFrame):
                        neutralise_frame(content_).to_csv(target, index=False, lineterminator="\n",
                                                          encoding="utf-8")
                    else:
                        target.write_text(content_, encoding="utf-8")
                sums[name] = file_sha256(target)
            if manifest is not None:
                with naming(out_dir / MANIFEST):
                    (stage / MANIFEST).write_text(json.dumps({**manifest, "files": sums}, ensure_ascii=False,
                                                             indent=2, sort_keys=True) + "\n", encoding="utf-8")
            for name in names:  # the manifest last
                with naming(out_dir / name):
                    os.replace(stage / name, out_dir / name)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    return [out_dir / n for n in names]


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
    }
    return write_dir_atomic(out_dir, files, manifest)

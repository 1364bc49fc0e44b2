"""Output folders that never lose a user's files.

Rules, for ``report --out DIR``:

* ``DIR`` that does not exist, or is empty, is ours to fill.
* ``DIR`` that holds a previous report of this program (a marker file listing the
  files it wrote, each with its sha256) is updated: a file of the old run is
  replaced or removed only when it is a regular file (not a symbolic link) inside
  ``DIR`` whose content still has the recorded sha256; anything else in it (a
  user's notes in ``tables/``, a file the user edited, an entry of the marker that
  points outside ``DIR``) is left alone and reported.
* The marker is data, checked before any work: a marker that is not a JSON object
  with a list of file names is refused with a clear message before any notebook
  runs.
* Any other non-empty ``DIR`` is refused before any work starts; so is a ``DIR``
  (or a folder inside it) that is a symbolic link: nothing is ever written or
  deleted through one.
* Work is staged in ``DIR/.linhai-report.staging`` (same filesystem, so a mount point
  works) and moved into place only when complete. An exclusive ``flock`` on ``DIR``
  itself makes concurrent runs fail with a clear message; nothing is unlinked to
  release it. The staging, lock and marker names are exact: a user's
  ``.render-mine`` or ``.linhai-report.lock`` is just a user's file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..data.files import (
    file_sha256,
    folder_lock,
    is_plain_dir,
    is_plain_file,
    refuse_link_or_file,
    refuse_symlinks,
    write_atomic,
)
from ..errors import LinhaiError, OutputFolderError  # noqa: F401  (re-exported)

MARKER = ".linhai-report.json"
#: The staging folder of a run (exact name), and the file that says a run made it.
STAGE = ".linhai-report.staging"
STAGE_SENTINEL = ".linhai-staging"
PROGRAM = "linhai-analysis"
#: Names the program writes into an output folder (relative, ``/``-separated).
OWN_NAMES = re.compile(r"^(?:index\.html|annotated\.html|audit\.html|verdicts\.csv|(?:linhai|audit)_tables\.xlsx"
                       r"|\d{2}_[A-Za-z0-9_\-]+\.html"
                       r"|tables/[A-Za-z0-9_\-][A-Za-z0-9_.\-]*\.csv)$")


class OutputFolderWarning(UserWarning):
    """A file of a previous run was left alone (changed since, or not verifiable)."""


@dataclass
class Marker:
    """What a previous run recorded: the files it wrote and their sha256."""

    files: dict[str, str | None] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    exists: bool = False


def read_marker(out: Path) -> Marker:
    """Read and check ``out``'s marker.

    Entries that are not relative paths inside ``out`` matching a name the program
    writes (:data:`OWN_NAMES`) are ignored and listed in ``Marker.ignored``; an entry
    without a recorded sha256 (a marker of version 0.2) can never be verified, so its
    file is left alone.

    Raises
    ------
    OutputFolderError
        When the marker is a link, unreadable, not JSON, or not an object whose
        ``files`` is a list of strings (and ``sha256`` a mapping).
    """
    marker = Path(out) / MARKER
    if not marker.exists() and not marker.is_symlink():
        return Marker()
    hint = "remove it (or the whole folder) or choose another --out"
    if not is_plain_file(marker):
        raise OutputFolderError(f"{marker}: the marker is not a regular file; {hint}")
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise OutputFolderError(f"{marker}: unreadable marker ({exc}); {hint}") from None
    if not isinstance(data, dict):
        raise OutputFolderError(f"{marker}: the marker must be a JSON object, not {type(data).__name__}; {hint}")
    files = data.get("files", [])
    sums = data.get("sha256", {})
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise OutputFolderError(f"{marker}: 'files' must be a list of file names, not {files!r:.60}; {hint}")
    if not isinstance(sums, dict):
        raise OutputFolderError(f"{marker}: 'sha256' must map file names to checksums; {hint}")
    out = Marker(exists=True)
    for f in files:
        if OWN_NAMES.match(f) and ".." not in f.split("/"):
            s = sums.get(f)
            out.files[f] = s.lower() if isinstance(s, str) and re.fullmatch(r"[0-9a-fA-F]{64}", s) else None
        else:
            out.ignored.append(f)
    return out


def owned_files(out: Path) -> list[str]:
    """Relative paths of the files the previous run of this program wrote into ``out``
    that still have the content it recorded (so they may be replaced or removed)."""
    marker = read_marker(out)
    return sorted(f for f, s in marker.files.items() if s is not None and _verified(Path(out), f, s))


def _verified(out: Path, rel: str, sha: str | None) -> bool:
    """``out/rel`` is a regular file reached through real folders, with sha256 ``sha``."""
    if sha is None:
        return False
    try:
        refuse_symlinks(out, rel)
    except OutputFolderError:
        return False
    return is_plain_file(out / rel) and file_sha256(out / rel) == sha


def check_out_dir(out: Path, expected: Iterable[str] = ()) -> None:
    """Refuse, before any work, a target the program must not write into.

    Parameters
    ----------
    out : Path
        The output folder.
    expected : iterable of str
        Names this run will write that are known in advance (``index.html``, the
        pages): each must be absent or a verified file of a previous run.

    Raises
    ------
    OutputFolderError
        Naming the folder (or file) and what to do: a file, a symbolic link, a
        foreign non-empty folder, an unreadable marker, a user file where the
        report writes one.
    """
    out = Path(out)
    refuse_link_or_file(out, "the real folder as --out", "another --out")
    if not out.exists():
        return
    refuse_symlinks(out, "tables/x.csv")
    marker = read_marker(out)
    content = [p for p in out.iterdir() if p.name not in (MARKER, STAGE)]
    if content and not marker.exists:
        names = ", ".join(sorted(p.name for p in content)[:5])
        raise OutputFolderError(
            f"{out} is not empty and is not a previous linhai-analysis report (no {MARKER}); it holds "
            f"{names}{' ...' if len(content) > 5 else ''}. Nothing was written: choose a new or empty "
            "folder for --out.")
    clash = [f for f in expected if (out / f).exists() or (out / f).is_symlink()]
    clash = [f for f in clash if not _verified(out, f, marker.files.get(f))]
    if clash:
        raise OutputFolderError(_clash_message(out, clash))


def _clash_message(out: Path, clash: list[str]) -> str:
    names = ", ".join(clash[:5]) + (" ..." if len(clash) > 5 else "")
    return (f"{out} holds {names}, which this run would write, but the marker does not record them with their "
            "current content (written by someone else, by an earlier version that kept no checksums, or changed "
            "since): nothing was written; move them away (an old report may simply be deleted) or choose "
            "another --out")


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` (made if needed) for the duration.

    The lock is a ``flock`` on the folder itself (see
    :func:`linhai_analysis.data.files.folder_lock`); ``out`` is removed on the way out
    if this run made it and left it empty (a failed first run leaves nothing
    behind). A staging folder left by a killed run is removed once the lock is held.
    """
    with folder_lock(Path(out), f"another linhai-analysis run is writing into {out}; wait for it "
                                "to finish or choose another --out"):
        _remove_stale_stage(Path(out))
        yield


def _remove_stale_stage(out: Path) -> None:
    stage = out / STAGE
    if not (stage.exists() or stage.is_symlink()):
        return
    if is_plain_dir(stage) and ((stage / STAGE_SENTINEL).is_file() or not any(stage.iterdir())):
        _adopt_pending(out, stage)
        shutil.rmtree(stage)
        return
    raise OutputFolderError(f"{stage} was not made by linhai-analysis (no {STAGE_SENTINEL} inside); "
                            "move it away: the program does not remove what it did not make")


def _write_marker(path: Path, files: dict[str, str | None]) -> None:
    record = {"program": PROGRAM, "files": sorted(files),
              "sha256": {f: sha for f, sha in sorted(files.items()) if sha}}
    write_atomic(path, lambda tmp: tmp.write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"))


def _adopt_pending(out: Path, stage: Path) -> None:
    """A run killed while moving its files into place left its new marker in the
    staging folder: the files already moved are its own, so record them."""
    try:
        pending = read_marker(stage)
        files = dict(read_marker(out).files)
    except OutputFolderError:
        return
    moved = {f: sha for f, sha in pending.files.items() if _verified(out, f, sha)}
    if moved:
        _write_marker(out / MARKER, {**files, **moved})


def stage_dir(out: Path) -> Path:
    """The staging folder inside ``out`` (same filesystem as the targets); the
    caller holds the lock."""
    _remove_stale_stage(Path(out))
    stage = Path(out) / STAGE
    stage.mkdir()
    (stage / STAGE_SENTINEL).write_text("staging folder of a linhai-analysis run\n", encoding="utf-8")
    return stage


def _staged_files(stage: Path) -> list[str]:
    return sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*")
                  if p.is_file() and p.relative_to(stage).as_posix() != STAGE_SENTINEL)


def publish(stage: Path, out: Path) -> list[Path]:
    """Move every file of ``stage`` into ``out``: remove the previous run's files that
    this run does not write, replace the rest, leave everything else alone, and
    record the new list with sha256s in the marker (written last).

    Every check comes first: when a file this run writes exists and is not a
    verified file of the previous run, or a folder on the way is a symbolic link,
    nothing is moved. A recorded file that changed since (or cannot be verified) is
    left alone, with a warning.

    Returns
    -------
    list of Path
        The files now in ``out`` that this run wrote.

    Raises
    ------
    OutputFolderError
        Naming every file in the way.
    """
    stage, out = Path(stage), Path(out)
    new = _staged_files(stage)
    marker = read_marker(out)
    for rel in new:
        refuse_symlinks(out, rel)
    clash = [rel for rel in new if (out / rel).exists() or (out / rel).is_symlink()]
    folders = [rel for rel in clash if is_plain_dir(out / rel)]
    if folders:
        raise OutputFolderError(f"{out / folders[0]} is a folder where the report writes a file; move it away")
    clash = [rel for rel in clash if not _verified(out, rel, marker.files.get(rel))]
    if clash:
        raise OutputFolderError(_clash_message(out, clash))
    sums = {rel: file_sha256(stage / rel) for rel in new}
    left = [f"{f} (not a file the report writes)" for f in marker.ignored]
    for old, sha in marker.files.items():
        if old in sums or not ((out / old).exists() or (out / old).is_symlink()):
            continue
        if _verified(out, old, sha):
            (out / old).unlink()
        else:
            left.append(f"{old} (changed since the previous run, or not verifiable)")
    if left:
        warnings.warn(f"{out}: left alone, as the previous run's marker lists them but they are not "
                      f"verifiably its files: {', '.join(left[:5])}{' ...' if len(left) > 5 else ''}",
                      OutputFolderWarning, stacklevel=2)
    _write_marker(stage / MARKER, sums)  # a run killed while moving: the next one adopts these
    written = []
    try:
        for rel in new:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            refuse_symlinks(out, rel)  # made just now, or checked above
            os.replace(stage / rel, target)
            written.append(target)
    except BaseException:  # interrupted half-way: the files already moved are ours
        _adopt_pending(out, stage)
        raise
    _write_marker(out / MARKER, sums)
    return written

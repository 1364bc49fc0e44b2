"""Output folders that never lose a user's files.

Rules, for ``report --out DIR`` (and the same spirit for ``build --out``):

* ``DIR`` that does not exist, or is empty, is ours to fill.
* ``DIR`` that holds a previous report of this program (a marker file listing the
  files it wrote) is updated: exactly the files of the old run are replaced or
  removed; anything else in it (a user's notes in ``tables/``) is left alone.
* Any other non-empty ``DIR`` is refused before any work starts.
* Work is staged inside ``DIR`` (same filesystem, so a mount point works) and moved
  into place only when complete; a lock file makes concurrent runs into one folder
  wait their turn or fail with a clear message; staging folders left by a killed
  run are removed by the next one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import LinhaiError, OutputFolderError  # noqa: F401  (re-exported)

MARKER = ".linhai-report.json"
LOCK = ".linhai-report.lock"
STAGE_PREFIX = ".render-"
PROGRAM = "linhai-analysis"
#: Files a report of version 0.1 wrote, before the marker existed.
LEGACY_FILES = ("index.html", "linhai_tables.xlsx")


def _is_legacy_report(out: Path) -> bool:
    index = out / "index.html"
    try:
        return index.is_file() and "<title>linhai-analysis reports</title>" in index.read_text(
            encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return False


def owned_files(out: Path) -> list[str]:
    """Relative paths of the files the previous run of this program wrote into ``out``."""
    marker = out / MARKER
    if marker.is_file():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            return [str(f) for f in data.get("files", [])]
        except (ValueError, OSError) as exc:
            raise OutputFolderError(f"{marker}: unreadable marker ({exc}); remove it or choose another folder") from None
    if _is_legacy_report(out):
        legacy = [f for f in LEGACY_FILES if (out / f).exists()]
        legacy += [p.name for p in out.glob("[0-9][0-9]_*.html")]
        return legacy
    return []


def check_out_dir(out: Path) -> None:
    """Refuse, before any work, a target that is a file or a foreign non-empty folder.

    Raises
    ------
    OutputFolderError
        Naming the folder and what to do.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputFolderError(f"{out} exists and is a file, not a folder: choose another --out")
    if not out.exists():
        return
    ours = {MARKER, LOCK}
    content = [p for p in out.iterdir() if p.name not in ours and not p.name.startswith(STAGE_PREFIX)]
    if content and not (out / MARKER).is_file() and not _is_legacy_report(out):
        names = ", ".join(sorted(p.name for p in content)[:5])
        raise OutputFolderError(
            f"{out} is not empty and is not a previous linhai-analysis report (no {MARKER}); it holds "
            f"{names}{' ...' if len(content) > 5 else ''}. Nothing was written: choose a new or empty "
            "folder for --out.")


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out`` (created if needed) for the duration.

    The lock file is removed on the way out, and ``out`` too if this run created it
    and left it empty (a failed first run leaves nothing behind).
    """
    import fcntl

    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    fh = open(out / LOCK, "a+")  # noqa: SIM115 - closed in finally
    held = False
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = True
        except OSError:
            raise OutputFolderError(f"another linhai-analysis run is writing into {out}; wait for it "
                                    "to finish or choose another --out") from None
        for stale in out.glob(STAGE_PREFIX + "*"):  # left by a killed run: we hold the lock
            shutil.rmtree(stale, ignore_errors=True)
        yield
    finally:
        if held:
            (out / LOCK).unlink(missing_ok=True)
        fh.close()
        if created and out.exists() and not any(out.iterdir()):
            out.rmdir()


def stage_dir(out: Path) -> Path:
    """A fresh staging folder inside ``out`` (same filesystem as the targets)."""
    return Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=out))


def publish(stage: Path, out: Path) -> list[Path]:
    """Move every file of ``stage`` into ``out``: remove the previous run's files that
    this run does not write, replace the rest, leave everything else alone, and
    record the new list in the marker (written last).

    Returns
    -------
    list of Path
        The files now in ``out`` that this run wrote.
    """
    new = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
    for old in owned_files(out):
        if old not in new:
            target = out / old
            if target.is_file():
                target.unlink()
    written = []
    for rel in new:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            raise OutputFolderError(f"{target} is a folder where the report writes a file; move it away")
        os.replace(stage / rel, target)
        written.append(target)
    marker = {"program": PROGRAM, "files": new}
    tmp = out / (MARKER + ".tmp")
    tmp.write_text(json.dumps(marker, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, out / MARKER)
    return written

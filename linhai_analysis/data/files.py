"""Files the program reads and writes, handled so that nothing outside its own files
is ever touched.

* **Reading**: an input read whole must be a regular file (a FIFO would block the
  run, a device such as ``/dev/zero`` would never end) and at most
  :data:`MAX_INPUT_BYTES` long.
* **Writing**: a file is written to a fresh temporary name beside it and renamed
  into place; the temporary is removed when the write fails, and an error of the
  operating system names the file (``No space left on device`` alone says nothing).
* **Owning**: a file counts as the program's own only when its sha256 matches the
  one recorded when it was written; symbolic links are never followed when writing
  or deleting.
* **Locking**: an exclusive ``flock`` on the output folder itself: nothing is created
  for it and nothing is unlinked while it is held (a lock file that is deleted on
  release lets a late opener hold a lock nobody else sees).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import InputFileError, OutputFolderError

#: Largest input read whole (a report text, a CSV table): 100 MiB.
MAX_INPUT_BYTES = 100 * 2**20

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def read_input_bytes(path: Path, *, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else.

    Parameters
    ----------
    path : Path
        The file (a symbolic link to a regular file is fine: reading never harms).
    limit : int, optional
        Largest size accepted, in bytes (default :data:`MAX_INPUT_BYTES`).

    Raises
    ------
    InputFileError
        For a FIFO, a device, a socket or a folder (refused by type, before it is
        opened for reading), or a file larger than ``limit``.
    FileNotFoundError
        When ``path`` does not exist.
    """
    path = Path(path)
    limit = MAX_INPUT_BYTES if limit is None else limit
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise InputFileError(f"{path} is {_kind(mode)}, not a regular file: refused (save the data to a file)")
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # never blocks, even if swapped for a FIFO
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise InputFileError(f"{path} is {_kind(mode)}, not a regular file: refused")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputFileError(f"{path} is larger than {limit // 2**20} MiB: refused (not a report or a table?)")
    return data


def read_stream_bytes(stream, name: str, *, limit: int | None = None) -> bytes:
    """At most ``limit`` bytes of a binary stream (standard input); refuses a closed
    stream or a longer input."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    if stream is None:
        raise InputFileError(f"{name} is closed: nothing to read")
    try:
        data = stream.read(limit + 1)
    except (OSError, ValueError) as exc:
        raise InputFileError(f"{name} cannot be read: {exc}") from None
    if len(data) > limit:
        raise InputFileError(f"{name} is larger than {limit // 2**20} MiB: refused")
    return data


@contextlib.contextmanager
def naming(path: Path) -> Iterator[None]:
    """Re-raise an ``OSError`` that names no file (a full disk) with ``path`` named."""
    try:
        yield
    except OSError as exc:
        if getattr(exc, "filename", None) or isinstance(exc, (InputFileError, OutputFolderError)):
            raise
        raise OSError(exc.errno or errno.EIO, exc.strerror or str(exc), str(path)) from None


def write_atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write ``path`` through a fresh temporary file beside it, renamed into place.

    ``write`` receives the temporary path. On any failure the temporary is removed
    and ``path`` is left as it was; an ``OSError`` names ``path``.
    """
    path = Path(path)
    with naming(path):
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            write(tmp)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
    return path


def is_plain_file(path: Path) -> bool:
    """True for a regular file that is not a symbolic link."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def is_plain_dir(path: Path) -> bool:
    """True for a folder that is not a symbolic link."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def file_sha256(path: Path) -> str | None:
    """sha256 of a regular file, read without following a symbolic link; ``None``
    for anything else (a link, a FIFO, a folder, a missing file)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return None
        h = hashlib.sha256()
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def refuse_symlinks(root: Path, rel: str = "") -> None:
    """Refuse ``root`` or any existing folder on the way to ``root/rel`` that is a
    symbolic link (writing through it would land outside ``root``).

    Raises
    ------
    OutputFolderError
        Naming the link.
    """
    root = Path(root)
    parts = [p for p in Path(rel).parts[:-1]] if rel else []
    here = root
    for part in [None, *parts]:
        if part is not None:
            here = here / part
        if here.is_symlink():
            raise OutputFolderError(f"{here} is a symbolic link: the program never writes or deletes through "
                                    "one; replace it by a real folder or choose another output folder")
        if not here.exists():
            return


@contextlib.contextmanager
def folder_lock(folder: Path, busy: str) -> Iterator[bool]:
    """Hold an exclusive ``flock`` on ``folder`` itself (made if missing) for the duration.

    Nothing is created for the lock and nothing is unlinked while it is held. After
    the lock is taken the folder is checked to still be the one at ``folder`` (a run
    that locked a folder another run has since removed retries on the new one).
    When this run made the folder and leaves it empty (a failed first run), the
    folder is removed.

    Yields
    ------
    bool
        True when this run made the folder.

    Raises
    ------
    OutputFolderError
        ``busy`` when another run holds the lock; a clear message when ``folder`` is
        a symbolic link or a file.
    """
    import fcntl

    folder = Path(folder)
    refuse_link_or_file(folder)
    created = False
    for _ in range(20):
        try:
            folder.mkdir(parents=True)
            created = True
        except FileExistsError:
            pass
        with naming(folder):
            fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutputFolderError(busy) from None
        held, now = os.fstat(fd), None
        with contextlib.suppress(OSError):
            now = os.lstat(folder)
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            break
        os.close(fd)  # the folder was removed or replaced after we opened it: try again
    else:  # pragma: no cover - twenty races in a row
        raise OutputFolderError(busy)
    try:
        yield created
    finally:
        try:
            if created:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only if empty: a failed first run leaves nothing
        finally:
            os.close(fd)


def refuse_link_or_file(folder: Path, name: str = "the real folder", other: str = "another output folder") -> None:
    """Refuse an output folder that is a symbolic link (written through, it would change
    files elsewhere) or an existing file, naming it and what to give instead.

    Raises
    ------
    OutputFolderError
    """
    if folder.is_symlink():
        raise OutputFolderError(f"{folder} is a symbolic link{'' if folder.exists() else ' to nothing'}: "
                                f"the program never writes through one; give {name}")
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{folder} exists and is a file, not a folder: choose {other}")

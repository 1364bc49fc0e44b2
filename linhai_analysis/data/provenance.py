"""Raw-file provenance: metadata sidecars and sha256 verification."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..errors import ChecksumMismatchError, MissingSidecarError, SidecarError

SIDECAR_SUFFIX = ".meta.yml"
REQUIRED_SIDECAR_KEYS = ("title", "publisher", "url", "accessed", "sha256", "holds")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sidecar_path(path: Path) -> Path:
    """Path of the ``.meta.yml`` sidecar that describes ``path``."""
    path = Path(path)
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, Any]:
    """Read and check the metadata sidecar of a raw file.

    Raises
    ------
    MissingSidecarError
        If the sidecar does not exist or lacks a required key.
    """
    import yaml

    meta_path = sidecar_path(path)
    if not meta_path.exists():
        raise MissingSidecarError(
            f"{path}: no provenance sidecar {meta_path.name}; every raw file needs one "
            f"with {', '.join(REQUIRED_SIDECAR_KEYS)}"
        )
    try:
        meta = yaml.safe_load(meta_path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f", line {where.line + 1}" if where is not None else ""
        raise SidecarError(f"{meta_path}{line}: not a valid YAML sidecar ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(meta, dict):
        raise SidecarError(f"{meta_path}: a sidecar is a YAML mapping of keys to values")
    missing = [k for k in REQUIRED_SIDECAR_KEYS if k not in meta]
    if missing:
        raise MissingSidecarError(f"{meta_path}: missing key(s) {', '.join(missing)}")
    return meta


def read_verified_bytes(path: Path) -> bytes:
    """Read a raw file and verify it against the sha256 in its sidecar.

    Raises
    ------
    ChecksumMismatchError
        If the file's bytes changed since the sidecar was written.
    MissingSidecarError
        If the sidecar is missing.
    """
    path = Path(path)
    from .files import read_input_bytes

    meta = read_sidecar(path)
    data = read_input_bytes(path)  # a regular file of bounded size: a FIFO is refused, not waited on
    actual = hashlib.sha256(data).hexdigest()
    expected = str(meta["sha256"]).strip().lower()  # hex digits in either case
    if actual != expected:
        raise ChecksumMismatchError(path, expected, actual)
    return data

"""Named exceptions. Every data error says which file, row and field it is about."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class LinhaiError(Exception):
    """Base class of every error this package raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem found in an input file.

    Parameters
    ----------
    file : str
        File name (or a label such as ``<DataFrame>``).
    row : int or None
        1-based line number in the file, counting the header as line 1; ``None``
        for a problem with the file as a whole.
    field : str or None
        Column name, or ``None``.
    message : str
        What is wrong, in plain words.
    """

    file: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", line {self.row}"
        if self.field is not None:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


class DataValidationError(LinhaiError, ValueError):
    """An input table failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        head = f"{len(self.problems)} problem(s) in input data:\n"
        super().__init__(head + "\n".join(f"  - {p}" for p in self.problems))


class ChecksumMismatchError(LinhaiError):
    """A raw file's sha256 differs from the one recorded in its sidecar."""

    def __init__(self, path: Path, expected: str, actual: str):
        self.path, self.expected, self.actual = path, expected, actual
        super().__init__(
            f"{path}: sha256 {actual} does not match the sidecar's {expected}. "
            "Raw data are immutable: restore the file, or, if you replaced it on purpose, "
            "update its .meta.yml sidecar (sha256 and provenance)."
        )


class MissingSidecarError(LinhaiError, FileNotFoundError):
    """A raw file has no ``.meta.yml`` sidecar recording its provenance."""


class SidecarError(LinhaiError, ValueError):
    """A ``.meta.yml`` sidecar exists but cannot be read (invalid YAML, not a mapping)."""


class ReportEncodingError(LinhaiError, UnicodeError):
    """A report file is neither UTF-8 nor GB18030/GBK."""


class UnknownUnitError(LinhaiError, KeyError):
    """A unit string that the ``units`` module does not know."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class UnknownIndicatorError(LinhaiError, KeyError):
    """An indicator code that is not in the catalog."""

    def __str__(self) -> str:
        return str(self.args[0])


class NotebookExecutionError(LinhaiError, RuntimeError):
    """A notebook cell raised while rendering the report."""


class OutputFolderError(LinhaiError):
    """The output folder cannot be used (not ours, a file, locked, not writable)."""


class InputFileError(LinhaiError):
    """An input that cannot be read as a file: a FIFO, a device, too large, a closed stream."""

"""Load a government work report: decode, strip web-page chrome, split into
paragraphs with their section path and character offsets.

Offsets are indices into the decoded text of the raw file (``Report.text``), so
``report.text[start:end]`` is exactly what the source printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ReportEncodingError

ENCODINGS = ("utf-8-sig", "gb18030")
_TITLE = re.compile(r"^(?P<year>\d{4})年\S{0,20}政府工作报告$")
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_H3 = re.compile(r"^\d+[.．、]")
_END = re.compile(r"[。!！?？]$")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the report body.

    Attributes
    ----------
    index : int
        Position among the body's paragraphs (0-based).
    text : str
        The paragraph, stripped of surrounding white space.
    start, end : int
        Offsets of ``text`` in :attr:`Report.text`.
    section : tuple of str
        Headings above it, outermost first (``("一、过去五年工作回顾",)``;
        level-2 headings are cut at their first full stop).
    """

    index: int
    text: str
    start: int
    end: int
    section: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """A decoded report: full text, body paragraphs, title and year."""

    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str
    year: int | None
    encoding: str
    name: str = "report"


def decode_report_bytes(data: bytes, name: str = "<bytes>") -> tuple[str, str]:
    """Decode report bytes as UTF-8 (BOM allowed) or GB18030/GBK.

    Returns
    -------
    (text, encoding)

    Raises
    ------
    ReportEncodingError
        If the bytes are neither; the message names the file and the first bad byte.
    """
    first_error = None
    for enc in ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
    assert first_error is not None
    raise ReportEncodingError(
        f"{name}: neither UTF-8 nor GB18030/GBK text (first bad byte at offset "
        f"{first_error.start}); convert the file to UTF-8"
    )


def normalize_width(text: str) -> str:
    """NFKC-normalise every character whose normal form is one character (full-width
    digits ``８``, ``．``, ``％``, ``，`` become ``8 . % ,``), leaving the rest as it
    is, so that the result has exactly the length and offsets of ``text``.

    Examples
    --------
    >>> normalize_width("819．9亿元,增长６．1％")
    '819.9亿元,增长6.1%'
    """
    import unicodedata

    if text.isascii():
        return text
    out = []
    for ch in text:
        if ord(ch) < 0x80:
            out.append(ch)
            continue
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def _heading(line: str) -> tuple[int, str] | None:
    if _H1.match(line):
        return 1, line.split("。", 1)[0]
    if _H2.match(line):
        return 2, line.split("。", 1)[0] + ("。" if "。" in line else "")
    if _H3.match(line) and len(line) < 40:
        return 3, line
    return None


def parse_report(text: str, name: str = "report", encoding: str = "utf-8") -> Report:
    """Split report text into body paragraphs.

    The body starts at the first line that is a title (``YYYY年…政府工作报告``) and
    ends at the last line that ends a sentence (。!?); lines outside are web-page
    chrome. Text without a title line is taken whole from its first line.
    """
    original = text
    text = normalize_width(text)  # same length: structure is read on it, offsets index the original
    lines: list[tuple[int, str]] = []
    pos = 0
    for raw_line in text.splitlines(keepends=True):
        stripped = raw_line.strip()
        if stripped:
            lead = len(raw_line) - len(raw_line.lstrip())
            lines.append((pos + lead, stripped))
        pos += len(raw_line)
    title, year, first = "", None, 0
    for i, (_, line) in enumerate(lines):
        m = _TITLE.match(line)
        if m:
            title, year, first = line, int(m.group("year")), i
            break
    last = max((i for i, (_, line) in enumerate(lines) if _END.search(line)), default=len(lines) - 1)
    body = lines[first: last + 1] if lines else []
    paragraphs: list[Paragraph] = []
    section: list[str] = []
    for start, line in body:
        h = _heading(line)
        if h is not None:
            level, head = h
            section = section[: level - 1] + [head]
        paragraphs.append(Paragraph(len(paragraphs), original[start:start + len(line)], start,
                                    start + len(line), tuple(section)))
    return Report(original, tuple(paragraphs), title, year, encoding, name)


def load_report(path: str | Path, *, verify: bool | None = None) -> Report:
    """Read a report file (UTF-8 or GB18030/GBK) and parse it.

    Parameters
    ----------
    path : str or Path
        The report text file (a raw forum/web page is fine: chrome is stripped).
    verify : bool, optional
        Verify the file against its ``.meta.yml`` sidecar checksum. Default: verify
        when a sidecar exists.

    Raises
    ------
    ReportEncodingError
        If the file is neither UTF-8 nor GB18030/GBK.
    ChecksumMismatchError
        If verification is on and the file changed.
    """
    from .provenance import read_verified_bytes, sidecar_path

    path = Path(path)
    if verify is None:
        verify = sidecar_path(path).exists()
    data = read_verified_bytes(path) if verify else path.read_bytes()
    text, enc = decode_report_bytes(data, str(path))
    return parse_report(text, path.name, enc)

"""Load a government work report: decode, strip web-page chrome, split into
paragraphs with their section path and character offsets.

Offsets are indices into the decoded text of the raw file (``Report.text``), so
``report.text[start:end]`` is exactly what the source printed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import ReportEncodingError

ENCODINGS = ("utf-8-sig", "gb18030")
#: Title lines, read with white space removed ("政 府 工 作 报 告" is a title too).
#: An aggregator's province tag before a title ("(湖北省)") and a "(全文)" after it are allowed.
_PROV_TAG = r"(?:[(（][\u4e00-\u9fff]{2,8}[)）])?"
_FULLTEXT = r"(?:[(（]全文[)）])?"
_TITLES = (
    re.compile(rf"^{_PROV_TAG}(?P<year>\d{{4}})年(?P<place>[\u4e00-\u9fff]{{0,12}}?)(?:人民)?政府工作报告{_FULLTEXT}$"),
    re.compile(rf"^{_PROV_TAG}(?P<place>[\u4e00-\u9fff]{{0,12}}?)(?:人民)?政府工作报告"
               rf"(?:[(（](?P<year>\d{{4}})年?[)）])?{_FULLTEXT}$"),
)
#: A place name ends in an administrative suffix; anything else read as a place (a site-menu
#: word such as 专题材料 or 首页) is dropped.
_PLACE_SUFFIX = re.compile(r"(?:县|市|区|旗|州|盟|省|自治区)$")
#: "2019年,是…" / "一、2019年工作回顾" right under a title that names 2019: the title names the
#: year reviewed, and the report was delivered for the year after.
_REVIEWED_YEAR = r"^(?:[一二三四五六七八九十]+、)?{y}年(?:是|,|，|工作回顾|工作总结|主要工作)"
#: Delivery date printed under a title: "2021年12月26日在县第十七届人民代表大会…".
_DELIVERED = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月\d{1,2}日在")
#: "我代表上杭县人民政府,向大会报告…": the place, when the title does not name it.
_SPEAKER = re.compile(r"我代表(?P<place>[\u4e00-\u9fff]{2,10}?)人民政府")
#: Words of web-page chrome (menus, log-in boxes, footers) that a report line never holds.
_CHROME = re.compile(r"登录|注册|版权|Powered|客服|首页|回复|签到|免责|Copyright|©", re.I)
#: A part heading above the numbered ones, printed without a number: "2024年工作回顾",
#: "2025年和“十四五”工作回顾", "过去五年工作回顾" (short, no sentence punctuation).
_H0 = re.compile(r"^[^。,，;；:：]{0,20}(?:工作)?回顾$")
_H1 = re.compile(r"^[一二三四五六七八九十]+、")
_H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_H3 = re.compile(r"^\d+[.．、](?!\d)")  # "1.经济运行…", not a wrapped "0.3亿元…"
_END = re.compile(r"[。!！?？]$")
#: A line that ends a paragraph: sentence or clause punctuation, optionally followed by a short
#: watermark token that aggregators append to every line ("。jMF", "。vfO").
_PARA_END = re.compile(r"[。!！?？:：;；…”\"》）)][A-Za-z]{0,4}$")
#: A page number left between the lines of a page printed from a PDF ("- 2 -", "—3—").
_PAGE_NO = re.compile(r"^[-—–]\s*\d{1,3}\s*[-—–]$")
#: A line this long that does not end a sentence is hard-wrapped: the next line continues it.
_WRAP_MIN = 20


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
    """A decoded report: full text, body paragraphs, title, year and place.

    ``year`` is the year the report was delivered for (a report delivered in
    November or December counts for the following year); ``place`` is read from the
    title or from "我代表…人民政府" (empty when neither names it).
    """

    text: str
    paragraphs: tuple[Paragraph, ...]
    title: str
    year: int | None
    encoding: str
    name: str = "report"
    place: str = ""


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


class _WidthTable(dict):
    """Code point -> its one-character NFKC form (or itself), filled on first sight, so that
    :meth:`str.translate` reads every character at C speed after the first time."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        n = unicodedata.normalize("NFKC", ch) if code >= 0x80 else ch
        n = self[code] = n if len(n) == 1 else ch
        return n


_WIDTH = _WidthTable()
#: Traditional characters of the report vocabulary (units, cue words, headings, indicator
#: names) and their simplified forms, one character for one, so offsets are kept: reposts of
#: county reports in traditional characters read like the original. Only characters that
#: simplified text never uses are listed.
TRADITIONAL = "億亿萬万預预計计實实現现產产總总長长達达區区縣县點点個个項项條条處处戶户噸吨畝亩從从為为與与過过關关臺台貸贷資资額额債债補补約约顧顾後后標标報报確确爭争減减內内別别類类業业務务稅税財财國国經经濟济發发開开農农設设備备電电網网統统進进養养會会議议門门職职員员溫温體体術术規规劃划鎮镇鄉乡園园際际營营銷销貿贸漲涨價价幣币匯汇儲储餘余較较來来當当將将獲获費费準准階阶層层級级優优質质穩稳險险環环護护綠绿態态專专傳传衛卫醫医療疗藥药場场廠厂車车輛辆運运輸输鐵铁線线橋桥築筑強强擴扩構构權权錢钱機机舊旧們们這这創创興兴歷历積积極极對对應应檔档歲岁齡龄學学師师數数據据書书記记雙双圍围繞绕勢势帶带調调結结歸归礎础輕轻擔担贏赢邊边鄰邻東东麗丽圖图華华騰腾訂订協协監监參参裝装豐丰飛飞鋼钢礦矿氣气燈灯熱热單单雜杂輪轮輔辅導导彙汇遞递邁迈勞劳動动問问題题"
_WIDTH.update({ord(TRADITIONAL[k]): TRADITIONAL[k + 1] for k in range(0, len(TRADITIONAL), 2)})


def normalize_width(text: str) -> str:
    """NFKC-normalise every character whose normal form is one character (full-width
    digits ``８``, ``．``, ``％``, ``，`` become ``8 . % ,``) and read the traditional
    characters of :data:`TRADITIONAL` as simplified (``億元`` → ``亿元``), leaving the rest as
    it is, so that the result has exactly the length and offsets of ``text``.

    Examples
    --------
    >>> normalize_width("819．9亿元,增长６．1％")
    '819.9亿元,增长6.1%'
    """
    if text.isascii():
        return text
    return text.translate(_WIDTH)


#: White space that is layout, not text: a line break of a hard-wrapped page (with the
#: indentation around it and a page-number line "- 2 -" in between), or spaces inside a
#: number or a word ("2 .7倍", "8平方公 里", "21.5 亿元").
#: A pinyin annotation a converter put after a character ("會(huì)", "報(bào)"): no text.
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\((?:[a-zü]|[\u00e0-\u00fc\u0101-\u01dc]){1,7}\)")
_LAYOUT_WS = re.compile(r"[ \t\u3000\xa0]*(?:\r?\n[ \t\u3000\xa0]*(?:[-—–][ \t]*\d{1,3}[ \t]*[-—–][ \t]*\r?\n"
                        r"[ \t\u3000\xa0]*)?)+|[ \t\u3000\xa0]+")


_LAYOUT = re.compile(f"(?P<py>{_PINYIN.pattern})|(?P<ws>{_LAYOUT_WS.pattern})")


def clean_text(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove layout white space from a paragraph, keeping a map back to the raw offsets.

    Line breaks of a hard-wrapped page (``25⏎0.3亿元`` → ``250.3亿元``, ``贷⏎款`` → ``贷款``),
    page-number lines between them, and spaces next to a Chinese character, a digit or a
    punctuation mark (``2 .7倍``, ``8平方公 里``, ``21.5 亿元``) are dropped; a space between
    two Latin words stays. Pinyin annotations a converter put after characters
    (``增長(zhǎng)``) are dropped too.

    Returns
    -------
    (clean, shifts)
        ``shifts`` is a sorted list of ``(clean_position, removed)``: from ``clean_position``
        on, a clean offset ``c`` is raw offset ``c + removed`` (see :func:`raw_offset`).
        Empty when nothing was removed.

    Examples
    --------
    >>> clean, shifts = clean_text("投资25\n0.3亿元")
    >>> clean, raw_offset(shifts, clean.index("亿"))
    ('投资250.3亿元', 8)
    """
    if not any(ch in text for ch in " \t\n\u3000\xa0(") :
        return text, []
    pieces: list[str] = []
    shifts: list[tuple[int, int]] = []
    pos = removed = 0
    n = len(text)
    for m in _LAYOUT.finditer(text):
        a, b = m.span()
        if m.lastgroup == "ws":
            if a == 0 or b == n:
                continue  # leading/trailing white space (a paragraph is stripped anyway)
            left, right = text[a - 1], text[b]
            if "\n" not in m.group() and ((left.isascii() and left.isalpha()) or
                                          (right.isascii() and right.isalpha())):
                continue  # a space between Latin words
        pieces.append(text[pos:a])
        removed += b - a
        pos = b
        shifts.append((b - removed, removed))
    pieces.append(text[pos:])
    return "".join(pieces), shifts


def raw_offset(shifts: list[tuple[int, int]], pos: int) -> int:
    """Map an offset of :func:`clean_text`'s output back to the raw text."""
    if not shifts:
        return pos
    from bisect import bisect_right

    k = bisect_right(shifts, (pos, float("inf"))) - 1
    return pos + (shifts[k][1] if k >= 0 else 0)


def _heading(line: str) -> tuple[int, str] | None:
    if _H0.match(line) and not _H1.match(line) and not _H2.match(line):
        return 0, line
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
    title, year, first, place = "", None, 0, ""
    for i, (_, line) in enumerate(lines):
        compact = re.sub(r"\s+", "", line)
        m = next((r.match(compact) for r in _TITLES if r.match(compact)), None)
        if m:
            title, first = line, i
            year = int(m.group("year")) if m.group("year") else None
            place = m.group("place") or ""
            break
    if title:
        # a delivery date under the title ("2021年12月26日在…大会…上") wins over a year in the
        # title: aggregators print "2020年X县政府工作报告" over a report delivered in 2021
        for _, line in lines[first + 1: first + 6]:
            d = _DELIVERED.search(line)
            if d:
                year = int(d.group("y")) + (1 if int(d.group("m")) >= 11 else 0)
                break
        else:
            if year is not None:
                reviewed = re.compile(_REVIEWED_YEAR.format(y=year))
                if any(reviewed.match(line) for _, line in lines[first + 1: first + 12]):
                    year += 1  # the title names the year reviewed
    if not title:  # no title line: a delivery date near the top still dates the report
        for _, line in lines[:8]:
            d = _DELIVERED.search(line)
            if d:
                year = int(d.group("y")) + (1 if int(d.group("m")) >= 11 else 0)
                break
    if place and not _PLACE_SUFFIX.search(place):
        place = ""
    if not place:
        for _, line in lines[first: first + 8]:
            sp = _SPEAKER.search(line)
            if sp and sp.group("place") not in ("县", "市", "区", "省"):
                place = sp.group("place")
                break
    ends = [i for i, (_, line) in enumerate(lines) if _END.search(line)]
    last = max(ends, default=len(lines) - 1)
    # a last paragraph that lost its final 。 (a truncated page) is kept when it reads as
    # report text: long, mostly Chinese, with a figure, and no web-page chrome words
    # report text that follows (a truncated page, or a page hard-wrapped at a fixed width): long,
    # mostly Chinese, and no web-page chrome words. A line that opens with an inline numbered
    # heading ("(一)标题。正文……") is text, not a heading.
    for i in range(last + 1, len(lines)):
        line = lines[i][1]
        h = _heading(line)
        if h is not None and h[1] in (line, line + "。") and not _CHROME.search(line):
            continue  # a bare heading between the last full stop and the report text that follows
        core = _PINYIN.sub("", line)  # pinyin annotations are no Latin text
        cjk = sum("\u4e00" <= ch <= "\u9fff" for ch in core)
        if _CHROME.search(line) or cjk < 0.5 * len(core):
            break
        prev = lines[i - 1][1]
        if len(line) >= 20 or (i - 1 == last and len(prev) >= _WRAP_MIN and not _PARA_END.search(prev)):
            last = i  # report text, or the short rest of a hard-wrapped line
        elif not line.endswith((":", "：")):  # a short lead-in ("主要工作和成效体现在:") is text
            break
    body = lines[first: last + 1] if lines else []
    paragraphs: list[Paragraph] = []
    section: list[str] = []
    part = ""  # a part heading without a number ("2024年工作回顾") above the numbered ones
    cur: list | None = None  # [start, end, section, bare heading?, last line]

    def flush() -> None:
        if cur is not None:
            a, b = cur[0], cur[1]
            paragraphs.append(Paragraph(len(paragraphs), original[a:b], a, b, cur[2]))

    for start, line in body:
        if _PAGE_NO.match(line):
            continue  # a page number: no text (inside a wrapped paragraph it stays in the raw span)
        h = _heading(line)
        if h is None and cur is not None and not cur[3] and len(cur[4]) >= _WRAP_MIN \
                and not _PARA_END.search(cur[4]):
            cur[1], cur[4] = start + len(line), line  # a hard-wrapped line: the paragraph goes on
            continue
        flush()
        if h is not None:
            level, head = h
            if level == 0:
                part, section = head, []
            else:
                section = section[: level - 1] + [head]
        sec = tuple(([part] if part else []) + section)
        cur = [start, start + len(line), sec, h is not None and h[1] in (line, line + "。"), line]
    flush()
    return Report(original, tuple(paragraphs), title, year, encoding, name, place)


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
    from ..data.files import read_input_bytes
    from ..data.provenance import read_verified_bytes, sidecar_path

    path = Path(path)
    if verify is None:
        verify = sidecar_path(path).exists()
    data = read_verified_bytes(path) if verify else read_input_bytes(path)
    text, enc = decode_report_bytes(data, str(path))
    return parse_report(text, path.name, enc)

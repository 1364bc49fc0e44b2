"""Extract numeric claims from a government work report.

A claim is one printed figure with what it is about: indicator, kind, value, unit,
comparator, reference year or period, section and character span. Extraction is
rule-based and works sentence by sentence:

1. find figures (number + unit; from→to pairs; 翻一番; Chinese-numeral thresholds
   such as 突破千亿大关), skipping figures that only describe a noun
   (``5亿元以上项目``, ``7万吨级码头``);
2. group figures joined only by 和/、 into runs (``62993元和35367元``);
3. label each run with the text before it, split joint labels over the run
   (``城镇、农村…分别为``; ``…均增长``), and let unlabelled runs (``年均分别增长
   7.9%和8.0%``) inherit the labels of the figures before them;
4. read kind, comparator and period from the cue words and the section
   (一、过去五年工作回顾 → review; 二、今后五年 → goals; 三、2022年工作安排 → plan).

Nothing here is specific to Linhai: the catalog only adds indicator codes.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..data import paths
from ..data.indicators import ALIAS_INDEX, CATALOG, match_indicator
from ..data.places import canonical_place
from ..data.units import UNITS, Unit, convert, parse_chinese_numeral
from ..data.units import get_unit as _catalog_unit
from ..errors import LinhaiError
from .text import (
    Paragraph,
    Report,
    clean_text,
    load_report,
    normalize_width,
    parse_report,
    raw_offset,
)

CLAIM_KINDS = (
    "level", "yoy_growth", "avg_growth", "from_to", "multiple", "threshold", "share", "count",
    "target_level", "target_growth", "target_cumulative", "target_rate",
)
CLAIM_COLUMNS = [
    "claim_id", "report", "place", "section", "section_kind", "indicator", "indicator_text", "kind",
    "value", "value_from", "value_text", "unit", "value_canonical", "unit_canonical",
    "comparator", "ref_year", "period_start", "period_end", "span_start", "span_end", "text", "scope",
]
#: A short topic sentence naming a part of the place ("临港产业持续壮大。"): the figures of
#: the sentences after it in the paragraph are about that sub-area, not the whole place.
_SUB_AREA = re.compile(r"^(?P<area>[\u4e00-\u9fff]{0,4}(?:临港|港区|园区|开发区|新区|新城|产业园|功能区|保税区)"
                       r"[\u4e00-\u9fff]{0,4}?)(?:持续|不断|加快|日趋|更趋|全面|稳步|进一步)[\u4e00-\u9fff]{1,4}[。;；]$")
_WHOLE_PLACE = re.compile(r"全市|我市|全县|我县|全区|我区")

ALIAS_NAMES = frozenset(name for name, _ in ALIAS_INDEX)
#: Units county reports print that the statistical catalogue (``data.units``) does not hold:
#: read as claims with their own dimension; never converted to a catalogue unit.
EXTRA_UNITS: dict[str, Unit] = {
    u.symbol: u for u in [
        Unit("起", "items", 1.0, "cases (incidents)"),
        Unit("批", "items", 1.0, "batches"),
        Unit("万件", "pieces", 1e4, "10k pieces (products)"),
        Unit("公斤", "tonnes", 1e-3, "kilograms"),
        Unit("千瓦", "power", 1.0, "kilowatts"),
        Unit("万千瓦", "power", 1e4, "10k kilowatts"),
        Unit("宗", "items", 1.0, "parcels (land) or cases"),
        Unit("元/亩", "cny_per_mu", 1.0, "yuan per mu"),
        Unit("万元/亩", "cny_per_mu", 1e4, "10k yuan per mu"),
        Unit("元/吨", "cny_per_tonne", 1.0, "yuan per tonne"),
    ]
}


def get_unit(symbol: str) -> Unit:
    """The catalogue unit, or one of :data:`EXTRA_UNITS`."""
    return EXTRA_UNITS.get(symbol) or _catalog_unit(symbol)


_CLAIM_UNITS = sorted([u for u in UNITS if u not in {"年", "倍"}] + list(EXTRA_UNITS), key=len, reverse=True)
_UNIT_RE = "|".join(map(re.escape, _CLAIM_UNITS + ["％", "百分点"]))
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
#: 13.81万贫困人口, 2.3万农民: 万 before a noun of persons is a count in 万人.
_WAN_PERSONS = r"万(?=[\u4e00-\u9fff]{0,4}?(?:人口|人员|群众|农民|劳动力|职工|居民|学生|儿童|老人))"
#: A figure: an optional sign (增速-7.8%), the number, 多/余 (2300多家: a lower bound), the unit.
_FIG = re.compile(rf"(?<![\d.A-Za-z第])(?P<sign>[-−])?(?P<num>{_NUM})(?P<more>多|余)?(?P<unit>{_UNIT_RE}|{_WAN_PERSONS})")
#: 是2016年的2.5倍, 分别是2016年的1.4倍、2.4倍: a multiple of an earlier level (``倍`` alone is no claim unit).
_TIMES = re.compile(rf"(?:是|为|达到?)(?P<base>[^,，;；。是为]{{0,12}}?的)?(?P<num>{_NUM})倍(?P<more>多|以上)?")
_TIMES_NEXT = re.compile(rf"[、和](?P<num>{_NUM})倍(?P<more>多|以上)?")  # .match(text, pos)
#: Verbs of a decrease: a growth figure after them is negative (下降0.25% → -0.25).
_DECREASE = re.compile(r"(?:下降|减少|降低|回落|下滑|下跌|缩减)$")
#: A parenthetical note before a figure (同比增长(下同)2.5%) is skipped when reading cue words.
_PAREN_NOTE = re.compile(r"[(（][^()（）]{0,8}[)）]$")
#: 预计 opening a list (at the start of a 。-sentence, or before a colon) marks every figure up to
#: the 。; 预计 inside a clause marks that clause only.
_ESTIMATE = re.compile(r"预计")
#: A parenthetical note "(预计,同比,下同)": every figure from its sentence on is an estimate.
_NOTE_OPEN = re.compile(r"[(（][^()（）]{0,8}$")  # .search(text before 预计)
_NOTE_REST = re.compile(r"[^()（）]{0,8}?下同[^()（）]{0,4}[)）]")  # .match(text, after 预计)
_LIST_END = re.compile(r"[。!！?？]")
_CLAUSE_END = re.compile(r"[,，;；。!！?？]")
_SENT_OPEN = re.compile(r"(?:^|[。!！?？:：])[\s—\-“\"]*$")
_CN_FIG = re.compile(r"(?P<cue>突破|超过|达到?)(?P<num>[一二两三四五六七八九十百千]+)(?P<unit>亿元|亿)(?:大关)?")
_FROM_TO = re.compile(
    rf"[从由](?:(?P<year>\d{{4}})年(?:的|底)?)?(?P<a>{_NUM})(?P<ua>{_UNIT_RE})?"
    rf"(?:[\u4e00-\u9fff]{{0,5}}?)?[到至](?:\d{{4}}年(?:的|底)?)?(?P<b>{_NUM})(?P<ub>{_UNIT_RE})")
#: 分别从A、B提高到C、D: a joint from->to list (as many starts as ends).
_JOINT_FROM_TO = re.compile(
    rf"[从由](?P<as>{_NUM}(?:{_UNIT_RE})?(?:[、和]{_NUM}(?:{_UNIT_RE})?)+)"
    rf"[\u4e00-\u9fff]{{0,3}}?[到至](?P<bs>{_NUM}(?:{_UNIT_RE})(?:[、和]{_NUM}(?:{_UNIT_RE}))+)")
_NUM_UNIT = re.compile(rf"(?P<n>{_NUM})(?P<u>{_UNIT_RE})?")
#: 城乡居民收入倍差缩小到1.71: a unitless ratio.
_RATIO = re.compile(r"(?P<cue>倍差|收入比|之比)(?:由\d+(?:\.\d+)?)?(?:[\u4e00-\u9fff]{0,4}?)(?:到|至|为)"
                    r"(?P<num>\d+(?:\.\d+)?)(?![\d.%％])")
_ONE_OF = re.compile(r"[^,，;；。]{0,24}?之一")  # .match(text, pos)
_MAYBE_FIGURE = re.compile(r"[0-9]|翻|突破|超过|达")
_MULTIPLE = re.compile(r"翻了?(?P<n>一|两)?番")
_AFTER_CMP = re.compile(r"(及?以上|以内|以下|左右)")  # used with .match(text, pos)
_SENT = re.compile(r"[^。;；!！?？]+[。;；!！?？]?")
_CLAUSE_BREAK = re.compile(r"[,，:：。;；]")
_CONNECTOR = re.compile(r"^(?:[和、与及]|,和|，和|)$")  # empty: 4.4%5.9%5.8% printed without a mark
_COUNT_DIMS = {"entities", "items", "persons", "households", "doses", "head", "times", "visits"}
_ALLOWED_AFTER = re.compile(r"(?:$|[,，、;；。:：)）”\"!！?？(（]|和|与|及|的|等|,|，|台阶|大关|创(?:历史)?新高|"
                            r"(?:贷款|额度|资金|授信|债券|补助)(?=$|[,，、;；。)）]|和|与|及))")  # .match(text, pos)
_MILESTONE = re.compile(r"(?:[、和]\d+(?:\.\d+)?[\u4e00-\u9fff]{0,3})*(?:台阶|大关)")
_TRAIL_VERBS = re.compile(
    r"(?:分别|平均|均|同比|年均|累计|首次|唯一|总量|面积|预计)?(?:增长|增加到?|提高到?|提升到?|下降|减少|"
    r"增速|上升|回升|降低到?|回落|缩小到?|扩大到?|降至|升至|"
    r"达到?|为|突破|超过|实现|控制在|保持在?|完成|近|约|接近|超|的|和)$")
_LEAD = re.compile(r"^(?:其中|全市|我市|全县|我县|全区|我区|共|累计实现|实现|完成|确保|力争|确保完成|"
                   r"预计|今后五年|未来五年|分别|是|,|，)+")
_JOINT_CUE = re.compile(r"分别|(?<![人年亩])均(?=增长|达|为|突破|超过|控制)")
_FOLLOW = re.compile(r"[\u4e00-\u9fff\d“\"][^,，;；。:：、]{0,19}")  # .match(text, pos)
_BARE_VERB = re.compile(r"^(?:全面|新)?(?:推进|消除|帮助|建成|新增|完成|实现|开工|引进|培育|打造)?$")
_PLAN_CUE = re.compile(r"预期|力争|确保|左右|(?<=[\d%％])以上")  # not 规模以上, 亿元以上项目
#: A goal with or without a target year: 今后五年, 未来五年, 到2026年.
_GOAL_CUE = re.compile(r"今后五年|未来五年|今后一个时期|到(\d{4})年")


def _goal_cue(text: str, report_year: int | None) -> bool:
    """A goal cue; 到YYYY年 counts only for a year not yet past (增加到2015年的… in a 2016
    review is a level reached, not a goal)."""
    for m in _GOAL_CUE.finditer(text):
        if not m.group(1) or report_year is None or int(m.group(1)) >= report_year:
            return True
    return False
#: A period word left as a label ("五年年均增长7.2%"): the figure belongs to the indicator before.
_JOINT_VERB = re.compile(r"(?:分别|均|同比|比上年|较上年)+$")
_PERIOD_LABEL = re.compile(r"^(?:[一二三四五六七八九十两\d]+年|近[一二三四五六七八九十两\d]+年|年均|同比|平均|比上年|较上年|"
                           r"[一二三四五六七八九十两\d]+年平均|[一二三四五六七八九十两\d]+年年均)+$")
_SECTION_YEAR = re.compile(r"(\d{4})年工作")
_TO_YEAR = re.compile(r"到(\d{4})年")


class ClaimsInputError(LinhaiError, TypeError):
    """``extract_claims`` was given a file name where it takes text."""


def _is_file(text: str) -> bool:
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


class ReportStructureWarning(UserWarning):
    """The input does not look like a report: empty, HTML markup, or long text with
    neither a title line nor section headings (sections are then guessed)."""


_TAG = re.compile(r"<[A-Za-z/!][^>]{0,200}>")


def _structure_warning(report: Report) -> str | None:
    text = report.text
    if not text.strip():
        return "the input is empty: no claims"
    tags = _TAG.findall(text)
    if tags and sum(map(len, tags)) > 0.3 * len(text.strip()):
        return ("the input looks like HTML markup; save the page as text (or copy the report's text) "
                "before extracting claims")
    if len(text) > 500 and not report.title and not any(p.section for p in report.paragraphs):
        return ("no title line (YYYY年…政府工作报告) and no section headings (一、… / 二、…): each "
                "sentence's section (review, goals, plan) is guessed from its cue words; pass "
                "report_year= and check the section_kind column")
    return None


@dataclass(slots=True)
class Claim:
    """One numeric claim (a row of :func:`extract_claims`)."""

    report: str
    place: str
    section: str
    section_kind: str
    indicator: str
    indicator_text: str
    kind: str
    value: float
    value_from: float | None
    value_text: str
    unit: str
    value_canonical: float
    unit_canonical: str
    comparator: str
    ref_year: int | None
    period_start: int | None
    period_end: int | None
    span_start: int
    span_end: int
    text: str
    scope: str = ""


@dataclass(slots=True)
class _Fig:
    start: int  # offsets within the sentence
    end: int
    value: float
    value_text: str
    unit: str
    comparator: str = "="
    kind: str | None = None
    value_from: float | None = None
    from_year: int | None = None


def section_kind(section: tuple[str, ...] | str, text: str = "", report_year: int | None = None) -> str:
    """Classify a section heading: ``review``, ``goals``, ``plan`` or ``other``.

    Headings: 回顾, 过去, 成效, 成就, 成绩 → review ("一、2018年主要工作和成效",
    "2020年主要工作和十三五发展成就"); a heading naming a year before ``report_year``
    (2018年工作 in a 2019 report) → review, the report year itself → plan; 今后, 目标,
    十四五 → goals; 工作安排, 今年 → plan. Without a heading, cue words of ``text``
    decide (今后五年, 未来五年, 到YYYY年 → goals; 今年, 预期, 力争, 确保, 左右 → plan;
    otherwise review).
    """
    head = section[0] if isinstance(section, tuple) and section else (section or "")
    if head:
        if re.search(r"回顾|过去|成效|成就|成绩", head):
            return "review"
        years = [int(y) for y in re.findall(r"(\d{4})年", head)]
        if report_year and years and max(years) < report_year:
            return "review"  # "一、2018年工作回顾", "一、奋发有为,2018年迈出铿锵步伐" in a 2019 report
        if "今后" in head or "目标" in head or "十四五" in head or "未来五年" in head:
            return "goals"
        if _SECTION_YEAR.search(head) or "今年" in head or "工作安排" in head:
            return "plan"
        return "other"
    if _goal_cue(text, report_year):
        return "goals"
    if "今年" in text or ("增长" in text and _PLAN_CUE.search(text)) or re.search(r"力争|确保", text):
        return "plan"
    return "review"


def _strip_label(label: str) -> str:
    label = label.strip(" “”\"'、")
    for _ in range(4):
        new = _TRAIL_VERBS.sub("", label)
        new = _LEAD.sub("", new).strip(" “”\"'、")
        if new == label:
            break
        label = new
    return label


def _split_joint(label: str, n: int, unit: str) -> list[str] | None:
    """Split a joint label (``城镇、农村常住居民人均可支配收入``) into ``n`` names."""
    label = _strip_label(_JOINT_CUE.sub("", label))
    if label.startswith("城乡") and n == 2:
        rest = label[2:]
        return ["城镇" + rest, "农村" + rest]
    parts = [p for p in re.split(r"[、和与及]", label) if p]
    if len(parts) != n or n < 2:
        return None
    last = parts[-1]
    out = []
    for p in parts[:-1]:
        guess = p if match_indicator(p, unit) else None
        for k in range(1, len(last) if guess is None else 0):
            cand = p + last[k:]
            if cand in ALIAS_NAMES:
                guess = cand
                break
        out.append(guess or label)
    out.append(last if any(o != label for o in out) else label)
    return out


def _find_figures(sent: str) -> list[_Fig]:
    if not _MAYBE_FIGURE.search(sent):
        return []
    figs: list[_Fig] = []
    taken = bytearray(len(sent) + 1)  # 1 where a figure already covers the position: O(1) look-ups

    def take(a: int, b: int) -> None:
        taken[a:b] = b"\x01" * (b - a)

    for m in _JOINT_FROM_TO.finditer(sent):
        starts = list(_NUM_UNIT.finditer(m.group("as")))
        ends = list(_NUM_UNIT.finditer(m.group("bs")))
        if len(starts) != len(ends):
            continue
        base = m.start("bs")
        for k, (a, b) in enumerate(zip(starts, ends, strict=True)):
            unit = b.group("u")
            figs.append(_Fig(m.start() if k == 0 else base + b.start(), base + b.end(),
                             float(b.group("n").replace(",", "")), b.group("n"),
                             {"％": "%", "百分点": "个百分点"}.get(unit, unit), "=", "from_to",
                             float(a.group("n").replace(",", "")), None))
        take(m.start(), m.end())
    for m in _FROM_TO.finditer(sent):
        if taken[m.start()]:
            continue
        unit = m.group("ub")
        figs.append(_Fig(m.start(), m.end(), float(m.group("b").replace(",", "")), m.group("b"),
                         unit, "=", "from_to", float(m.group("a").replace(",", "")),
                         int(m.group("year")) if m.group("year") else None))
        take(m.start(), m.end())
    for m in _CN_FIG.finditer(sent):
        if taken[m.start("num")]:
            continue
        try:
            value = float(parse_chinese_numeral(m.group("num")))
        except ValueError:
            continue
        figs.append(_Fig(m.start("num"), m.end(), value, m.group("num"), "亿元", "≥"))
        take(m.start("num"), m.end())
    for m in _FIG.finditer(sent):
        if taken[m.start()]:
            continue
        unit = {"％": "%", "百分点": "个百分点", "万": "万人"}.get(m.group("unit"), m.group("unit"))
        signed = bool(m.group("sign")) and not (m.start() > 0 and sent[m.start() - 1].isdigit())
        if m.group("sign") and not signed:  # 2016-2020: a range, not a sign
            continue
        cmp_m = _AFTER_CMP.match(sent, m.end())
        rest = cmp_m.end() if cmp_m else m.end()  # position after the figure (and 以上…)
        if sent.startswith(("级", "兼"), rest):
            continue  # 7万吨级码头: a size class, not a figure
        if unit == "次" and not _CLAUSE_END.match(sent, rest) and rest < len(sent):
            continue  # 召开会议8次, a count; 3次会议, 2次以上 are not claims
        dim = get_unit(unit).dimension
        if dim not in _COUNT_DIMS and dim != "percent" and not _ALLOWED_AFTER.match(sent, rest):
            continue  # 5亿元以上项目: describes a noun
        if dim in _COUNT_DIMS and _ONE_OF.match(sent, rest):
            continue  # 成为30个典型县之一: the size of a group the place belongs to
        cmp = {"以上": "≥", "及以上": "≥", "以内": "≤", "以下": "≤", "左右": "≈"}.get(cmp_m.group(1), "=") \
            if cmp_m else "="
        if m.group("more") and cmp == "=":
            cmp = "≥"  # 2300多家, 1200余名: at least
        milestone = bool(_MILESTONE.match(sent, rest))  # 跨越20亿元、30亿元台阶: thresholds crossed
        value = float(m.group("num").replace(",", ""))
        figs.append(_Fig(m.start(), rest, -value if signed else value,
                         ("-" if signed else "") + m.group("num"), unit,
                         "≥" if milestone else cmp, "threshold" if milestone else None))
    for m in _RATIO.finditer(sent):
        if taken[m.start("num")]:
            continue
        figs.append(_Fig(m.start("num"), m.end("num"), float(m.group("num")), m.group("num"), "倍"))
        take(m.start("num"), m.end("num"))
    for m in _MULTIPLE.finditer(sent):
        figs.append(_Fig(m.start(), m.end(), 4.0 if m.group("n") == "两" else 2.0, m.group(0),
                         "倍", "≥", "multiple"))
    for m in _TIMES.finditer(sent):
        base = re.search(r"(\d{4})年", m.group("base") or "")
        year = int(base.group(1)) if base else None
        pos, nm = m.start("num"), m
        while nm:
            figs.append(_Fig(pos, nm.end(), float(nm.group("num").replace(",", "")), nm.group("num"), "倍",
                             "≥" if nm.group("more") else "=", "multiple", None, year))
            nm = _TIMES_NEXT.match(sent, nm.end())
            pos = nm.start("num") if nm else pos
    return sorted(figs, key=lambda f: f.start)


def _counts_a_noun(fig: _Fig, sent: str) -> bool:
    """True for 11个重点应用场景: a count or share whose noun follows the figure."""
    dim = get_unit(fig.unit).dimension
    return (dim in _COUNT_DIMS or dim == "percent") and fig.kind is None and bool(
        _FOLLOW.match(sent, fig.end)) and not sent.startswith(("和", "与", "及"), fig.end)


def _runs(sent: str, figs: list[_Fig]) -> list[list[_Fig]]:
    runs: list[list[_Fig]] = []
    for f in figs:
        if runs and f.kind != "multiple" and runs[-1][-1].kind != "multiple":
            between = sent[runs[-1][-1].end: f.start]
            if _CONNECTOR.match(between):
                runs[-1].append(f)
                continue
        runs.append([f])
    # a trailing 以上 distributes over a joint run (分别增长8%和8.5%以上)
    for run in runs:
        if len(run) > 1 and run[-1].comparator != "=":
            for f in run[:-1]:
                if f.comparator == "=":
                    f.comparator = run[-1].comparator
    return runs


def _kind(fig: _Fig, cue: str, skind: str, estimate: bool = False) -> tuple[str, str]:
    """Return (kind, comparator) from the label cue words and the section kind;
    ``estimate`` (预计 earlier in the sentence) makes an exact figure approximate."""
    cue = _PAREN_NOTE.sub("", cue.rstrip()).rstrip()  # 同比增长(下同)2.5%
    cmp = fig.comparator
    if fig.kind == "threshold":
        return "threshold", "≥"
    if re.search(r"(突破|超过|超)$", cue) and cmp == "=":
        cmp = "≥"
    if re.search(r"(近|约|接近)$", cue) and cmp == "=":
        cmp = "≈"
    if estimate and cmp == "=" and fig.kind != "multiple":
        cmp = "≈"  # 预计: an estimate is approximate (从A预计增加到B too)
    if fig.kind in ("from_to", "multiple"):
        return fig.kind, cmp
    dim = get_unit(fig.unit).dimension
    verb = re.sub(r"(?:达到?|为|了|至|到|分别|均|同比|比上年|较上年)+$", "", cue)
    is_growth = dim in ("percent", "pp") and bool(
        re.search(r"(增长|提高|下降|增幅|涨幅|增速|上升|回升|降低|回落)$", verb))
    target = skind in ("goals", "plan")
    if is_growth:
        if target:
            return "target_growth", cmp
        return ("avg_growth" if "年均" in cue or "平均" in cue else "yoy_growth"), cmp
    if target:
        if dim == "percent":
            return "target_rate", cmp
        return ("target_cumulative" if "累计" in cue else "target_level"), cmp
    if "首次突破" in cue or "首次超过" in cue:
        return "threshold", "≥"
    if dim == "percent":
        return "share", cmp
    if dim in _COUNT_DIMS:
        return "count", cmp
    return "level", cmp


def _periods(kind: str, skind: str, report_year: int | None, para_years: list[int], sent: str,
             fig: _Fig, from_year: int | None, one_year: bool = False) -> tuple[int | None, int | None, int | None]:
    if report_year is None:
        return (para_years[0] if para_years else None), None, None
    if skind == "goals":
        end = max(para_years) if para_years else report_year + 4
        return end, report_year, end
    if skind == "plan":
        return report_year, report_year, report_year
    end = report_year - 1
    if kind == "yoy_growth" or (one_year and kind != "avg_growth" and not from_year):
        return end, end, end  # a one-year review: levels, counts and shares of that year
    start = (from_year + 1) if from_year else report_year - 5
    return end, start, end


#: Cues of a five-year (or longer) review, and of a one-year review.
_FIVE_YEAR_CUE = re.compile(r"五年|十[一二三四五]五|本届|届政府|\d{4}年以来")
_ONE_YEAR_CUE = re.compile(r"\d{4}年|过去一年|一年来|去年|全年")
CONTEXT_CHARS = 200


def _one_year_review(head: str, sent: str) -> bool:
    """True when the review covers one year: the section heading names a year (or 过去一年)
    and no five-year period; without a heading, the sentence's own cue words decide."""
    for text in (head, sent) if head else (sent,):
        if _FIVE_YEAR_CUE.search(text):
            return False
        if _ONE_YEAR_CUE.search(text):
            return True
    return False


def _estimate_ranges(ptext: str) -> list[tuple[int, int]]:
    """Character ranges of a paragraph that 预计 marks as estimates, in one left-to-right pass.

    A 预计 that opens a sentence (after 。, a colon or the paragraph start) opens a list and
    marks everything up to the next 。; a 预计 inside a clause marks that clause only (up to
    the next ,;。). Ends are searched forward from a cached position, so the pass is linear.
    """
    out: list[tuple[int, int]] = []
    list_end = clause_end = -1
    for m in _ESTIMATE.finditer(ptext):
        i = m.start()
        if _NOTE_OPEN.search(ptext, max(0, i - 9), i) and _NOTE_REST.match(ptext, i + 2):
            # "增长5.5%(预计,同比,下同)": the sentence it ends and the rest of the paragraph
            a = max(ptext.rfind(c, 0, i) for c in "。;；:：") + 1
            if out and a <= out[-1][1]:
                out[-1] = (out[-1][0], len(ptext))
            else:
                out.append((a, len(ptext)))
            break
        j = i - 1
        while j >= 0 and i - j <= 8 and ptext[j] in " \t\u3000—-“\"":
            j -= 1
        opens = j < 0 or ptext[j] in "。!！?？:：" or i - j > 8
        if opens:
            if list_end < i:
                e = _LIST_END.search(ptext, i)
                list_end = e.start() if e else len(ptext)
            end = list_end
        else:
            if clause_end < i:
                e = _CLAUSE_END.search(ptext, i)
                clause_end = e.start() if e else len(ptext)
            end = clause_end
        if out and i <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((i, end))
    return out


def _in_ranges(pos: int, ranges: list[tuple[int, int]], starts: list[int]) -> bool:
    from bisect import bisect_right

    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < ranges[k][1]


#: A "sentence" longer than this is no sentence (a page saved without full stops): it is read in
#: pieces cut after a comma or 、, so that the figures held at once stay bounded and time and
#: memory grow linearly with the input.
MAX_SENTENCE = 4000


def _pieces(text: str, a: int, b: int, limit: int = MAX_SENTENCE):
    """Yield ``(start, stop)`` pieces of ``text[a:b]`` of at most ``limit`` characters, cut after
    the last clause mark (,，、;) inside each window; a window without one is cut at the limit."""
    while b - a > limit:
        cut = max(text.rfind(c, a, a + limit) for c in ",，、;；")
        cut = cut + 1 if cut > a else a + limit
        yield a, cut
        a = cut
    yield a, b


def _context(sent: str, start: int, end: int) -> str:
    """The clause around ``sent[start:end]``, at most :data:`CONTEXT_CHARS` characters
    (the scan is bounded by that window, so it costs O(1) per figure)."""
    lo = max(0, start - CONTEXT_CHARS)
    hi = min(len(sent), end + CONTEXT_CHARS)
    a = max((sent.rfind(c, lo, start) for c in ",，;；:：。"), default=-1)
    a = a + 1 if a >= lo else lo
    b = min((k for k in (sent.find(c, end, hi) for c in ",，;；。") if k >= 0), default=hi)
    if b - a > CONTEXT_CHARS:  # keep the figure, centre the window on it
        a = max(a, min(start, end - CONTEXT_CHARS // 2) - CONTEXT_CHARS // 2)
        b = min(b, a + CONTEXT_CHARS)
    return sent[a:b].strip()


def _claims_in_sentence(sent: str, where: tuple[int, int, list[tuple[int, int]]], para: Paragraph, skind: str,
                        report_year: int | None, name: str, para_years: list[int],
                        place: str = "", estimate: tuple[int, list[tuple[int, int]], list[int]] | None = None,
                        one_year: bool = False) -> list[Claim]:
    figs = _find_figures(sent)
    if not figs:
        return []
    para_start, at, shifts = where  # the sentence starts at ``at`` of the cleaned paragraph
    sent_pos, est_ranges, est_starts = estimate if estimate else (0, [], [])
    runs = _runs(sent, figs)
    out: list[Claim] = []
    labelled: list[tuple[str, str]] = []  # (indicator_text, code) of earlier figures
    prev_end = 0
    from_year = next((f.from_year for f in figs if f.from_year), None)
    for run in runs:
        seg = sent[prev_end: run[0].start]
        raw_label = _CLAUSE_BREAK.split(seg)[-1]
        cue = raw_label.strip()
        label = _strip_label(raw_label)
        n = len(run)
        names: list[str]
        codes: list[str | None] = [None] * n
        if run[0].kind == "multiple":
            if "分别" in raw_label and labelled:
                names = [t for t, _ in dict.fromkeys(labelled)]
                run = [run[0]] * len(names)
            elif labelled:
                names = [labelled[-1][0]]
            else:
                names = [_strip_label(label.replace("实现", ""))]
        elif n == 1 and _BARE_VERB.match(label) and _counts_a_noun(run[0], sent):
            names = [_FOLLOW.match(sent, run[0].end).group(0)]
        elif not label or _PERIOD_LABEL.match(label):
            inherited = labelled[-n:] if len(labelled) >= n else []
            names = [t for t, _ in inherited] if inherited else [""] * n
            codes = [c for _, c in inherited] if inherited else codes
        elif n > 1:
            names = _split_joint(raw_label, n, run[0].unit) or [label] * n
        elif _JOINT_CUE.search(cue) and re.search(r"[和、]", label):
            k = len(re.split(r"[、和与及]", label))
            names = _split_joint(raw_label, k, run[0].unit) or [label]
            run = [run[0]] * len(names)
        else:
            names = [label]
        codes = codes + [None] * (len(names) - len(codes))
        for fig, ind_text, inherited_code in zip(run, names, codes, strict=False):
            # a from->to pair is an estimate when 预计 covers its end (从A预计增加到B, 预计…从A到B)
            at_fig = fig.end - 1 if fig.kind == "from_to" else fig.start
            kind, cmp = _kind(fig, cue, skind, _in_ranges(sent_pos + at_fig, est_ranges, est_starts))
            value = fig.value
            if kind in ("yoy_growth", "avg_growth", "target_growth") and value > 0 and \
                    _DECREASE.search(_PAREN_NOTE.sub("", _JOINT_VERB.sub("", cue.rstrip()))):
                value = -value  # 下降0.25%: a negative growth rate (value_text keeps the printed digits)
            ref, p0, p1 = _periods(kind, skind, report_year, para_years, sent, fig, from_year, one_year)
            code = inherited_code or match_indicator(ind_text, fig.unit) or ""
            if fig.unit in EXTRA_UNITS:
                code = ""  # a unit outside the catalogue measures no catalogue indicator
            if kind == "multiple":
                canon_unit, canon = "倍", value
            elif code and get_unit(CATALOG[code].unit).dimension == get_unit(fig.unit).dimension:
                canon_unit, canon = CATALOG[code].unit, convert(value, fig.unit, CATALOG[code].unit)
            else:
                canon_unit, canon = fig.unit, value
            out.append(Claim(
                report=name, place=place, section=para.section[0] if para.section else "",
                section_kind=skind, indicator=code, indicator_text=ind_text, kind=kind,
                value=value, value_from=fig.value_from, value_text=fig.value_text,
                unit=fig.unit, value_canonical=canon, unit_canonical=canon_unit,
                comparator=cmp, ref_year=ref, period_start=p0, period_end=p1,
                span_start=para_start + raw_offset(shifts, at + fig.start),
                span_end=para_start + raw_offset(shifts, at + fig.end - 1) + 1,
                text=_context(sent, fig.start, fig.end),
            ))
            if ind_text and kind != "multiple":
                labelled.append((ind_text, code))
        prev_end = run[-1].end
    return out


def extract_claims(
    source: Report | str | Path, *, place: str | None = None, report_year: int | None = None,
    section: str | None = None, name: str | None = None,
) -> pd.DataFrame:
    """Extract every numeric claim of a report.

    Parameters
    ----------
    source : Report, str or Path
        Report **text** (a sentence is fine), a parsed
        :class:`~linhai_analysis.report_text.Report`, or a :class:`pathlib.Path` to a
        report file. A ``str`` is always text: a string that names an existing file
        raises :class:`ClaimsInputError` (use ``load_report(path)`` or ``Path(path)``)
        rather than silently extracting nothing.
    place : str, optional
        Place the report is about (``place`` column); default: read from the title
        (``2022年临海市政府工作报告``) or from "我代表…人民政府"; empty when unknown.
    report_year : int, optional
        Year the report was delivered; default: read from the title (spaced titles
        and ``政府工作报告(2018年)`` included) or the delivery date under it. Sets the
        retrospective period (five years ending the year before), the plan year and
        the default goal year (``report_year + 4``).
    section : {"review", "goals", "plan"}, optional
        Section kind for text without section headings; default: inferred from cue
        words sentence by sentence.
    name : str, optional
        Value of the ``report`` column (default: the file name or ``"text"``).

    Returns
    -------
    pandas.DataFrame
        One row per claim with the columns of :data:`CLAIM_COLUMNS`; ``span_start``
        and ``span_end`` index the report's text (``Report.text``).

    Raises
    ------
    ClaimsInputError
        When a ``str`` names an existing file.

    Examples
    --------
    >>> df = extract_claims("一般公共预算收入22.9亿元,增长14.4%。", report_year=2017)
    >>> df[["indicator", "kind", "value"]].values.tolist()
    [['general_budget_revenue', 'level', 22.9], ['general_budget_revenue', 'yoy_growth', 14.4]]
    """
    if isinstance(source, Path):
        report = load_report(source)
    elif isinstance(source, Report):
        report = source
    else:
        text = str(source)
        if len(text) < 1024 and "\n" not in text and text.strip() and _is_file(text):
            raise ClaimsInputError(
                f"extract_claims takes report text, and {text!r} is a file: use "
                f"extract_claims(load_report({text!r})) or extract_claims(Path({text!r}))")
        report = parse_report(text, name or "text")
    why = _structure_warning(report)
    if why:
        import warnings

        warnings.warn(f"{report.name}: {why}", ReportStructureWarning, stacklevel=2)
    # the claims are acyclic objects: the cyclic garbage collector, which would re-scan all of
    # them again and again on a long input (time growing faster than the input), is paused
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _extract(report, place, report_year, section, name)
    finally:
        if gc_was_on:
            gc.enable()


def _extract(report: Report, place: str | None, report_year: int | None, section: str | None,
             name: str | None) -> pd.DataFrame:
    year = report_year or report.year
    rname = name or report.name
    where = canonical_place(place) if place else report.place
    claims: list[Claim] = []
    for para in report.paragraphs:
        if para.section and para.section[-1] == para.text:
            continue  # a heading line
        # layout white space of hard-wrapped pages removed (offsets mapped back through
        # ``shifts``); full-width digits, ．and ％ read as ASCII (same length)
        ctext, shifts = clean_text(para.text)
        ptext = normalize_width(ctext)
        para_years = [int(y) for y in _TO_YEAR.findall(ptext)]  # once per paragraph: linear time
        est = _estimate_ranges(ptext)
        est_starts = [a for a, _ in est]
        head = para.section[0] if para.section else ""
        scope = ""
        for m in _SENT.finditer(ptext):
            sent = m.group(0)
            topic = _SUB_AREA.match(sent.strip())
            if topic:
                scope = topic.group("area")
            elif _WHOLE_PLACE.search(sent) or not _MAYBE_FIGURE.search(sent):
                scope = "" if _WHOLE_PLACE.search(sent) or len(sent) > 40 else scope
            for at, stop in _pieces(ptext, m.start(), m.end()):
                sent = ptext[at:stop]
                skind = section or (section_kind(para.section, sent, year) if para.section else section_kind("", sent, year))
                if para.section and skind == "other":
                    continue
                if skind == "review" and not section and _goal_cue(sent, year):
                    skind = "goals"  # "今后五年,力争…突破800亿元" inside a review: a goal, not a level
                one_year = skind == "review" and _one_year_review(head, sent)
                found = _claims_in_sentence(sent, (para.start, at, shifts), para, skind, year, rname,
                                            para_years, where, (at, est, est_starts), one_year)
                for c in found:
                    c.scope = scope
                claims.extend(found)
    if not claims:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    df = pd.DataFrame({f: [getattr(c, f) for c in claims] for f in Claim.__slots__})
    df.insert(0, "claim_id", [f"{rname.split('.')[0][:24]}-{i + 1:03d}" for i in range(len(df))])
    for col in ("ref_year", "period_start", "period_end"):
        df[col] = df[col].astype("Int64")
    return df[CLAIM_COLUMNS]


def claims_table(path: Path | None = None) -> pd.DataFrame:
    """Claims of the 2022 Linhai report (or of the report at ``path``), with stable ids.

    The project's own report text is always verified against its sidecar (a missing
    sidecar is an error); another path is verified when it has one.
    """
    report = load_report(path or paths.REPORT_FILE, verify=True if path is None else None)
    df = extract_claims(report, name="linhai_gwr_2022" if path is None else None)
    return df

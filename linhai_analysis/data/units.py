"""Units as printed in Chinese statistical texts, and their conversion.

Every unit that appears in the data or the reports is listed in ``UNITS`` with a
dimension and a factor to that dimension's base unit. Conversion is only allowed
within one dimension: 亿美元 and 亿元 are different dimensions (currencies), so
turning one into the other needs an explicit exchange-rate series, not this module.
An unknown unit is an error, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import UnknownUnitError


@dataclass(frozen=True)
class Unit:
    """A printed unit: its dimension and its size in the dimension's base unit."""

    symbol: str
    dimension: str
    factor: float
    name_en: str


_U = Unit
UNITS: dict[str, Unit] = {
    u.symbol: u
    for u in [
        _U("元", "cny", 1.0, "yuan"),
        _U("万元", "cny", 1e4, "10k yuan"),
        _U("百万元", "cny", 1e6, "million yuan"),
        _U("亿元", "cny", 1e8, "100 million yuan"),
        _U("万亿元", "cny", 1e12, "trillion yuan"),
        # English- and German-language press print the unit in words (as printed):
        _U("billion yuan", "cny", 1e9, "billion yuan (10 亿元)"),
        _U("trillion yuan", "cny", 1e12, "trillion yuan (万亿元)"),
        _U("Billionen Yuan", "cny", 1e12, "German Billionen = 10^12 yuan (万亿元)"),
        _U("美元", "usd", 1.0, "US dollars"),
        _U("万美元", "usd", 1e4, "10k US dollars"),
        _U("亿美元", "usd", 1e8, "100 million US dollars"),
        _U("%", "percent", 1.0, "percent"),
        _U("‰", "percent", 0.1, "per mille"),
        _U("个百分点", "pp", 1.0, "percentage points"),
        _U("人", "persons", 1.0, "persons"),
        _U("万人", "persons", 1e4, "10k persons"),
        _U("名", "persons", 1.0, "persons"),
        _U("万名", "persons", 1e4, "10k persons"),
        _U("家", "entities", 1.0, "enterprises/institutions"),
        _U("户", "households", 1.0, "households"),
        _U("万户", "households", 1e4, "10k households"),
        _U("人次", "visits", 1.0, "person-times (visits)"),
        _U("万人次", "visits", 1e4, "10k person-times (visits)"),
        _U("个", "items", 1.0, "items"),
        _U("所", "items", 1.0, "schools/institutions"),
        _U("处", "items", 1.0, "sites"),
        _U("项", "items", 1.0, "items"),
        _U("条", "items", 1.0, "items (roads, rivers, routes)"),
        _U("件", "items", 1.0, "cases/proposals"),
        _U("座", "items", 1.0, "structures"),
        _U("次", "times", 1.0, "times"),
        _U("剂次", "doses", 1.0, "doses"),
        _U("万剂次", "doses", 1e4, "10k doses"),
        _U("吨", "tonnes", 1.0, "tonnes"),
        _U("万吨", "tonnes", 1e4, "10k tonnes"),
        _U("亿吨", "tonnes", 1e8, "100 million tonnes"),
        _U("头", "head", 1.0, "head (livestock)"),
        _U("万头", "head", 1e4, "10k head (livestock)"),
        _U("亩", "area", 1.0, "mu (1/15 ha)"),
        _U("万亩", "area", 1e4, "10k mu"),
        _U("平方米", "floor_area", 1.0, "square metres"),
        _U("万平方米", "floor_area", 1e4, "10k square metres"),
        _U("平方公里", "land_area", 1.0, "square kilometres"),
        _U("公里", "length", 1.0, "kilometres"),
        _U("年", "years", 1.0, "years"),
        _U("倍", "ratio", 1.0, "times (multiple)"),
    ]
}

#: Unit spellings seen in sources that mean the same unit.
ALIASES: dict[str, str] = {"％": "%", "百分点": "个百分点", "平方千米": "平方公里", "km2": "平方公里"}


def get_unit(symbol: str) -> Unit:
    """Return the :class:`Unit` for a printed unit string.

    Parameters
    ----------
    symbol : str
        The unit as printed, e.g. ``"亿元"`` or ``"万美元"``. Surrounding white space
        and full-width percent signs are accepted.

    Raises
    ------
    UnknownUnitError
        If the unit is not in :data:`UNITS`.

    Examples
    --------
    >>> get_unit("万元").factor
    10000.0
    """
    key = str(symbol).strip()
    key = ALIASES.get(key, key)
    try:
        return UNITS[key]
    except KeyError:
        known = ", ".join(UNITS)
        raise UnknownUnitError(f"unknown unit {symbol!r}; known units: {known}") from None


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert ``value`` between two units of the same dimension.

    Raises
    ------
    UnknownUnitError
        If either unit is unknown.
    ValueError
        If the units measure different things (e.g. 亿美元 to 亿元).

    Examples
    --------
    >>> convert(32801, "百万元", "亿元")
    328.01
    """
    a, b = get_unit(from_unit), get_unit(to_unit)
    if a.dimension != b.dimension:
        raise ValueError(
            f"cannot convert {from_unit!r} ({a.dimension}) to {to_unit!r} ({b.dimension}); "
            "a currency change needs an explicit exchange-rate series"
        )
    # round to 12 significant digits to keep binary noise out of processed files
    return float(f"{value * a.factor / b.factor:.12g}")


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL) + "".join(_CN_BIG)


def parse_chinese_numeral(text: str) -> int:
    """Parse a Chinese numeral such as ``"一千五百"``, ``"十"``, ``"千"`` or ``"两万"``.

    A bare unit character (``"千"``) means one of it, as in 突破千亿.

    Raises
    ------
    ValueError
        If ``text`` is empty or contains anything but Chinese numeral characters.

    Examples
    --------
    >>> parse_chinese_numeral("一千五百")
    1500
    >>> parse_chinese_numeral("十七")
    17
    """
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_SMALL:
            section += (1 if digit is None else digit) * _CN_SMALL[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            total = (total + (section or 1)) * _CN_BIG[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


_ARABIC = re.compile(r"^[0-9][0-9,，]*(?:\.[0-9]+)?$")
_MULTIPLIERS = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 1e2}


def parse_number(text: str) -> float:
    """Parse a printed number: Arabic digits (with thousands separators), a Chinese
    numeral, or either followed by 万/亿 (``"1.2万"`` is 12000).

    Raises
    ------
    ValueError
        If ``text`` is not a number in one of those forms.

    Examples
    --------
    >>> parse_number("32,801")
    32801.0
    >>> parse_number("1.2万")
    12000.0
    """
    t = str(text).strip()
    if _ARABIC.match(t):
        return float(t.replace(",", "").replace("，", ""))
    for suffix, mult in _MULTIPLIERS.items():
        if t.endswith(suffix) and _ARABIC.match(t[: -len(suffix)]):
            return float(f"{float(t[: -len(suffix)].replace(',', '')) * mult:.12g}")
    return float(parse_chinese_numeral(t))


def decimals_printed(text: str) -> int:
    """Number of decimals as printed (``"66"`` → 0, ``"66.0"`` → 1, ``"7.9"`` → 1)."""
    t = str(text).strip()
    return len(t.split(".", 1)[1]) if "." in t else 0

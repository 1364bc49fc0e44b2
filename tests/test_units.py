import pytest
from hypothesis import given
from hypothesis import strategies as st

from linhai_analysis.data.units import (
    UNITS,
    convert,
    decimals_printed,
    get_unit,
    parse_chinese_numeral,
    parse_number,
)
from linhai_analysis.errors import UnknownUnitError


def test_money_units_convert_to_yi_yuan():
    assert convert(32801, "百万元", "亿元") == pytest.approx(328.01)  # 32801e6 / 1e8
    assert convert(5700, "万美元", "亿美元") == pytest.approx(0.57)  # 5700e4 / 1e8
    assert convert(1.2, "万亿元", "亿元") == pytest.approx(12000)  # 1.2e12 / 1e8
    assert convert(111.7, "万人", "人") == pytest.approx(1_117_000)


def test_currencies_are_different_dimensions():
    with pytest.raises(ValueError, match="exchange-rate"):
        convert(1, "亿美元", "亿元")


def test_unknown_unit_is_an_error_naming_the_unit():
    with pytest.raises(UnknownUnitError, match="亿円"):
        get_unit("亿円")


def test_every_unit_of_the_issue_is_known():
    for u in ["亿元", "万元", "元", "百万元", "亿美元", "万美元", "%", "‰", "万人", "人", "家", "个",
              "万吨", "万亩", "亩", "平方公里", "剂次", "件"]:
        assert get_unit(u).symbol == u
    assert get_unit("％").symbol == "%"


@pytest.mark.parametrize("text,value", [("一千五百", 1500), ("十七", 17), ("千", 1000), ("两万", 20000),
                                        ("二十九", 29), ("一百零五", 105)])
def test_chinese_numerals(text, value):
    assert parse_chinese_numeral(text) == value


def test_parse_number_forms():
    assert parse_number("32,801") == 32801
    assert parse_number("1.2万") == 12000
    assert parse_number("千") == 1000
    with pytest.raises(ValueError):
        parse_number("abc")


def test_decimals_printed_keeps_trailing_zero():
    assert decimals_printed("66") == 0
    assert decimals_printed("66.0") == 1
    assert decimals_printed("971.68") == 2


@given(st.sampled_from(sorted(UNITS)), st.floats(min_value=1e-3, max_value=1e9))
def test_convert_round_trip(unit, value):
    base = {"cny": "元", "usd": "美元", "percent": "%"}.get(get_unit(unit).dimension)
    if base is None:
        return
    assert convert(convert(value, unit, base), base, unit) == pytest.approx(value, rel=1e-9)


def test_units_printed_in_words_by_foreign_press():
    # 8.9404 trillion yuan = 8.9404e12 / 1e8 = 89,404 亿元 (national GDP 2000, first release)
    assert convert(8.9404, "trillion yuan", "亿元") == pytest.approx(89404)
    # 2,000 billion yuan = 2e12 / 1e8 = 20,000 亿元 (Zhejiang's 2010 level goal, "about 2万亿")
    assert convert(2000, "billion yuan", "亿元") == pytest.approx(20000)
    # German "Billionen" is 10^12: 13.65 Billionen Yuan = 136,500 亿元 (national GDP 2004)
    assert convert(13.65, "Billionen Yuan", "万亿元") == pytest.approx(13.65)

"""One test per failure class of the claims extractor found on real county reports.

Every sentence here is made up (place names and figures included): each reproduces a
structure, never a real page's text.
"""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from linhai_analysis.claims.extract import CONTEXT_CHARS, extract_claims
from linhai_analysis.claims.text import parse_report

R = "review"


def _claims(text: str, **kw) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return extract_claims(text, **kw)


def _rows(text: str, **kw) -> list[tuple]:
    df = _claims(text, **kw)
    return list(zip(df["value"], df["unit"], df["kind"], df["comparator"], strict=True))


# (a) a cut-off last paragraph that opens with an inline numbered heading is report text
def test_cut_off_paragraph_with_inline_heading_is_kept():
    text = ("2023年青石县人民政府工作报告\n一、2022年工作回顾\n全县地区生产总值完成88.8亿元,增长5.5%。\n"
            "(一)产业发展提速。新增规上企业17家,工业投资增长12.5")
    report = parse_report(text, "t")
    assert report.paragraphs[-1].text.startswith("(一)产业发展提速")
    rows = _rows(text)
    assert (17.0, "家", "count", "=") in rows


def test_bare_heading_after_last_full_stop_is_still_a_heading():
    text = "2023年青石县人民政府工作报告\n一、2022年工作回顾\n全县地区生产总值完成88.8亿元。\n(二)民生保障"
    assert parse_report(text, "t").paragraphs[-1].text == "全县地区生产总值完成88.8亿元。"  # a trailing bare heading
    assert _rows(text) == [(88.8, "亿元", "level", "=")]


# (b) signs: a printed minus, and a decrease verb, give a negative growth rate
@pytest.mark.parametrize("text,value", [
    ("规模以上工业增加值增速-6.4%。", -6.4),
    ("一般公共预算收入下降0.37%。", -0.37),
    ("借贷户数和借贷余额分别下降31%和29%。", -31.0),
])
def test_negative_growth(text, value):
    df = _claims(text, report_year=2022, section=R)
    assert df.iloc[0]["value"] == value and df.iloc[0]["kind"] == "yoy_growth"
    assert (df["value"] < 0).all()


def test_range_dash_is_not_a_sign():
    df = _claims("2016-2020年城镇化率提高到58%。", report_year=2021, section=R)
    assert list(df["value"]) == [58.0]


# (c) multiples of an earlier level
def test_multiple_of_base_year():
    df = _claims("地区生产总值达到215亿元,是2017年的1.9倍。", report_year=2023, section=R)
    m = df[df["kind"] == "multiple"].iloc[0]
    assert (m["value"], m["unit"], m["comparator"]) == (1.9, "倍", "=")
    assert (m["period_start"], m["period_end"]) == (2018, 2022)


def test_joint_multiples():
    df = _claims("财政收入、税收收入分别是2017年的1.3倍、2.6倍。", report_year=2023, section=R)
    assert list(df.loc[df["kind"] == "multiple", "value"]) == [1.3, 2.6]


# (d) phrasings
def test_parenthetical_note_before_growth():
    assert _rows("社会消费品零售总额同比增长(下同)3.7%。", report_year=2022, section=R) == [
        (3.7, "%", "yoy_growth", "=")]


def test_more_than_is_a_lower_bound():
    assert _rows("全县市场主体达到4600多家。", report_year=2022, section=R) == [(4600.0, "家", "count", "≥")]
    assert _rows("培训技能人才800余名。", report_year=2022, section=R) == [(800.0, "名", "count", "≥")]


def test_money_followed_by_funding_noun():
    assert _rows("争取政策性银行37.5亿元额度,落实12.2亿元贷款。", report_year=2022, section=R) == [
        (37.5, "亿元", "level", "="), (12.2, "亿元", "level", "=")]


def test_descriptor_with_ji_yishang_is_no_claim():
    df = _claims("500万元及以上固定资产投资增长6.6%。", report_year=2022, section=R)
    assert list(df["value"]) == [6.6]


def test_figures_printed_without_separator():
    df = _claims("一、二、三产业增加值分别增长3.1%6.2%4.4%。", report_year=2022, section=R)
    assert list(df["value"]) == [3.1, 6.2, 4.4] and set(df["kind"]) == {"yoy_growth"}


# (e) scope of 预计
def test_estimate_opening_a_list_marks_the_list():
    text = "各项工作稳步推进。预计全年地区生产总值完成96亿元,增长5.2%;一般公共预算收入7.1亿元,增长3.3%。"
    assert set(_claims(text, report_year=2022, section=R)["comparator"]) == {"≈"}


def test_estimate_inside_a_clause_marks_that_clause_only():
    text = "地区生产总值预计增长4%左右,固定资产投资增长9%,社会消费品零售总额预计增长6%,出口增长21%。"
    df = _claims(text, report_year=2022, section=R)
    assert list(df["comparator"]) == ["≈", "=", "≈", "="]


def test_bound_wins_over_estimate():
    df = _claims("预计地区生产总值突破300亿元,年均增长6.6%。", report_year=2021, section=R)
    assert list(df["comparator"]) == ["≥", "≈"]


# (f) metadata
def test_title_year_of_aggregator_page_yields_to_delivery_date():
    text = ("(湖东省)2020年青石县人民政府工作报告(全文)\n政府工作报告\n2021年1月8日在青石县第九届人民代表大会第五次会议上\n"
            "各位代表:\n一、2020年工作回顾\n全县地区生产总值完成101亿元,增长3.1%。")
    report = parse_report(text, "t")
    assert (report.year, report.place) == (2021, "青石县")
    df = _claims(text)
    assert set(df["ref_year"]) == {2020}


def test_title_naming_the_reviewed_year():
    text = "2019年青石县政府工作报告\n县长 某某\n各位代表:\n2019年,是极不平凡的一年。全县地区生产总值增长6.1%。"
    assert parse_report(text, "t").year == 2020


def test_parenthesised_title_year_with_later_delivery():
    text = "青石县人民政府工作报告(2018年)\n——2019年2月20日在青石县人民代表大会上\n一、2018年工作回顾\n地区生产总值增长7%。"
    assert parse_report(text, "t").year == 2019
    assert list(_claims(text)["ref_year"]) == [2018]


def test_menu_word_is_not_a_place():
    report = parse_report("专题材料政府工作报告\n各位代表:\n地区生产总值增长6%。", "t")
    assert report.place == ""


def test_levels_in_a_one_year_review_get_that_year():
    text = "2022年青石县人民政府工作报告\n一、2021年工作回顾\n全县地区生产总值完成88亿元,新增企业42家。"
    df = _claims(text)
    assert list(zip(df["period_start"], df["period_end"], strict=True)) == [(2021, 2021), (2021, 2021)]


def test_levels_in_a_five_year_review_keep_five_years():
    text = "2022年青石县人民政府工作报告\n一、过去五年工作回顾\n地区生产总值完成88亿元。"
    df = _claims(text)
    assert (df.iloc[0]["period_start"], df.iloc[0]["period_end"]) == (2017, 2021)


def test_heading_with_a_past_year_but_no_work_word_is_review():
    text = "政府工作报告\n——2019年2月10日在青石县人民代表大会上\n一、砥砺奋进,2018年成绩喜人\n地区生产总值增长7.2%。"
    df = _claims(text)
    assert list(df["kind"]) == ["yoy_growth"] and list(df["ref_year"]) == [2018]


# item 3: bounded output
def test_claims_text_is_a_bounded_clause():
    df = _claims("一般公共预算收入22.9亿元,增长14.4%。", report_year=2017, section=R)
    assert list(df["text"]) == ["一般公共预算收入22.9亿元", "增长14.4%"]


def test_claims_csv_stays_small_on_a_long_single_sentence():
    unit = "从85家增加到207家、地区生产总值819.9亿元,增长8.1%和"
    text = (unit * (50_000 // len(unit) + 1))[:50_000]
    df = _claims(text, report_year=2022)
    assert (df["text"].str.len() <= CONTEXT_CHARS).all()
    size = len(df.to_csv(index=False).encode("utf-8"))
    assert size < 60 * len(text.encode("utf-8"))  # the whole-sentence copy made it ~4,600x

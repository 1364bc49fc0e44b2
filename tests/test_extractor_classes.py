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


# (g) hard-wrapped pages: a line break (or a page number, or a stray space) inside a number,
# a word or a unit; spans still index the raw text
def _at_spans(text: str, df: pd.DataFrame) -> list[str]:
    return [text[a:b] for a, b in zip(df["span_start"], df["span_end"], strict=True)]


def test_line_break_inside_a_number_is_joined():
    text = ("2021年青石县人民政府工作报告\n一、十三五工作回顾\n这五年,我们聚力扩容提质,全县固定资产投资累计完成31\n"
            "6.4亿元,年均增长8.8%;外贸出口3\n.9亿美元,年均增长4.2%;利用外资6017万美元。")
    df = _claims(text)
    # 31⏎6.4 is 316.4 (not 6.4), 3⏎.9 is 3.9 (not 9)
    assert list(df["value"]) == [316.4, 8.8, 3.9, 4.2, 6017.0]
    assert _at_spans(text, df)[:3] == ["31\n6.4亿元", "8.8%", "3\n.9亿美元"]


def test_spaces_inside_numbers_and_units_are_layout():
    text = "地区生产总值 47.5 亿元,是2016年的2 .3倍;新城建成区达到6平方公 里,落实1.4亿元贷\n款。"
    df = _claims(text, report_year=2021, section=R)
    assert list(zip(df["value"], df["unit"], strict=True)) == [
        (47.5, "亿元"), (2.3, "倍"), (6.0, "平方公里"), (1.4, "亿元")]
    assert _at_spans(text, df)[2] == "6平方公 里"


def test_page_number_between_a_number_and_its_unit():
    text = ("2022年青石县人民政府工作报告\n一、2021年工作回顾\n全年完成地区生产总值 12.6 亿元;农村常住居民人均可支配收入 15302\n"
            "- 3 -\n元,同比增长 8.4%。")
    df = _claims(text)
    assert list(zip(df["value"], df["unit"], df["kind"], strict=True)) == [
        (12.6, "亿元", "level"), (15302.0, "元", "level"), (8.4, "%", "yoy_growth")]
    assert _at_spans(text, df)[1] == "15302\n- 3 -\n元"


def test_estimate_reaches_wrapped_continuation_lines():
    text = ("2021年青石县人民政府工作报告\n一、十三五工作回顾\n预计十三五末,全县地区生产总值突破90亿元,年均增长5.1%;社会消费品\n"
            "零售总额41亿元,年均增长7.3%。\n2020年,全县粮食产量12万吨。")
    df = _claims(text)
    assert list(df["comparator"]) == ["≥", "≈", "≈", "≈", "="]


def test_short_rest_of_a_wrapped_last_line_is_kept():
    text = ("2021年青石县人民政府工作报告\n一、2020年工作回顾\n全年完成地区生产总值88亿元。争取到农村公路项目0.9亿元贷\n款、水厂项目3000万")
    df = _claims(text)
    assert list(df["value"]) == [88.0, 0.9]  # 0.9亿元贷⏎款 is a loan; "3000万" has no unit yet


# (h) units the statistical catalogue lacks
@pytest.mark.parametrize("text,value,unit,kind", [
    ("全年查处违法案件9起。", 9.0, "起", "count"),
    ("第二批试点县名单公布,新增省级示范基地3批。", 3.0, "批", "count"),
    ("累计帮助4.62万农村人口稳定脱贫。", 4.62, "万人", "count"),
    ("电力装机达到316.5万千瓦。", 316.5, "万千瓦", "level"),
    ("水稻亩均单产612.5公斤。", 612.5, "公斤", "level"),
    ("陶瓷产能达到3000万件。", 3000.0, "万件", "level"),
    ("召开项目推进会12次,解决问题80个。", 12.0, "次", "count"),
])
def test_units_outside_the_catalogue(text, value, unit, kind):
    df = _claims(text, report_year=2022, section=R)
    assert (df.iloc[0]["value"], df.iloc[0]["unit"], df.iloc[0]["kind"]) == (value, unit, kind)


def test_count_of_meetings_is_a_claim_only_at_a_clause_end():
    assert _claims("召开3次会议研究部署。", report_year=2022, section=R).empty


# (i) structure and cue words found on the new pages
def test_unnumbered_part_heading_above_numbered_sections():
    text = ("2025年青石县人民政府工作报告\n2024年工作回顾\n预计完成地区生产总值58.2亿元,增长6%;规模以上工业增加值增长9.1%。\n"
            "一、产业发展稳中有进\n新增规上工业企业6家。\n(一)农业持续增效\n粮食种植面积稳定在11万亩以上。")
    df = _claims(text)
    assert list(df["kind"]) == ["level", "yoy_growth", "yoy_growth", "count", "level"]
    assert set(df["ref_year"]) == {2024}
    assert list(df["comparator"]) == ["≈", "≈", "≈", "=", "≥"]


def test_from_year_to_year_in_a_review_is_no_goal():
    df = _claims("过去的五年,全旗地区生产总值从2010年的310.4亿元增加到2015年的502.6亿元,年均增长9.9%。",
                 report_year=2016, section=None)
    assert list(zip(df["value"], df["kind"], strict=True)) == [(502.6, "from_to"), (9.9, "avg_growth")]
    assert df.iloc[0]["value_from"] == 310.4


def test_one_of_a_group_is_no_count():
    df = _claims("成功入选全省12个示范县之一,新增规上企业15家。", report_year=2022, section=R)
    assert list(df["value"]) == [15.0]


def test_estimate_note_with_same_below_marks_the_rest():
    text = "全年完成地区生产总值410亿元,增长4.8%(预计,同比,下同);固定资产投资增长6%。园区引进项目35个。"
    df = _claims(text, report_year=2023, section=R)
    assert list(df["comparator"]) == ["≈"] * 4


def test_lead_in_line_before_a_cut_off_paragraph():
    text = ("2023年青石县人民政府工作报告\n一、2022年工作回顾\n全县完成生产总值66亿元。\n一年来的主要工作有:\n"
            "这一年,我们坚持招大引强,全年新签约项目26个,其中亿元以上项目9个,规上工业总产值3")
    df = _claims(text)
    assert list(df["value"]) == [66.0, 26.0, 9.0]


# (j) reposts in traditional characters, and converters' pinyin annotations
def test_traditional_characters_read_as_simplified():
    text = ("2024年青石縣政府工作報告\n一、2023年工作回顧\n預計全年實現地區生產總值61.3億元,增長5.2%;新增耕地2.4萬畝,"
            "落實貸款0.8億元。")
    df = _claims(text)
    assert list(zip(df["value"], df["unit"], df["kind"], df["comparator"], strict=True)) == [
        (61.3, "亿元", "level", "≈"), (5.2, "%", "yoy_growth", "≈"), (2.4, "万亩", "level", "≈"),
        (0.8, "亿元", "level", "≈")]
    assert set(df["ref_year"]) == {2023}
    assert _at_spans(text, df)[0] == "61.3億元"  # spans index the printed (traditional) text


def test_pinyin_annotations_are_no_text():
    text = "預(yù)計(jì)全年實(shí)現(xiàn)地方生產(chǎn)總值27.4億元,同比增長(zhǎng)6.6%。"
    df = _claims(text, report_year=2019, section=R)
    assert list(zip(df["value"], df["unit"], df["kind"], df["comparator"], strict=True)) == [
        (27.4, "亿元", "level", "≈"), (6.6, "%", "yoy_growth", "≈")]


def test_land_parcels_and_prices_per_mu():
    df = _claims("累计出让土地7宗,地价升至86万元/亩创历史新高。", report_year=2024, section=R)
    assert list(zip(df["value"], df["unit"], strict=True)) == [(7.0, "宗"), (86.0, "万元/亩")]


def test_overlong_sentence_is_read_in_pieces_without_losing_figures():
    from linhai_analysis.claims.extract import MAX_SENTENCE

    unit = "新增企业17家、地区生产总值80.5亿元,增长6.2%和"  # 3 figures per 28 characters
    text = unit * (3 * MAX_SENTENCE // len(unit))  # three pieces' worth, no full stop anywhere
    df = _claims(text, report_year=2022, section=R)
    n = text.count(unit)
    assert len(df) == 3 * n  # nothing lost or doubled at the cuts
    assert list(df["value"][:3]) == [17.0, 80.5, 6.2] and list(df["value"][-3:]) == [17.0, 80.5, 6.2]
    assert {text[a:b] for a, b in zip(df["span_start"], df["span_end"], strict=True)} == {"17家", "80.5亿元", "6.2%"}


def test_delivery_date_dates_a_page_without_title():
    text = ("——2019年2月26日在青石旗第十六届人民代表大会第三次会议上\n各位代表:\n一、“十三五”以来工作回顾\n"
            "过去的三年,全旗地区生产总值从2015年的88.6亿元增加到2018年的120.3亿元,年均增长7.7%。")
    assert parse_report(text, "t").year == 2019
    df = _claims(text)
    assert list(zip(df["value"], df["kind"], df["ref_year"], strict=True)) == [
        (120.3, "from_to", 2018), (7.7, "avg_growth", 2018)]


def test_estimate_inside_a_from_to_pair():
    df = _claims("地区生产总值从150.2亿元预计增加到201亿元,年均增长6%。", report_year=2022, section=R)
    assert list(zip(df["kind"], df["comparator"], strict=True)) == [("from_to", "≈"), ("avg_growth", "=")]


def test_units_outside_the_catalogue_get_no_indicator_code():
    df = _claims("地区生产总值612.5公斤,一般公共预算收入3宗。", report_year=2022, section=R)
    assert list(df["indicator"]) == ["", ""] and list(df["unit_canonical"]) == ["公斤", "宗"]

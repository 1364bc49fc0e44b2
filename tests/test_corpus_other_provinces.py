"""A corpus of sentences in the phrasing of county and city work reports and bulletins
from provinces other than Zhejiang (Anhui, Fujian, Yunnan, Shanxi, Jiangxi, Hubei ...),
written for these tests after reading such reports — figures and names are made up,
no sentence is copied; Zhejiang reports are kept out as an independent check. Each expectation is read off the
sentence by hand. One sentence can test several classes; every class of issue 13 has
at least two sentences. Precision and recall over the corpus are computed here and
enforced with a floor.
"""

import pytest

from linhai_analysis.claims.extract import ClaimsInputError, extract_claims
from linhai_analysis.claims.text import parse_report
from linhai_analysis.data.vintage import Vintage

R, G, P = "review", "goals", "plan"

# (class, sentence, keyword arguments, expected (indicator, kind, value, unit, comparator))
CORPUS = [
    # units: 万户, 万人次, 万平方米, 公里, 万吨
    ("units", "全年接待游客860万人次,旅游总收入92亿元。", {"report_year": 2022, "section": R},
     [("", "count", 860.0, "万人次", "="), ("", "level", 92.0, "亿元", "=")]),
    ("units", "新增市场主体1.8万户,其中企业0.6万户。", {"report_year": 2022, "section": R},
     [("", "count", 1.8, "万户", "="), ("", "count", 0.6, "万户", "=")]),
    ("units", "改造老旧小区45万平方米,新建城市道路12.6公里。", {"report_year": 2022, "section": R},
     [("", "level", 45.0, "万平方米", "="), ("", "level", 12.6, "公里", "=")]),
    ("units", "港口货物年吞吐量达到3200万吨。", {"report_year": 2021, "section": R},
     [("port_throughput", "level", 3200.0, "万吨", "=")]),
    ("units", "全年完成造林绿化2.3万亩,建成高标准农田8.5万亩。", {"report_year": 2022, "section": R},
     [("", "level", 2.3, "万亩", "="), ("", "level", 8.5, "万亩", "=")]),
    # unitless ratios
    ("ratio", "城乡居民收入倍差缩小到1.71。", {"report_year": 2022, "section": R},
     [("", "level", 1.71, "倍", "=")]),
    ("ratio", "城乡居民人均可支配收入之比由2.05缩小至1.92。", {"report_year": 2021, "section": R},
     [("", "level", 1.92, "倍", "=")]),
    # growth words beyond 增长
    ("growth_words", "地区生产总值增速达到6.8%,高于全省平均水平。", {"report_year": 2022, "section": R},
     [("gdp", "yoy_growth", 6.8, "%", "=")]),
    ("growth_words", "常住人口城镇化率提高2.1个百分点。", {"report_year": 2022, "section": R},
     [("urbanization_rate", "yoy_growth", 2.1, "个百分点", "=")]),
    ("growth_words", "居民消费价格上升1.9%。", {"report_year": 2022, "section": R},
     [("cpi", "yoy_growth", 1.9, "%", "=")]),
    # a decrease is a negative growth rate (value_text keeps the printed 3.5)
    ("growth_words", "单位地区生产总值能耗下降3.5%。", {"report_year": 2022, "section": R},
     [("gdp", "yoy_growth", -3.5, "%", "=")]),
    ("growth_words", "规模以上工业增加值增速回升至7.2%。", {"report_year": 2023, "section": R},
     [("industrial_value_added_above_scale", "yoy_growth", 7.2, "%", "=")]),
    # from -> to, including 由X提升至Y and joint lists
    ("from_to", "研发经费投入强度由2.1%提升至2.6%。", {"report_year": 2022, "section": R},
     [("rd_intensity", "from_to", 2.6, "%", "=")]),
    ("from_to", "高新技术企业由86家增加到213家。", {"report_year": 2022, "section": R},
     [("hightech_enterprises", "from_to", 213.0, "家", "=")]),
    ("from_to", "城镇、农村常住居民人均可支配收入分别从32150元、15280元提高到45620元、22410元。",
     {"report_year": 2022, "section": R},
     [("urban_disposable_income", "from_to", 45620.0, "元", "="),
      ("rural_disposable_income", "from_to", 22410.0, "元", "=")]),
    ("from_to", "一般公共预算收入、税收收入分别由15.2亿元、11.3亿元增加到24.6亿元、19.8亿元。",
     {"report_year": 2022, "section": R},
     [("general_budget_revenue", "from_to", 24.6, "亿元", "="), ("", "from_to", 19.8, "亿元", "=")]),
    ("from_to", "地区生产总值从141.6亿元增长到287亿元,是2016年的2倍多。", {"report_year": 2022, "section": R},
     [("gdp", "from_to", 287.0, "亿元", "="), ("gdp", "multiple", 2.0, "倍", "≥")]),
    # 预计 as ≈
    ("estimate", "预计全年完成地区生产总值412亿元,增长7.9%。", {"report_year": 2020, "section": R},
     [("gdp", "level", 412.0, "亿元", "≈"), ("gdp", "yoy_growth", 7.9, "%", "≈")]),
    ("estimate", "预计一般公共预算收入完成21.1亿元。", {"report_year": 2023, "section": R},
     [("general_budget_revenue", "level", 21.1, "亿元", "≈")]),
    # a growth figure that only names its period inherits the indicator before it
    ("inherit", "地区生产总值增长8.5%,五年年均增长7.2%。", {"report_year": 2021, "section": R},
     [("gdp", "yoy_growth", 8.5, "%", "="), ("gdp", "avg_growth", 7.2, "%", "=")]),
    ("inherit", "社会消费品零售总额增长10.2%,两年平均增长6.9%。", {"report_year": 2022, "section": R},
     [("retail_sales", "yoy_growth", 10.2, "%", "="), ("retail_sales", "avg_growth", 6.9, "%", "=")]),
    # goals with and without a target year
    ("goal_no_year", "今后五年,力争地区生产总值突破800亿元。", {"report_year": 2022},
     [("gdp", "target_level", 800.0, "亿元", "≥")]),
    ("goal_no_year", "未来五年,一般公共预算收入年均增长7%以上。", {"report_year": 2021},
     [("general_budget_revenue", "target_growth", 7.0, "%", "≥")]),
    ("goal_year", "到2025年,全县地区生产总值达到600亿元,城镇化率达到60%。", {"report_year": 2021},
     [("gdp", "target_level", 600.0, "亿元", "="), ("urbanization_rate", "target_rate", 60.0, "%", "=")]),
    ("goal_year", "到2027年,规上工业总产值突破1000亿元。", {"report_year": 2023},
     [("industrial_output_above_scale", "target_level", 1000.0, "亿元", "≥")]),
    # plan year targets
    ("plan", "今年全县经济社会发展主要预期目标是:地区生产总值增长6.5%左右,一般公共预算收入增长5%。",
     {"report_year": 2023},
     [("gdp", "target_growth", 6.5, "%", "≈"), ("general_budget_revenue", "target_growth", 5.0, "%", "=")]),
    ("plan", "城镇新增就业5000人以上,城镇登记失业率控制在3.5%以内。", {"report_year": 2023, "section": P},
     [("new_urban_jobs", "target_level", 5000.0, "人", "≥"), ("urban_unemployment_rate", "target_rate", 3.5, "%", "≤")]),
    # review levels with growth (bulletin phrasing)
    ("review", "全年实现地区生产总值356.42亿元,按可比价格计算,比上年增长4.1%。", {"report_year": 2023, "section": R},
     [("gdp", "level", 356.42, "亿元", "="), ("gdp", "yoy_growth", 4.1, "%", "=")]),
    ("review", "全县财政总收入完成45.3亿元,同比增长15.8%。", {"report_year": 2023, "section": R},
     [("fiscal_total_revenue", "level", 45.3, "亿元", "="), ("fiscal_total_revenue", "yoy_growth", 15.8, "%", "=")]),
    ("review", "城乡常住居民人均可支配收入分别增长7%和9%,分别达39210元和16475元。",
     {"report_year": 2022, "section": R},
     [("urban_disposable_income", "yoy_growth", 7.0, "%", "="), ("rural_disposable_income", "yoy_growth", 9.0, "%", "="),
      ("urban_disposable_income", "level", 39210.0, "元", "="), ("rural_disposable_income", "level", 16475.0, "元", "=")]),
    ("review", "社会消费品零售总额118亿元,增长9.4%。", {"report_year": 2020, "section": R},
     [("retail_sales", "level", 118.0, "亿元", "="), ("retail_sales", "yoy_growth", 9.4, "%", "=")]),
    ("review", "全社会固定资产投资下降12.7%。", {"report_year": 2019, "section": R},
     [("fixed_asset_investment", "yoy_growth", -12.7, "%", "=")]),
    ("review", "常住人口城镇化率为47.86%。", {"report_year": 2022, "section": R},
     [("urbanization_rate", "share", 47.86, "%", "=")]),
    ("review", "规上企业从117家发展到239家。", {"report_year": 2022, "section": R},
     [("", "from_to", 239.0, "家", "=")]),
    ("review", "财政收入先后跨越10亿元、15亿元台阶,年均增长8.7%。", {"report_year": 2022, "section": R},
     [("", "threshold", 10.0, "亿元", "≥"), ("", "threshold", 15.0, "亿元", "≥"), ("", "avg_growth", 8.7, "%", "=")]),
    # full-width digits and decimal points
    ("full_width", "全年实现地区生产总值２１７．３亿元,同比增长１．４％。", {"report_year": 2023, "section": R},
     [("gdp", "level", 217.3, "亿元", "="), ("gdp", "yoy_growth", 1.4, "%", "=")]),
    ("full_width", "一般公共预算收入完成６．０８亿元。", {"report_year": 2022, "section": R},
     [("general_budget_revenue", "level", 6.08, "亿元", "=")]),
    # thresholds and multiples
    ("threshold", "地区生产总值首次突破300亿元。", {"report_year": 2022, "section": R},
     [("gdp", "threshold", 300.0, "亿元", "≥")]),
    ("threshold", "实际利用外资突破5000万美元。", {"report_year": 2022, "section": R},
     [("fdi_actual_usd", "level", 5000.0, "万美元", "≥")]),
    ("multiple", "一般公共预算收入五年翻了一番。", {"report_year": 2022, "section": R},
     [("general_budget_revenue", "multiple", 2.0, "倍", "≥")]),
    ("descriptor", "新开工亿元以上项目62个,其中10亿元以上项目8个。", {"report_year": 2022, "section": R},
     [("", "count", 62.0, "个", "="), ("", "count", 8.0, "个", "=")]),
    ("descriptor", "建成5G基站1200座,新增10万千瓦光伏。", {"report_year": 2022, "section": R},
     [("", "count", 1200.0, "座", "=")]),
]


def _rows(text, **kw):
    df = extract_claims(text, **kw)
    return [(r.indicator, r.kind, r.value, r.unit, r.comparator) for r in df.itertuples()]


def _metrics() -> tuple[int, int, int]:
    found = expected = matched = 0
    for _, text, kw, want in CORPUS:
        got = _rows(text, **kw)
        found += len(got)
        expected += len(want)
        pool = list(got)
        for w in want:
            if w in pool:
                pool.remove(w)
                matched += 1
    return found, expected, matched


def test_the_corpus_covers_every_class():
    classes = [c for c, *_ in CORPUS]
    assert len(CORPUS) >= 40
    for cls in ("units", "ratio", "growth_words", "from_to", "estimate", "inherit", "goal_no_year",
                "goal_year", "full_width"):
        assert classes.count(cls) >= 2, cls


@pytest.mark.parametrize("cls,text,kw,want", CORPUS, ids=[f"{c}-{i}" for i, (c, *_) in enumerate(CORPUS)])
def test_corpus_sentence(cls, text, kw, want):
    assert _rows(text, **kw) == want


def test_corpus_precision_and_recall():
    found, expected, matched = _metrics()
    # every expected row found (recall) and nothing else (precision): both enforced at 100%
    assert matched == expected == found


# --- document structure of other reports ------------------------------------------------------

SPACED = """  政 府 工 作 报 告

  2021年12月20日在县第十届人民代表大会第一次会议上

  县人民政府县长 某 某

  各位代表:

  现在,我代表青山县人民政府,向大会作政府工作报告,请予审议。

  一、本届政府和2021年工作回顾

  地区生产总值从141.6亿元增长到287亿元,是2016年的2倍多;财政收入年均增长8.7%

"""


def test_spaced_title_delivery_date_and_speaker_give_year_and_place():
    r = parse_report(SPACED, "qj")
    # delivered 2021-12-20, for 2022 (a report of November or December counts for the next year)
    assert r.year == 2022 and r.place == "青山县"
    # the last paragraph lost its final 。 (a truncated page): it is kept
    assert r.paragraphs[-1].text.endswith("财政收入年均增长8.7%")
    df = extract_claims(SPACED)
    assert set(df.place) == {"青山县"}
    rows = [(r.indicator, r.kind, r.value, r.period_start, r.period_end) for r in df.itertuples()]
    # the review is recognised ("本届政府和2021年工作回顾"): five years 2017-2021
    assert ("gdp", "from_to", 287.0, 2017, 2021) in rows
    assert ("", "avg_growth", 8.7, 2017, 2021) in rows


@pytest.mark.parametrize("title,year", [("政府工作报告(2018年)", 2018), ("2019年某某县人民政府工作报告", 2019)])
def test_title_forms_give_the_year(title, year):
    assert parse_report(title + "\n正文。", "t").year == year


@pytest.mark.parametrize("head,year,kind", [
    ("一、2018年主要工作和成效", 2019, "review"),
    ("一、2020年主要工作和十三五发展成就", 2021, "review"),
    ("三、2022年工作安排", 2022, "plan"),
    ("二、今后五年的奋斗目标", 2022, "goals"),
])
def test_section_headings_of_other_reports(head, year, kind):
    from linhai_analysis.claims.extract import section_kind

    assert section_kind((head,), "", year) == kind


def test_a_goal_without_a_year_is_not_a_review_level():
    text = "一、过去五年工作回顾\n全县地区生产总值500亿元。今后五年,力争地区生产总值突破800亿元。"
    df = extract_claims(text, report_year=2022)
    goal = df[df.value == 800.0].iloc[0]
    assert goal.kind == "target_level" and goal.comparator == "≥" and goal.ref_year == 2026


def test_a_string_naming_a_file_is_refused(tmp_path):
    f = tmp_path / "report.txt"
    f.write_text("一般公共预算收入22.9亿元,增长14.4%。", encoding="utf-8")
    with pytest.raises(ClaimsInputError, match="load_report"):
        extract_claims(str(f))
    assert len(extract_claims(f, report_year=2017)) == 2  # a Path is read, as documented


def test_reconcile_compares_the_same_place_only(obs):
    from linhai_analysis.assess.reconcile import reconcile

    other = extract_claims("2022年某县政府工作报告\n一、过去五年工作回顾\n全县实现地区生产总值819.9亿元。", place="青山县")
    r = reconcile(other, Vintage(obs)).iloc[0]
    # the same figure as Linhai's 2021 GDP, but another place: never compared with Linhai's
    assert r.place == "青山县" and r.verdict == "not_checkable" and "No observations for 青山县" in r.explanation
    unknown = extract_claims("一、过去五年工作回顾\n地区生产总值819.9亿元。", report_year=2022)
    assert reconcile(unknown, Vintage(obs)).iloc[0].verdict == "not_checkable"
    assert "place is unknown" in reconcile(unknown, Vintage(obs)).iloc[0].explanation

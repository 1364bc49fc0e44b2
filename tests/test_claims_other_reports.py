"""The extractor on sentences in the styles of other counties' reports (written for
these tests; no code path knows about them). Each expectation is read off the sentence."""

import pytest

from linhai_analysis.claims.extract import extract_claims


def rows(text, **kw):
    df = extract_claims(text, **kw)
    return [(r.indicator, r.kind, r.value, r.unit, r.comparator) for r in df.itertuples()]


CASES = [
    # (sentence, keyword args, expected (indicator, kind, value, unit, comparator) rows)
    ("地区生产总值从2015年的4670亿元提高到6871亿元,年均增长7.2%。", {"report_year": 2021},
     [("gdp", "from_to", 6871.0, "亿元", "="), ("gdp", "avg_growth", 7.2, "%", "=")]),
    ("城乡居民人均可支配收入分别增长5.9%和6.2%。", {"report_year": 2020, "section": "review"},
     [("urban_disposable_income", "yoy_growth", 5.9, "%", "="),
      ("rural_disposable_income", "yoy_growth", 6.2, "%", "=")]),
    ("一般公共预算收入22.9亿元,增长14.4%。", {"report_year": 2017},
     [("general_budget_revenue", "level", 22.9, "亿元", "="),
      ("general_budget_revenue", "yoy_growth", 14.4, "%", "=")]),
    ("今年经济社会发展的主要预期目标是:地区生产总值增长7%左右。", {"report_year": 2019},
     [("gdp", "target_growth", 7.0, "%", "≈")]),
    ("全年实现地区生产总值1.2万亿元，同比增长6.5%。", {"report_year": 2022, "section": "review"},
     [("gdp", "level", 1.2, "万亿元", "="), ("gdp", "yoy_growth", 6.5, "%", "=")]),
    ("财政总收入首次突破100亿元。", {"report_year": 2020, "section": "review"},
     [("fiscal_total_revenue", "threshold", 100.0, "亿元", "≥")]),
    ("规模以上工业增加值增长8.5%。", {"report_year": 2019, "section": "review"},
     [("industrial_value_added_above_scale", "yoy_growth", 8.5, "%", "=")]),
    ("城镇登记失业率控制在3%以内。", {"report_year": 2019, "section": "plan"},
     [("urban_unemployment_rate", "target_rate", 3.0, "%", "≤")]),
    ("到2025年,地区生产总值达到1000亿元。", {"report_year": 2021},
     [("gdp", "target_level", 1000.0, "亿元", "=")]),
    ("国家高新技术企业从120家增加到310家。", {"report_year": 2021, "section": "review"},
     [("hightech_enterprises", "from_to", 310.0, "家", "=")]),
    ("社会消费品零售总额300亿元,五年实现翻一番。", {"report_year": 2021, "section": "review"},
     [("retail_sales", "level", 300.0, "亿元", "="), ("retail_sales", "multiple", 2.0, "倍", "≥")]),
    ("新增城镇就业1.5万人,城镇登记失业率2.1%。", {"report_year": 2020, "section": "review"},
     [("new_urban_jobs", "count", 1.5, "万人", "="), ("urban_unemployment_rate", "share", 2.1, "%", "=")]),
    ("一般公共预算收入增长5%以上；固定资产投资增长8%以上。", {"report_year": 2023, "section": "plan"},
     [("general_budget_revenue", "target_growth", 5.0, "%", "≥"),
      ("fixed_asset_investment", "target_growth", 8.0, "%", "≥")]),
    ("外贸自营出口总额23.6亿美元,增长3.2%。", {"report_year": 2014, "section": "review"},
     [("exports_usd", "level", 23.6, "亿美元", "="), ("exports_usd", "yoy_growth", 3.2, "%", "=")]),
    ("实际利用外资5410万美元。", {"report_year": 2016, "section": "review"},
     [("fdi_actual_usd", "level", 5410.0, "万美元", "=")]),
    ("规上工业总产值突破两千亿元。", {"report_year": 2024, "section": "review"},
     [("industrial_output_above_scale", "level", 2000.0, "亿元", "≥")]),
    ("财政总收入和一般公共预算收入均增长6%。", {"report_year": 2023, "section": "plan"},
     [("fiscal_total_revenue", "target_growth", 6.0, "%", "="),
      ("general_budget_revenue", "target_growth", 6.0, "%", "=")]),
    ("银行业金融机构存贷款余额近3000亿元。", {"report_year": 2022, "section": "review"},
     [("deposits_and_loans", "level", 3000.0, "亿元", "≈")]),
]


@pytest.mark.parametrize("text,kw,expected", CASES, ids=[c[0][:12] for c in CASES])
def test_other_report_styles(text, kw, expected):
    assert rows(text, **kw) == expected


def test_at_least_fifteen_styles():
    assert len(CASES) >= 15


def test_periods_follow_the_sentence():
    df = extract_claims("地区生产总值从2015年的4670亿元提高到6871亿元,年均增长7.2%。", report_year=2021)
    avg = df[df.kind == "avg_growth"].iloc[0]
    assert (avg.period_start, avg.period_end) == (2016, 2020)  # base year 2015, last year 2020
    frm = df[df.kind == "from_to"].iloc[0]
    assert frm.value_from == 4670.0


def test_descriptors_are_not_claims():
    df = extract_claims("新增5亿元以上项目落地71个,建成2个5万吨兼靠7万吨级码头。", report_year=2022,
                        section="review")
    assert sorted(df["value"]) == [2.0, 71.0]

"""Report loading and claim extraction on the 2022 report."""

import random

import pandas as pd
import pytest

from linhai_analysis.claims.evaluation import extractor_quality, load_ground_truth
from linhai_analysis.claims.extract import CLAIM_COLUMNS, CLAIM_KINDS, extract_claims
from linhai_analysis.claims.text import load_report, parse_report
from linhai_analysis.data import paths
from linhai_analysis.errors import LinhaiError, ReportEncodingError


def test_chrome_is_stripped(report):
    assert report.paragraphs[0].text == "2022年临海市政府工作报告"
    assert report.paragraphs[-1].text.endswith("以优异成绩迎接党的二十大胜利召开!")
    body = "".join(p.text for p in report.paragraphs)
    for chrome in ("设为首页", "签到天数", "您需要登录", "Powered by", "客服中心"):
        assert chrome not in body
    assert report.year == 2022


def test_offsets_point_into_the_raw_text(report):
    for p in report.paragraphs:
        assert report.text[p.start:p.end] == p.text


def test_sections(report):
    heads = {p.section[0] for p in report.paragraphs if p.section}
    assert heads == {"一、过去五年工作回顾", "二、今后五年发展的总体目标和主要任务", "三、2022年工作安排",
                     "四、着力建设人民满意政府"}
    p = next(p for p in report.paragraphs if p.text.startswith("(一)致力工业强基"))
    assert p.section == ("三、2022年工作安排", "(一)致力工业强基,做大经济体量。")


def test_gb18030_report_reads_the_same(tmp_path, report):
    text = paths.REPORT_FILE.read_text(encoding="utf-8")
    f = tmp_path / "r.txt"
    f.write_bytes(text.encode("gb18030"))
    r = load_report(f)
    assert r.encoding == "gb18030"
    assert [p.text for p in r.paragraphs] == [p.text for p in report.paragraphs]


def test_undecodable_report_is_a_clear_error(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_bytes(b"\x82\xff\xfe\x00" * 10)
    with pytest.raises(ReportEncodingError, match="bad.txt.*UTF-8"):
        load_report(f)


def test_ground_truth_rows_are_at_their_spans(report):
    gt = load_ground_truth()
    assert len(gt) >= 60
    for r in gt.itertuples():
        assert report.text[r.span_start:r.span_end] == r.printed, r.gt_id


def test_quality_thresholds(claims):
    q, matched = extractor_quality(claims)
    assert q.headline_recall == 1.0, matched[matched.is_headline & matched.claim_id.eq("")]
    assert q.recall >= 0.9
    assert q.precision >= 0.9


def test_claims_columns_and_kinds(claims):
    assert list(claims.columns) == CLAIM_COLUMNS
    assert set(claims["kind"]) <= set(CLAIM_KINDS)
    assert claims["claim_id"].is_unique


def _one(claims, **kw):
    sel = claims
    for k, v in kw.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, sel
    return sel.iloc[0]


def test_joint_list_with_fenbie(claims):
    # 城镇、农村常住居民人均可支配收入分别为62993元和35367元,年均分别增长7.8%和9.1%
    u = _one(claims, indicator="urban_disposable_income", kind="avg_growth")
    r = _one(claims, indicator="rural_disposable_income", kind="avg_growth")
    assert (u.value, r.value) == (7.8, 9.1)
    assert (u.period_start, u.period_end) == (2017, 2021)
    assert _one(claims, indicator="rural_disposable_income", kind="level").value == 35367


def test_fiscal_pair(claims):
    # 财政总收入111.6亿元、一般公共预算收入66亿元,年均分别增长7.9%和8.0%
    assert _one(claims, indicator="fiscal_total_revenue", kind="avg_growth").value_text == "7.9"
    g = _one(claims, indicator="general_budget_revenue", kind="avg_growth")
    assert g.value_text == "8.0"  # printed precision kept
    assert _one(claims, indicator="general_budget_revenue", kind="level").value_text == "66"


def test_goals_and_targets(claims):
    gdp26 = _one(claims, indicator="gdp", kind="target_level")
    assert (gdp26.value, gdp26.comparator, gdp26.ref_year) == (1500.0, "≥", 2026)
    fai = _one(claims, indicator="fixed_asset_investment", kind="target_cumulative")
    assert (fai.value, fai.period_start, fai.period_end) == (2500.0, 2022, 2026)
    fiscal22 = _one(claims, indicator="fiscal_total_revenue", kind="target_growth")
    assert (fiscal22.value, fiscal22.comparator, fiscal22.ref_year) == (7.5, "≥", 2022)
    urban22 = _one(claims, indicator="urban_disposable_income", kind="target_growth")
    assert (urban22.value, urban22.comparator) == (8.0, "≥")  # 以上 after 8.5% covers both


def test_threshold_in_chinese_numerals(claims, report):
    t = _one(claims, indicator="industrial_output_above_scale", kind="threshold")
    assert t.value == 1000.0 and report.text[t.span_start:t.span_end] == "千亿大关"


def test_from_to_and_multiple(claims):
    hte = _one(claims, indicator="hightech_enterprises", kind="from_to")
    assert (hte.value_from, hte.value) == (85.0, 207.0)
    multiples = claims[(claims.kind == "multiple") & claims.indicator.isin(["loans_outstanding", "small_business_loans"])]
    assert len(multiples) == 2  # 分别较2021年实现翻番


def test_claims_cli_writes_required_columns(tmp_path):
    from linhai_analysis.cli import main

    out = tmp_path / "c.csv"
    assert main(["claims", str(paths.REPORT_FILE), "-o", str(out)]) == 0
    df = pd.read_csv(out, encoding="utf-8-sig")
    required = ["claim_id", "section", "indicator", "indicator_text", "kind", "value", "unit",
                "comparator", "ref_year", "period_start", "period_end", "span_start", "span_end", "text"]
    assert set(required) <= set(df.columns)
    assert len(df) > 100


@pytest.mark.filterwarnings("ignore::linhai_analysis.claims.extract.ReportStructureWarning")
def test_fuzz_never_raises_undocumented_errors():
    rng = random.Random(20220217)
    alphabet = list("地区生产总值增长年均分别为和、,,;;。%亿元万家个以上以内突破翻一番从到近约首次千百十") + list("0123456789.") + [" ", "\n", "“", "”", "(", ")"]
    for _ in range(3000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        try:
            df = extract_claims(s, report_year=rng.choice([None, 2022]))
        except LinhaiError:
            continue
        assert list(df.columns) == CLAIM_COLUMNS


def test_parse_report_without_title_takes_everything():
    r = parse_report("第一段。\n第二段有2家。", "t")
    assert [p.text for p in r.paragraphs] == ["第一段。", "第二段有2家。"] and r.year is None

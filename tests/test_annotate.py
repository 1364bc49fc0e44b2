"""The annotated report page, without a browser: one mark per claim, data attributes,
verdicts joined from the check tables, escaping, and the ``annotate`` command."""

import re

import pandas as pd
import pytest

from linhai_analysis.assess.reconcile import reconcile
from linhai_analysis.claims.extract import extract_claims
from linhai_analysis.claims.text import parse_report
from linhai_analysis.cli import main
from linhai_analysis.report.annotate import annotated_page, claim_checks, verdict_counts

MARK = re.compile(r"<mark\b[^>]*\bdata-claim-id='([^']*)'[^>]*\bdata-verdict='([^']*)'[^>]*>(.*?)</mark>", re.S)

# A report written for these tests (not data): title, a review with two figures, a goal.
TEXT = ("网站首页 登录\n2021年示例县政府工作报告\n一、过去五年工作回顾\n"
        "2020年,全县实现地区生产总值500亿元,年均增长6.5%;<b>&“示例”</b>。\n"
        "二、今后五年目标\n到2025年,地区生产总值达到800亿元。\n版权所有 Copyright\n")


@pytest.fixture(scope="module")
def small():
    report = parse_report(TEXT, "example.txt")
    claims = extract_claims(report)
    return report, claims


def test_one_mark_per_claim_with_its_span_text(small):
    report, claims = small
    assert len(claims) == 3  # 500亿元 (level), 6.5% (avg_growth), 800亿元 (target_level)
    page = annotated_page(report, claim_checks(claims), lang="en")
    marks = MARK.findall(page)
    assert [m[0] for m in marks] == list(claims["claim_id"])
    assert [m[2] for m in marks] == ["500亿元", "6.5%", "800亿元"]
    # no check table given: every claim is not_checkable, and still a mark
    assert {m[1] for m in marks} == {"not_checkable"}
    assert page.count("class='detail'") == 3
    assert "登录" not in page and "Copyright" not in page  # chrome stripped


def test_report_text_is_escaped(small):
    report, claims = small
    page = annotated_page(report, claim_checks(claims), lang="zh")
    assert "<b>&amp;“示例”</b>" not in page and "&lt;b&gt;&amp;“示例”&lt;/b&gt;" in page


def test_verdicts_come_from_the_tables(small):
    report, claims = small
    ids = list(claims["claim_id"])
    rec = pd.DataFrame([{"claim_id": ids[1], "verdict": "discrepancy", "claimed_low": 6.45, "claimed_high": 6.55,
                         "computed_low": 5.0, "computed_high": 5.1, "formula": "CAGR of levels 2015->2020",
                         "verdict_text": "discrepancy", "explanation": "off by -1.35 pp",
                         "inputs": "2015: 370亿元 (test_src, 2016-03-01, statistical_bulletin) | 2020: 500亿元"}])
    long = pd.DataFrame([
        {"target_id": ids[2], "model": m, "p_meet": p, "verdict": v, "reason": "r", "indicator": "gdp",
         "indicator_zh": "地区生产总值", "kind": "target_level", "target_year": 2025, "threshold": 800,
         "comparator": "=", "as_of": "2021-02-01", "n_points": 5, "required_growth_pct": 9.9,
         "historical_growth_pct": 6.0, "recent_growth_pct": 6.0, "recent_period": "2015-2020",
         "benchmark_breaks": ""}
        for m, p, v in (("required_growth", None, "above_trend"), ("ols", 0.30, "plausible"),
                        ("rw_drift", 0.10, "unlikely"), ("combined", 0.03, "implausible"))])
    checks = claim_checks(claims, reconciliation=rec, targets=long, lang="en")
    page = annotated_page(report, checks, lang="en")
    verdicts = {m[0]: m[1] for m in MARK.findall(page)}
    assert verdicts == {ids[0]: "not_checkable", ids[1]: "discrepancy", ids[2]: "implausible"}  # combined row wins
    assert checks[2].p == pytest.approx(0.03)
    # without the combined row the summary over the models speaks: they disagree
    no_comb = claim_checks(claims, reconciliation=rec, targets=long[long.model != "combined"], lang="en")
    assert no_comb[2].verdict == "models_disagree"
    detail = page[page.index("id='d1'"):page.index("id='d2'")]
    for text in ("[6.45, 6.55]", "[5, 5.1]", "CAGR of levels 2015-&gt;2020", "test_src, 2016-03-01, statistical_bulletin",
                 "off by -1.35 pp", "sheet reconciliation, row 2", "02_reconciliation.html"):
        assert text in detail, text
    assert verdict_counts(checks) == {"not_checkable": 1, "discrepancy": 1, "implausible": 1}
    assert "data-count-verdict='discrepancy'" in page and "data-flag='1'" in page


def test_marks_are_keyboard_reachable_and_the_page_is_offline(small):
    report, claims = small
    page = annotated_page(report, claim_checks(claims), lang="zh")
    assert page.count("tabindex='0'") == 3 and page.count("role='button'") == 3
    assert not re.search(r"(?:src|href)\s*=\s*['\"]?(?:https?:)?//", page)
    assert "<script src" not in page and "<link" not in page
    assert "下一个问题数字" in page and "Jump to next discrepancy" not in page
    assert "Jump to next discrepancy" in annotated_page(report, claim_checks(claims, lang="en"), lang="en")


def test_claims_on_the_same_words_get_one_mark_each():
    report = parse_report("2021年示例县政府工作报告\n一、过去五年工作回顾\n全县实现地区生产总值500亿元。\n", "x.txt")
    claims = extract_claims(report)
    twin = pd.concat([claims, claims.assign(claim_id="x-twin")], ignore_index=True)
    page = annotated_page(report, claim_checks(twin), lang="en")
    assert [m[0] for m in MARK.findall(page)] == [claims["claim_id"].iloc[0], "x-twin"]


def test_linhai_page_has_every_claim_and_the_exports_discrepancy(report, claims, obs):
    from linhai_analysis.data.vintage import Vintage

    rec = reconcile(claims, Vintage(obs, as_of="2022-02-17"))
    page = annotated_page(report, claim_checks(claims, reconciliation=rec, lang="zh"), lang="zh")
    marks = MARK.findall(page)
    assert len(marks) == len(claims) == len(set(m[0] for m in marks))
    by = {m[0]: (m[1], m[2]) for m in marks}
    # exports 2016->2021: (332.9/174.3)^(1/5)-1 = 13.8% a year against the printed 13.2%
    assert by["linhai_gwr_2022-008"] == ("discrepancy", "13.2%")
    # GDP 6.1% is real growth; only nominal levels exist
    assert by["linhai_gwr_2022-002"] == ("basis_mismatch", "6.1%")


def test_annotate_command_on_another_county(tmp_path, capsys):
    src = tmp_path / "other.txt"
    src.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["annotate", str(src), "--out", str(out), "--lang", "en"]) == 0
    page = (out / "annotated.html").read_text(encoding="utf-8")
    marks = MARK.findall(page)
    assert len(marks) == 3
    # no series for 示例县: the review figures are not checkable, the goal has no data to fit
    assert {m[1] for m in marks} <= {"not_checkable", "insufficient_data"}
    assert "No observations for 示例县" in page
    assert (out / "tables" / "claims.csv").is_file() and (out / "linhai_tables.xlsx").is_file()
    assert "3 claims annotated" in capsys.readouterr().out
    # a foreign non-empty folder is refused before anything is written
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["annotate", str(src), "--out", str(foreign)]) == 2
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]


def test_page_from_tables_reads_the_csv_formula_guard_back(small, tmp_path):
    from linhai_analysis.report.annotate import page_from_tables
    from linhai_analysis.report.tables import write_tables

    report, claims = small
    write_tables({"claims": claims}, tmp_path)  # the comparator "=" is written as "'=" (formula guard)
    page = page_from_tables(report, tmp_path, lang="en")
    assert "&#x27;=" not in page  # the value reads 500亿元, not '=500亿元
    assert len(MARK.findall(page)) == 3


def test_index_in_english_translates_findings_and_verdicts_and_links_annotated_first():
    from linhai_analysis.report.render import _index

    summary = pd.DataFrame([{"target_id": "t1", "indicator": "gdp", "indicator_zh": "地区生产总值", "kind": "target_level",
                             "target_year": 2026, "comparator": "≥", "threshold": 1500.0, "p_ols": 0.066,
                             "p_rw_drift": None, "p_anchored": 0.003, "required_growth_pct": 12.84,
                             "recent_growth_pct": 9.72, "recent_period": "2016-2021", "verdict": "x"}])
    rec = pd.DataFrame({"report": ["linhai_gwr_2022", "linhai_gwr_2017"], "verdict": ["not_checkable", "consistent"],
                        "independent": [False, False], "indicator": ["retail_sales"] * 2})
    params = {"as_of": "2022-02-17", "lang": "en", "user_series": [], "tables_dir": "tables"}
    pages = ["annotated.html", "01_claims.html"]
    en = _index(pages, params, {p: 1.0 for p in pages}, True, {"targets_summary": summary}, "en")
    assert "<html lang='en'>" in en and "GDP ≥1500 by 2026" in en and "地区生产总值" not in en
    assert re.findall(r'<li><a href="([^"]+)"', en)[0] == "annotated.html"
    over = _index(pages, params, {p: 1.0 for p in pages}, True, {"reconciliation": rec}, "en")
    assert "not checkable: 1" in over and "not_checkable" not in over
    assert "2022 report&#x27;s five-year review (1 figure)" in over and "2017 report&#x27;s five-year review" in over
    zh = _index(pages, params, {p: 1.0 for p in pages}, True, {"targets_summary": summary}, "zh")
    assert "地区生产总值 ≥1500 by 2026" in zh


def test_readable_replaces_codes_in_sentences():
    from linhai_analysis.report.annotate import readable

    assert readable("models disagree: ols plausible, rw_drift unlikely") == \
        "models disagree: log-linear trend plausible, random walk with drift unlikely"
    assert readable("no published level of exports_cny for 2016; anchored growth; tools") == \
        "no published level of Exports (CNY) for 2016; anchored growth; tools"

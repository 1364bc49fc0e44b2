"""Key findings and the display helper: sentences computed from tables, numbers shown by
meaning. Expected sentences are built from hand-checked table rows."""

import pandas as pd

from linhai_analysis.report.display import bullet_list, folded, show
from linhai_analysis.report.findings import (
    claims_findings,
    index_findings,
    reconciliation_findings,
    targets_findings,
    verdict_overview,
)


def test_claims_findings(claims):
    from linhai_analysis.claims.evaluation import extractor_quality

    q, _ = extractor_quality(claims)
    text = claims_findings(claims, q)
    by = claims["section_kind"].value_counts()
    assert text[0].startswith(f"The report makes {len(claims)} numeric claims: {by['review']} in the five-year review")
    assert f"{q.precision:.1%}" in text[1] and f"{q.recall:.1%}" in text[1]


def test_reconciliation_findings_by_hand():
    recon = pd.DataFrame([
        {"report": "r", "indicator": "exports_cny", "indicator_text": "出口", "kind": "avg_growth", "period_start": 2017,
         "period_end": 2021, "claimed": "13.2%", "computed_low": 13.806, "computed_high": 13.83, "verdict": "discrepancy",
         "gap": 0.556, "implied_revision_pct": 2.75, "independent": False, "implied_deflator_low": None,
         "implied_deflator_high": None, "deflator_band_low": None, "deflator_band_high": None},
        {"report": "r", "indicator": "retail_sales", "indicator_text": "社零", "kind": "avg_growth", "period_start": 2017,
         "period_end": 2021, "claimed": "3.8%", "computed_low": 3.82, "computed_high": 3.84, "verdict": "consistent",
         "gap": None, "implied_revision_pct": None, "independent": False, "implied_deflator_low": None,
         "implied_deflator_high": None, "deflator_band_low": None, "deflator_band_high": None},
        {"report": "r", "indicator": "gdp", "indicator_text": "GDP", "kind": "avg_growth", "period_start": 2017,
         "period_end": 2021, "claimed": "6.1%", "computed_low": 9.72, "computed_high": 9.72, "verdict": "basis_mismatch",
         "gap": None, "implied_revision_pct": None, "independent": False, "implied_deflator_low": 3.36,
         "implied_deflator_high": 3.46, "deflator_band_low": 0.23, "deflator_band_high": 4.40,
         "deflator_anchor_avg": 1.99, "deflator_anchor_years": "2017-2020",
         "benchmark_break": "before 4th economic census (2018) | after 4th economic census (2018)"},
        {"report": "r", "indicator": "retail_sales", "indicator_text": "社零", "kind": "level", "period_start": 2021,
         "period_end": 2021, "claimed": "269.5亿元", "computed_low": None, "computed_high": None,
         "verdict": "not_checkable", "gap": None, "implied_revision_pct": None, "independent": False},
    ])
    text = reconciliation_findings(recon)
    # 4 figures looked at, 3 checked, 1 not: the sentence never calls a not_checkable row checkable
    assert text[0] == ("The reconciliation looked at 4 review figures of the report: 3 could be checked "
                       "(1 discrepancy, 1 consistent, 1 basis mismatch) and 1 could not, for want of data; "
                       "the 1 that agree rest only on the government's own earlier reports.")
    assert "off by +0.56 pp" in text[1] and "+2.8%" in text[1]
    # average against average: (3.36 + 3.46) / 2 - 1.99 = 1.42 -> "1.4 pp", and no single-year range
    assert "average deflator of 3.36–3.46% a year; the national GDP deflator averaged 1.99% a year over " \
           "2017-2020, 1.4 pp less, a gap that points to the 2018 economic census" in text[2]
    assert "0.2–4.4" not in text[2] and "within" not in text[2]


def _summary():
    # by hand: combined = (0.066 + 0.003) / 2 = 0.0345 -> 3.5%, implausible (< 5%)
    return pd.DataFrame([
        {"target_id": "t1", "indicator": "gdp", "indicator_zh": "地区生产总值", "kind": "target_level",
         "target_year": 2026, "comparator": "≥", "threshold": 1500.0, "as_of": "2022-02-17", "p_ols": 0.066,
         "p_rw_drift": None, "p_anchored": 0.003, "p_combined": 0.0345, "verdict_label": "implausible",
         "required_growth_pct": 12.84, "recent_growth_pct": 9.72, "recent_period": "2016-2021", "verdict": "x"},
        {"target_id": "t2", "indicator": "fiscal_total_revenue", "indicator_zh": "财政总收入", "kind": "target_level",
         "target_year": 2026, "comparator": "≥", "threshold": 200.0, "as_of": "2022-02-17", "p_ols": None,
         "p_rw_drift": None, "p_anchored": 0.132, "p_combined": 0.132, "verdict_label": "unlikely",
         "required_growth_pct": 12.38, "recent_growth_pct": 7.87, "recent_period": "2016-2021", "verdict": "y"}])


def test_targets_findings_by_hand():
    robust = pd.DataFrame([{"target_id": "t1", "summary": "robust: implausible in all 6 ex-ante cells"}])
    (line,) = targets_findings(_summary().iloc[:1], robust)
    assert line == ("地区生产总值 ≥1500 by 2026: P = 3.5% combined (implausible); the models give 0.3% to 6.6% "
                    "(log-linear trend 6.6%, anchored growth 0.3%); it needs 12.8% a year against 9.7% over "
                    "2016-2021. Across samples and information sets up to the report date: robust: implausible "
                    "in all 6 ex-ante cells.")


def test_index_opens_with_one_probability_per_goal():
    out = index_findings({"targets_summary": _summary()})
    assert out[0] == ("The 2026 goals as judged on 2022-02-17: 地区生产总值 ≥1500 by 2026: P = 3.5% (models "
                      "0.3%–6.6%), implausible; 财政总收入 ≥200 by 2026: P = 13.2% (one model), unlikely.")
    assert not any("models disagree" in line or "not robust" in line for line in out)


def test_index_findings_from_tables():
    dec = pd.DataFrame({"year": [2022] * 4, "reference": ["全国"] * 4,
                        "component": ["escalation", "national_shortfall", "local_gap", "total"],
                        "pp": [-2.0, -2.5, 0.6, -3.9]})
    esc = pd.DataFrame({"year": [2022, 2022], "place": ["全国", "临海市"],
                        "target_available": ["2022-03-05", "2022-02-17"]})
    card = pd.DataFrame({"indicator": ["gdp", "exports_cny", "fixed_asset_investment"], "met": [False, True, None]})
    out = index_findings({"miss_decomposition": dec, "targets_2022": card, "target_escalation": esc})
    assert out == ["2022 targets: 2 of 3 have an outcome; 1 met (外贸自营出口总额).",  # a name, not the code
                   "Linhai's 2022 GDP miss of -3.9 pp: -2.0 pp from its target sitting above the national one "
                   "(the national target was announced on 2022-03-05, after Linhai's report of 2022-02-17), "
                   "-2.5 pp national shortfall, +0.6 pp local gap."]
    assert index_findings({}) == []


def test_verdict_overview_counts():
    rec = pd.DataFrame({"verdict": ["consistent", "consistent", "discrepancy"]})
    assert verdict_overview({"reconciliation": rec}) == {
        "Reconciliation, review figures (3 figures)": {"consistent": 2, "discrepancy": 1}}
    # the 2022 report's review and the 2017 one's are counted apart (28 and 6 rows, not 34)
    two = pd.DataFrame({"report": ["linhai_gwr_2022"] * 2 + ["linhai_gwr_2017"], "verdict": ["consistent"] * 3})
    assert verdict_overview({"reconciliation": two}) == {
        "Reconciliation, 2022 report's five-year review (2 figures)": {"consistent": 2},
        "Reconciliation, 2017 report's five-year review (1 figure)": {"consistent": 1}}


def test_show_formats_by_meaning():
    df = pd.DataFrame({"year": [2021.0, None], "p_ols": [0.0383257383388137, None], "required_growth_pct": [12.8408, -3.2],
                       "verdict": ["implausible", "discrepancy"], "value": [819.9, 1500.0], "note": ["a", None]})
    html = show(df).to_html()
    assert ">2021<" in html and "2021.0" not in html
    assert ">3.8%<" in html and "0.0383" not in html
    assert ">12.8<" in html and ">-3.2<" in html
    assert "NaN" not in html and "None" not in html and html.count(">—<") == 3
    assert "background-color: #fbd9d3" in html  # implausible and discrepancy as red labels
    assert "overflow-wrap: anywhere" not in html  # words and numbers never split in a cell


def test_show_formats_counts_and_misses_by_meaning():
    from linhai_analysis.report.display import number

    # a pivot of claim counts has a column named after the kind "share": 5 claims, not 500.0%
    html = show(pd.DataFrame({"section_kind": ["review"], "share": [5], "count": [28]})).to_html()
    assert ">5<" in html and "500" not in html and ">28<" in html
    # a miss of -0.04 pp rounds to 0.0, never "-0.0"; a level of 1,015,986 prints whole, not 1.01599e+06
    assert number(-0.04, "pct") == "0.0" and number(-3.94, "pct") == "-3.9"
    assert number(1015986.0) == "1,015,986" and number(-0.001) == "0"
    assert number(0.0383, "prob") == "3.8%" and number(5.0, "prob") == "5"


def test_show_headers_and_cells_never_show_internal_names():
    from linhai_analysis.report.labels import set_language

    df = pd.DataFrame({"indicator": ["exports_cny"], "p_rw_drift": [0.5], "implied_revision_pct": [2.75],
                       "verdict": ["not_checkable"], "model": ["rw_drift"], "place": ["全国"]})
    try:
        set_language("en")
        html = show(df).to_html()
        for name in ("exports_cny", "p_rw_drift", "implied_revision_pct", "not_checkable", ">rw_drift<", "全国"):
            assert name not in html, name
        assert "Exports (CNY)" in html and "P (random walk)" in html and "implied revision %" in html
        assert "not checkable" in html and "random walk with drift" in html and ">China<" in html
        set_language("zh")
        html = show(df).to_html()
        assert "外贸自营出口总额" in html and "无法核对" in html and "全国" in html
    finally:
        set_language("zh")


def test_show_caps_rows_and_says_so():
    html = show(pd.DataFrame({"x": range(10)}), max_rows=3, caption="c").to_html()
    assert "first 3 rows; 7 more in the CSV table" in html


def test_folded_and_bullets():
    df = pd.DataFrame({"verdict": ["not_checkable", "consistent"], "why": ["no 2016 level", "ok"]})
    html = folded(df, "verdict", value="not_checkable", columns=["why"], title="not checkable")
    assert "<details>" in html and "1 row(s)" in html and "no 2016 level" in html and "ok<" not in html
    assert bullet_list(["a", "b"]) == "- a\n- b"


def test_workbook_numbers_have_formats_by_meaning(tmp_path):
    from openpyxl import load_workbook

    from linhai_analysis.report.tables import merge_workbook

    pd.DataFrame({"claim_id": ["a", "b"], "value": [819.9, 62993.0], "span_start": [542, 672],
                  "share": [5, 0], "p_meet": [0.0383, 0.5], "gap_pct": [3.14159, -0.5],
                  "computed_low": [9.717493047930482, 1.0]}).to_csv(tmp_path / "claims.csv", index=False)
    wb = load_workbook(merge_workbook(tmp_path, tmp_path / "w.xlsx", sources=pd.DataFrame()))
    ws = wb["claims"]
    fmts = {ws.cell(1, j).value: ws.cell(2, j).number_format for j in range(1, ws.max_column + 1)}
    assert fmts == {"claim_id": "General", "value": "#,##0.00", "span_start": "#,##0", "share": "#,##0",
                    "p_meet": "0.0%", "gap_pct": "0.0", "computed_low": "#,##0.00"}
    # no decimal cell is left in General format (15 digits shown)
    decimals = [c for row in ws.iter_rows(min_row=2) for c in row
                if isinstance(c.value, float) and not float(c.value).is_integer()]
    assert decimals and all(c.number_format != "General" for c in decimals)

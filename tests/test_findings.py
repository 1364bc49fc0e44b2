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
         "implied_deflator_high": 3.46, "deflator_band_low": 0.23, "deflator_band_high": 4.40},
    ])
    text = reconciliation_findings(recon)
    assert text[0] == ("Of 3 checkable review figures of the report, 1 discrepancy, 1 consistent, 1 basis_mismatch; "
                       "the 1 that agree rest only on the government's own earlier reports.")
    assert "off by +0.56 pp" in text[1] and "+2.8%" in text[1]
    assert "deflator of 3.36–3.46% a year, within the 0.2–4.4% range" in text[2]


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
    assert out == ["2022 targets: 2 of 3 have an outcome; 1 met (exports_cny).",
                   "Linhai's 2022 GDP miss of -3.9 pp: -2.0 pp from its target sitting above the national one "
                   "(the national target was announced on 2022-03-05, after Linhai's report of 2022-02-17), "
                   "-2.5 pp national shortfall, +0.6 pp local gap."]
    assert index_findings({}) == []


def test_verdict_overview_counts():
    rec = pd.DataFrame({"verdict": ["consistent", "consistent", "discrepancy"]})
    assert verdict_overview({"reconciliation": rec}) == {"reconciliation": {"consistent": 2, "discrepancy": 1}}


def test_show_formats_by_meaning():
    df = pd.DataFrame({"year": [2021.0, None], "p_ols": [0.0383257383388137, None], "required_growth_pct": [12.8408, -3.2],
                       "verdict": ["implausible", "discrepancy"], "value": [819.9, 1500.0], "note": ["a", None]})
    html = show(df).to_html()
    assert ">2021<" in html and "2021.0" not in html
    assert ">3.8%<" in html and "0.0383" not in html
    assert ">12.8<" in html and ">-3.2<" in html
    assert "NaN" not in html and "None" not in html and html.count(">—<") == 3
    assert "background-color: #fbd9d3" in html  # implausible and discrepancy as red labels
    assert "overflow-wrap: anywhere" in html


def test_show_caps_rows_and_says_so():
    html = show(pd.DataFrame({"x": range(10)}), max_rows=3, caption="c").to_html()
    assert "first 3 rows; 7 more in the CSV table" in html


def test_folded_and_bullets():
    df = pd.DataFrame({"verdict": ["not_checkable", "consistent"], "why": ["no 2016 level", "ok"]})
    html = folded(df, "verdict", value="not_checkable", columns=["why"], title="not checkable")
    assert "<details>" in html and "1 row(s)" in html and "no 2016 level" in html and "ok<" not in html
    assert bullet_list(["a", "b"]) == "- a\n- b"

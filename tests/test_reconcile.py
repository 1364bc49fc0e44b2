"""Reconciliation: every verdict on synthetic cases and, where the data allow, on real data.
Expected real-data values are computed by hand in the comments."""

import pandas as pd
import pytest

from linhai_analysis.assess.reconcile import RESULT_COLUMNS, claims_from_table, reconcile
from linhai_analysis.data.load import assemble
from linhai_analysis.data.sources import load_other_report_claims
from linhai_analysis.data.vintage import Vintage


@pytest.fixture(scope="module")
def recon(claims, obs):
    return reconcile(claims, Vintage(obs))


def _row(recon, code, kind):
    sel = recon[(recon.indicator == code) & (recon.kind == kind)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_columns(recon):
    assert list(recon.columns) == RESULT_COLUMNS


def test_fiscal_total_revenue_is_consistent(recon):
    r = _row(recon, "fiscal_total_revenue", "avg_growth")
    # (111.6 / 76.4)^(1/5) - 1 = 7.873% -> rounds to the printed 7.9
    assert r.verdict == "consistent"
    assert r.computed_low == pytest.approx(7.850, abs=1e-3)
    assert r.sources == "linhai_gwr_2017;linhai_gwr_2022" and not r.independent


def test_general_budget_revenue_uses_the_old_name_as_base(recon):
    r = _row(recon, "general_budget_revenue", "avg_growth")
    # 2016 地方财政收入 44.9 -> 2021 一般公共预算收入 66: (66/44.9)^0.2 - 1 = 8.01% -> "8.0"
    assert r.verdict == "consistent"
    # "66" stands for [65.5, 66.5]: the computed interval is wide
    assert r.computed_high - r.computed_low == pytest.approx(0.375, abs=0.01)


def test_retail_sales_is_consistent(recon):
    # (269.5 / 223.3)^0.2 - 1 = 1.20690^0.2 - 1 = 3.83% -> "3.8"
    assert _row(recon, "retail_sales", "avg_growth").verdict == "consistent"


def test_exports_discrepancy_with_gap_and_back_cast(recon):
    r = _row(recon, "exports_cny", "avg_growth")
    # computed low: (332.85 / 174.35)^0.2 - 1 = 13.806%; claimed high 13.25 -> gap 0.556 pp
    assert r.verdict == "discrepancy"
    assert r.gap == pytest.approx(0.556, abs=0.002)
    assert r.gap_pct == pytest.approx(0.556 / 13.2 * 100, abs=0.05)
    # back-cast 2016: 332.9 / 1.132^5 = 179.10 against 174.3 published -> +2.75% revision
    assert r.implied_revision_pct == pytest.approx(2.75, abs=0.05)
    # the claim is below the yuan CAGR: an upward revision of the 2016 base points the right
    # way and is named; a US-dollar basis cannot be direction-checked without an exchange-rate
    # series, so it is not named as a cause
    assert "upward revision of the 2016 level by about 2.8%" in r.explanation
    assert "US-dollar basis is not named" in r.explanation
    assert "Candidate causes that point the right way: a currency" not in r.explanation


def test_gdp_real_claim_is_basis_mismatch_with_deflator(recon):
    r = _row(recon, "gdp", "avg_growth")
    # nominal (819.9/515.6)^0.2 - 1 = 9.72%; deflator 1.0972/1.061 - 1 = 3.41%
    assert r.verdict == "basis_mismatch"
    assert r.computed_low == pytest.approx(9.72, abs=0.01)
    assert r.implied_deflator_low < 3.41 < r.implied_deflator_high
    assert "comparable-price indices" in r.explanation and "2019" in r.explanation


def test_a_report_never_confirms_itself(recon):
    r = _row(recon, "gdp", "level")
    assert r.verdict == "not_checkable" and "report itself" in r.explanation
    assert pd.isna(r.computed_low)


def test_missing_base_names_the_gap_and_back_casts(recon):
    r = _row(recon, "urban_disposable_income", "avg_growth")
    assert r.verdict == "not_checkable"
    assert "2016" in r.explanation
    # 62993 / 1.078^5 = 62993 / 1.45914 = 43171 (lower edge uses 62992.5 and 7.85%)
    assert r.implied_base_low == pytest.approx(43170.6, abs=1)


def test_threshold_needs_the_missing_years(recon):
    r = _row(recon, "industrial_output_above_scale", "threshold")
    assert r.verdict == "not_checkable" and "2017, 2018, 2019, 2020" in r.explanation


def test_the_2017_report_runs_through_the_same_code(obs):
    r = reconcile(claims_from_table(load_other_report_claims()), Vintage(obs))
    assert len(r) == 6
    fiscal = r[r.indicator == "fiscal_total_revenue"].iloc[0]
    assert fiscal.verdict == "not_checkable" and "2011" in fiscal.explanation
    # partial evidence 2013 -> 2016: (76.4/58)^(1/3) - 1 = 9.62%
    assert "9.62%" in fiscal.explanation
    share = r[r.kind == "from_to"].iloc[0]
    assert share.verdict == "not_checkable" and "2011" in share.explanation


# --- synthetic cases: one per verdict -------------------------------------------------

def _synthetic(rows):
    cols = ["indicator", "label_as_printed", "year", "value", "unit", "growth_pct", "growth_basis",
            "comparator", "status", "source_id", "note"]
    sources = pd.DataFrame([
        {"source_id": "rep", "source_kind": "work_report", "title": "t", "publisher": "p", "url": "",
         "document_date": "2022-02-17", "note": ""},
        {"source_id": "yb", "source_kind": "yearbook", "title": "t", "publisher": "p", "url": "",
         "document_date": "2017-10-01", "note": ""}])
    raw = pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])
    return assemble(raw, sources)


def _claim(kind="avg_growth", value="10.0", indicator="retail_sales", **kw):
    base = {"claim_id": "c1", "report": "rep", "indicator": indicator, "indicator_text": "",
            "kind": kind, "value": float(value), "value_from": None, "value_text": value, "unit": "%",
            "comparator": "=", "ref_year": 2021, "period_start": 2017, "period_end": 2021}
    return pd.DataFrame([{**base, **kw}])


def _levels(v2016, v2021, indicator="retail_sales"):
    return _synthetic([(indicator, "", "2016", v2016, "亿元", "", "", "=", "", "yb", ""),
                       (indicator, "", "2021", v2021, "亿元", "", "", "=", "", "rep", "")])


def test_synthetic_consistent():
    # 100 -> 161.05 is exactly 10% a year (1.1^5 = 1.61051)
    r = reconcile(_claim(value="10.0"), Vintage(_levels("100.0", "161.05"))).iloc[0]
    assert r.verdict == "consistent" and r.independent


def test_synthetic_consistent_within_rounding():
    # point CAGR (161/100)^0.2 - 1 = 9.99% -> rounds to 10.0, so ask for "10.1":
    # interval of computed [(160.5/100.5)^.2-1, (161.5/99.5)^.2-1] = [9.81, 10.17] overlaps [10.05, 10.15]
    r = reconcile(_claim(value="10.1"), Vintage(_levels("100", "161"))).iloc[0]
    assert r.verdict == "consistent_within_rounding"


def test_synthetic_discrepancy():
    # (150/100)^0.2 - 1 = 8.45%, nowhere near 10%
    r = reconcile(_claim(value="10"), Vintage(_levels("100.0", "150.0"))).iloc[0]
    assert r.verdict == "discrepancy" and r.gap < 0


def test_synthetic_basis_mismatch_for_real_growth():
    obs = _levels("100.0", "161.05", indicator="gdp")
    r = reconcile(_claim(indicator="gdp", value="7.0"), Vintage(obs)).iloc[0]
    assert r.verdict == "basis_mismatch"
    # deflator: 1.10 / 1.07 - 1 = 2.80%
    assert (r.implied_deflator_low + r.implied_deflator_high) / 2 == pytest.approx(2.80, abs=0.05)


def test_synthetic_real_growth_from_chained_indices():
    rows = [("gdp", "", str(y), "", "亿元", g, "comparable", "=", "", "yb", "")
            for y, g in zip(range(2017, 2022), ["7.0", "7.0", "7.0", "7.0", "7.0"], strict=True)]
    r = reconcile(_claim(indicator="gdp", value="7.0"), Vintage(_synthetic(rows))).iloc[0]
    # five printed 7.0s: geometric mean of [6.95, 7.05] indices is [6.95, 7.05]; the chain
    # of the printed values is exactly 7.0, which rounds to the claim
    assert r.verdict == "consistent"
    assert r.computed_low == pytest.approx(6.95, abs=1e-9)


def test_synthetic_not_checkable_without_base():
    obs = _synthetic([("retail_sales", "", "2021", "161", "亿元", "", "", "=", "", "rep", "")])
    r = reconcile(_claim(), Vintage(obs)).iloc[0]
    assert r.verdict == "not_checkable" and "2016" in r.explanation


def test_synthetic_multiple():
    obs = _levels("100", "230", indicator="loans_outstanding")
    c = _claim(kind="multiple", value="2", indicator="loans_outstanding", value_text="翻一番", unit="倍",
               comparator="≥")
    assert reconcile(c, Vintage(obs)).iloc[0].verdict == "consistent"


def test_a_printed_lower_bound_is_an_exact_threshold():
    """突破16万 says at least 16万: a level of 15.8万 is a discrepancy, not 'within rounding'
    of the printed 16 (whose rounding interval starts at 15.5)."""
    from linhai_analysis.assess.reconcile import _Result, _verdict_from_intervals
    from linhai_analysis.models.growth import Interval, printed_interval

    claim = pd.Series({"comparator": "≥", "value_text": "16", "kind": "level", "unit": "万元"})
    claimed = printed_interval("16")  # [15.5, 16.5)
    below = _Result(formula="level as printed", computed=Interval(15.75, 15.85))
    _verdict_from_intervals(claim, claimed, below)
    assert below.verdict == "discrepancy"  # 15.85 < 16
    above = _Result(formula="level as printed", computed=Interval(16.175, 16.185))  # 16.18万 as printed
    _verdict_from_intervals(claim, claimed, above)
    assert above.verdict == "consistent"
    straddle = _Result(formula="level as printed", computed=Interval(15.95, 16.05))  # "16.0"
    _verdict_from_intervals(claim, claimed, straddle)
    assert straddle.verdict == "consistent_within_rounding"
    upper = pd.Series({"comparator": "≤", "value_text": "3.5", "kind": "level", "unit": "%"})
    over = _Result(formula="level as printed", computed=Interval(3.55, 3.65))  # "3.6" against 以内3.5
    _verdict_from_intervals(upper, printed_interval("3.5"), over)
    assert over.verdict == "discrepancy"

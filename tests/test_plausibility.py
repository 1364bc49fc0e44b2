"""Targets from claims, information sets, verdicts."""

import numpy as np
import pandas as pd
import pytest

from linhai_analysis.assess.plausibility import (
    TARGET_COLUMNS,
    judge_targets,
    summarize_targets,
    targets_from_claims,
)
from linhai_analysis.data.vintage import Vintage


@pytest.fixture(scope="module")
def judged(claims, vintage):
    return judge_targets(claims, vintage)


def _get(judged, code, kind, model):
    sel = judged[(judged.indicator == code) & (judged.kind == kind) & (judged.model == model)]
    assert len(sel) == 1
    return sel.iloc[0]


def test_targets_come_from_claims(claims):
    t = targets_from_claims(claims)
    goals = set(t.loc[t.ref_year == 2026, "indicator"])
    assert {"gdp", "fiscal_total_revenue", "fixed_asset_investment", "industrial_output_above_scale",
            "rd_intensity", "hightech_enterprises", "tech_smes", "loans_outstanding", "small_business_loans",
            "listed_companies", "urbanization_rate", "built_up_area", "port_throughput",
            "urban_unemployment_rate", "new_urban_jobs"} <= goals
    growth22 = t[(t.kind == "target_growth") & (t.ref_year == 2022)]
    assert len(growth22) == 8


def test_columns(judged):
    assert list(judged.columns) == TARGET_COLUMNS


def test_gdp_2026_required_growth_and_fit_window(judged):
    r = _get(judged, "gdp", "target_level", "required_growth")
    # (1500 / 819.9)^(1/5) - 1 = 12.84%; historical (819.9 / 328.01)^(1/11) - 1 = 8.69%
    assert r.required_growth_pct == pytest.approx(12.84, abs=0.01)
    assert r.historical_growth_pct == pytest.approx(8.69, abs=0.01)
    ols = _get(judged, "gdp", "target_level", "ols")
    assert (ols.n_points, ols.first_year, ols.last_year) == (6, 2010, 2021)
    assert 0 < ols.p_meet < 0.2


def test_fai_cumulative_is_basis_mismatch_not_a_probability(judged):
    for model in ("ols", "rw_drift"):
        r = _get(judged, "fixed_asset_investment", "target_cumulative", model)
        assert r.verdict == "basis_mismatch" and pd.isna(r.p_meet) and "2018" in r.reason


def test_real_growth_target_is_basis_mismatch(judged):
    r = _get(judged, "gdp", "target_growth", "ols")
    assert r.verdict == "basis_mismatch" and pd.isna(r.p_meet)


def test_two_points_give_insufficient_data(judged):
    r = _get(judged, "exports_cny", "target_growth", "rw_drift")
    assert r.verdict == "insufficient_data" and "2016, 2021" in r.reason and pd.isna(r.p_meet)


def test_nothing_after_as_of_leaks(claims, vintage, write_user):
    # a synthetic "future" yearbook row dated 2023 must not change a February-2022 fit
    future = write_user([{"year": "2022", "value": "2000", "source_id": "future_yb", "document_date": "2023-06-01"}])
    gdp = claims[claims["indicator"] == "gdp"]
    a = judge_targets(gdp, vintage)
    b = judge_targets(gdp, Vintage.load("2022-02-17", [future]))
    pd.testing.assert_frame_equal(a, b)
    c = judge_targets(gdp, Vintage.load("latest", [future]))
    assert not c.equals(a)


def test_cumulative_target_by_simulation():
    from linhai_analysis.assess.plausibility import _p_and_median
    from linhai_analysis.models.trend import fit

    # a synthetic series growing exactly 10% a year 2014-2021 with tiny noise
    years = np.arange(2014, 2022)
    noise = np.array([0.001, -0.001, 0.0005, -0.0005, 0.001, -0.001, 0.0005, 0.0])
    fc = fit("ols", years, 100 * 1.1 ** (years - 2014) * np.exp(noise))
    last = 100 * 1.1**7  # 194.87
    tgt = pd.Series({"kind": "target_cumulative", "ref_year": 2026, "period_start": 2022,
                     "value_canonical": 2500.0, "comparator": "≥", "value": 2500.0})
    p, median = _p_and_median(fc, tgt, last, seed=1)
    # sum over 2022..2026 of 194.87 * 1.1^k, k = 1..5: 194.87 * 6.71561 = 1308.7 -> far below 2500
    assert median == pytest.approx(1308.7, rel=0.01)
    assert p < 0.001


def test_summary_reports_agreement(judged):
    s = summarize_targets(judged)
    # industrial output has 3 levels (2013, 2016, 2021): no model gives a probability
    row = s[(s.indicator == "industrial_output_above_scale")].iloc[0]
    assert pd.isna(row.models_agree) and row.verdict.startswith("insufficient_data")
    gdp = s[(s.indicator == "gdp") & (s.kind == "target_level")].iloc[0]
    assert np.isfinite(gdp.p_ols) and np.isfinite(gdp.p_rw_drift)
    # OLS 6.6% and RW 17.3% are both "unlikely" (5-20%); the verdict is the combined one
    assert gdp.verdict.startswith(gdp.verdict_label + ": combined P")
    assert gdp.p_model_min <= gdp.p_combined <= gdp.p_model_max


def test_combined_row_is_the_mean_of_the_models_and_explains_them(judged):
    g = judged[(judged.indicator == "gdp") & (judged.kind == "target_level")].set_index("model")
    ps = [g.loc[m, "p_meet"] for m in ("ols", "rw_drift", "anchored")]
    assert all(np.isfinite(ps))
    # equal-weight linear pool: P = (p1 + p2 + p3) / 3
    assert g.loc["combined", "p_meet"] == pytest.approx(sum(ps) / 3, rel=1e-12)
    comb = g.loc["combined"]
    assert comb.verdict in ("implausible", "unlikely", "plausible", "likely")
    # each model's median growth a year from 819.9 (2021) to its 2026 median, recomputed here
    for m in ("ols", "rw_drift", "anchored"):
        growth = ((g.loc[m, "projected_median"] / 819.9) ** (1 / 5) - 1) * 100
        assert g.loc[m, "median_growth_pct"] == pytest.approx(growth, rel=1e-9)
        assert f"{growth:.1f}% a year" in comb.reason
    # the pooled median lies between the models' medians, its band spans theirs at least partly
    meds = [g.loc[m, "projected_median"] for m in ("ols", "rw_drift", "anchored")]
    assert min(meds) <= comb.projected_median <= max(meds)
    assert comb.band_80_low < comb.projected_median < comb.band_80_high
    assert "rw_drift" not in comb.reason and "ols" not in comb.reason  # words, not identifiers


def test_real_growth_target_is_compared_with_real_growth(judged):
    r = _get(judged, "gdp", "target_growth", "required_growth")
    # the report's own review: 2017-2021 GDP 年均增长6.1% (real); the target is 7.5% real
    assert r.recent_growth_pct == pytest.approx(6.1) and r.recent_period == "2017-2021"
    assert r.growth_basis.startswith("real") and r.required_growth_pct == pytest.approx(7.5)
    assert r.verdict == "above_trend"

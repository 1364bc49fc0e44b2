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
from linhai_analysis.data.load import observations


@pytest.fixture(scope="module")
def judged(claims, obs):
    return judge_targets(claims, obs)


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


def test_nothing_after_as_of_leaks(claims, obs, write_user):
    # a synthetic "future" yearbook row dated 2023 must not change a February-2022 fit
    future = write_user([{"year": "2022", "value": "2000", "source_id": "future_yb", "document_date": "2023-06-01"}])
    with_future = observations([future])
    a = judge_targets(claims, obs, as_of="2022-02-17")
    b = judge_targets(claims, with_future, as_of="2022-02-17")
    pd.testing.assert_frame_equal(a, b)
    c = judge_targets(claims, with_future, as_of="latest")
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
    # OLS 6.6% and RW 17.3% are both "unlikely" (5-20%): they agree
    assert gdp.models_agree and gdp.verdict.startswith("unlikely")

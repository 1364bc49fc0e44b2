"""Targets from claims, information sets, verdicts."""

import numpy as np
import pandas as pd
import pytest

from linhai_analysis.data import observations
from linhai_analysis.plausibility import (
    TARGET_COLUMNS,
    judge_targets,
    summarize_targets,
    targets_from_claims,
)


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


def test_cumulative_target_by_simulation(write_user, claims):
    # synthetic FAI 2018-2021 growing exactly 10% a year with tiny noise: the 2022-2026 sum is
    # 100*(1.1^1 + ... + 1.1^5) ~ 100 * 6.7156 = 671.6 (after 2021 = 100 * 1.1^3 = 133.1 ... scaled)
    levels = {2018: 100.0, 2019: 110.0 * 1.001, 2020: 121.0 * 0.999, 2021: 133.1}
    rows = [{"indicator": "fixed_asset_investment", "label_as_printed": "固定资产投资", "year": str(y),
             "value": f"{v:.3f}", "source_id": "test_fai"} for y, v in levels.items()]
    obs = observations([write_user(rows)])
    j = judge_targets(claims, obs, as_of="latest")
    r = j[(j.kind == "target_cumulative") & (j.model == "ols")].iloc[0]
    # sum over 2022..2026 of 133.1 * 1.1^k, k = 1..5: 133.1 * 6.71561 = 893.8 -> far below 2500
    assert r.projected_median == pytest.approx(893.8, rel=0.02)
    assert r.p_meet < 0.01 and r.verdict == "implausible"
    req = j[(j.kind == "target_cumulative") & (j.model == "required_growth")].iloc[0]
    # g with sum_{k=1..5} 133.1 (1+g)^k = 2500, i.e. sum (1+g)^k = 18.783;
    # at g = 0.48: 1.48 + 2.190 + 3.242 + 4.798 + 7.101 = 18.81 -> g just under 48%
    assert 47.5 < req.required_growth_pct < 48.0


def test_summary_reports_agreement(judged):
    s = summarize_targets(judged)
    row = s[(s.indicator == "industrial_output_above_scale")].iloc[0]
    assert row.models_agree and row.verdict.endswith("under every model")
    fiscal = s[(s.indicator == "fiscal_total_revenue") & (s.kind == "target_level")].iloc[0]
    # OLS P < 5% and RW P between 5% and 20% (see the fits): the verdict says they disagree
    assert not fiscal.models_agree and fiscal.verdict.startswith("models disagree")
    gdp = s[(s.indicator == "gdp") & (s.kind == "target_level")].iloc[0]
    assert np.isfinite(gdp.p_ols) and np.isfinite(gdp.p_rw_drift)

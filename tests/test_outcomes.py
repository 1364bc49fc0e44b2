"""Outcomes against the February-2022 fits. Hand arithmetic in the comments."""

import numpy as np
import pandas as pd
import pytest

from linhai_analysis.assess.outcomes import (
    OUTCOME_COLUMNS,
    SCORECARD_COLUMNS,
    benchmark_errors,
    score_outcomes,
    scorecard_2022,
    updated_probabilities,
)


@pytest.fixture(scope="module")
def card(claims, latest):
    return scorecard_2022(claims, latest).set_index("indicator")


def test_scorecard_columns(card):
    assert list(card.reset_index().columns) == SCORECARD_COLUMNS


def test_fiscal_growth_computed_from_levels(card):
    r = card.loc["fiscal_total_revenue"]
    # 104.5 / 111.6 - 1 = -6.362%; target 7.5% -> missed by 13.86 pp
    assert r.realized_growth_pct == pytest.approx(-6.362, abs=1e-3)
    assert r.gap_pp == pytest.approx(-13.862, abs=1e-3)
    assert r.met is False or r.met == False  # noqa: E712
    assert "computed from levels" in r.basis


def test_printed_growth_used_where_printed(card):
    assert card.loc["gdp", "realized_growth_pct"] == 3.6 and "comparable" in card.loc["gdp", "basis"]
    assert card.loc["exports_cny", "met"] == True  # noqa: E712  6.8% >= 6%
    assert card.loc["retail_sales", "gap_pp"] == pytest.approx(4.2 - 6.5)


def test_missing_outcome_is_a_gap(card):
    r = card.loc["fixed_asset_investment"]
    assert pd.isna(r.realized_growth_pct) and r.met is None and "no 2022 figure" in r.basis


@pytest.fixture(scope="module")
def outcomes(vintage, latest):
    return score_outcomes(vintage, latest)


def test_outcome_columns(outcomes):
    assert list(outcomes.columns) == OUTCOME_COLUMNS


def test_lower_bound_scored_as_bound(outcomes):
    b = outcomes[(outcomes.indicator == "gdp") & (outcomes.year == 2025)]
    assert set(b.model) == {"ols", "rw_drift", "anchored", "combined"}
    assert b["pit"].isna().all() and b["error_pct"].isna().all()
    assert ((b["p_exceed_bound"] > 0) & (b["p_exceed_bound"] < 1)).all()


def test_pit_and_bands_agree(outcomes):
    exact = outcomes[outcomes.comparator == "="]
    inside50 = (exact.pit >= 0.25) & (exact.pit <= 0.75)
    assert (inside50 == exact.in_band_50.astype(bool)).all()
    inside95 = (exact.pit >= 0.025) & (exact.pit <= 0.975)
    assert (inside95 == exact.in_band_95.astype(bool)).all()


def test_error_pct_definition(outcomes):
    r = outcomes[(outcomes.indicator == "gdp") & (outcomes.year == 2022) & (outcomes.model == "ols")].iloc[0]
    assert r.error_pct == pytest.approx((r.ex_ante_median / 878.5 - 1) * 100)


@pytest.fixture(scope="module")
def bench(claims, vintage, latest):
    return benchmark_errors(claims, vintage, latest)


def test_benchmarks_by_hand(bench):
    points, summary = bench
    naive = points[(points.method == "naive_last") & (points.indicator == "gdp") & (points.year == 2022)]
    # no change from 819.9: |ln(819.9 / 878.5)| = ln(1.071472) = 0.06903
    assert naive.iloc[0].abs_log_error == pytest.approx(0.06903, abs=1e-4)
    # fiscal revenue has 4 levels: fewer than 3 residual degrees of freedom, so no trend model is
    # scored there; the fiscal model (anchored) and the naive methods are
    fiscal = set(points.loc[points.indicator == "fiscal_total_revenue", "method"])
    assert not fiscal & {"ols", "rw_drift"} and {"anchored", "naive_last"} <= fiscal
    path = points[(points.method == "target_path") & (points.indicator == "gdp") & (points.year == 2022)]
    # 819.9 * (1500/819.9)^(1/5) = 819.9 * 1.12841 = 925.2
    assert path.iloc[0].forecast == pytest.approx(925.2, abs=0.2)
    assert set(summary.method) == {"ols", "rw_drift", "anchored", "combined", "naive_last", "last_cagr",
                                   "target_path"}
    assert np.isclose(summary.set_index("method").loc["naive_last", "male"],
                      points[points.method == "naive_last"].abs_log_error.mean())


@pytest.fixture(scope="module")
def updated(claims, vintage, latest):
    return updated_probabilities(claims, vintage, latest)


def test_updated_probabilities_side_by_side(updated):
    u = updated.set_index("indicator")
    assert {"p_combined_2022-02-17", "p_combined_latest", "p_model_min_latest"} <= set(u.columns)
    assert (u["target_year"] == 2026).all()
    # more data, all below trend: the GDP goal became less likely
    assert u.loc["gdp", "p_combined_latest"] < u.loc["gdp", "p_combined_2022-02-17"]
    assert u.loc["gdp", "n_points_latest"] == 8  # + 2022 and 2024; 2025 is only a lower bound


def test_findings_sentences(claims, latest, outcomes, bench, updated):
    from linhai_analysis.assess.outcomes import findings

    card = scorecard_2022(claims, latest)
    f = findings(card, outcomes, bench[1], updated)
    # by hand from the scorecard: GDP 3.6 < 7.5, fiscal -6.4 < 7.5, budget -5.9 < 7.5, exports 6.8 >= 6,
    # retail 4.2 < 6.5, urban 4.4 < 8, rural 5.4 < 8.5; fixed-asset investment has no 2022 figure
    assert f[0] == ("Of the 8 growth targets for 2022, 7 have a published outcome; 1 met (exports_cny), "
                    "6 missed; no outcome for fixed_asset_investment.")
    assert f[1].startswith("The largest shortfall is fiscal_total_revenue: -6.4%")
    assert any(s.startswith("P(地区生产总值 ≥1500 by 2026, combined)") for s in f)
    # two realized years are too few to name a most accurate method
    assert not any("most accurate was" in s for s in f)
    assert any("2 year(s): too few to call any method the most accurate" in s for s in f)


def test_benchmark_summary_compares_on_common_points(bench):
    _, summary = bench
    naive = summary.set_index("method").loc["naive_last"]
    # every method forecast GDP 2022 and 2024: no change from 819.9 ->
    # (|ln(819.9/878.5)| + |ln(819.9/971.68)|) / 2 = (0.069032 + 0.169850) / 2 = 0.119441
    assert naive["n_common"] == 2 and naive["years_common"] == 2
    assert naive["male_common"] == pytest.approx(0.119441, abs=1e-5)
    assert list(summary["male_common"]) == sorted(summary["male_common"])

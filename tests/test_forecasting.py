"""Issue 11: the anchored model, proper scores, the rolling backtest, sensitivity and goal
drift. Expected numbers are worked by hand or come from closed forms."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from linhai_analysis.assess.backtest import (
    backtest,
    brier_scores,
    common_pool,
    crps_normal,
    crps_t,
    naive_forecast,
    summarize_backtest,
)
from linhai_analysis.assess.plausibility import judge_targets, summarize_targets, usable_series
from linhai_analysis.assess.sensitivity import (
    SAMPLES,
    as_of_grid,
    goal_drift,
    robustness,
    sensitivity,
)
from linhai_analysis.data.anchors import load_anchor_targets, load_forecasts
from linhai_analysis.data.vintage import Vintage
from linhai_analysis.models.anchored import (
    AnchorInputs,
    anchor_path,
    fit_anchored,
    p_growth_at_least,
)
from linhai_analysis.models.trend import verdict_from_p


@pytest.fixture(scope="module")
def anchors(obs):
    return AnchorInputs(obs, load_anchor_targets(), load_forecasts())


@pytest.fixture(scope="module")
def latest(obs):
    return Vintage(obs, load_anchor_targets(), load_forecasts(), None)


@pytest.fixture(scope="module")
def vint(latest):
    return latest.at("2022-02-17")


# --- proper scores --------------------------------------------------------------------------------

@pytest.mark.parametrize("y,mu,sigma", [(0.0, 0.0, 1.0), (1.3, 0.2, 0.5), (-2.0, 1.0, 2.0)])
def test_crps_matches_the_normal_closed_form_and_the_integral(y, mu, sigma):
    # CRPS = ∫ (F(x) - 1{x >= y})² dx, computed numerically, against the closed form
    f = lambda x: (stats.norm.cdf(x, mu, sigma) - (x >= y)) ** 2  # noqa: E731
    numeric = integrate.quad(f, -np.inf, y)[0] + integrate.quad(f, y, np.inf)[0]
    assert float(crps_normal(y, mu, sigma)) == pytest.approx(numeric, rel=1e-6)
    # at y = mu the closed form is sigma (sqrt(2) - 1) / sqrt(pi) * ... : 2φ(0) - 1/√π = (√2 - 1)/√π
    if y == mu:
        assert float(crps_normal(y, mu, sigma)) == pytest.approx(sigma * (math.sqrt(2) - 1) / math.sqrt(math.pi))


def test_crps_of_a_t_tends_to_the_normal_and_matches_its_integral():
    f = lambda x: (stats.t.cdf((x - 0.1) / 0.3, 4) - (x >= 0.5)) ** 2  # noqa: E731
    numeric = integrate.quad(f, -np.inf, 0.5, limit=200)[0] + integrate.quad(f, 0.5, np.inf, limit=200)[0]
    assert float(crps_t(0.5, 0.1, 0.3, 4)) == pytest.approx(numeric, rel=1e-5)
    assert float(crps_t(0.7, 0.0, 1.0, 1e6)) == pytest.approx(float(crps_normal(0.7, 0.0, 1.0)), rel=1e-4)
    with pytest.raises(ValueError):
        crps_t(0.0, 0.0, 1.0, 1.0)


# --- the anchored model ----------------------------------------------------------------------------

def _panel(gap: float, years=range(2010, 2022), seed=0):
    """Synthetic observations: a nation growing 6%, a county growing 6% + gap (real,
    printed), and county nominal levels; no anchor targets, forecasts or deflator data."""
    rng = np.random.default_rng(seed)
    rows = []
    level = 100.0
    for y in years:
        nat = 6.0 + rng.normal(0, 0.3)
        cty = nat + gap + rng.normal(0, 0.3)
        level *= 1 + cty / 100
        for place, g, lv in (("全国", nat, None), ("临海市", cty, level)):
            rows.append({"place": place, "indicator": "gdp", "year": y, "value": lv, "growth_pct": round(g, 3),
                         "growth_basis": "comparable", "comparator": "=", "source_precedence": 1,
                         "available_date": f"{y + 1}-03-01", "is_preferred": lv is not None,
                         "benchmark": "", "source_id": "synthetic", "status": "final"})
    return pd.DataFrame(rows)


def _empty_targets():
    return load_anchor_targets().iloc[:0]


def _empty_forecasts():
    return load_forecasts().iloc[:0]


def _synthetic(obs):
    return Vintage(obs, _empty_targets(), _empty_forecasts(), None)


def test_a_synthetic_panel_recovers_the_gap():
    obs = _panel(gap=1.5)
    county = obs[(obs.place == "临海市")]
    fc = fit_anchored(_synthetic(obs), "gdp", county.year, county.value, horizon=2024)
    # 12 years of gaps around 1.5 with sd 0.3: the shrunk estimate is within 0.3 of 1.5
    assert fc.params["gap_n"] == 12
    assert fc.params["gap"] == pytest.approx(1.5, abs=0.3)
    # the shrinkage is toward zero and small with 12 years: |shrunk| <= |raw mean|
    assert abs(fc.params["gap"]) <= abs(fc.params["gap_raw_mean"]) + 1e-12
    # no forecasts or targets: the path is the mean of the last five realized national years
    assert set(fc.params["path_source"].values()) == {"mean of the last five realized years", "carried forward"}


def test_no_gap_data_means_no_gap():
    obs = _panel(gap=1.5)
    obs = obs[~((obs.place == "临海市") & obs.value.isna())]
    obs.loc[obs.place == "临海市", "growth_pct"] = np.nan
    county = obs[obs.place == "临海市"]
    fc = fit_anchored(_synthetic(obs), "gdp", county.year, county.value, horizon=2023)
    assert fc.params["gap"] == 0.0 and fc.params["gap_n"] == 0


def test_anchored_80_band_is_calibrated_on_its_own_assumptions():
    """2,000 seeded worlds drawn from the model's assumptions: a county gap (drawn from
    the prior), persistent yearly gap deviations and anchor-path errors (AR(1), rho 0.6)
    of known size, a handful of past gap-years. Each world is fitted with the model's
    own numeric core (anchor scale: its AR(1) prior at the true yearly sd, no replay
    windows, so df 3) and its 80% band for the level 5 years ahead is checked against
    the outcome. The band is a t with 3 df on purpose (few windows), so coverage may sit
    a little above 80%."""
    from linhai_analysis.models.anchored import anchored_forecast

    rng = np.random.default_rng(20220217)
    s_gap, s_anchor, rho, runs, h, hits = 1.0, 1.0, 0.6, 2000, 5, 0

    def ar1(n):
        x = np.empty(n)
        x[0] = rng.normal()
        for k in range(1, n):
            x[k] = rho * x[k - 1] + rng.normal() * math.sqrt(1 - rho**2)
        return x

    for _ in range(runs):
        gap = rng.normal(0, s_gap)  # the prior the model assumes (unit information, scale s0)
        n = int(rng.integers(2, 7))
        gaps = gap + s_gap * ar1(n)
        path = {2021 + k: 5.0 for k in range(1, h + 1)}
        fc = anchored_forecast([2021], [800.0], gaps=gaps, own_growth=[s_gap * z for z in rng.normal(0, 1, 10)],
                               path=path, tau=0.3, rho_gap=rho, anchor_prior_sd=s_anchor)
        realized_growth = 5.0 + s_anchor * ar1(h) + gap + s_gap * ar1(h)
        level = 800.0 * np.prod(1 + realized_growth / 100)
        lo, hi = fc.band(2021 + h, 0.8)
        hits += bool(lo <= level <= hi)
    coverage = hits / runs
    assert 0.72 <= coverage <= 0.90, coverage
    print(f"anchored 80% coverage in {runs} simulated worlds: {coverage:.3f}")


def test_anchored_fit_on_linhai_uses_only_what_was_known(vint):
    s = usable_series(vint, "gdp")
    fc = fit_anchored(vint, "gdp", s.years, s.values, horizon=2026)
    src = fc.params["path_source"]
    # January-2022 WEO for 2022 and 2023 (4.8, 5.2); nothing later known: carried forward
    assert fc.params["path_growth"][2022] == 4.8 and src[2022] == "IMF WEO"
    assert fc.params["path_growth"][2023] == 5.2 and src[2023] == "IMF WEO"
    assert src[2026] == "carried forward"
    # gaps where both real rates are printed by then: 2013 8.0 - 7.7 (national first release,
    # added 2026-12-01), 2015 7.2 - 6.9, 2018 7.0 - 6.6: mean (0.3 + 0.3 + 0.4) / 3 = 1/3
    assert fc.params["gap_n"] == 3 and fc.params["gap_raw_mean"] == pytest.approx(1 / 3)
    assert fc.df >= 3  # never a t with 1 or 2 df


def test_a_forecast_published_after_as_of_changes_nothing(vint):
    late = vint.forecasts.iloc[:1].copy()
    late["target_year"], late["value"], late["available_date"], late["release_date"] = 2024, 99.0, "2030-01-01", "2030-01-01"
    more = Vintage(vint.observations, vint.targets, pd.concat([vint.forecasts, late], ignore_index=True), vint.as_of)
    s = usable_series(vint, "gdp")
    a = fit_anchored(vint, "gdp", s.years, s.values, horizon=2026)
    b = fit_anchored(more, "gdp", s.years, s.values, horizon=2026)
    assert a.p_at_least(2026, 1500) == b.p_at_least(2026, 1500)
    assert a.params["path_growth"] == b.params["path_growth"]


def test_anchor_path_precedence(latest):
    # latest: 2022-2025 realized national growth, 2026 the July-2025 WEO (4.2)
    path, src = anchor_path(latest, [2022, 2025, 2026], "全国", "gdp", True)
    assert path == [3.0, 5.0, 4.2] and src == ["realized", "realized", "IMF WEO"]
    # as of 2016-06-01: the April-2016 WEO (6.2 for 2017, dated the last day of April) is
    # known; nothing for 2020: the 13th plan's 6.5% average covers it
    path, src = anchor_path(latest.at("2016-06-01"), [2017, 2020], "全国", "gdp", True)
    assert path == [6.2, 6.5] and src == ["IMF WEO", "five-year plan"]


def test_anchored_judges_the_real_gdp_growth_target(vint, claims):
    j = judge_targets(claims[claims.indicator == "gdp"], vint)
    r = j[(j.indicator == "gdp") & (j.kind == "target_growth") & (j.model == "anchored")].iloc[0]
    assert 0 < r.p_meet < 0.2  # 7.5% against an IMF path of 4.8% plus a small gap
    s = usable_series(vint, "gdp").keep(usable_series(vint, "gdp").years < 2022)
    fc = fit_anchored(vint, "gdp", s.years, s.values, horizon=2022)
    assert r.p_meet == pytest.approx(p_growth_at_least(fc, 2022, 7.5))


# --- backtest -----------------------------------------------------------------------------------------

def test_naive_benchmarks_have_distributions():
    fc = naive_forecast("no_change", [2010, 2011, 2012, 2013], [100, 110, 121, 133.1])
    # zero drift; sigma2 = mean of d^2 = ln(1.1)^2
    assert float(fc.median(2015)) == pytest.approx(133.1)
    assert fc.params["sigma2"] == pytest.approx(math.log(1.1) ** 2)
    g = naive_forecast("last_cagr", [2010, 2011, 2012, 2013], [100, 110, 121, 133.1])
    assert float(g.median(2015)) == pytest.approx(133.1 * 1.21)


@pytest.fixture(scope="module")
def bt(latest):
    return backtest(latest)


def test_backtest_table_and_summary(bt):
    assert list(bt.columns[:15]) == ["series", "place", "level", "model", "as_of", "year", "horizon", "realized",
                                     "median", "pit", "in_band_50", "in_band_80", "in_band_95", "crps", "log_score"]
    assert {"ols", "rw_drift", "anchored", "no_change", "last_cagr", "combined"} <= set(bt.model)
    assert (bt.horizon >= 1).all() and bt.pit.between(0, 1).all()
    # every origin is an information set: nothing at or before the last fitted year is scored
    assert (pd.to_datetime(bt.as_of).dt.year <= bt.year + 1).all()
    s = summarize_backtest(bt)
    assert list(s.columns) == ["model", "horizon", "n", "effective_n", "coverage_50", "coverage_80",
                               "coverage_95", "crps_mean", "log_score_mean"]
    pooled = s[s.horizon == "all"].set_index("model")
    assert pooled.loc["anchored", "n"] == (bt.model == "anchored").sum()
    assert pooled.loc["anchored", "effective_n"] <= pooled.loc["anchored", "n"]


def test_backtest_scores_by_hand(latest):
    # one series, one origin, the no-change model: Linhai GDP as of 2022-02-17, realized 2022 = 878.5
    bt = backtest(latest, series=(("临海市", "gdp"),), models=("no_change",), since="2022-02-17")
    r = bt[(bt.as_of == "2022-02-17") & (bt.year == 2022)].iloc[0]
    assert r["median"] == pytest.approx(819.9)
    s = usable_series(latest.at("2022-02-17"), "gdp")
    fc = naive_forecast("no_change", s.years, s.values, s.segments)
    loc, scale = fc.loc_scale(2022)
    z = (math.log(878.5) - float(loc)) / float(scale)
    assert r.pit == pytest.approx(stats.t.cdf(z, fc.df))
    assert r.crps == pytest.approx(float(crps_t(math.log(878.5), float(loc), float(scale), fc.df)))


def test_common_pool_compares_like_with_like(bt):
    c = common_pool(bt)
    key = ["place", "series", "as_of", "year"]
    assert (c.groupby(key)["model"].nunique() == bt["model"].nunique()).all()


def test_brier_score_by_hand():
    judged = pd.DataFrame({"kind": ["target_growth"] * 3, "model": ["ols", "ols", "anchored"],
                           "indicator": ["a", "b", "a"], "p_meet": [0.7, 0.2, 0.1]})
    card = pd.DataFrame({"indicator": ["a", "b"], "met": [False, True]})
    b = brier_scores(judged, card).set_index("model")
    # ols: ((0.7 - 0)^2 + (0.2 - 1)^2) / 2 = (0.49 + 0.64) / 2 = 0.565; anchored: 0.1^2 = 0.01
    assert b.loc["ols", "brier"] == pytest.approx(0.565)
    assert b.loc["anchored", "brier"] == pytest.approx(0.01)
    # references: a flat 50% forecast always scores 0.25; the base rate of ols's two targets is
    # 1/2 -> (0.5 - 0)^2 and (0.5 - 1)^2 -> 0.25; anchored's one target (missed): base rate 0 -> 0
    assert (b["brier_flat"] == 0.25).all()
    assert b.loc["ols", "base_rate"] == 0.5 and b.loc["ols", "brier_base_rate"] == pytest.approx(0.25)
    assert b.loc["anchored", "brier_base_rate"] == pytest.approx(0.0)


# --- sensitivity and goal drift ------------------------------------------------------------------------

def test_as_of_grid(latest):
    grid = as_of_grid(latest, "gdp")
    assert grid[:2] == ["2021-12-31", "2022-02-17"] and grid[-1] == "latest"
    assert "2023-02-08" in grid and "2025-03-05" in grid


def test_sensitivity_grid_and_robustness(latest, claims):
    sens = sensitivity(claims, latest)
    assert list(sens.columns) == ["target_id", "indicator", "threshold", "as_of", "period", "sample", "model",
                                  "p_meet", "verdict"]
    assert set(sens.indicator) == {"gdp", "fiscal_total_revenue"}  # the goals that get a probability
    assert set(sens["sample"]) == set(SAMPLES) and set(sens.model) == {"ols", "rw_drift", "anchored", "combined"}
    # only the information sets up to the report date are ex ante
    assert set(sens.loc[sens.period == "ex_ante", "as_of"]) == {"2021-12-31", "2022-02-17"}
    gdp = sens[sens.indicator == "gdp"]
    # dropping the third-party 2010 level leaves 5 points in 2 segments: OLS has 2 df -> no P
    cell = gdp[(gdp.as_of == "2022-02-17") & (gdp["sample"] == "without_third_party") & (gdp.model == "ols")]
    assert cell.p_meet.isna().all()
    rb = robustness(sens).set_index("indicator")
    ex = sens[(sens.indicator == "gdp") & (sens.period == "ex_ante") & (sens.model == "combined")].p_meet.dropna()
    # robust means: every ex-ante combined cell in one band; later cells never count against it
    assert bool(rb.loc["gdp", "robust"]) == (len({verdict_from_p(p) for p in ex}) == 1)
    assert rb.loc["gdp", "p_min"] == pytest.approx(ex.min()) and rb.loc["gdp", "p_max"] == pytest.approx(ex.max())
    assert "updating with later data" in rb.loc["gdp", "summary"]


def test_robustness_by_hand_ignores_cells_after_the_report():
    # ex ante: combined 8%, 12% (both "unlikely") and one cell without P; single models 3% and 15%;
    # updating (later information sets): 0.5% and 40% -- shown, never counted
    sens = pd.DataFrame({
        "target_id": ["t"] * 7, "indicator": ["gdp"] * 7, "threshold": [1500] * 7,
        "as_of": ["2021-12-31", "2022-02-17", "2022-02-17", "2022-02-17", "2022-02-17", "2023-02-08", "latest"],
        "period": ["ex_ante"] * 5 + ["updating"] * 2,
        "model": ["combined", "combined", "combined", "ols", "rw_drift", "combined", "combined"],
        "p_meet": [0.08, 0.12, np.nan, 0.03, 0.15, 0.005, 0.40]})
    r = robustness(sens).iloc[0]
    assert bool(r.robust) and r.verdicts == "unlikely" and r.cells_with_p == 2 and r.cells == 3
    assert (r.p_min, r.p_max) == (0.08, 0.12)
    assert r.model_cells_in_band == 1 and r.model_cells == 2  # 15% is unlikely, 3% is not
    assert (r.p_updating_min, r.p_updating_max) == (0.005, 0.40)
    assert "robust: unlikely" in r.summary and "1 of 3 ex-ante cells give none" in r.summary
    assert "by information set: 2021-12-31 8.0%, 2022-02-17 12.0%" in r.summary
    # the same cells with the 40% moved before the report date are not robust
    moved = sens.assign(period=["ex_ante"] * 6 + ["updating"])
    moved = sens.assign(period=["ex_ante"] * 5 + ["updating", "ex_ante"])
    assert not bool(robustness(moved).iloc[0].robust)


def test_goal_drift_by_hand(latest, claims):
    d = goal_drift(claims, latest)
    g = d[d.indicator == "gdp"].set_index("release_year")
    # (1500/819.9)^(1/5) - 1 = 12.84%; (1500/878.5)^(1/4) - 1 = 14.31%; (1500/971.68)^(1/2) - 1 = 24.25%
    assert g.loc[2021, "required_growth_pct"] == pytest.approx(12.84, abs=0.01)
    assert g.loc[2022, "required_growth_pct"] == pytest.approx(14.31, abs=0.01)
    assert g.loc[2024, "required_growth_pct"] == pytest.approx(24.25, abs=0.01)
    # 2025 is only a lower bound (突破千亿): at most (1500/1000) - 1 = 50%
    assert g.loc[2025, "required_growth_pct"] == pytest.approx(50.0) and g.loc[2025, "bound"] == "at most"
    assert "later benchmark" in g.loc[2024, "note"]


def test_summary_carries_the_anchored_probability(vint, claims):
    s = summarize_targets(judge_targets(claims[claims.indicator == "gdp"], vint))
    gdp = s[(s.indicator == "gdp") & (s.kind == "target_level")].iloc[0]
    assert 0 <= gdp.p_anchored < 0.05


def test_a_realized_anchor_year_carries_no_anchor_error(latest):
    s = usable_series(latest, "gdp")
    fc = fit_anchored(latest, "gdp", s.years, s.values, horizon=2026)
    # last level 2024; 2025 national growth is published (5.0), 2026 is the July-2025 WEO
    assert fc.params["path_source"][2025] == "realized"
    assert fc.params["s2_anchor_by_lead_pp2"][0] == 0.0 and fc.params["s2_anchor_by_lead_pp2"][1] > 0
    # replayed errors by lead: a path's second unreleased year errs more than its first
    sc = fc.params["anchor_scale"].set_index("h")
    assert sc.loc[2, "yearly"] > sc.loc[1, "yearly"]

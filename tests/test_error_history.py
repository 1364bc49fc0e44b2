"""Issue 18: uncertainty of cumulative growth from long error histories, with persistence.
Expected numbers are worked by hand in the comments or follow from a simulation whose
truth is known."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from linhai_analysis.data.vintage import Vintage
from linhai_analysis.models import errors_history as eh
from linhai_analysis.models.anchored import anchor_path, fit_anchored
from linhai_analysis.models.combine import combine
from linhai_analysis.models.fiscal import (
    buoyancy_observations,
    estimate_buoyancy,
    fiscal_model_inputs,
)
from linhai_analysis.models.trend import fit


@pytest.fixture(scope="module")
def v_report():
    return Vintage.load("2022-02-17")


def _linhai(v, indicator):
    o = v.observations
    r = o[(o.place == "临海市") & (o.indicator == indicator) & o.is_preferred & o.value.notna()].sort_values("year")
    return r["year"].to_numpy(float), r["value"].to_numpy(float)


# --- the estimator by hand ---------------------------------------------------------------------

def test_cumulative_window_estimator_by_hand():
    errs = pd.DataFrame({"origin": [2001, 2001, 2001, 2002, 2002, 2003],
                         "lead": [0, 1, 2, 0, 1, 0],
                         "error": [1.0, 2.0, -1.0, 0.5, 1.5, -2.0]})
    cum = eh.cumulative_errors(errs, h_max=3)
    # 2001: 1, 1+2=3, 3-1=2; 2002: 0.5, 2.0; 2003: -2
    assert cum.set_index(["origin", "h"])["cum_error"].to_dict() == pytest.approx(
        {(2001, 1): 1.0, (2001, 2): 3.0, (2001, 3): 2.0, (2002, 1): 0.5, (2002, 2): 2.0, (2003, 1): -2.0})
    sc = eh.cumulative_scale(cum, h_max=3).set_index("h")
    # h=1: sqrt((1 + 0.25 + 4)/3) = sqrt(1.75); span 2001..2003 = 3 years -> 3 windows, df 3
    assert sc.loc[1, "rms"] == pytest.approx(math.sqrt(1.75))
    assert sc.loc[1, "mean"] == pytest.approx(-0.5 / 3)
    assert (sc.loc[1, "n_nonoverlap"], sc.loc[1, "df"]) == (3, 3)
    # h=2: sqrt((9 + 4)/2) = sqrt(6.5); span 2001..2003 (origins 2001-2002 + 2 years) -> 1 window, df floor 3
    assert sc.loc[2, "rms"] == pytest.approx(math.sqrt(6.5))
    assert (sc.loc[2, "n_windows"], sc.loc[2, "n_nonoverlap"], sc.loc[2, "df"]) == (2, 1, 3)
    assert sc.loc[3, "rms"] == pytest.approx(2.0)


def test_ar1_sum_variance_and_shrunk_rho_by_hand():
    # h=3, rho=0.5: 3 + 2*(2*0.5 + 1*0.25) = 5.5
    assert float(eh.ar1_sum_variance(1.0, 0.5, 3)) == pytest.approx(5.5)
    # series mean 2.75; consecutive pairs (2000,2001), (2001,2002): deviations (-1.75, .25), (.25, -.75)
    # rho_hat = (-.4375 - .1875) / (3.0625 + .0625) = -0.2; shrunk: (2*-0.2 + 5*0.6) / 7 = 2.6/7
    rho, n = eh.shrunk_rho({2000: 1.0, 2001: 3.0, 2002: 2.0, 2004: 5.0})
    assert n == 2 and rho == pytest.approx(2.6 / 7)


def test_overlapping_windows_match_the_table_functions():
    # one history of yearly errors read as origins o with leads 0..2 = years o..o+2
    e = np.array([0.3, -1.2, 2.0, 0.7, -0.4, 1.1, 0.0])
    rows = [{"origin": o, "lead": k, "error": e[o + k]} for o in range(len(e)) for k in range(3) if o + k < len(e)]
    sc = eh.cumulative_scale(eh.cumulative_errors(pd.DataFrame(rows), h_max=3), h_max=3).set_index("h")
    # 3-year sums: 1.1, 1.5, 2.3, 1.4, 0.7 -> RMS sqrt((1.21 + 2.25 + 5.29 + 1.96 + 0.49)/5) = sqrt(2.24)
    assert float(eh.overlapping_window_rms(e, 3)) == pytest.approx(math.sqrt(2.24))
    assert sc.loc[3, "rms"] == pytest.approx(math.sqrt(2.24))


# --- calibration on simulated persistent errors -----------------------------------------------

def test_80pct_band_of_five_year_cumulative_growth_covers_80pct_under_ar1_errors():
    """4,000 seeded histories of 25 yearly errors, AR(1) with rho = 0.6 (stationary, unit
    variance), each followed by 5 future years. The band is ±t_{0.9, df}·RMS of the
    history's overlapping 5-year sums, df by the stated rule (25 // 5 = 5). A band from
    independent yearly shocks (sqrt(5)·sd) would cover far less: its width ignores
    persistence (Var of the 5-year sum is 13.1, not 5)."""
    rng = np.random.default_rng(20261201)
    runs, n_hist, h, rho = 4000, 25, 5, 0.6
    e = np.empty((runs, n_hist + h))
    e[:, 0] = rng.standard_normal(runs)
    shocks = rng.standard_normal((runs, n_hist + h)) * math.sqrt(1 - rho**2)
    for t in range(1, n_hist + h):
        e[:, t] = rho * e[:, t - 1] + shocks[:, t]
    hist, future = e[:, :n_hist], e[:, n_hist:].sum(axis=1)
    half = stats.t.ppf(0.9, eh.df_rule(n_hist, h)) * eh.overlapping_window_rms(hist, h)
    coverage = float(np.mean(np.abs(future) <= half))
    assert 0.76 <= coverage <= 0.84, coverage
    # the independent-shock band (sqrt(h) x yearly sd) under-covers: well below 76%
    naive = stats.norm.ppf(0.9) * math.sqrt(h) * hist.std(axis=1, ddof=1)
    assert float(np.mean(np.abs(future) <= naive)) < 0.7


# --- what was known when ----------------------------------------------------------------------

def test_an_as_of_before_a_release_sees_none_of_its_errors(v_report):
    def path_fn(v, ys):
        return anchor_path(v, ys, "全国", "gdp", True)

    after = eh.replay_errors(v_report, "全国", "gdp", True, path_fn)
    before = eh.replay_errors(v_report.at("2022-01-16"), "全国", "gdp", True, path_fn)
    # 2021's growth was first released on 2022-01-17 (NBS January release, 8.1%)
    assert 2021 in set(after["year"]) and 2021 not in set(before["year"])
    assert after.loc[after.year == 2021, "first_release"].eq(8.1).all()
    # the IMF's January-2021 forecast for 2021 (8.1) is scored at 2022-02-17: error 0 (log points)
    imf = after[(after.origin == 2021) & (after.year == 2021)]
    assert imf["path"].iloc[0] == pytest.approx(8.1) and imf["error"].iloc[0] == pytest.approx(0.0)
    # and no target or forecast error of a year released later is in either vintage
    assert after["year"].max() == 2021


def test_anchored_gdp_probability_is_no_longer_a_tail_artefact(v_report):
    ys, vs = _linhai(v_report, "gdp")
    fc = fit_anchored(v_report, "gdp", ys, vs, horizon=2026)
    p = fc.p_at_least(2026, 1500)
    # issue 18: 0.3% before; the CEO's independent expectation: at least 1%
    assert 0.01 <= p <= 0.15, p
    sc = fc.params["anchor_scale"].set_index("h")
    # cumulative errors grow faster than sqrt(h) x the 1-year error when errors persist
    assert sc.loc[5, "rms"] > math.sqrt(5) * sc.loc[1, "rms"]
    names = {r["name"] for r in fc.params["inputs"]}
    assert {"county gap (pp/yr)", "gap persistence (rho)", "deflator persistence (rho)"} <= names


# --- fiscal revenue ---------------------------------------------------------------------------

def test_buoyancy_observations_by_hand(v_report):
    b = buoyancy_observations(v_report, "临海市", "fiscal_total_revenue").set_index(["place", "year"])
    # Linhai 2016: ln(76.4/67.8) / ln(515.6/463.5) = 0.119422 / 0.106529 = 1.1210
    assert b.loc[("临海市", 2016), "buoyancy"] == pytest.approx(1.1210, abs=5e-4)
    # Zhejiang 2021: printed revenue +14.0%; GDP 65000 -> 73500 (+13.08%): ln 1.14 / ln 1.130769 = 0.131028 / 0.122899 = 1.0661
    assert b.loc[("浙江省", 2021), "buoyancy"] == pytest.approx(1.0661, abs=5e-4)
    # no pair across a skipped year: Zhejiang 2018 has no level, so 2018 revenue growth is not used
    assert ("浙江省", 2018) not in b.index
    # posterior: prior N(1, 0.3²), noise = sd of the observations (>= 3 of them)
    x = b["buoyancy"].to_numpy()
    s = x.std(ddof=1)
    mean, sd, _ = estimate_buoyancy(b.reset_index())
    prec = 1 / 0.09 + len(x) / s**2
    assert mean == pytest.approx((1 / 0.09 + x.sum() / s**2) / prec)
    assert sd == pytest.approx(math.sqrt(1 / prec))


def test_fiscal_model_follows_gdp_not_a_rebound_and_names_the_vat_refunds(v_report):
    ys, vs = _linhai(v_report, "fiscal_total_revenue")
    fc = fit_anchored(v_report, "fiscal_total_revenue", ys, vs, horizon=2026)
    # the CEO's expectation for the combined P is below 35%; the anchored model alone is too
    assert fc.p_at_least(2026, 200) < 0.35
    # the path is buoyancy x the GDP model's nominal path, not Zhejiang's 2021 rebound (14.0%)
    assert max(fc.params["path_growth"].values()) < 14.0
    inp = fiscal_model_inputs(v_report).set_index("name")["value"]
    vat = [k for k in inp.index if "留抵退税" in k]
    assert inp[vat[0]] == "not yet announced"  # announced 2022-03-05, after the report
    later = fiscal_model_inputs(Vintage.load("2022-03-05")).set_index("name")["value"]
    assert later[vat[0]] == "known, not quantified"


# --- the linear pool --------------------------------------------------------------------------

def test_linear_pool_probability_is_the_mean_and_quantiles_invert_the_pooled_cdf():
    a = fit("rw_drift", [2015, 2016, 2017, 2018, 2019, 2020], [100, 108, 115, 125, 133, 140])
    b = fit("ols", [2015, 2016, 2017, 2018, 2019, 2020], [100, 104, 109, 112, 118, 121])
    pool = combine([a, b])
    assert pool.model == "combined"
    assert pool.p_at_least(2026, 180) == pytest.approx((a.p_at_least(2026, 180) + b.p_at_least(2026, 180)) / 2)
    lo, hi = pool.band(2026, 0.8)
    assert float(pool.cdf(2026, lo)) == pytest.approx(0.1, abs=1e-7)
    assert float(pool.cdf(2026, hi)) == pytest.approx(0.9, abs=1e-7)
    # the pooled median lies between the members' medians
    assert min(a.median(2026), b.median(2026)) <= pool.median(2026) <= max(a.median(2026), b.median(2026))
    w = combine([a, b], weights=[3, 1])
    assert w.p_at_least(2026, 180) == pytest.approx(0.75 * a.p_at_least(2026, 180) + 0.25 * b.p_at_least(2026, 180))
    with pytest.raises(ValueError):
        combine([a, b], weights=[1])

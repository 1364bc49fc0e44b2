"""Issue 18: one headline per goal (the equal-weight pool) and like-for-like evaluation.
Every expected number is worked by hand in the comments."""

import math

import numpy as np
import pandas as pd
import pytest

from linhai_analysis.assess.backtest import (
    LIKE_COLUMNS,
    cluster_bootstrap,
    effective_n,
    like_for_like,
    pit_by_year,
    score_pool,
)
from linhai_analysis.assess.pool import crps_log, pool, pool_probability
from linhai_analysis.models.trend import Forecast


class _Stub:
    """A member forecast with a fixed P(level <= x) whatever x (for the pool's P)."""

    model = "stub"

    def __init__(self, cdf_value: float):
        self.c = cdf_value

    def cdf(self, year, level):
        return np.asarray(self.c)

    def p_at_least(self, year, threshold):
        return 1 - self.c


def _rw(loc_shift: float, sigma2: float = 0.01) -> Forecast:
    """A random walk without drift whose log level in ``last_year + 1`` is t(df=5) with
    centre log(100) + loc_shift and scale sqrt(sigma2 + sigma2 / K) (K huge: ~sqrt(sigma2))."""
    return Forecast("rw_drift", np.array([2020.0]), np.array([100.0]), 5,
                    {"mu": loc_shift, "sigma2": sigma2, "K": 1e12, "last_year": 2020.0,
                     "last_log": math.log(100.0)})


# --- the pool ----------------------------------------------------------------------------------

def test_three_model_pool_probability_by_hand():
    # members' P(goal met): 0.10, 0.40, 0.01 -> equal weights: (0.10 + 0.40 + 0.01) / 3 = 0.17
    pooled = pool((_Stub(0.90), _Stub(0.60), _Stub(0.99)))
    assert pooled.p_at_least(2026, 1500) == pytest.approx(0.17)
    assert pool_probability([0.10, 0.40, 0.01]) == pytest.approx(0.17)
    # a member without a probability is left out, the others renormalised: (0.10 + 0.40) / 2
    assert pool_probability([0.10, None, 0.40]) == pytest.approx(0.25)
    assert pool_probability([None, float("nan")]) is None
    # weights 2:1:1 -> (2 * 0.10 + 0.40 + 0.01) / 4 = 0.1525
    assert pool_probability([0.10, 0.40, 0.01], [2, 1, 1]) == pytest.approx(0.1525)


def test_pool_median_of_two_mirror_members_is_the_midpoint():
    # centres log(100) -/+ 0.2 with the same scale: the mixture is symmetric about log(100)
    pooled = pool((_rw(-0.2), _rw(+0.2)))
    assert float(pooled.median(2021)) == pytest.approx(100.0, rel=1e-8)
    lo, hi = pooled.band(2021, 0.8)
    assert float(lo * hi) == pytest.approx(100.0**2, rel=1e-6)  # symmetric in logs: lo = 100/k, hi = 100k
    # a pool of one is the member itself
    one = pool((_rw(0.05),))
    assert float(one.median(2021)) == pytest.approx(float(_rw(0.05).median(2021)))


def test_pool_crps_of_one_member_is_the_closed_form():
    from linhai_analysis.assess.backtest import crps_t

    fc = _rw(0.03)
    loc, scale = fc.loc_scale(2021)
    for y in (90.0, 103.0, 130.0):
        assert crps_log(pool((fc,)), 2021, y) == pytest.approx(float(crps_t(math.log(y), loc, scale, fc.df)),
                                                               rel=1e-6)
    s = score_pool(pool((fc,)), 2021, 103.0)
    assert s["pit"] == pytest.approx(float(fc.cdf(2021, 103.0)))


# --- effective n, bootstrap ------------------------------------------------------------------

def test_effective_n_is_the_number_of_distinct_target_years():
    pts = pd.DataFrame({"place": ["临海市", "台州市", "全国", "临海市", "全国"],
                        "series": ["gdp"] * 5, "year": [2020, 2020, 2020, 2022, 2022]})
    # 5 points, 3 places, but two target years
    assert effective_n(pts) == 2


def test_year_clustered_bootstrap_on_a_tiny_table():
    d = pd.DataFrame({"year": [2020, 2020, 2021, 2022], "d": [0.1, 0.3, -0.2, 0.4]})
    est, lo, hi = cluster_bootstrap(d, n_boot=500, seed=7)
    # point estimate: the mean over all points, (0.1 + 0.3 - 0.2 + 0.4) / 4 = 0.15
    assert est == pytest.approx(0.15)
    # a replication draws whole years: its mean lies between the all-2021 (-0.2) and the
    # all-2022 (0.4) extremes, and the interval brackets the estimate
    assert -0.2 - 1e-12 <= lo <= est <= hi <= 0.4 + 1e-12 and lo < hi
    assert cluster_bootstrap(d, n_boot=500, seed=7) == (est, lo, hi)  # seeded: deterministic
    assert all(math.isnan(x) for x in cluster_bootstrap(d.iloc[:0]))


# --- like for like --------------------------------------------------------------------------------

def _bt_rows():
    rows = []
    # two common points (临海市 2021 and 全国 2022) for a, b and no_change; model a also
    # forecast a third point that b did not: it must not enter any comparison
    pts = [("临海市", "county", "2020-02-01", 2021, 1), ("全国", "nation", "2021-03-01", 2022, 1)]
    crps = {"a": [0.02, 0.04], "b": [0.03, 0.07], "no_change": [0.05, 0.09]}
    pits = {"a": [0.5, 0.7], "b": [0.2, 0.95], "no_change": [0.9, 0.99]}
    for m in crps:
        for (place, level, as_of, year, h), c, p in zip(pts, crps[m], pits[m], strict=True):
            rows.append({"series": "gdp", "place": place, "level": level, "model": m, "as_of": as_of, "year": year,
                         "horizon": h, "pit": p, "crps": c, "in_band_50": 0.25 <= p <= 0.75,
                         "in_band_80": 0.1 <= p <= 0.9, "in_band_95": 0.025 <= p <= 0.975})
    rows.append({**rows[0], "place": "浙江省", "level": "province", "crps": 5.0, "pit": 0.99})
    return pd.DataFrame(rows)


def test_like_for_like_uses_only_common_points_and_hand_means():
    lfl = like_for_like(_bt_rows(), n_boot=200, seed=1)
    assert list(lfl.columns) == LIKE_COLUMNS
    allp = lfl[lfl.table == "all common points"].set_index("model")
    # the 浙江省 point of model a alone is left out: a's mean CRPS (0.02 + 0.04) / 2 = 0.03
    assert allp.loc["a", "n"] == 2 and allp.loc["a", "crps_mean"] == pytest.approx(0.03)
    assert allp.loc["a", "effective_n"] == 2
    # a - no_change: (0.02 - 0.05 + 0.04 - 0.09) / 2 = -0.04; best rival of a is b (0.05 < 0.07)
    assert allp.loc["a", "crps_diff_no_change"] == pytest.approx(-0.04)
    assert allp.loc["a", "best_rival"] == "b"
    # a - b: (-0.01 - 0.03) / 2 = -0.02
    assert allp.loc["a", "crps_diff_rival"] == pytest.approx(-0.02)
    assert allp.loc["a", "crps_diff_rival_low"] <= -0.02 <= allp.loc["a", "crps_diff_rival_high"]
    # coverage of b's 80% band: PIT 0.2 inside, 0.95 outside -> 50%; mean PIT (0.2 + 0.95) / 2
    assert allp.loc["b", "coverage_80"] == pytest.approx(0.5) and allp.loc["b", "mean_pit"] == pytest.approx(0.575)
    levels = set(lfl.loc[lfl.table == "by level", "group"])
    assert levels == {"county (临海市)", "nation (全国)"}
    home = lfl[(lfl.table == "Linhai only") & (lfl.group == "all Linhai series")].set_index("model")
    assert home.loc["a", "n"] == 1 and home.loc["a", "crps_mean"] == pytest.approx(0.02)
    assert set(lfl.loc[lfl.table == "by horizon", "group"]) == {"horizon 1"}


def test_pit_by_year_by_hand():
    p = pit_by_year(_bt_rows()).set_index(["model", "year"])
    # model a in 2021: PIT 0.5 (临海市) and 0.99 (the extra 浙江省 point) -> mean 0.745, one of two below 0.5
    assert p.loc[("a", 2021), "mean_pit"] == pytest.approx(0.745)
    assert p.loc[("a", 2021), "share_below_half"] == pytest.approx(0.0)
    assert p.loc[("b", 2021), "share_below_half"] == pytest.approx(1.0)
    assert p.loc[("a", 2021), "n"] == 2


def test_brier_base_rate_from_the_ladder_history():
    from linhai_analysis.assess.backtest import brier_scores
    from linhai_analysis.assess.outside_view import target_hit_rate

    esc = pd.DataFrame({"year": [2019, 2019, 2020, 2021], "place": ["全国", "临海市", "全国", "全国"],
                        "target_point": [6.25, 7.0, None, 6.0], "realized_pct": [6.1, 7.1, 2.3, 8.1]})
    # with target and outcome: 6.1 < 6.25 missed, 7.1 >= 7.0 met, 8.1 >= 6.0 met -> 2/3
    rate, n = target_hit_rate(esc)
    assert n == 3 and rate == pytest.approx(2 / 3)
    judged = pd.DataFrame({"kind": ["target_growth"] * 2, "model": ["m", "m"], "indicator": ["a", "b"],
                           "p_meet": [0.2, 0.6]})
    card = pd.DataFrame({"indicator": ["a", "b"], "met": [False, True]})
    b = brier_scores(judged, card, base_rate=rate).iloc[0]
    # model: (0.2^2 + 0.4^2) / 2 = 0.10; base rate 2/3: ((2/3)^2 + (1/3)^2) / 2 = (4/9 + 1/9) / 2 = 5/18
    assert b.brier == pytest.approx(0.10) and b.brier_flat == 0.25
    assert b.brier_base_rate == pytest.approx(5 / 18)

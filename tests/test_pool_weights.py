"""Pool weights from past errors, shrunk toward equal (issue 18 item 4): the rule by
hand, the common-points restriction, and no leak from outcomes published after the origin."""

import pandas as pd
import pytest

from linhai_analysis.assess.backtest import (
    backtest,
    first_release_truth,
    past_weights,
    pool_weights_at,
    pool_weights_table,
)
from linhai_analysis.assess.pool import POOL_MODEL, POOL_WEIGHTED
from linhai_analysis.models.combine import SHRINK_K, score_weights


def _scores(rows):
    return pd.DataFrame(rows, columns=["place", "series", "as_of", "year", "model", "crps"])


def test_inverse_crps_shrunk_toward_equal_by_hand():
    s = _scores([("x", "gdp", "2018-01-01", 2018, "a", 0.1), ("x", "gdp", "2018-01-01", 2019, "a", 0.1),
                 ("x", "gdp", "2018-01-01", 2018, "b", 0.2), ("x", "gdp", "2018-01-01", 2019, "b", 0.4),
                 ("x", "gdp", "2018-01-01", 2018, "zzz", 9.0)])  # not a member: ignored
    # mean CRPS a 0.1, b 0.3 -> inverse 10 and 3.33 -> data weights 0.75 / 0.25
    # 2 distinct target years, k = 2 -> lambda = 2 / 4 = 0.5
    # weights 0.5 * 0.75 + 0.5 / 2 = 0.625 and 0.5 * 0.25 + 0.25 = 0.375
    w = score_weights(s, ["a", "b"], k=2)
    assert w["data_weights"] == pytest.approx([0.75, 0.25])
    assert w["lam"] == pytest.approx(0.5) and w["n_years"] == 2
    assert w["weights"] == pytest.approx([0.625, 0.375])
    # default k = 10: lambda = 2 / 12 -> 0.75 / 6 + (5/6) / 2 = 0.5417
    assert SHRINK_K == 10
    assert score_weights(s, ["a", "b"])["weights"][0] == pytest.approx(0.75 / 6 + 5 / 12)


def test_no_scores_give_equal_weights():
    w = score_weights(_scores([]), ["ols", "rw_drift", "anchored"])
    assert w["weights"] == pytest.approx([1 / 3] * 3) and w["lam"] == 0
    # a member without scores: equal weights too
    w = score_weights(_scores([("x", "gdp", "o", 2018, "a", 0.1)]), ["a", "b"])
    assert w["weights"] == pytest.approx([0.5, 0.5])


def test_past_weights_use_only_points_every_member_forecast():
    s = _scores([("x", "gdp", "o", 2018, "a", 0.1), ("x", "gdp", "o", 2019, "a", 0.5),
                 ("x", "gdp", "o", 2018, "b", 0.3)])
    # common point: 2018 only -> a 0.1, b 0.3 -> data 0.75/0.25; 1 year, k = 1 -> lambda 0.5
    # (over all points a's mean would be 0.3 and the weights equal)
    assert past_weights(s, ("a", "b"), k=1)["weights"] == pytest.approx([0.625, 0.375])


def test_backtest_weights_see_no_outcome_published_after_the_origin(latest):
    models = ("ols", "rw_drift", POOL_MODEL, POOL_WEIGHTED)
    bt = backtest(latest, series=(("临海市", "gdp"),), models=models)
    truth = first_release_truth(latest, "临海市", "gdp")
    first_known = str(truth["available_date"].min())
    key = ["as_of", "year"]
    eq = bt[bt.model == POOL_MODEL].set_index(key)["crps"]
    wt = bt[bt.model == POOL_WEIGHTED].set_index(key)["crps"]
    assert eq.index.equals(wt.index)
    # an origin before any scored outcome was published: no past scores, equal weights
    early = [o for o in bt["as_of"].unique()
             if not (truth["available_date"] <= o).any() or o < first_known
             or bt[(bt.model == "ols") & (bt.as_of < o)].empty]
    assert early
    for o in early:
        assert wt.loc[o].to_numpy() == pytest.approx(eq.loc[o].to_numpy(), rel=1e-9)
    # once outcomes are known the weights move off equal
    assert (wt - eq).abs().max() > 1e-6


def test_weights_table_from_the_latest_backtest_equal_the_backtest_of_the_earlier_vintage(latest):
    # cutting the latest backtest back to origins and first releases known on the date gives
    # the same points, hence the same weights, as backtesting the vintage of that date
    series = (("临海市", "gdp"),)
    members = ("ols", "rw_drift", "anchored")
    bt = backtest(latest, series=series, models=members)
    table = pool_weights_table(bt, latest, "2022-02-17", members)
    direct = pool_weights_at(latest.at("2022-02-17"), members, series=series)
    assert table["weight"].tolist() == pytest.approx(direct["weights"])
    assert table["n_years"].iloc[0] == direct["n_years"] > 0
    assert table["weight"].sum() == pytest.approx(1.0)
    # shrunk: every weight lies between its data weight and the equal weight 1/3
    for w, d in zip(table["weight"], table["data_weight"], strict=True):
        assert min(d, 1 / 3) - 1e-12 <= w <= max(d, 1 / 3) + 1e-12

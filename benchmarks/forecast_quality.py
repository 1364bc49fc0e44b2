"""Print the like-for-like tables of one rolling-origin backtest (issue 18): every model on
the points every one of them forecast, pooled, by horizon, by level of government and on
Linhai's own points, with year-clustered bootstrap 95% intervals for the CRPS differences
against the best rival and against no change; then the mean PIT by target year and the
pooled table (every forecast each model could make, NOT comparable across models).

Aim: the combined forecast's 80% band covers 70-90% both pooled and on Linhai's own points,
and its mean CRPS on the common points is no worse than the best single model's (the
interval of the difference is printed)."""

import time

import pandas as pd

from linhai_analysis.assess.backtest import (
    NAIVE,
    backtest,
    cluster_bootstrap,
    common_pool,
    like_for_like,
    pit_by_year,
    pool_weights_at,
    summarize_backtest,
)
from linhai_analysis.assess.plausibility import JUDGE_MODELS, judge_targets
from linhai_analysis.assess.pool import POOL_MODEL, POOL_WEIGHTED, pool_probability
from linhai_analysis.claims.extract import claims_table
from linhai_analysis.data.vintage import Vintage

COLS = ["group", "model", "n", "effective_n", "coverage_80", "mean_pit", "crps_mean", "crps_diff_no_change",
        "crps_diff_no_change_low", "crps_diff_no_change_high", "best_rival", "crps_diff_rival",
        "crps_diff_rival_low", "crps_diff_rival_high"]

if __name__ == "__main__":
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.max_rows", 500)
    latest = Vintage.load("latest")
    t0 = time.perf_counter()
    bt = backtest(latest, models=(*JUDGE_MODELS, *NAIVE, POOL_MODEL, POOL_WEIGHTED))
    secs = time.perf_counter() - t0
    lfl = like_for_like(bt)
    for table in ("all common points", "by horizon", "by level", "Linhai only"):
        print(f"\n== like for like: {table} ==")
        print(lfl[lfl["table"] == table][COLS].round(4).to_string(index=False))
    c = lfl[lfl["model"].isin([POOL_MODEL, POOL_WEIGHTED]) & lfl["group"].isin(["all", "all Linhai series"])]
    print("\n== aim: combined 80% coverage in 70-90% (pooled common points, Linhai's own points); "
          "CRPS no worse than the best single model ==")
    for _, r in c.iterrows():
        ok_cov = 0.70 <= r["coverage_80"] <= 0.90
        ok_crps = r["crps_diff_rival"] <= 0
        print(f"{r['model']} {r['group']}: coverage_80 {r['coverage_80']:.1%} ({'met' if ok_cov else 'NOT met'}); "
              f"CRPS − {r['best_rival']} {r['crps_diff_rival']:+.4f} [{r['crps_diff_rival_low']:+.4f}, "
              f"{r['crps_diff_rival_high']:+.4f}] ({'met' if ok_crps else 'NOT met'}); n {int(r['n'])}, "
              f"{int(r['effective_n'])} target years")
    cp = common_pool(bt)
    key = ["place", "series", "as_of", "year"]
    d = (cp[cp["model"] == POOL_WEIGHTED].set_index(key)["crps"]
         - cp[cp["model"] == POOL_MODEL].set_index(key)["crps"]).rename("d").reset_index()
    est, lo, hi = cluster_bootstrap(d)
    print(f"\nweighted − equal pool, CRPS on the common points: {est:+.4f} [{lo:+.4f}, {hi:+.4f}] "
          "(year-clustered 95%)")
    pit = pit_by_year(cp).pivot_table(index="year", columns="model", values="mean_pit")
    print("\n== mean PIT by target year (common points) ==")
    print(pit.round(2).to_string())
    s = summarize_backtest(bt)
    print("\n== every forecast each model could make (pools differ: NOT comparable across models) ==")
    print(s[s["horizon"] == "all"].drop(columns="horizon").round(3).to_string(index=False))
    print(f"\nbacktest run time: {secs:.1f} s over {bt['as_of'].nunique()} origins")

    # the headline at the report date, equal vs weighted pool (weights from what was known then)
    ex = Vintage.load("2022-02-17")
    w = pool_weights_at(ex)
    print("\n== pool weights at 2022-02-17 (inverse mean CRPS on the common points known then, "
          f"shrunk toward equal by n_years/(n_years + k)) ==\n{w}")
    judged = judge_targets(claims_table(), ex)
    for ind, thr in (("gdp", 1500), ("fiscal_total_revenue", 200)):
        g = judged[(judged["indicator"] == ind) & (judged["kind"] == "target_level")].set_index("model")
        ps = [g.loc[m, "p_meet"] if m in g.index else None for m in JUDGE_MODELS]
        print(f"P({ind} 2026 >= {thr} | 2022-02-17): models {dict(zip(JUDGE_MODELS, ps, strict=True))}; "
              f"equal pool {pool_probability(ps):.4f}; weighted pool {pool_probability(ps, w['weights']):.4f}")

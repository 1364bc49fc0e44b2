"""Print, from one rolling-origin backtest, the summary per model (coverage of the
50/80/95% bands, mean CRPS and log score on the log level) and each model's mean CRPS as
a ratio to the no-change forecast's — on all the points each model could forecast, and
on the common points every model forecast. Aim (issue 11): anchored 80% coverage within
70-90% and the lowest mean CRPS."""

import time

import pandas as pd

from linhai_analysis.assess.backtest import backtest, common_pool, crps_ratios, summarize_backtest
from linhai_analysis.data.anchors import load_anchor_targets, load_forecasts
from linhai_analysis.data.load import observations
from linhai_analysis.models.anchored import AnchorInputs

if __name__ == "__main__":
    pd.set_option("display.width", 160)
    obs = observations()
    anchors = AnchorInputs(obs, load_anchor_targets(), load_forecasts())
    t0 = time.perf_counter()
    bt = backtest(obs, anchors)
    secs = time.perf_counter() - t0
    for name, table in (("all points", bt), ("common points", common_pool(bt))):
        s = summarize_backtest(table)
        pooled = s[s["horizon"] == "all"].drop(columns="horizon").set_index("model")
        pooled["crps_vs_no_change"] = crps_ratios(s)
        print(f"\n== {name}: {len(table)} scored forecasts ==")
        print(pooled.round(3).to_string())
    print(f"\nbacktest run time: {secs:.1f} s over {bt['as_of'].nunique()} origins")

"""Regenerate docs/fan_chart_2026.png (the figure shown in the README)."""

import matplotlib

matplotlib.use("Agg")

from linhai_analysis.assess.outcomes import score_outcomes  # noqa: E402
from linhai_analysis.assess.plausibility import fan_items, judge_targets  # noqa: E402
from linhai_analysis.claims.extract import claims_table  # noqa: E402
from linhai_analysis.data import paths  # noqa: E402
from linhai_analysis.data.load import REPORT_DATE  # noqa: E402
from linhai_analysis.data.vintage import Vintage  # noqa: E402
from linhai_analysis.report.plots import fan_grid, setup_style  # noqa: E402

if __name__ == "__main__":
    lang = setup_style("zh")
    latest = Vintage.load("latest")
    vintage = latest.at(REPORT_DATE)
    judged = judge_targets(claims_table(), vintage)
    realized = score_outcomes(vintage, latest)
    items = [i for model in ("rw_drift", "anchored")
             for i in fan_items(judged, vintage, model=model, realized=realized) if i["indicator"] == "gdp"]
    items += [i for i in fan_items(judged, vintage, model="anchored", realized=realized)
              if i["indicator"] == "fiscal_total_revenue"]
    fig = fan_grid(items, ncols=3, lang=lang)
    fig.savefig(paths.PROJ_ROOT / "docs" / "fan_chart_2026.png", dpi=90, metadata={"Software": None})

"""Regenerate docs/fan_chart_2026.png (the figure shown in the README)."""

import matplotlib

matplotlib.use("Agg")

from linhai_analysis import paths  # noqa: E402
from linhai_analysis.claims import claims_table  # noqa: E402
from linhai_analysis.data import REPORT_DATE, observations  # noqa: E402
from linhai_analysis.outcomes import score_outcomes  # noqa: E402
from linhai_analysis.plausibility import fan_items, judge_targets  # noqa: E402
from linhai_analysis.plots import fan_grid, setup_style  # noqa: E402

if __name__ == "__main__":
    lang = setup_style("zh")
    obs = observations()
    judged = judge_targets(claims_table(), obs, as_of=REPORT_DATE)
    items = fan_items(judged, obs, model="rw_drift", as_of=REPORT_DATE, realized=score_outcomes(obs))
    fig = fan_grid([i for i in items if i["indicator"] in ("gdp", "fiscal_total_revenue")], lang=lang)
    fig.savefig(paths.PROJ_ROOT / "docs" / "fan_chart_2026.png", dpi=90, metadata={"Software": None})

"""Figures: Chinese labels without missing glyphs, English fallback with one warning."""

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from linhai_analysis.assess.plausibility import fan_items, judge_targets  # noqa: E402
from linhai_analysis.assess.reconcile import reconcile  # noqa: E402
from linhai_analysis.data.vintage import Vintage  # noqa: E402
from linhai_analysis.report import plots  # noqa: E402


def _render_all(claims, obs, lang):
    figs = []
    v = Vintage(obs, as_of="2022-02-17")
    judged = judge_targets(claims[claims.indicator.isin(["gdp", "fiscal_total_revenue"])], v, models=("ols", "rw_drift"))
    for model in ("ols", "rw_drift"):
        figs.append(plots.fan_grid(fan_items(judged, v, model=model), lang=lang))
    fig, ax = plt.subplots()
    plots.interval_chart(reconcile(claims, Vintage(obs)), ax=ax, lang=lang)
    figs.append(fig)
    for f in figs:
        f.savefig(io.BytesIO(), format="png")
    return figs


def test_chinese_labels_render_without_missing_glyphs(claims, obs):
    if plots.find_cjk_font() is None:
        pytest.skip("no CJK font installed (CI installs fonts-noto-cjk)")
    assert plots.setup_style("zh") == "zh"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        figs = _render_all(claims, obs, "zh")
    titles = [ax.get_title() for ax in figs[0].axes if ax.get_visible()]
    assert any("地区生产总值" in t for t in titles)
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    plt.close("all")


def test_fallback_to_english_with_one_warning(monkeypatch, claims, obs):
    monkeypatch.setattr(plots, "find_cjk_font", lambda: None)
    monkeypatch.setitem(plots._STATE, "warned", "")
    with pytest.warns(plots.NoCJKFontWarning, match="fonts-noto-cjk"):
        assert plots.setup_style("zh") == "en"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert plots.setup_style("zh") == "en"  # no second warning
    figs = _render_all(claims, obs, "en")
    titles = [ax.get_title() for ax in figs[0].axes if ax.get_visible()]
    assert any(t.startswith("GDP") for t in titles)
    plt.close("all")


def test_plot_functions_return_the_axes(claims, obs):
    plots.setup_style("en")
    fig, ax = plt.subplots()
    assert plots.interval_chart(reconcile(claims, Vintage(obs)), ax=ax) is ax
    plt.close("all")


def test_bad_language():
    with pytest.raises(ValueError, match="lang"):
        plots.setup_style("fr")


def test_a_stale_font_cache_is_rebuilt_once(monkeypatch):
    from matplotlib import font_manager

    if plots.find_cjk_font() is None:
        pytest.skip(f"no CJK font installed: {plots.FONT_HELP}")
    # a cache written before the font was installed: the same list without any CJK font
    stale = [f for f in font_manager.fontManager.ttflist if f.name not in plots.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    monkeypatch.setitem(plots._STATE, "rebuilt", "")
    assert plots.find_cjk_font(rebuild=False) is None  # what the old code saw
    assert plots.find_cjk_font() in plots.CJK_FONTS  # rebuilt once, found
    assert plots._STATE["rebuilt"] == "1"


def test_labels_follow_the_language(claims, obs):
    from linhai_analysis.assess.outside_view import goal_ladder, target_escalation
    from linhai_analysis.report.labels import LABELS, t

    assert t("target", "zh") == "目标" and t("target", "en") == "target"
    assert all(len(v) == 2 and all(v) for v in LABELS.values())
    from linhai_analysis.data.anchors import load_anchor_targets, load_forecasts

    latest = Vintage(obs, load_anchor_targets(), load_forecasts())
    fig = plots.ladder_chart(target_escalation(latest), goal_ladder(latest), lang="en")
    texts = [ax.get_title() for ax in fig.axes] + [t_.get_text() for ax in fig.axes for t_ in ax.get_legend().get_texts()]
    assert "target" in texts and not any("目标" in x for x in texts)
    plt.close("all")


def test_font_note_says_what_to_do():
    assert plots.font_note("zh", "zh") == ""
    assert "apt-get install fonts-noto-cjk" in plots.font_note("zh", "en")


def test_goal_drift_axis_has_whole_years():
    import pandas as pd

    drift = pd.DataFrame({"indicator": ["gdp"] * 4, "goal": ["≥1500"] * 4, "release_year": [2021, 2022, 2023, 2024],
                          "required_growth_pct": [12.8, 14.0, 15.1, 17.0], "bound": [""] * 4})
    ax = plots.goal_drift_chart(drift, lang="en")
    ax.figure.canvas.draw()
    ticks = [x for x in ax.get_xticks() if ax.get_xlim()[0] <= x <= ax.get_xlim()[1]]
    assert ticks and all(float(x).is_integer() for x in ticks), ticks  # not 2021.5
    plt.close("all")


def test_ladder_labels_are_one_language():
    # every row description of the goal ladder in Chinese when lang="zh": no English words left
    import re

    for what in ("level goal ≥1500亿元 by 2026", "national annual targets known at latest",
                 "IMF WEO path known at 2022-02-17", "realized real growth"):
        assert not re.search(r"[A-Za-z]{3,}", plots.what_zh(what).replace("IMF", "")), what
    assert plots.what_zh("level goal ≥1500亿元 by 2026") == "2026年总量目标≥1500亿元"


def test_heatmap_numbers_are_readable(claims, obs):
    import pandas as pd

    sens = pd.DataFrame({"indicator": ["gdp"] * 2, "model": ["ols", "rw_drift"], "sample": ["all", "all"],
                         "as_of": ["2022-02-17"] * 2, "p_meet": [0.1, 0.2], "threshold": [1500.0] * 2})
    fig = plots.sensitivity_heatmap(sens, lang="en")
    texts = [t for ax in fig.axes for t in ax.texts]
    assert texts and min(t.get_fontsize() for t in texts) >= 9
    # drawn at the page width (8 in at 110 dpi = 880 px, shown unscaled in a 1280 px page)
    assert fig.get_figwidth() <= 8.5
    plt.close("all")

"""Figures: Chinese labels without missing glyphs, English fallback with one warning."""

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from linhai_analysis import plots  # noqa: E402
from linhai_analysis.plausibility import fan_items, judge_targets  # noqa: E402
from linhai_analysis.reconcile import reconcile  # noqa: E402


def _render_all(claims, obs, lang):
    figs = []
    judged = judge_targets(claims, obs)
    for model in ("ols", "rw_drift"):
        figs.append(plots.fan_grid(fan_items(judged, obs, model=model), lang=lang))
    fig, ax = plt.subplots()
    plots.interval_chart(reconcile(claims, obs), ax=ax, lang=lang)
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
    assert plots.interval_chart(reconcile(claims, obs), ax=ax) is ax
    plt.close("all")


def test_bad_language():
    with pytest.raises(ValueError, match="lang"):
        plots.setup_style("fr")

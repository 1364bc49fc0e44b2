"""Figures: one style set in one place, Chinese labels where a CJK font exists.

Every plotting function takes ``ax=None`` and returns the Axes.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .indicators import CATALOG

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei",
             "PingFang SC", "Noto Sans CJK JP")
BAND_ALPHAS = {0.95: 0.15, 0.8: 0.25, 0.5: 0.4}
_STATE: dict[str, str] = {}


class NoCJKFontWarning(UserWarning):
    """No CJK font is installed: figures fall back to English labels."""


def find_cjk_font() -> str | None:
    """Name of an installed font that covers Chinese, or ``None``."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def setup_style(lang: str = "zh") -> str:
    """Set the project's plotting style and return the label language in effect.

    With ``lang="zh"`` and a CJK font installed (e.g. Debian's ``fonts-noto-cjk``),
    figures use Chinese indicator names; without one, English names and a single
    :class:`NoCJKFontWarning`. Minus signs render with ASCII hyphen-minus so that CJK
    fonts without U+2212 do not drop them.

    Parameters
    ----------
    lang : {"zh", "en"}
        Preferred label language.
    """
    import matplotlib as mpl
    import seaborn as sns

    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    sns.set_theme(style="whitegrid", context="notebook")
    font = find_cjk_font() if lang == "zh" else None
    if lang == "zh" and font is None:
        if not _STATE.get("warned"):
            warnings.warn("no CJK font found (install fonts-noto-cjk); figures use English labels",
                          NoCJKFontWarning, stacklevel=2)
            _STATE["warned"] = "1"
        lang = "en"
    families = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    mpl.rcParams.update({"font.family": "sans-serif", "font.sans-serif": families,
                         "axes.unicode_minus": False, "figure.dpi": 100, "savefig.dpi": 110,
                         "svg.hashsalt": "linhai", "figure.figsize": (7.5, 4.2)})
    _STATE["lang"] = lang
    return lang


def label(code: str, lang: str | None = None) -> str:
    """Indicator label in the language in effect (Chinese name or English name)."""
    ind = CATALOG[code]
    lang = lang or _STATE.get("lang", "en")
    return ind.name_zh if lang == "zh" else ind.name_en


def _ax(ax):
    import matplotlib.pyplot as plt

    return ax if ax is not None else plt.subplots()[1]


def fan_chart(forecast, *, years: Sequence[int], target: tuple[int, float] | None = None,
              realized: pd.DataFrame | None = None, title: str = "", unit: str = "",
              ax=None):
    """History, median projection with 50/80/95% bands, the target and the straight
    (constant-growth) path to it, and optionally realized values.

    Parameters
    ----------
    forecast : linhai_analysis.trend.Forecast
        Fitted model; its ``years``/``values`` are drawn as history.
    years : sequence of int
        Projection years.
    target : (year, level), optional
        Drawn as a star, with a dashed line from the last observation.
    realized : DataFrame, optional
        Columns ``year``, ``realized``, ``comparator``; ``>`` rows are drawn as
        lower bounds (upward triangles).
    """
    ax = _ax(ax)
    ys = np.asarray(list(years), dtype=float)
    last_y, last_v = forecast.years[-1], forecast.values[-1]
    xs = np.concatenate([[last_y], ys])
    for cov, alpha in BAND_ALPHAS.items():
        lo, hi = forecast.band(ys, cov)
        ax.fill_between(xs, np.concatenate([[last_v], lo]), np.concatenate([[last_v], hi]),
                        color="C0", alpha=alpha, lw=0, label=f"{int(cov * 100)}%")
    ax.plot(xs, np.concatenate([[last_v], forecast.median(ys)]), color="C0", lw=1.5, label="median")
    ax.plot(forecast.years, forecast.values, "o-", color="k", ms=4, lw=1, label="history")
    if target is not None:
        ty, tv = target
        ax.plot([last_y, ty], [last_v, tv], "--", color="C3", lw=1)
        ax.plot([ty], [tv], "*", color="C3", ms=12, label="target")
    if realized is not None and len(realized):
        exact = realized[realized["comparator"] == "="]
        bound = realized[realized["comparator"] != "="]
        ax.plot(exact["year"], exact["realized"], "X", color="C2", ms=8, label="realized")
        if len(bound):
            ax.plot(bound["year"], bound["realized"], "^", color="C2", ms=8, mfc="none",
                    label="realized (lower bound)")
    ax.set_title(title)
    ax.set_ylabel(unit)
    ax.legend(fontsize="small", ncols=2)
    return ax


def interval_chart(recon: pd.DataFrame, ax=None, lang: str | None = None):
    """Claimed vs computed growth as intervals (rounding bounds), one row per claim."""
    ax = _ax(ax)
    d = recon.dropna(subset=["computed_low"]).reset_index(drop=True)
    d = d[d["kind"].isin(["avg_growth", "yoy_growth"])].reset_index(drop=True)
    for i, r in d.iterrows():
        ax.plot([r["claimed_low"], r["claimed_high"]], [i + 0.12] * 2, color="C0", lw=6,
                solid_capstyle="butt", label="claimed (rounding interval)" if i == 0 else None)
        ax.plot([r["computed_low"], r["computed_high"]], [i - 0.12] * 2, color="C3", lw=6,
                solid_capstyle="butt", label="computed from printed levels" if i == 0 else None)
        ax.annotate(r["verdict"], (max(r["claimed_high"], r["computed_high"]), i), xytext=(6, -3),
                    textcoords="offset points", fontsize="small")
    ax.set_yticks(range(len(d)), [f"{label(c, lang)} {a}-{b}" for c, a, b in
                                  zip(d["indicator"], d["period_start"], d["period_end"], strict=True)])
    ax.set_xlabel("% per year")
    lo = min(d["claimed_low"].min(), d["computed_low"].min()) if len(d) else 0
    hi = max(d["claimed_high"].max(), d["computed_high"].max()) if len(d) else 1
    ax.set_xlim(lo - 1, hi + 3)
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def fan_grid(items: Sequence[dict], *, ncols: int = 2, lang: str | None = None):
    """A grid of :func:`fan_chart` panels.

    Parameters
    ----------
    items : sequence of dict
        Each with ``forecast``, ``indicator``, ``years``, optional ``target`` and
        ``realized`` (see :func:`linhai_analysis.plausibility.fan_items`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    n = max(len(items), 1)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(6.2 * ncols, 3.8 * nrows), squeeze=False)
    from .units import get_unit

    lang = lang or _STATE.get("lang", "en")
    for ax, it in zip(axes.flat, items, strict=False):
        code = it["indicator"]
        unit = CATALOG[code].unit
        fan_chart(it["forecast"], years=it["years"], target=it.get("target"),
                  realized=it.get("realized"), ax=ax, unit=unit if lang == "zh" else get_unit(unit).name_en,
                  title=f"{label(code, lang)} ({it['forecast'].model})")
    for ax in list(axes.flat)[len(items):]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def ladder_chart(escalation: pd.DataFrame, ladder_df: pd.DataFrame, *, year: int = 2022,
                 lang: str | None = None):
    """The target ladder in two panels.

    Left: the ``year`` GDP growth target and realized growth at each level
    (全国 → 浙江省 → 台州市 → 临海市). Right: the average growth that each level goal
    implies (nominal, and its derived real equivalent) next to the national targets,
    the IMF path and realized real growth.

    Parameters
    ----------
    escalation, ladder_df : pandas.DataFrame
        :func:`linhai_analysis.outside_view.target_escalation` and
        :func:`linhai_analysis.outside_view.goal_ladder`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    lang = lang or _STATE.get("lang", "en")
    zh = lang == "zh"

    def pname(r) -> str:
        return r["place"] if zh else r["place_en"]

    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.4), gridspec_kw={"width_ratios": [1, 1.4]})
    e = escalation[escalation["year"] == year].reset_index(drop=True)
    xs = np.arange(len(e))
    a1.scatter(xs - 0.08, e["target_point"], marker="_", s=500, lw=3, color="C3",
               label="目标" if zh else "target")
    a1.scatter(xs + 0.08, e["realized_pct"], marker="o", s=50, color="C0",
               label="实际(可比价)" if zh else "realized (real)")
    for x, (_, r) in zip(xs, e.iterrows(), strict=True):
        if pd.notna(r["target_point"]) and pd.notna(r["realized_pct"]):
            a1.annotate("", (x + 0.08, r["realized_pct"]), (x - 0.08, r["target_point"]),
                        arrowprops={"arrowstyle": "->", "color": "grey"})
    a1.set_xticks(xs, [pname(r) for _, r in e.iterrows()])
    a1.set_ylabel("% " + ("增长" if zh else "growth"))
    a1.set_title(f"{year}年地区生产总值增长目标与实际" if zh else f"{year} GDP growth: target and outcome")
    a1.legend(fontsize="small")
    d = ladder_df.dropna(subset=["avg_growth_pct"]).reset_index(drop=True)
    ys = np.arange(len(d))[::-1]
    nominal = d["price_basis"].eq("nominal")
    a2.scatter(d.loc[nominal, "avg_growth_pct"], ys[nominal.to_numpy()], marker="s", color="C3",
               label="名义增长(目标隐含)" if zh else "implied nominal growth")
    a2.scatter(d["real_equivalent_pct"], ys, marker="o", color="C0",
               label="实际增长(推算)" if zh else "real growth (derived for level goals)")
    labels = [f"{pname(r)}: {r['what']}" for _, r in d.iterrows()]
    a2.set_yticks(ys, labels, fontsize="small")
    a2.set_xlabel("% " + ("年均" if zh else "a year"))
    a2.set_title("各级目标隐含的年均增长" if zh else "Average growth implied by each level's goal")
    a2.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    return fig

"""Figures: one style set in one place, Chinese labels where a CJK font exists.

Every plotting function takes ``ax=None`` and returns the Axes.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..data.indicators import CATALOG
from .labels import t

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei",
             "PingFang SC", "Noto Sans CJK JP")
BAND_ALPHAS = {0.95: 0.15, 0.8: 0.25, 0.5: 0.4}
#: Size of the numbers in heat-map cells (readable on the page: at least 9 pt).
HEATMAP_FONT_PT = 11
_STATE: dict[str, str] = {}


class NoCJKFontWarning(UserWarning):
    """No CJK font is installed: figures fall back to English labels."""


def find_cjk_font(rebuild: bool = True) -> str | None:
    """Name of an installed font that covers Chinese, or ``None``.

    matplotlib caches its font list on first use; a font installed later (``apt-get
    install fonts-noto-cjk``) is invisible until the cache is rebuilt. When no CJK font
    is in the cached list, the list is rebuilt once (``rebuild=True``) before giving up.
    """
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    found = next((n for n in CJK_FONTS if n in names), None)
    if found is None and rebuild and not _STATE.get("rebuilt"):
        _STATE["rebuilt"] = "1"
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        return find_cjk_font(rebuild=False)
    return found


#: What to do when no CJK font is found (README, skip messages and notes say the same).
FONT_HELP = ("install a CJK font (Debian/Ubuntu: sudo apt-get install fonts-noto-cjk; conda: "
             "conda install -c conda-forge font-ttf-noto-cjk) and rerun; matplotlib's font cache is "
             "rebuilt automatically")


def font_note(requested: str, effective: str) -> str:
    """A one-line Markdown note for a notebook when Chinese labels were asked for but
    no CJK font exists (empty string otherwise)."""
    if requested == "zh" and effective != "zh":
        return f"> **Note:** figures use English labels: no CJK font was found. To get Chinese labels, {FONT_HELP}."
    return ""


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
    from .labels import set_language

    set_language(lang)  # tables follow the requested language: HTML needs no font
    sns.set_theme(style="whitegrid", context="notebook")
    font = find_cjk_font() if lang == "zh" else None
    if lang == "zh" and font is None:
        if not _STATE.get("warned"):
            warnings.warn(f"no CJK font found; figures use English labels. To fix: {FONT_HELP}",
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
              ax=None, lang: str | None = None):
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
    lang = lang or _STATE.get("lang", "en")
    ys = np.asarray(list(years), dtype=float)
    last_y, last_v = forecast.years[-1], forecast.values[-1]
    xs = np.concatenate([[last_y], ys])
    for cov, alpha in BAND_ALPHAS.items():
        lo, hi = forecast.band(ys, cov)
        ax.fill_between(xs, np.concatenate([[last_v], lo]), np.concatenate([[last_v], hi]),
                        color="C0", alpha=alpha, lw=0, label=t("band", lang, p=int(cov * 100)))
    ax.plot(xs, np.concatenate([[last_v], forecast.median(ys)]), color="C0", lw=1.5, label=t("median", lang))
    ax.plot(forecast.years, forecast.values, "o-", color="k", ms=4, lw=1, label=t("history", lang))
    if target is not None:
        ty, tv = target
        ax.plot([last_y, ty], [last_v, tv], "--", color="C3", lw=1)
        ax.plot([ty], [tv], "*", color="C3", ms=12, label=t("target", lang))
    if realized is not None and len(realized):
        exact = realized[realized["comparator"] == "="]
        bound = realized[realized["comparator"] != "="]
        ax.plot(exact["year"], exact["realized"], "X", color="C2", ms=8, label=t("realized", lang))
        if len(bound):
            ax.plot(bound["year"], bound["realized"], "^", color="C2", ms=8, mfc="none",
                    label=t("realized_bound", lang))
    ax.set_title(title)
    ax.set_ylabel(unit)
    ax.legend(fontsize="small", ncols=2)
    return ax


def interval_chart(recon: pd.DataFrame, ax=None, lang: str | None = None):
    """Claimed vs computed growth as intervals (rounding bounds), one row per claim."""
    lang = lang or _STATE.get("lang", "en")
    ax = _ax(ax)
    d = recon.dropna(subset=["computed_low"]).reset_index(drop=True)
    d = d[d["kind"].isin(["avg_growth", "yoy_growth"])].reset_index(drop=True)
    for i, r in d.iterrows():
        # end ticks keep an interval visible even when rounding makes it a point (9.72-9.72)
        ax.plot([r["claimed_low"], r["claimed_high"]], [i + 0.12] * 2, color="C0", lw=6, marker="|", ms=12,
                solid_capstyle="butt", label=t("claimed", lang) if i == 0 else None)
        ax.plot([r["computed_low"], r["computed_high"]], [i - 0.12] * 2, color="C3", lw=6, marker="|", ms=12,
                solid_capstyle="butt", label=t("computed", lang) if i == 0 else None)
        ax.annotate(t(r["verdict"], lang), (max(r["claimed_high"], r["computed_high"]), i), xytext=(6, -3),
                    textcoords="offset points", fontsize="small")
    ax.set_yticks(range(len(d)), [f"{label(c, lang)} {a}-{b}" for c, a, b in
                                  zip(d["indicator"], d["period_start"], d["period_end"], strict=True)])
    ax.set_xlabel(t("pct_per_year", lang))
    lo = min(d["claimed_low"].min(), d["computed_low"].min()) if len(d) else 0
    hi = max(d["claimed_high"].max(), d["computed_high"].max()) if len(d) else 1
    ax.set_xlim(lo - 1, hi + 3)
    ax.legend(fontsize="small", loc="lower right")
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
    from ..data.units import get_unit

    lang = lang or _STATE.get("lang", "en")
    for ax, it in zip(axes.flat, items, strict=False):
        code = it["indicator"]
        unit = CATALOG[code].unit
        fan_chart(it["forecast"], years=it["years"], target=it.get("target"),
                  realized=it.get("realized"), ax=ax, unit=unit if lang == "zh" else get_unit(unit).name_en,
                  title=f"{label(code, lang)} ({t(it['forecast'].model, lang)})", lang=lang)
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
    a1.scatter(xs - 0.08, e["target_point"], marker="_", s=500, lw=3, color="C3", label=t("target", lang))
    a1.scatter(xs + 0.08, e["realized_pct"], marker="o", s=50, color="C0", label=t("realized_real", lang))
    for x, (_, r) in zip(xs, e.iterrows(), strict=True):
        if pd.notna(r["target_point"]) and pd.notna(r["realized_pct"]):
            a1.annotate("", (x + 0.08, r["realized_pct"]), (x - 0.08, r["target_point"]),
                        arrowprops={"arrowstyle": "->", "color": "grey"})
    a1.set_xticks(xs, [pname(r) for _, r in e.iterrows()])
    a1.set_ylabel(t("growth_pct", lang))
    a1.set_title(t("ladder_left", lang, y=year))
    a1.legend(fontsize="small")
    d = ladder_df.dropna(subset=["avg_growth_pct"]).reset_index(drop=True)
    ys = np.arange(len(d))[::-1]
    nominal = d["price_basis"].eq("nominal")
    a2.scatter(d.loc[nominal, "avg_growth_pct"], ys[nominal.to_numpy()], marker="s", color="C3",
               label=t("implied_nominal", lang))
    a2.scatter(d["real_equivalent_pct"], ys, marker="o", color="C0", label=t("real_equivalent", lang))
    labels = [f"{pname(r)}: {what_zh(r['what']) if zh else r['what_en']}" for _, r in d.iterrows()]
    a2.set_yticks(ys, labels, fontsize="small")
    a2.set_xlabel(t("pct_per_year", lang))
    a2.set_title(t("ladder_right", lang))
    a2.legend(fontsize="small", loc="lower right")
    fig.tight_layout()
    return fig


def what_zh(what: str) -> str:
    """A goal-ladder row's description in Chinese (the table's ``what`` is English)."""
    import re

    m = re.fullmatch(r"level goal (?P<g>\S+) by (?P<y>\d{4})", what)
    if m:
        return f"{m.group('y')}年总量目标{m.group('g')}"
    m = re.fullmatch(r"(?P<w>national annual targets|IMF WEO path) known at (?P<a>\S+)", what)
    if m:
        when = "最新" if m.group("a") == "latest" else m.group("a")
        return ("全国年度增长目标" if m.group("w").startswith("national") else "IMF世界经济展望预测路径") + f"(截至{when})"
    return {"realized real growth": "实际不变价增速"}.get(what, what)


def sensitivity_heatmap(sens: pd.DataFrame, *, lang: str | None = None):
    """P(goal met) over information sets (rows) and sample × model (columns), one panel
    per goal; empty cells are grey (no probability). Cells are annotated in percent.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import seaborn as sns

    lang = lang or _STATE.get("lang", "en")
    goals = list(dict.fromkeys(sens["indicator"]))
    # one panel per row, at the page's width, so the cell numbers print at about 11 pt
    fig, axes = plt.subplots(max(len(goals), 1), 1, figsize=(8.0, 4.4 * max(len(goals), 1)), squeeze=False)
    for ax, ind in zip(axes.flat, goals, strict=False):
        d = sens[sens["indicator"] == ind].copy()
        d["col"] = [f"{t(m + '_short', lang)}\n{t(s + '_short', lang)}" for m, s in zip(d["model"], d["sample"], strict=True)]
        grid = d.pivot_table(index="as_of", columns="col", values="p_meet", aggfunc="first", dropna=False)
        grid = grid.reindex(index=list(dict.fromkeys(d["as_of"])), columns=list(dict.fromkeys(d["col"])))
        sns.heatmap(grid * 100, ax=ax, vmin=0, vmax=100, cmap="RdYlGn", annot=True, fmt=".0f",
                    cbar=ax is axes.flat[-1], annot_kws={"fontsize": HEATMAP_FONT_PT}, linewidths=0.5,
                    cbar_kws={"label": "P %"})
        ax.set_facecolor("#dddddd")
        thr = d["threshold"].iloc[0]
        ax.set_title(f"{label(ind, lang)} ≥ {thr:g} — {t('sensitivity', lang)}", fontsize="medium")
        ax.set_ylabel(t("as_of", lang))
        ax.set_xlabel("")
        ax.tick_params(axis="x", labelsize=10, rotation=0)
    fig.tight_layout()
    return fig


def goal_drift_chart(drift: pd.DataFrame, *, lang: str | None = None, ax=None):
    """Required average growth to each 2026 goal from each release; a lower-bound
    release (e.g. 2025 GDP 突破千亿) is drawn as an open marker (an upper bound)."""
    lang = lang or _STATE.get("lang", "en")
    ax = _ax(ax)
    for i, (ind, g) in enumerate(drift.groupby("indicator", sort=False)):
        exact = g[g["bound"] == ""]
        ax.plot(exact["release_year"], exact["required_growth_pct"], "o-", color=f"C{i}",
                label=f"{label(ind, lang)} {g['goal'].iloc[0]}")
        b = g[g["bound"] != ""]
        if len(b):
            ax.plot(b["release_year"], b["required_growth_pct"], "v", mfc="none", color=f"C{i}", ms=9)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # data years: 2021, never 2021.5
    ax.set_xlabel(t("release_year", lang))
    ax.set_ylabel(t("required", lang))
    ax.set_title(t("goal_drift", lang))
    ax.legend(fontsize="small")
    return ax

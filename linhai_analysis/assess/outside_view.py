"""The outside view: Linhai's targets and outcomes next to the nation's, Zhejiang's and
Taizhou's (target escalation, 层层加码).

Tables
------
``annual_deflators``
    GDP deflator growth of a place by year, from nominal levels on one benchmark
    and the printed real growth; years whose levels straddle a census revision are
    left empty and say so.
``target_escalation``
    By year and level (全国 → 浙江省 → 台州市 → 临海市): the annual GDP growth target
    as printed, realized real growth, the miss, and the mark-up over the nearest
    level above that has a target (``markup_over`` names it).
``miss_decomposition``
    A county's miss (realized − target) split into ``escalation`` (−(county target −
    reference target)), the reference level's shortfall (realized − target) and the
    ``local_gap`` (county realized − reference realized); the parts sum to ``total``.
``goal_ladder``
    The average growth that each level goal (Linhai 1500亿 by 2026, Taizhou 8000亿 by
    2026, Zhejiang 8.5万亿 by 2025 ...) implies from the base it was set on, next to
    the national annual targets, the IMF's China path known at ``as_of`` and what
    was realized.

A target is an exact threshold: a range (6–6.5%) is represented by its midpoint in
``target_point`` and keeps both ends in ``target_low``/``target_high``.
"""

from __future__ import annotations

import pandas as pd

from ..data.anchors import known_at, latest_forecasts
from ..data.indicators import CATALOG
from ..data.load import restrict_as_of
from ..data.places import DEFAULT_PLACE, get_place, ladder
from ..data.units import convert
from ..models.deflators import (  # noqa: F401
    DEFLATOR_COLUMNS,
    _geo_mean,
    _place_rows,
    annual_deflators,
    average_deflator,
    realized_growth,
)

ESCALATION_COLUMNS = [
    "year", "place", "place_en", "level", "target_low", "target_high", "comparator", "target_point",
    "target_label", "target_source", "target_available", "realized_pct", "realized_source",
    "realized_status", "miss_pp", "markup_pp", "markup_over",
]
DECOMPOSITION_COLUMNS = ["year", "place", "reference", "component", "pp", "note"]
LADDER_COLUMNS = [
    "place", "place_en", "what", "what_en", "period", "years_covered", "avg_growth_pct", "price_basis",
    "real_equivalent_pct", "base_year", "base_value", "goal_value", "unit", "available_date",
    "known_at_as_of", "sources", "note",
]
_SHORTFALL = {"nation": "national_shortfall", "province": "provincial_shortfall",
              "prefecture": "prefectural_shortfall"}


def annual_target(targets: pd.DataFrame, place: str, year: int, indicator: str = "gdp") -> pd.Series | None:
    """The numeric annual growth target of ``place`` for ``year`` (``None`` if none)."""
    t = targets[(targets["place"] == place) & (targets["indicator"] == indicator)
                & (targets["kind"] == "annual_growth_target") & (targets["target_year"] == year)
                & targets["value_low"].notna()]
    return None if t.empty else t.sort_values("available_date", kind="mergesort").iloc[-1]


def target_point(row: pd.Series) -> float:
    """The threshold a target sets: the printed value, or a range's midpoint."""
    hi = row["value_high"]
    return float(row["value_low"]) if pd.isna(hi) else (float(row["value_low"]) + float(hi)) / 2


def _target_label(row: pd.Series) -> str:
    lo, hi = row["value_low"], row["value_high"]
    if row["comparator"] == "range":
        return f"{lo:g}–{hi:g}%"
    return f"{row['comparator']}{lo:g}%"


def target_escalation(obs: pd.DataFrame, targets: pd.DataFrame, *, place: str = DEFAULT_PLACE,
                      indicator: str = "gdp", as_of: str | None = None) -> pd.DataFrame:
    """Annual growth targets and realized growth at every level above ``place``.

    Parameters
    ----------
    obs : pandas.DataFrame
        Processed observations with anchor places (:func:`linhai_analysis.data.load`).
    targets : pandas.DataFrame
        :func:`linhai_analysis.anchors.load_anchor_targets`.
    place : str
        The bottom of the ladder (default 临海市).
    indicator : str
        Catalog code (GDP: real growth targets and outcomes).
    as_of : str, optional
        Information set for targets and outcomes (default: everything).

    Returns
    -------
    pandas.DataFrame
        One row per year with any numeric target on the ladder and per level,
        columns :data:`ESCALATION_COLUMNS`; gaps stay empty.
    """
    obs = restrict_as_of(obs, as_of)
    targets = known_at(targets, as_of)
    levels = ladder(place)
    names = [p.name_zh for p in levels]
    t = targets[targets["place"].isin(names) & (targets["indicator"] == indicator)
                & (targets["kind"] == "annual_growth_target") & targets["value_low"].notna()]
    rows = []
    for year in sorted(int(y) for y in t["target_year"].unique()):
        parent_point, parent_name = None, ""
        for p in levels:
            tg = annual_target(t, p.name_zh, year, indicator)
            rz = realized_growth(obs, p.name_zh, year, indicator)
            point = None if tg is None else target_point(tg)
            real = None if rz is None else float(rz["growth_pct"])
            rows.append({
                "year": year, "place": p.name_zh, "place_en": p.name_en, "level": p.level,
                "target_low": None if tg is None else tg["value_low"],
                "target_high": None if tg is None or pd.isna(tg["value_high"]) else tg["value_high"],
                "comparator": "" if tg is None else tg["comparator"], "target_point": point,
                "target_label": "" if tg is None else _target_label(tg),
                "target_source": "" if tg is None else tg["source_id"],
                "target_available": "" if tg is None else tg["available_date"],
                "realized_pct": real, "realized_source": "" if rz is None else rz["source_id"],
                "realized_status": "" if rz is None else rz["status"],
                "miss_pp": None if point is None or real is None else real - point,
                "markup_pp": None if point is None or parent_point is None else point - parent_point,
                "markup_over": parent_name if point is not None and parent_point is not None else "",
            })
            if point is not None:
                parent_point, parent_name = point, p.name_zh
    return pd.DataFrame(rows, columns=ESCALATION_COLUMNS)


def miss_decomposition(escalation: pd.DataFrame, *, place: str = DEFAULT_PLACE,
                       reference: str = "全国") -> pd.DataFrame:
    """Split ``place``'s miss into escalation, the reference level's shortfall and the
    local gap, for every year where ``place`` has a target and an outcome.

    ``escalation`` = −(target − reference target); ``<level>_shortfall`` = reference
    realized − reference target; ``local_gap`` = realized − reference realized;
    ``total`` = realized − target = the sum of the three. Where the reference level
    lacks a target or an outcome, only ``total`` is given and ``note`` says what is
    missing.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DECOMPOSITION_COLUMNS`.
    """
    ref = get_place(reference)
    shortfall = _SHORTFALL.get(ref.level, "reference_shortfall")
    rows = []
    own = escalation[(escalation["place"] == get_place(place).name_zh)
                     & escalation["target_point"].notna() & escalation["realized_pct"].notna()]
    for _, r in own.iterrows():
        year = int(r["year"])
        above = escalation[(escalation["year"] == year) & (escalation["place"] == ref.name_zh)]
        total = float(r["realized_pct"]) - float(r["target_point"])
        base = {"year": year, "place": r["place"], "reference": ref.name_zh}
        if above.empty or pd.isna(above.iloc[0]["target_point"]) or pd.isna(above.iloc[0]["realized_pct"]):
            missing = [w for w, ok in (("target", not above.empty and pd.notna(above.iloc[0]["target_point"])),
                                       ("outcome", not above.empty and pd.notna(above.iloc[0]["realized_pct"])))
                       if not ok]
            rows.append({**base, "component": "total", "pp": total,
                         "note": f"no {ref.name_zh} {year} {' or '.join(missing)} in the data: not decomposed"})
            continue
        a = above.iloc[0]
        parts = {
            "escalation": -(float(r["target_point"]) - float(a["target_point"])),
            shortfall: float(a["realized_pct"]) - float(a["target_point"]),
            "local_gap": float(r["realized_pct"]) - float(a["realized_pct"]),
        }
        notes = {
            "escalation": f"{r['place']} target {r['target_label']} vs {ref.name_zh} {a['target_label']}",
            shortfall: f"{ref.name_zh} realized {a['realized_pct']:g}% vs target {a['target_label']}",
            "local_gap": f"{r['place']} realized {r['realized_pct']:g}% vs {ref.name_zh} {a['realized_pct']:g}%",
        }
        for comp, pp in parts.items():
            rows.append({**base, "component": comp, "pp": pp, "note": notes[comp]})
        rows.append({**base, "component": "total", "pp": total,
                     "note": f"{r['place']} realized {r['realized_pct']:g}% − target {r['target_label']}"})
    return pd.DataFrame(rows, columns=DECOMPOSITION_COLUMNS)


def _base_level(obs: pd.DataFrame, place: str, year: int, indicator: str, known_by: str) -> pd.Series | None:
    """The level of ``year`` as known when a goal was set (else the earliest later vintage)."""
    rows = _place_rows(obs, place, indicator)
    rows = rows[(rows["year"] == year) & rows["value"].notna() & rows["comparator"].eq("=")]
    if rows.empty:
        return None
    before = rows[rows["available_date"] <= known_by]
    pick = before if not before.empty else rows
    return pick.sort_values(["available_date", "source_precedence"], ascending=[False, True],
                            kind="mergesort").iloc[0]


def goal_ladder(obs: pd.DataFrame, targets: pd.DataFrame, forecasts: pd.DataFrame, *,
                as_of: str | None, place: str = DEFAULT_PLACE, indicator: str = "gdp",
                period: tuple[int, int] = (2022, 2026)) -> pd.DataFrame:
    """Average growth implied by each level goal on the ladder, next to the national
    targets, the IMF's China path known at ``as_of`` and realized growth.

    Level goals (nominal) are converted to the growth they imply from the level of
    the year before their period, as known when the goal was set. Their
    ``real_equivalent_pct`` is derived: nominal growth deflated by the national GDP
    deflator averaged over the five years up to the base year (stated in ``note``).

    Parameters
    ----------
    period : (first, last)
        The years of the county's goal (2022–2026 for the 2022 report); national
        targets, forecasts and outcomes are averaged over these years.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LADDER_COLUMNS`; ``known_at_as_of`` says whether the row's
        figures were public at ``as_of``.
    """
    label = as_of or "latest"
    cut = "9999-12-31" if as_of in (None, "latest") else str(pd.Timestamp(as_of).date())
    names = [p.name_zh for p in ladder(place)]
    canonical = CATALOG[indicator].unit
    nat_defl = annual_deflators(obs, "全国", indicator=indicator)
    rows = []
    goals = targets[targets["place"].isin(names) & (targets["indicator"] == indicator)
                    & (targets["kind"] == "level_target")]
    for _, g in goals.sort_values(["target_year", "place"], kind="mergesort").iterrows():
        p = get_place(g["place"])
        start = int(g["period_start"]) if pd.notna(g["period_start"]) else None
        base_year = (start - 1) if start else None
        b = None if base_year is None else _base_level(obs, p.name_zh, base_year, indicator, g["available_date"])
        goal = convert(float(g["value_low"]), g["unit"], canonical)
        row = {"place": p.name_zh, "place_en": p.name_en,
               "what": f"level goal {g['comparator']}{g['value_low']:g}{g['unit']} by {int(g['target_year'])}",
               "what_en": (f"level goal {g['comparator']}{goal / 10:,.0f} bn yuan by {int(g['target_year'])}"
                           if canonical == "亿元" else f"level goal {g['comparator']}{goal:g} by {int(g['target_year'])}"),
               "period": f"{base_year}->{int(g['target_year'])}" if base_year else "",
               "years_covered": "", "price_basis": "nominal", "base_year": base_year,
               "goal_value": goal, "unit": canonical, "available_date": g["available_date"],
               "known_at_as_of": g["available_date"] <= cut, "avg_growth_pct": None,
               "real_equivalent_pct": None, "base_value": None, "sources": g["source_id"], "note": ""}
        if b is None:
            row["note"] = f"no {base_year} level of {p.name_zh} in the data: implied growth not computed"
        else:
            n = int(g["target_year"]) - base_year
            growth = ((goal / b["value"]) ** (1 / n) - 1) * 100
            d, missing = average_deflator(nat_defl, range(base_year - 4, base_year + 1))
            row.update(avg_growth_pct=growth, base_value=b["value"],
                       sources=f"{g['source_id']};{b['source_id']}")
            note = f"base {b['value']:g} ({base_year}, {b['source_id']}, {b['source_kind']})"
            if d is not None:
                row["real_equivalent_pct"] = ((1 + growth / 100) / (1 + d / 100) - 1) * 100
                note += (f"; real equivalent derived with the national GDP deflator averaged over "
                         f"{base_year - 4}-{base_year} ({d:.2f}% a year"
                         + (f"; no deflator for {', '.join(map(str, missing))}" if missing else "") + ")")
            row["note"] = note
        rows.append(row)
    first, last = period
    years = range(first, last + 1)
    # national annual targets over the period, as set each year
    t_all = targets[(targets["place"] == "全国") & (targets["indicator"] == indicator)
                    & (targets["kind"] == "annual_growth_target") & targets["value_low"].notna()
                    & targets["target_year"].isin(list(years))]
    for known_only in (True, False):
        t = t_all[t_all["available_date"] <= cut] if known_only else t_all
        what = f"national annual targets known at {label}" if known_only else "national annual targets (as set each year)"
        if not known_only and len(t) == len(t_all[t_all["available_date"] <= cut]):
            continue  # identical to the row above
        pts = [target_point(r) for _, r in t.iterrows()]
        rows.append({"place": "全国", "place_en": "China", "what": what, "what_en": what, "period": f"{first}-{last}",
                     "years_covered": ",".join(str(int(y)) for y in t["target_year"]),
                     "avg_growth_pct": _geo_mean(pts) if pts else None, "price_basis": "real",
                     "real_equivalent_pct": _geo_mean(pts) if pts else None,
                     "base_year": None, "base_value": None, "goal_value": None, "unit": "%",
                     "available_date": t["available_date"].max() if len(t) else "",
                     "known_at_as_of": bool(len(t)) and t["available_date"].max() <= cut,
                     "sources": ";".join(t["source_id"]),
                     "note": ("range targets enter at their midpoint" if (t["comparator"] == "range").any() else "")
                     or ("" if pts else f"no national target for {first}-{last} was public at {label}")})
    imf = latest_forecasts(forecasts, as_of)
    imf = imf[imf["target_year"].isin(list(years))]
    rows.append({"place": "全国", "place_en": "China", "what": f"IMF WEO path known at {label}",
                 "what_en": f"IMF WEO path known at {label}",
                 "period": f"{first}-{last}", "years_covered": ",".join(map(str, imf["target_year"])),
                 "avg_growth_pct": _geo_mean(list(imf["value"])) if len(imf) else None,
                 "price_basis": "real",
                 "real_equivalent_pct": _geo_mean(list(imf["value"])) if len(imf) else None,
                 "base_year": None, "base_value": None, "goal_value": None, "unit": "%",
                 "available_date": imf["available_date"].max() if len(imf) else "",
                 "known_at_as_of": True, "sources": ";".join(dict.fromkeys(imf["source_id"])),
                 "note": ("latest WEO vintage for each year: " + ", ".join(
                     f"{y}: {v:g}% ({pub})" for y, v, pub in zip(imf["target_year"], imf["value"], imf["publication"], strict=True)))
                 if len(imf) else f"no IMF forecast for {first}-{last} known at {label}"})
    # realized (ex post: public after the goal was set)
    obs_l = restrict_as_of(obs, as_of)
    for p_name in names:
        rates = [(y, realized_growth(obs_l, p_name, y, indicator)) for y in years]
        got = [(y, float(r["growth_pct"])) for y, r in rates if r is not None]
        if not got:
            continue
        p = get_place(p_name)
        rows.append({"place": p.name_zh, "place_en": p.name_en, "what": "realized real growth",
                     "what_en": "realized real growth",
                     "period": f"{first}-{last}", "years_covered": ",".join(str(y) for y, _ in got),
                     "avg_growth_pct": _geo_mean([r for _, r in got]), "price_basis": "real",
                     "real_equivalent_pct": _geo_mean([r for _, r in got]), "base_year": None,
                     "base_value": None, "goal_value": None, "unit": "%",
                     "available_date": max(r["available_date"] for _, r in rates if r is not None),
                     "known_at_as_of": True,
                     "sources": ";".join(dict.fromkeys(r["source_id"] for _, r in rates if r is not None)),
                     "note": "average of the printed annual rates of the years covered"})
    return pd.DataFrame(rows, columns=LADDER_COLUMNS)


def findings(escalation: pd.DataFrame, decomposition: pd.DataFrame, ladder_df: pd.DataFrame,
             place: str = DEFAULT_PLACE) -> list[str]:
    """Plain-language conclusions of the outside view, each computed from the tables.

    Parameters
    ----------
    escalation, decomposition, ladder_df : pandas.DataFrame
        Outputs of :func:`target_escalation`, :func:`miss_decomposition` (national
        reference) and :func:`goal_ladder`.
    """
    out = []
    for year, g in decomposition.groupby("year", sort=True):
        parts = dict(zip(g["component"], g["pp"], strict=True))
        if len(parts) == 4:
            short = next(k for k in parts if k.endswith("_shortfall"))
            out.append(
                f"{year}: {place} missed its GDP target by {parts['total']:+.1f} pp; "
                f"{parts['escalation']:+.1f} pp came from setting the target above the national one "
                f"(escalation), {parts[short]:+.1f} pp from the national shortfall, and "
                f"{parts['local_gap']:+.1f} pp is the local gap (realized growth against the nation's).")
    goals = ladder_df[ladder_df["what"].str.startswith("level goal") & ladder_df["avg_growth_pct"].notna()]
    for _, r in goals.iterrows():
        real = (f" (about {r['real_equivalent_pct']:.1f}% in real terms, derived)"
                if pd.notna(r["real_equivalent_pct"]) else "")
        out.append(f"{r['place']} {r['what']} implies {r['avg_growth_pct']:.1f}% nominal growth a year "
                   f"over {r['period']}{real}.")
    for _, r in ladder_df[ladder_df["place"].eq("全国") & ~ladder_df["what"].str.startswith("level goal")].iterrows():
        if pd.notna(r["avg_growth_pct"]):
            out.append(f"China, {r['what']}: {r['avg_growth_pct']:.1f}% a year (real; {r['years_covered']}).")
    return out


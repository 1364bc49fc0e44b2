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

from ..data.indicators import CATALOG
from ..data.places import DEFAULT_PLACE, get_place, ladder
from ..data.units import convert
from ..data.vintage import Vintage
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
    "real_equivalent_pct", "base_year", "base_value", "set_base_year", "set_base_value", "set_growth_pct",
    "goal_value", "unit", "available_date", "known_at_as_of", "sources", "note",
]
_ADJ = {"nation": "national", "province": "provincial", "prefecture": "prefectural"}
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


def target_escalation(vintage: Vintage, *, place: str = DEFAULT_PLACE, indicator: str = "gdp") -> pd.DataFrame:
    """Annual growth targets and realized growth at every level above ``place``.

    Parameters
    ----------
    vintage : Vintage
        Information set: its observations (all places) and its targets; the latest one
        for the whole record. ``target_available`` says when each target was announced.
    place : str
        The bottom of the ladder (default 临海市).
    indicator : str
        Catalog code (GDP: real growth targets and outcomes).

    Returns
    -------
    pandas.DataFrame
        One row per year with any numeric target on the ladder and per level,
        columns :data:`ESCALATION_COLUMNS`; gaps stay empty.
    """
    obs, targets = vintage.observations, vintage.targets
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


def target_hit_rate(escalation: pd.DataFrame) -> tuple[float | None, int]:
    """Share of the annual growth targets on the ladder that were met (realized ≥ the
    target's threshold), over every (year, level) with both a target and an outcome in
    the table: the base rate of "target met". Pass the escalation table of an ex-ante
    vintage for a base rate known at that date.

    Returns
    -------
    (rate, n)
        ``rate`` is ``None`` when ``n`` is 0.
    """
    both = escalation.dropna(subset=["target_point", "realized_pct"])
    if both.empty:
        return None, 0
    met = both["realized_pct"].astype(float) >= both["target_point"].astype(float)
    return float(met.mean()), len(both)


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
        when = (f"; {r['place']}'s target announced {r.get('target_available') or 'undated'}, "
                f"{ref.name_zh}'s {a.get('target_available') or 'undated'}")
        notes = {
            "escalation": f"{r['place']} target {r['target_label']} vs {ref.name_zh} {a['target_label']}{when}",
            shortfall: f"{ref.name_zh} realized {a['realized_pct']:g}% vs target {a['target_label']}",
            "local_gap": f"{r['place']} realized {r['realized_pct']:g}% vs {ref.name_zh} {a['realized_pct']:g}%",
        }
        for comp, pp in parts.items():
            rows.append({**base, "component": comp, "pp": pp, "note": notes[comp]})
        rows.append({**base, "component": "total", "pp": total,
                     "note": f"{r['place']} realized {r['realized_pct']:g}% − target {r['target_label']}"})
    return pd.DataFrame(rows, columns=DECOMPOSITION_COLUMNS)


def _levels(obs: pd.DataFrame, place: str, indicator: str) -> pd.DataFrame:
    """Exact levels of a place, the preferred one of each year."""
    rows = _place_rows(obs, place, indicator)
    rows = rows[rows["value"].notna() & rows["comparator"].eq("=")]
    return rows.sort_values(["year", "is_preferred", "source_precedence"], ascending=[True, False, True],
                            kind="mergesort").drop_duplicates("year")


def _in(row: pd.Series, table: pd.DataFrame, keys: tuple[str, ...]) -> bool:
    """Whether a row of one vintage's table is also in another vintage's (same keys)."""
    if table.empty:
        return False
    m = pd.Series(True, index=table.index)
    for k in keys:
        m &= table[k].astype(str) == str(row[k])
    return bool(m.any())


def goal_ladder(vintage: Vintage, *, place: str = DEFAULT_PLACE, indicator: str = "gdp",
                period: tuple[int, int] = (2022, 2026), ex_ante: Vintage | None = None) -> pd.DataFrame:
    """Average growth implied by each level goal on the ladder, next to the national
    targets, the IMF's China path and realized growth, all as held in ``vintage``.

    Level goals for a year from the period's first on enter. A level goal (nominal) is
    converted to the growth **still needed** from the latest
    level the vintage holds (``base_year``/``base_value``): at 2022-02-17 Zhejiang's 2021
    level, not the 2020 base the goal was set on (that one is kept in ``set_base_*`` and
    ``set_growth_pct``). Its ``real_equivalent_pct`` is derived: nominal growth deflated
    by the national GDP deflator averaged over the five latest years with a deflator in
    the vintage, up to the base year (stated in ``note``): only deflators known at the
    vintage's date enter.

    Parameters
    ----------
    vintage : Vintage
        The information set (``Vintage.load(as_of)``; the latest one for the record).
    period : (first, last)
        The years of the county's goal (2022–2026 for the 2022 report); national
        targets, forecasts and outcomes are averaged over these years.
    ex_ante : Vintage, optional
        When given, ``known_at_as_of`` says whether each row's target or forecast is
        also in this (earlier) vintage; otherwise every row is known at the vintage's date.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LADDER_COLUMNS`.
    """
    label = vintage.label
    obs, targets = vintage.observations, vintage.targets
    names = [p.name_zh for p in ladder(place)]
    canonical = CATALOG[indicator].unit
    nat_defl = annual_deflators(obs, "全国", indicator=indicator)
    keys = ("place", "indicator", "kind", "target_year", "source_id")
    known = (lambda r: True) if ex_ante is None else (lambda r: _in(r, ex_ante.targets, keys))
    rows = []
    goals = targets[targets["place"].isin(names) & (targets["indicator"] == indicator)
                    & (targets["kind"] == "level_target") & (targets["target_year"] >= period[0])]
    for _, g in goals.sort_values(["target_year", "place"], kind="mergesort").iterrows():
        p = get_place(g["place"])
        start = int(g["period_start"]) if pd.notna(g["period_start"]) else None
        set_year = (start - 1) if start else None
        goal = convert(float(g["value_low"]), g["unit"], canonical)
        lv = _levels(obs, p.name_zh, indicator)
        set_b = lv[lv["year"] == set_year] if set_year else lv.iloc[:0]
        latest = lv[(lv["year"] >= (set_year or 0)) & (lv["year"] < int(g["target_year"]))]
        row = {"place": p.name_zh, "place_en": p.name_en,
               "what": f"level goal {g['comparator']}{g['value_low']:g}{g['unit']} by {int(g['target_year'])}",
               "what_en": (f"level goal {g['comparator']}{goal / 10:,.0f} bn yuan by {int(g['target_year'])}"
                           if canonical == "亿元" else f"level goal {g['comparator']}{goal:g} by {int(g['target_year'])}"),
               "period": "", "years_covered": "", "price_basis": "nominal", "base_year": None,
               "goal_value": goal, "unit": canonical, "available_date": g["available_date"],
               "known_at_as_of": known(g), "avg_growth_pct": None, "real_equivalent_pct": None,
               "base_value": None, "set_base_year": set_year, "set_base_value": None, "set_growth_pct": None,
               "sources": g["source_id"], "note": ""}
        notes = []
        if len(set_b):
            sb = set_b.iloc[0]
            row.update(set_base_value=float(sb["value"]),
                       set_growth_pct=((goal / sb["value"]) ** (1 / (int(g["target_year"]) - set_year)) - 1) * 100)
            notes.append(f"set on the {set_year} base {sb['value']:g} ({sb['source_id']}, {sb['source_kind']}): "
                         f"{row['set_growth_pct']:.2f}% a year")
        if latest.empty:
            notes.append(f"no level of {p.name_zh} from {set_year} on in the {label} data: growth still needed "
                         "not computed")
        else:
            b = latest.iloc[-1]
            by = int(b["year"])
            n = int(g["target_year"]) - by
            growth = ((goal / b["value"]) ** (1 / n) - 1) * 100
            row.update(base_value=float(b["value"]), base_year=by, period=f"{by}->{int(g['target_year'])}",
                       sources=f"{g['source_id']};{b['source_id']}")
            if b["value"] >= goal:
                notes.insert(0, f"already reached: {b['value']:g} in {by} ({b['source_id']})")
                row["note"] = "; ".join(notes)
                rows.append(row)
                continue
            row["avg_growth_pct"] = growth
            notes.insert(0, f"still needed from the latest level known at {label}: {b['value']:g} ({by}, "
                            f"{b['source_id']}, {b['source_kind']})")
            dd = nat_defl.dropna(subset=["deflator_pct"])
            dd = dd[dd["year"] <= by].sort_values("year").tail(5)
            if len(dd):
                d, _ = average_deflator(dd, list(dd["year"]))
                row["real_equivalent_pct"] = ((1 + growth / 100) / (1 + d / 100) - 1) * 100
                yrs = list(dd["year"].astype(int))
                notes.append(f"real equivalent derived with the national GDP deflator known at {label}, averaged "
                             f"over {', '.join(map(str, yrs))} ({d:.2f}% a year)")
            else:
                notes.append(f"no national deflator known at {label}: no real equivalent")
        row["note"] = "; ".join(notes)
        rows.append(row)
    first, last = period
    years = range(first, last + 1)
    t = targets[(targets["place"] == "全国") & (targets["indicator"] == indicator)
                & (targets["kind"] == "annual_growth_target") & targets["value_low"].notna()
                & targets["target_year"].isin(list(years))]
    pts = [target_point(r) for _, r in t.iterrows()]
    what = f"national annual targets known at {label}"
    rows.append({"place": "全国", "place_en": "China", "what": what, "what_en": what, "period": f"{first}-{last}",
                 "years_covered": ",".join(str(int(y)) for y in t["target_year"]),
                 "avg_growth_pct": _geo_mean(pts) if pts else None, "price_basis": "real",
                 "real_equivalent_pct": _geo_mean(pts) if pts else None,
                 "base_year": None, "base_value": None, "goal_value": None, "unit": "%",
                 "available_date": t["available_date"].max() if len(t) else "",
                 "known_at_as_of": bool(len(t)) and all(known(r) for _, r in t.iterrows()),
                 "sources": ";".join(t["source_id"]),
                 "note": ("announced " + ", ".join(f"{int(r['target_year'])}: {r['available_date']}"
                                                   for _, r in t.iterrows())
                          + ("; range targets enter at their midpoint" if (t["comparator"] == "range").any() else ""))
                 if pts else f"no national target for {first}-{last} was public at {label}"})
    imf = vintage.latest_forecasts()
    imf = imf[imf["target_year"].isin(list(years))]
    imf_known = ex_ante is None or all(_in(r, ex_ante.forecasts, ("target_year", "source_id"))
                                       for _, r in imf.iterrows())
    rows.append({"place": "全国", "place_en": "China", "what": f"IMF WEO path known at {label}",
                 "what_en": f"IMF WEO path known at {label}",
                 "period": f"{first}-{last}", "years_covered": ",".join(map(str, imf["target_year"])),
                 "avg_growth_pct": _geo_mean(list(imf["value"])) if len(imf) else None,
                 "price_basis": "real",
                 "real_equivalent_pct": _geo_mean(list(imf["value"])) if len(imf) else None,
                 "base_year": None, "base_value": None, "goal_value": None, "unit": "%",
                 "available_date": imf["available_date"].max() if len(imf) else "",
                 "known_at_as_of": bool(len(imf)) and imf_known, "sources": ";".join(dict.fromkeys(imf["source_id"])),
                 "note": ("latest WEO vintage for each year: " + ", ".join(
                     f"{y}: {v:g}% ({pub})" for y, v, pub in zip(imf["target_year"], imf["value"], imf["publication"], strict=True)))
                 if len(imf) else f"no IMF forecast for {first}-{last} known at {label}"})
    # realized (ex post: public after the goal was set)
    for p_name in names:
        rates = [(y, realized_growth(obs, p_name, y, indicator)) for y in years]
        got = [(y, float(r["growth_pct"])) for y, r in rates if r is not None]
        if not got:
            continue
        p = get_place(p_name)
        missing = [y for y, r in rates if r is None]
        covered = ", ".join(str(y) for y, _ in got)
        what = "realized real growth" + (f" ({covered} only)" if missing else "")
        rows.append({"place": p.name_zh, "place_en": p.name_en, "what": what, "what_en": what,
                     "period": f"{first}-{last}", "years_covered": ",".join(str(y) for y, _ in got),
                     "avg_growth_pct": _geo_mean([r for _, r in got]), "price_basis": "real",
                     "real_equivalent_pct": _geo_mean([r for _, r in got]), "base_year": None,
                     "base_value": None, "goal_value": None, "unit": "%",
                     "available_date": max(r["available_date"] for _, r in rates if r is not None),
                     "known_at_as_of": ex_ante is None,
                     "sources": ";".join(dict.fromkeys(r["source_id"] for _, r in rates if r is not None)),
                     "note": (f"average of the printed annual rates of {covered}"
                              + (f" only: no rate for {', '.join(map(str, missing))} in the data" if missing else ""))})
    return pd.DataFrame(rows, columns=LADDER_COLUMNS)


def findings(escalation: pd.DataFrame, decomposition: pd.DataFrame, ladder_df: pd.DataFrame,
             place: str = DEFAULT_PLACE) -> list[str]:
    """Plain-language conclusions of the outside view, each computed from the tables,
    saying what was known when (the day each level's target was announced).

    Parameters
    ----------
    escalation, decomposition, ladder_df : pandas.DataFrame
        Outputs of :func:`target_escalation`, :func:`miss_decomposition` (national
        reference) and :func:`goal_ladder`.
    """
    out = []
    me = get_place(place)
    for year, g in decomposition.groupby("year", sort=True):
        parts = dict(zip(g["component"], g["pp"], strict=True))
        if len(parts) != 4:
            continue
        short = next(k for k in parts if k.endswith("_shortfall"))
        ref = get_place(g["reference"].iloc[0])
        adj = _ADJ.get(ref.level, ref.name_en)
        e = escalation[escalation["year"] == year].set_index("place")
        own_day = e.loc[me.name_zh, "target_available"] if me.name_zh in e.index else ""
        ref_day = e.loc[ref.name_zh, "target_available"] if ref.name_zh in e.index else ""
        ref_label = e.loc[ref.name_zh, "target_label"] if ref.name_zh in e.index else ""
        timing = ""
        if own_day and ref_day:
            timing = (f" The {adj} target ({ref_label}) was announced on {ref_day}, "
                      + ("after" if ref_day > own_day else "before") + f" {me.name_en}'s report of {own_day}"
                      + (": the mark-up is measured against a target that was not yet known when "
                         f"{me.name_en} set its own" if ref_day > own_day else "") + ".")
        dated = [f"{get_place(pl).name_en} {r['target_available']}" for pl, r in e.iterrows()
                 if pd.notna(r["target_point"]) and r["target_available"]]
        dated += [f"{get_place(r['place']).name_en}'s report with its {r['what_en'].removeprefix('level goal ')} "
                  f"{r['available_date']} (no {year} growth target of it in the data)"
                  for _, r in ladder_df.iterrows()
                  if str(r["what"]).startswith("level goal") and pd.notna(r.get("set_base_year"))
                  and r.get("set_base_year") == year - 1 and r["place"] not in set(e.index[e["target_point"].notna()])
                  and r["place"] != me.name_zh]
        out.append(
            f"{year}: {me.name_en} missed its GDP target by {parts['total']:+.1f} pp; "
            f"{parts['escalation']:+.1f} pp is the distance between its target and the {adj} one "
            f"(escalation), {parts[short]:+.1f} pp the {adj} shortfall and "
            f"{parts['local_gap']:+.1f} pp the local gap (its realized growth against the {adj} one)."
            + timing + (f" What was announced when: {'; '.join(dated)}." if dated else ""))
    goals = ladder_df[ladder_df["what"].str.startswith("level goal") & ladder_df["avg_growth_pct"].notna()]
    for _, r in goals.iterrows():
        real = (f" (about {r['real_equivalent_pct']:.1f}% in real terms, derived)"
                if pd.notna(r["real_equivalent_pct"]) else "")
        out.append(f"{r['place']} {r['what']} still needs {r['avg_growth_pct']:.1f}% nominal growth a year "
                   f"over {r['period']}{real}.")
    for _, r in ladder_df[ladder_df["place"].eq("全国") & ~ladder_df["what"].str.startswith("level goal")].iterrows():
        if pd.notna(r["avg_growth_pct"]):
            out.append(f"China, {r['what']}: {r['avg_growth_pct']:.1f}% a year (real; {r['years_covered']}).")
    return out

"""GDP deflators: nominal level growth over printed real growth, by year and on average.

Chinese GDP growth is printed at comparable (real) prices and levels are nominal; their
ratio is the implied deflator. Used by the reconciliation (a CAGR of nominal levels
against a real growth claim), the outside view (real equivalents of nominal goals)
and the anchored model (nominal paths from real anchors).
"""

from __future__ import annotations

import pandas as pd

from .growth import chained_growth, level_interval, printed_interval

DEFLATOR_COLUMNS = [
    "place", "year", "nominal_growth_pct", "real_growth_pct", "deflator_pct", "deflator_low",
    "deflator_high", "levels", "benchmark", "sources", "note",
]

def _place_rows(obs: pd.DataFrame, place: str, indicator: str) -> pd.DataFrame:
    return obs[(obs["place"] == place) & (obs["indicator"] == indicator)]


def realized_growth(obs: pd.DataFrame, place: str, year: int, indicator: str = "gdp") -> pd.Series | None:
    """The printed growth of ``indicator`` in ``place`` and ``year`` (real, at comparable
    prices, for GDP): the source of highest precedence, then the latest vintage."""
    rows = _place_rows(obs, place, indicator)
    rows = rows[(rows["year"] == year) & rows["growth_pct"].notna()]
    if rows.empty:
        return None
    return rows.sort_values(["source_precedence", "available_date"], ascending=[True, False],
                            kind="mergesort").iloc[0]


def annual_deflators(obs: pd.DataFrame, place: str, *, indicator: str = "gdp") -> pd.DataFrame:
    """GDP deflator growth by year: (nominal level growth) / (1 + real growth) − 1.

    Both levels come from one benchmark (a revised level of the earlier year is used
    when the later year is on the revised basis); a year whose levels straddle a
    census revision gets no deflator and a note. ``deflator_low``/``_high`` carry the
    rounding of every printed input. For what was known on a date pass the observations
    of that date's vintage (``Vintage.observations``); nothing here filters by date.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`DEFLATOR_COLUMNS`, one row per year with a printed real growth.
    """
    obs = _place_rows(obs, place, indicator)  # every lookup below is within these rows
    rows_all = obs
    exact = rows_all[rows_all["value"].notna() & rows_all["comparator"].eq("=")]
    out = []
    for year in sorted(int(y) for y in rows_all.loc[rows_all["growth_pct"].notna(), "year"].unique()):
        g = realized_growth(obs, place, year, indicator)
        cur = exact[exact["year"] == year].sort_values(["is_preferred", "source_precedence"],
                                                       ascending=[False, True], kind="mergesort")
        base = {"place": place, "year": year, "real_growth_pct": float(g["growth_pct"]),
                "nominal_growth_pct": None, "deflator_pct": None, "deflator_low": None,
                "deflator_high": None, "levels": "", "benchmark": "", "sources": g["source_id"], "note": ""}
        if cur.empty:
            out.append({**base, "note": f"no {year} level"})
            continue
        prev = exact[(exact["year"] == year - 1)]
        pair = None
        for _, now in cur.iterrows():  # preferred level first; else an older vintage of it
            same = prev[prev["benchmark"] == now["benchmark"]]
            if len(same):
                # the earlier level as published by the time of the later one (same vintage)
                known = same[same["available_date"] <= now["available_date"]]
                pick = known if len(known) else same
                pair = (pick.sort_values(["available_date", "source_precedence"], ascending=[False, True],
                                         kind="mergesort").iloc[0], now)
                break
        if pair is None:
            now = cur.iloc[0]
            why = (f"the {year - 1} level is on another benchmark ({prev.iloc[0]['benchmark']}; "
                   f"{year}: {now['benchmark']}): the level growth mixes the census revision with the economy"
                   if len(prev) else f"no {year - 1} level")
            out.append({**base, "benchmark": now["benchmark"], "note": why})
            continue
        a, now = pair
        nominal = (now["value"] / a["value"] - 1) * 100
        real_iv = printed_interval(g["growth_as_printed"])
        lv0, lv1 = level_interval(a), level_interval(now)
        lo = ((lv1.lo / lv0.hi) / (1 + real_iv.hi / 100) - 1) * 100
        hi = ((lv1.hi / lv0.lo) / (1 + real_iv.lo / 100) - 1) * 100
        out.append({**base, "nominal_growth_pct": nominal,
                    "deflator_pct": ((1 + nominal / 100) / (1 + float(g["growth_pct"]) / 100) - 1) * 100,
                    "deflator_low": lo, "deflator_high": hi,
                    "levels": f"{a['value']:,.0f} → {now['value']:,.0f}", "benchmark": now["benchmark"],
                    "sources": ";".join(dict.fromkeys([a["source_id"], now["source_id"], g["source_id"]]))})
    return pd.DataFrame(out, columns=DEFLATOR_COLUMNS)


def average_deflator(deflators: pd.DataFrame, years: range | list[int]) -> tuple[float | None, list[int]]:
    """Geometric-mean deflator growth (percent) over the ``years`` that have one, and
    the years that have none."""
    d = deflators.dropna(subset=["deflator_pct"])
    d = d[d["year"].isin(list(years))]
    missing = [y for y in years if y not in set(d["year"])]
    if d.empty:
        return None, missing
    return _geo_mean(list(d["deflator_pct"])), missing


def _geo_mean(rates: list[float]) -> float:
    """Average annual rate (percent) of exact annual rates: the geometric mean of indices."""
    return chained_growth(rates).lo

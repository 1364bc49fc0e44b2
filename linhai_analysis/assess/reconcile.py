"""Reconcile retrospective claims with the observation series.

One row per figure-bearing retrospective claim, with the formula used, the claimed
and computed intervals, a verdict, the gap, the sources used and whether any of
them is independent of the report's publisher, and a sentence that explains it.

Verdicts
--------
consistent
    The figure computed from the printed inputs rounds to the printed claim.
consistent_within_rounding
    Not that, but the claimed and computed intervals overlap.
discrepancy
    The intervals do not overlap; ``gap`` and ``gap_pct`` say by how much.
basis_mismatch
    The data measure something else (real claim, nominal levels only; 亿美元 vs 亿元).
not_checkable
    The data needed are missing; the explanation names them.

A figure taken from the claim's own document never confirms the claim: such rows
are ``not_checkable`` unless another document supplies an input.

Scope and labels
----------------
A figure about a sub-area (a development zone inside the county: an indicator whose
``scope`` is ``sub_area``, or a claim or observation whose ``sub_area`` column names
one) is compared only with figures of the same sub-area, never with the whole
place's. A growth claim printed 同口径 (``growth_basis`` ``like_for_like``) is not the
plain change in levels: against levels it is a ``basis_mismatch``. Every verdict
that rests on a third-party source (``source_kind`` ``third_party``) or a
low-reliability one (``source_reliability`` ``low`` in the observations, see
:func:`linhai_analysis.data.place_files.source_reliability`) says so in
``verdict_text`` and ``source_caveats``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..data.indicators import CATALOG, row_sub_area
from ..data.places import DEFAULT_PLACE, canonical_place
from ..data.units import convert, get_unit
from ..data.vintage import Vintage
from ..models.growth import (
    Interval,
    cagr,
    cagr_interval,
    chained_growth,
    check_first_crossing,
    check_multiple,
    implied_base,
    implied_deflator,
    level_interval,
    printed_interval,
    ratio_interval,
    rounds_to,
)

RETRO_KINDS = ("level", "yoy_growth", "avg_growth", "from_to", "multiple", "threshold", "share", "count")
RESULT_COLUMNS = [
    "claim_id", "report", "place", "indicator", "indicator_text", "kind", "period_start", "period_end",
    "claimed", "claimed_low", "claimed_high", "computed_low", "computed_high", "verdict", "gap",
    "gap_pct", "verdict_text", "formula", "sources", "source_kinds", "independent", "evidence",
    "vintages", "benchmark_break",
    "implied_base_low", "implied_base_high", "published_base", "implied_revision_pct",
    "implied_deflator_low", "implied_deflator_high", "deflator_band_low", "deflator_band_high",
    "deflator_anchor_avg", "deflator_anchor_years", "caliber_note", "sub_area", "source_caveats",
    "explanation", "inputs",
]
#: Places whose GDP deflators bound a county's implied deflator (the outside view).
DEFLATOR_ANCHORS = ("全国", "浙江省")
#: What a verdict means when no source independent of the government's reports exists.
OWN_REPORTS = "agrees with the government's own earlier reports"
#: Relative width given to 近/约 (≈) claims, which print no precision. An assumption.
APPROX_PCT = 5.0


@dataclass
class _Result:
    verdict: str = "not_checkable"
    formula: str = ""
    computed: Interval | None = None
    used: list[pd.Series] = field(default_factory=list)
    explanation: str = ""
    extra: dict = field(default_factory=dict)


def claims_from_table(df: pd.DataFrame) -> pd.DataFrame:
    """Turn a transcribed claims table (``other_report_claims.csv`` shape: source_id,
    indicator, kind, value, unit, period_start, period_end, note) into the claims
    shape that :func:`reconcile` takes.

    ``from_to`` rows there give (from year, to year); the claims shape uses the growth
    convention (``period_start`` = first year of change), so one year is added.
    """
    rows = []
    for i, r in df.reset_index(drop=True).iterrows():
        value_text, value_from = str(r["value"]), None
        if r["kind"] == "from_to":
            a, b = value_text.split("->")
            value_from, value_text = float(a), b
        p0, p1 = int(r["period_start"]), int(r["period_end"])
        if r["kind"] == "from_to":
            p0 += 1
        rows.append({
            "claim_id": f"{r['source_id']}-{i + 1:03d}", "report": r["source_id"], "place": DEFAULT_PLACE,
            "indicator": r["indicator"], "indicator_text": CATALOG[r["indicator"]].name_zh,
            "kind": r["kind"], "value": float(value_text), "value_from": value_from,
            "value_text": value_text, "unit": r["unit"], "comparator": "=",
            "ref_year": p1, "period_start": p0, "period_end": p1, "text": r.get("note", ""),
        })
    return pd.DataFrame(rows)


def _obs(obs: pd.DataFrame, indicator: str, year: int, exclude: str | None = None) -> pd.Series | None:
    """The preferred exact level for (indicator, year); ``exclude`` drops one source,
    falling back to it only if nothing else exists (the caller checks independence)."""
    rows = obs[(obs["indicator"] == indicator) & (obs["year"] == year) & obs["value"].notna()
               & obs["comparator"].eq("=")]
    if rows.empty:
        return None
    other = rows[rows["source_id"] != exclude] if exclude else rows
    pick = other if not other.empty else rows
    pref = pick[pick["is_preferred"]]
    return (pref if not pref.empty else pick.sort_values("source_precedence")).iloc[0]


def _annual_real_rate(obs: pd.DataFrame, indicator: str, year: int) -> pd.Series | None:
    rows = obs[(obs["indicator"] == indicator) & (obs["year"] == year) & obs["growth_pct"].notna()]
    rows = rows[rows["growth_basis"].isin(["comparable", "unknown"])]
    return None if rows.empty else rows.sort_values("source_precedence").iloc[0]


def input_text(u: pd.Series) -> str:
    """One figure a check used, as a reader needs it: year, value as printed (level or
    growth), source, document date and source kind."""
    if u.get("value") is not None and pd.notna(u.get("value")) and str(u.get("value_as_printed", "")).strip():
        what = f"{u['value_as_printed']}{u.get('unit_as_printed', '') or u.get('unit', '')}"
    else:
        what = f"growth {u.get('growth_as_printed', u.get('growth_pct'))}%"
    date = u.get("document_date", "") or "undated"
    return f"{u['year']}: {what} ({u['source_id']}, {date}, {u['source_kind']})"


def _fmt(iv: Interval | None, d: int = 2) -> str:
    return "n/a" if iv is None else f"[{iv.lo:.{d}f}, {iv.hi:.{d}f}]"


def _missing(ind: str, years: list[int], what: str = "level") -> str:
    ys = ", ".join(map(str, years))
    name = f"{CATALOG[ind].name_en} ({CATALOG[ind].name_zh})" if ind in CATALOG else ind
    return f"no published {what} of {name} for {ys}"


def deflator_band(obs_all: pd.DataFrame, years: range) -> tuple[Interval | None, str]:
    """Range of the annual GDP deflators of :data:`DEFLATOR_ANCHORS` over ``years``
    (from their nominal levels and real growth), and a sentence describing it.

    The band is [lowest, highest] annual deflator of the anchors in those years: a
    county's average deflator outside every anchor's annual range is implausible.
    """
    from ..models.deflators import annual_deflators, average_deflator

    vals, parts = [], []
    for place in DEFLATOR_ANCHORS:
        d = annual_deflators(obs_all, place)
        d = d[d["year"].isin(list(years))].dropna(subset=["deflator_pct"])
        avg, missing = average_deflator(d, years)
        if avg is None:
            continue
        vals.extend(d["deflator_pct"])
        parts.append(f"{place} average {avg:.2f}% (annual {d['deflator_pct'].min():.2f} to "
                     f"{d['deflator_pct'].max():.2f}%"
                     + (f"; none for {', '.join(map(str, missing))}" if missing else "") + ")")
    if not vals:
        return None, f"no anchor deflator for {years.start}-{years.stop - 1} in the data"
    return Interval(min(vals), max(vals)), "; ".join(parts)


def deflator_averages(obs_all: pd.DataFrame, years: range) -> list[tuple[str, float, list[int]]]:
    """Average (geometric mean) annual GDP deflator of each of :data:`DEFLATOR_ANCHORS`
    over the years of ``years`` that have one: ``(place, average %, years used)``.

    An implied *average* deflator is compared with these averages, never with the
    range of single-year deflators (a single year can be far from any average)."""
    from ..models.deflators import annual_deflators, average_deflator

    out = []
    for place in DEFLATOR_ANCHORS:
        d = annual_deflators(obs_all, place)
        d = d[d["year"].isin(list(years))].dropna(subset=["deflator_pct"])
        avg, missing = average_deflator(d, years)
        if avg is not None:
            out.append((place, avg, [y for y in years if y not in missing]))
    return out


def _span(years: list[int]) -> str:
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
    return ", ".join(map(str, years))


def _check_growth(c: pd.Series, obs: pd.DataFrame, claimed: Interval,
                  obs_all: pd.DataFrame | None = None) -> _Result:
    ind = CATALOG[c["indicator"]]
    p0, p1 = int(c["period_start"]), int(c["period_end"])
    n = p1 - p0 + 1
    base_year = p0 - 1
    own = c["report"]
    res = _Result()
    end = _obs(obs, ind.code, p1)
    base = _obs(obs, ind.code, base_year, exclude=own)
    # back-cast: the base level the claim implies, against the one published at the time
    if end is not None:
        ib = implied_base(level_interval(end), claimed, n)
        res.extra.update(implied_base_low=ib.lo, implied_base_high=ib.hi)
        if base is not None and base["source_id"] != own:
            pb = base["value"]
            res.extra.update(published_base=pb,
                             implied_revision_pct=(ib.mid / pb - 1) * 100)
    if ind.growth == "real":
        rates = [_annual_real_rate(obs, ind.code, y) for y in range(p0, p1 + 1)]
        if all(r is not None for r in rates):
            res.used = list(rates)
            res.computed = chained_growth([printed_interval(r["growth_as_printed"]) for r in rates])
            res.extra["point"] = chained_growth([Interval(r["growth_pct"], r["growth_pct"]) for r in rates]).lo
            res.formula = f"geometric mean of comparable-price indices {p0}-{p1}"
            return res
        missing = [y for y, r in zip(range(p0, p1 + 1), rates, strict=True) if r is None]
        if end is not None and base is not None:
            nominal = cagr_interval(level_interval(base), level_interval(end), n)
            defl = implied_deflator(nominal, claimed)
            res.used = [base, end]
            res.verdict = "basis_mismatch"
            res.computed = nominal
            res.formula = f"nominal CAGR of levels {base_year}->{p1} (not comparable with a real rate)"
            pool = obs if obs_all is None else obs_all
            band, _ = deflator_band(pool, range(p0, p1 + 1))
            res.extra.update(implied_deflator_low=defl.lo, implied_deflator_high=defl.hi)
            if band is not None:
                res.extra.update(deflator_band_low=band.lo, deflator_band_high=band.hi)
            avgs = deflator_averages(pool, range(p0, p1 + 1))
            census = base["benchmark"] != end["benchmark"]
            if not avgs:
                judged = f"; no anchor deflator for {p0}-{p1} in the data, so it is not judged"
            else:
                from ..data.places import get_place

                place0, avg0, used0 = avgs[0]
                name0 = get_place(place0).name_en
                res.extra.update(deflator_anchor_avg=avg0, deflator_anchor_years=_span(used0))
                gap = defl.mid - avg0
                others = "".join(f"; {get_place(pl).name_en}'s {a:.2f}% ({_span(u)})" for pl, a, u in avgs[1:])
                missing0 = [y for y in range(p0, p1 + 1) if y not in used0]
                judged = (f". Average against average: {name0}'s GDP deflator averaged {avg0:.2f}% a year over "
                          f"{_span(used0)}" + (f" ({', '.join(map(str, missing0))} not in the data as of then)"
                                               if missing0 else "") + f"{others}; the implied average is "
                          f"{abs(gap):.1f} pp {'above' if gap > 0 else 'below'} {name0}'s")
                if gap > 0.5 and census:
                    judged += (", a gap that points to the census revision: the "
                               f"{base_year} level predates it and the {p1} level includes it, so the nominal "
                               "CAGR carries the census uplift of the level as well as prices")
                elif abs(gap) <= 0.5:
                    judged += ", close to it"
            brk = "" if base["benchmark"] == end["benchmark"] else (
                f" The two levels are on different benchmarks ({base_year}: {base['benchmark']}; "
                f"{p1}: {end['benchmark']})" + (", as above." if "census revision" in judged else
                                                 ", so the nominal CAGR also carries the census revision."))
            res.explanation = (
                f"The claim is real growth at comparable prices; only nominal levels exist "
                f"({base['value']:g} in {base_year}, {end['value']:g} in {p1}), whose CAGR is "
                f"{_fmt(nominal)}%. Together they imply an average deflator of {_fmt(defl)}% a year"
                f"{judged}. A check needs the comparable-price indices "
                f"for {', '.join(map(str, missing))}.{brk}")
            return res
        res.explanation = (f"The claim is real growth; {_missing(ind.code, missing, 'comparable-price growth')}"
                           + ("" if base is not None else f", and {_missing(ind.code, [base_year])}") + ".")
        return res
    if end is None or base is None:
        missing = [y for y, r in ((base_year, base), (p1, end)) if r is None]
        res.explanation = f"Nominal CAGR needs both end levels: {_missing(ind.code, missing)}."
        if "implied_base_low" in res.extra:
            res.explanation += (f" The claim implies a {base_year} level of "
                                f"{_fmt(Interval(res.extra['implied_base_low'], res.extra['implied_base_high']), 1)} {ind.unit}.")
        inner = obs[(obs["indicator"] == ind.code) & obs["value"].notna() & obs["comparator"].eq("=")
                    & obs["year"].between(base_year, p1) & obs["is_preferred"]].sort_values("year")
        if len(inner) >= 2:
            a, b = inner.iloc[0], inner.iloc[-1]
            sub = cagr(a["value"], b["value"], b["year"] - a["year"])
            res.explanation += (f" Partial evidence: {a['year']}->{b['year']} CAGR is {sub:.2f}% "
                                f"({a['value']:g} -> {b['value']:g}).")
        return res
    res.used = [base, end]
    res.computed = cagr_interval(level_interval(base), level_interval(end), n)
    res.extra["point"] = cagr(base["value"], end["value"], n)
    res.formula = f"CAGR of nominal levels {base_year}->{p1} over {n} years"
    if str(c.get("growth_basis", "") or "") == "like_for_like":
        res.verdict = "basis_mismatch"
        g = end.get("growth_pct")
        printed = "" if g is None or pd.isna(g) or end["source_id"] == own else (
            f" {end['source_id']} itself prints {end['growth_as_printed']}% for {p1}, "
            f"{'inside' if res.computed.lo <= g <= res.computed.hi else 'outside'} that range.")
        res.explanation = (
            f"The claim is printed 同口径 (like-for-like: the change on the earlier year restated to the "
            f"current caliber, which removes policy or scope changes); the published levels "
            f"({base['value']:g} in {base_year}, {end['value']:g} in {p1}) give the plain change, "
            f"{_fmt(res.computed)}% a year. The two are different measures and cannot be compared as "
            f"printed.{printed}")
    return res


def _claim_scale(c: pd.Series) -> float:
    """Factor from the claim's printed unit to the indicator's canonical unit (1 for
    growth rates and for units of another dimension, which are not converted)."""
    unit = str(c.get("unit", "") or "")
    target = CATALOG[c["indicator"]].unit
    if "growth" in str(c["kind"]) or not unit or unit == target:
        return 1.0
    try:
        if get_unit(unit).dimension != get_unit(target).dimension:
            return 1.0
    except Exception:  # noqa: BLE001 - an unknown printed unit is compared as printed
        return 1.0
    return convert(1.0, unit, target)


def _checklevel_interval(c: pd.Series, obs: pd.DataFrame, claimed: Interval) -> _Result:
    res = _Result()
    year = int(c["ref_year"])
    row = _obs(obs, c["indicator"], year, exclude=c["report"])
    if row is None:
        res.explanation = _missing(c["indicator"], [year]) + " other than the report itself."
        return res
    res.used = [row]
    res.computed = level_interval(row)
    res.extra["point"] = row["value"]
    res.formula = f"published level {year}"
    return res


def _check_pair(c: pd.Series, obs: pd.DataFrame) -> _Result:
    """from_to, multiple and threshold: compare levels at the period's two ends."""
    res = _Result()
    code = c["indicator"]
    p0, p1 = int(c["period_start"]), int(c["period_end"])
    base_year = p0 - 1
    start, end = _obs(obs, code, base_year, exclude=c["report"]), _obs(obs, code, p1)
    if c["kind"] == "threshold":
        earlier = [_obs(obs, code, y, exclude=c["report"]) for y in range(base_year, p1)]
        missing = [y for y, r in zip(range(base_year, p1), earlier, strict=True) if r is None]
        if end is None or missing:
            res.explanation = (f"首次突破 needs every level up to {p1}: "
                               + _missing(code, missing or [p1]) + ".")
            if end is not None:
                ok = end["value"] >= c["value"]
                res.explanation += f" The {p1} level {end['value']:g} is {'above' if ok else 'below'} {c['value']:g} (same report)."
            return res
        res.used = [r for r in earlier if r is not None] + [end]
        ok = check_first_crossing([level_interval(r) for r in earlier], level_interval(end), c["value"])
        res.formula = f"all levels {base_year}-{p1 - 1} below {c['value']:g} and {p1} at or above"
        res.verdict = {True: "consistent", False: "discrepancy", None: "consistent_within_rounding"}[ok]
        res.explanation = f"First crossing of {c['value']:g}: {'confirmed' if ok else 'not confirmed' if ok is False else 'decided by rounding only'}."
        return res
    if start is None or end is None:
        missing = [y for y, r in ((base_year, start), (p1, end)) if r is None]
        res.explanation = f"{c['kind']} needs levels at both ends: {_missing(code, missing)}."
        return res
    res.used = [start, end]
    if c["kind"] == "multiple":
        ok = check_multiple(level_interval(start), level_interval(end), c["value"])
        res.computed = ratio_interval(level_interval(start), level_interval(end))
        res.formula = f"ratio of levels {p1}/{base_year} >= {c['value']:g}"
        res.verdict = {True: "consistent", False: "discrepancy", None: "consistent_within_rounding"}[ok]
        return res
    # from_to: both printed ends against the published levels
    scale = _claim_scale(c)
    cf = printed_interval(f"{c['value_from']:g}")
    cf = Interval(cf.lo * scale, cf.hi * scale)
    res.computed = level_interval(end)
    res.formula = f"published levels {base_year} and {p1}"
    start_iv = level_interval(start)
    res.extra["from_ok"] = start_iv.overlaps(cf)
    if not res.extra["from_ok"]:
        gap = start_iv.gap(cf)
        res.extra.update(from_gap=gap, from_gap_pct=gap / cf.mid * 100)
        unit = CATALOG[code].unit
        res.explanation = (
            f"The printed start, {c['value_from']:g} {c['unit']} in {base_year}, is not the published "
            f"{start['value_as_printed']} ({start['source_id']}): off by {gap:+.3f} {unit} "
            f"({gap / cf.mid * 100:+.2f}%), beyond rounding. The printed end, {c['value_text']}, "
            + ("agrees with " if res.computed.overlaps(printed_interval(str(c['value_text']))) else "differs from ")
            + f"{end['source_id']}'s {end['value_as_printed']} for {p1}. Candidate causes: the report "
            f"uses a later (revised) vintage of the {base_year} level, or another caliber.")
    return res


def _verdict_from_intervals(c: pd.Series, claimed: Interval, res: _Result) -> None:
    if res.computed is None or res.verdict != "not_checkable" or not res.formula:
        return
    cmp = c.get("comparator", "=")
    comp = res.computed
    # a bound as printed is an exact threshold: 突破16万 says at least 16万, not at least 15.5万
    # (the midpoint of the printed figure's rounding interval is the figure itself)
    threshold = (claimed.lo + claimed.hi) / 2
    if cmp in ("≥", ">=", ">"):
        ok = comp.hi >= threshold
        res.verdict = "consistent" if comp.lo >= threshold else ("consistent_within_rounding" if ok else "discrepancy")
    elif cmp in ("≤", "<=", "<"):
        ok = comp.lo <= threshold
        res.verdict = "consistent" if comp.hi <= threshold else ("consistent_within_rounding" if ok else "discrepancy")
    elif "point" in res.extra and rounds_to(res.extra["point"] / _claim_scale(c), str(c["value_text"])) \
            and res.extra.get("from_ok", True):
        res.verdict = "consistent"
    elif comp.overlaps(claimed) and res.extra.get("from_ok", True):
        res.verdict = "consistent_within_rounding"
    else:
        res.verdict = "discrepancy"


def _explain(c: pd.Series, claimed: Interval, res: _Result) -> str:
    if res.explanation:
        return res.explanation
    unit = "pp" if "growth" in c["kind"] else c["unit"]
    if res.verdict == "discrepancy":
        gap = res.computed.gap(claimed)
        return (f"Computed {_fmt(res.computed)} against claimed {_fmt(claimed)}: off by "
                f"{gap:+.2f} {unit}. {candidate_causes(c, claimed, res)}")
    return f"Computed {_fmt(res.computed)} ({res.formula}) against claimed {_fmt(claimed)}."


def verdict_text(verdict: str, independent: bool) -> str:
    """The verdict in words, honest about the evidence: without an independent source,
    agreement is agreement with the government's own earlier reports."""
    if verdict in ("consistent", "consistent_within_rounding"):
        rounding = " (within rounding)" if verdict == "consistent_within_rounding" else ""
        return ("consistent with an independent source" if independent else OWN_REPORTS) + rounding
    return {"discrepancy": "discrepancy", "basis_mismatch": "basis mismatch: cannot be compared as printed",
            "not_checkable": "not checkable with the data"}.get(verdict, verdict)


def source_caveats(used: list[pd.Series]) -> dict[str, str]:
    """Caveats of the sources a check used, by source id: ``third-party`` for source
    kind ``third_party``, ``low reliability`` where the observation carries
    ``source_reliability == "low"``; sources without a caveat are left out."""
    out: dict[str, str] = {}
    for u in used:
        tags = []
        if u.get("source_kind") == "third_party":
            tags.append("third-party")
        if str(u.get("source_reliability", "") or "") == "low":
            tags.append("low reliability")
        if tags:
            out[str(u["source_id"])] = ", ".join(tags)
    return out


def caveat_summary(caveats: dict[str, str]) -> str:
    """Words for :func:`source_caveats`, e.g. ``a third-party, low-reliability source (post_1)``."""
    return " and ".join(f"a {v.replace('low reliability', 'low-reliability')} source ({k})"
                        for k, v in caveats.items())


def candidate_causes(c: pd.Series, claimed: Interval, res: _Result) -> str:
    """Causes of a growth discrepancy that point the right way, each checked against
    the data where it can be; causes whose direction cannot be checked say so."""
    if res.computed is None or "growth" not in str(c["kind"]):
        return "Candidate causes: a caliber change or a different vintage of a level."
    lower = claimed.hi < res.computed.lo  # the claim is below what the levels give
    p0, p1 = int(c["period_start"]), int(c["period_end"])
    out, ruled_out = [], []
    rev = res.extra.get("implied_revision_pct")
    if rev is not None:
        if (rev > 0) == lower:
            out.append(f"an {'upward' if rev > 0 else 'downward'} revision of the {p0 - 1} level by "
                       f"about {abs(rev):.1f}% (the back-cast base against the one published then)")
        else:
            ruled_out.append(f"a revision of the {p0 - 1} level (the back-cast points the other way, "
                             f"{rev:+.1f}%)")
    out.append(f"a {'downward' if lower else 'upward'} revision of the {p1} level after the report "
               "(not checkable: no later vintage in the data)")
    out.append("a caliber change within the period")
    text = "Candidate causes that point the right way: " + "; ".join(out) + "."
    if ruled_out:
        text += " Ruled out by direction: " + "; ".join(ruled_out) + "."
    if c["indicator"] == "exports_cny":
        text += (" A US-dollar basis is not named: it would give a lower rate only if the yuan "
                 "depreciated against the dollar over the period, and the data hold no exchange-rate "
                 "series to check that.")
    return text


def reconcile(claims: pd.DataFrame, vintage: Vintage) -> pd.DataFrame:
    """Check retrospective claims against observations.

    Figures are compared only with observations of the claim's own place (the
    ``place`` column of the claims; 临海市 where absent). A claim about a place with
    no observations is ``not_checkable`` and says so.

    Where no source independent of the government's own reports enters a check,
    ``verdict_text`` reads "agrees with the government's own earlier reports"
    instead of "consistent".

    Parameters
    ----------
    claims : pandas.DataFrame
        Claims in the shape of :func:`linhai_analysis.claims.extract_claims` (or
        :func:`claims_from_table`). Only kinds in :data:`RETRO_KINDS` with an indicator
        code are checked; ``section_kind`` other than ``review`` is skipped if present.
    vintage : Vintage
        The information set whose observations the claims are checked against
        (``Vintage.load(as_of)``; ``Vintage(observations)`` for a table of one's own).

    Returns
    -------
    pandas.DataFrame
        One row per checked claim with the columns of :data:`RESULT_COLUMNS`.
    """
    obs_all = vintage.observations
    if "place" not in obs_all.columns:
        obs_all = obs_all.assign(place=DEFAULT_PLACE)
    given = obs_all["sub_area"] if "sub_area" in obs_all.columns else [""] * len(obs_all)
    obs_all = obs_all.assign(sub_area=[row_sub_area(i, g) for i, g in zip(obs_all["indicator"], given, strict=True)])
    c = claims[claims["kind"].isin(RETRO_KINDS) & claims["indicator"].fillna("").ne("")]
    if "section_kind" in c.columns:
        c = c[c["section_kind"].fillna("review").eq("review")]
    rows = []
    has_place = "place" in c.columns
    for _, cl in c.iterrows():
        raw_place = cl.get("place", "") if has_place else DEFAULT_PLACE
        place = canonical_place(raw_place) if isinstance(raw_place, str) and raw_place.strip() else ""
        obs_place = obs_all[obs_all["place"] == place] if place else obs_all.iloc[:0]
        sub = row_sub_area(cl["indicator"], cl.get("sub_area"))
        obs = obs_place[obs_place["sub_area"] == sub]
        text = str(cl["value_text"])
        try:
            claimed = printed_interval(text)
        except ValueError:  # 千 (突破千亿), 翻一番: exact numbers in words
            claimed = Interval(float(cl["value"]), float(cl["value"]))
        if cl.get("comparator") == "≈":
            claimed = Interval(cl["value"] * (1 - APPROX_PCT / 100), cl["value"] * (1 + APPROX_PCT / 100))
        scale = _claim_scale(cl)
        claimed = Interval(claimed.lo * scale, claimed.hi * scale)
        kind = cl["kind"]
        scope = str(cl.get("scope", "") or "") if "scope" in c.columns else ""
        if scope and scope.lower() != "nan":
            res = _Result(explanation=(
                f"The figure is about a sub-area ({scope}), not {place or 'the place'} as a whole: it is not "
                "compared with the place's figures, and the data hold no series for the sub-area."))
        elif not place:
            res = _Result(explanation=(
                "The claim's place is unknown (the report's title does not name it): it is not compared "
                "with any place's figures; pass place= to extract_claims."))
        elif obs_place.empty:
            res = _Result(explanation=(
                f"No observations for {place} in the data: the claim is not compared with another "
                f"place's figures (places with data: {', '.join(sorted(obs_all['place'].unique()))})."))
        elif kind in ("avg_growth", "yoy_growth"):
            res = _check_growth(cl, obs, claimed, obs_all)
        elif kind in ("from_to", "multiple", "threshold"):
            res = _check_pair(cl, obs)
        else:
            res = _checklevel_interval(cl, obs, claimed)
        _verdict_from_intervals(cl, claimed, res)
        own_only = bool(res.used) and all(u["source_id"] == cl["report"] for u in res.used)
        if own_only and res.verdict not in ("not_checkable", "basis_mismatch"):
            res.verdict, res.computed = "not_checkable", None
            res.explanation = "The only source is the report itself; it cannot confirm its own figure."
        explanation = _explain(cl, claimed, res)
        other_scope = obs_place[(obs_place["indicator"] == cl["indicator"]) & (obs_place["sub_area"] != sub)]
        if sub:
            explanation += (f" This figure is about a sub-area, {sub}, not the whole of {place}: it is "
                            "compared only with figures of the same sub-area"
                            + (f"; {len(other_scope)} figure(s) of another scope were left out." if len(other_scope)
                               else "."))
        elif len(other_scope):
            explanation += (f" {len(other_scope)} figure(s) of this indicator about a sub-area "
                            f"({', '.join(sorted(set(other_scope['sub_area'])))}) were left out: a sub-area "
                            f"is never compared with the whole of {place}.")
        if res.verdict in ("consistent", "consistent_within_rounding") and not any(
                u["source_kind"] != "work_report" and u["source_id"] != cl["report"] for u in res.used):
            explanation += (" Every input is one of the government's own work reports: this shows "
                            "agreement with its earlier reports, not confirmation by an independent source.")
        gap = gap_pct = None
        if res.verdict == "discrepancy" and res.computed is not None and kind not in ("multiple", "threshold"):
            gap = res.computed.gap(claimed)
            gap_pct = gap / abs(claimed.mid) * 100 if claimed.mid else None
            if gap == 0 and "from_gap" in res.extra:  # from_to: the end agrees, the start does not
                gap, gap_pct = res.extra["from_gap"], res.extra["from_gap_pct"]
        used = res.used
        independent = any(u["source_kind"] != "work_report" and u["source_id"] != cl["report"] for u in used)
        caveats = source_caveats(used)
        benchmarks = list(dict.fromkeys(u.get("benchmark", "") for u in used if u.get("benchmark", "")))
        rows.append({
            "claim_id": cl["claim_id"], "report": cl["report"], "place": place,
            "indicator": cl["indicator"],
            "indicator_text": cl.get("indicator_text", ""), "kind": kind,
            "period_start": cl["period_start"], "period_end": cl["period_end"],
            "claimed": text + (cl["unit"] if text[:1].isdigit() else ""), "claimed_low": claimed.lo, "claimed_high": claimed.hi,
            "computed_low": None if res.computed is None else res.computed.lo,
            "computed_high": None if res.computed is None else res.computed.hi,
            "verdict": res.verdict, "gap": gap, "gap_pct": gap_pct,
            "verdict_text": verdict_text(res.verdict, independent)
            + (f" — rests on {caveat_summary(caveats)}" if caveats else ""), "formula": res.formula,
            "sources": ";".join(dict.fromkeys(u["source_id"] for u in used)),
            "source_kinds": ";".join(dict.fromkeys(u["source_kind"] for u in used)),
            "independent": independent,
            "evidence": ("independent source" if independent else
                         "government's own earlier reports only" if used else ""),
            "vintages": ";".join(dict.fromkeys(
                f"{u['year']}:{u['document_date'] or 'undated'}/{u['status']}" for u in used)),
            "benchmark_break": " | ".join(benchmarks) if len(benchmarks) > 1 else "",
            "implied_base_low": res.extra.get("implied_base_low"),
            "implied_base_high": res.extra.get("implied_base_high"),
            "published_base": res.extra.get("published_base"),
            "implied_revision_pct": res.extra.get("implied_revision_pct"),
            "implied_deflator_low": res.extra.get("implied_deflator_low"),
            "implied_deflator_high": res.extra.get("implied_deflator_high"),
            "deflator_band_low": res.extra.get("deflator_band_low"),
            "deflator_band_high": res.extra.get("deflator_band_high"),
            "deflator_anchor_avg": res.extra.get("deflator_anchor_avg"),
            "deflator_anchor_years": res.extra.get("deflator_anchor_years", ""),
            "caliber_note": CATALOG[cl["indicator"]].caliber_note,
            "sub_area": sub, "source_caveats": "; ".join(f"{k}: {v}" for k, v in caveats.items()),
            "explanation": explanation,
            "inputs": " | ".join(input_text(u) for u in used),
        })
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)

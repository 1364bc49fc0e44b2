"""Plausibility of user-supplied figures against the other figures.

A user series can silently dominate the analysis (a yearbook takes precedence over
every other source), so a slip there moves every verdict. Each user row is checked
against the other figures for the same place and indicator (levels of flows, stocks,
per-capita figures and counts such as 家):

* **the same year from another source**: refused when the two differ by more than
  :data:`MAX_FACTOR` (a ×10⁴ unit slip such as 8199000 亿元 for 819.9 亿元);
* otherwise **the nearest year on either side**, at any distance and from any
  source, the row's own included (a jump within one file): refused when the change exceeds
  :func:`allowed_change` — :data:`MAX_YEARLY_FACTOR` (doubling or halving) within a
  year, and at most :data:`MAX_SUSTAINED_GROWTH` a year compounded over a longer gap
  (so that a ×10⁴ slip fifteen years from the nearest figure is still caught);
* **a printed growth rate** against the change of the levels of that year and the
  year before: refused when the two differ by more than :data:`MAX_GROWTH_GAP_PP`
  percentage points (``81`` printed for ``8.1``);
* the same place, indicator, year and source in two user files (or one file given
  twice), or repeating a raw row: refused as a duplicate.

A **revision** (``status=revised``, with a ``note`` saying why) is a figure that
replaces another source's figure for the same year. It names that source in the
``revises`` column; only that source's figure is then exempt from the same-year
comparison; the other sources of that year still bound it. Against other years a
revision may move further than an ordinary figure (a census can shift a level), but
not more than :data:`MAX_REVISION_FACTOR`.

Every check is a look-up in an index by (place, indicator, year): linear in the
number of rows (``benchmarks/user_series_speed.py``).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from ..errors import Problem
from .indicators import CATALOG
from .safety import is_number_text
from .units import convert

#: Largest ratio between two figures for the same place, indicator and year.
MAX_FACTOR = 3.0
#: Largest change between figures up to a year apart.
MAX_YEARLY_FACTOR = 2.0
#: Largest growth a year, compounded, between figures more than a year apart (+40%).
MAX_SUSTAINED_GROWTH = 1.4
#: Largest change of a declared revision against the figures of other years.
MAX_REVISION_FACTOR = 10.0
#: Counts (家, 个) move more freely than money: largest change at any distance.
MAX_COUNT_FACTOR = 10.0
#: Largest gap, in percentage points, between a printed growth rate and the change of
#: the levels (real against nominal growth, and a census revision, fit well inside).
MAX_GROWTH_GAP_PP = 25.0
#: Indicator kinds whose levels these checks apply to (rates move freely).
CHECKED_KINDS = ("flow", "stock", "per_capita", "count")
#: Optional user-series column: the ``source_id`` whose figure a revised row replaces.
REVISES_COLUMN = "revises"


@dataclass(frozen=True)
class Origin:
    """Where a row came from: file name and 1-based line (header = line 1)."""

    file: str
    line: int


def allowed_change(gap: int, kind: str = "flow", revised: bool = False) -> float:
    """Largest ratio accepted between a figure and one ``gap`` years away.

    Examples
    --------
    >>> allowed_change(1), allowed_change(2), round(allowed_change(15), 1)
    (2.0, 2.0, 155.6)
    """
    floor = MAX_REVISION_FACTOR if revised else MAX_COUNT_FACTOR if kind == "count" else MAX_YEARLY_FACTOR
    return max(floor, MAX_SUSTAINED_GROWTH ** gap)


def _number(text: str) -> float:
    t = str(text).strip()
    return float(t.replace(",", "")) if t and is_number_text(t) else math.nan


class _Year:
    """The figures of one (place, indicator, year): sorted by value."""

    __slots__ = ("rows",)

    def __init__(self) -> None:
        self.rows: list[tuple[float, str, int]] = []

    def extreme(self, skip: set[str], largest: bool) -> tuple[float, str, int] | None:
        """The largest (or smallest) figure whose source is not in ``skip`` (a
        source appears once per year, so at most ``len(skip)`` figures are passed)."""
        seq = reversed(self.rows) if largest else iter(self.rows)
        for item in seq:
            if item[1] not in skip:
                return item
        return None

    def median(self) -> float:
        vals = [r[0] for r in self.rows]
        n = len(vals)
        return vals[n // 2] if n % 2 else (vals[n // 2 - 1] + vals[n // 2]) / 2


def check_user_rows(raw: pd.DataFrame, origins: list[Origin | None], *,
                    max_factor: float = MAX_FACTOR,
                    max_yearly_factor: float = MAX_YEARLY_FACTOR) -> list[Problem]:
    """Problems of the user rows of ``raw`` (those with an origin) against the rest.

    Parameters
    ----------
    raw : pandas.DataFrame
        Validated raw rows (observation columns and ``place``, optionally
        ``revises``), raw data first.
    origins : list of Origin or None
        One per row of ``raw``: ``None`` for raw data, the file and line of a user row.
    max_factor, max_yearly_factor : float
        The same-year bound and the bound within a year (module docstring).

    Returns
    -------
    list of Problem
        Empty when every user row passes.
    """
    problems: list[Problem] = []
    df = raw.reset_index(drop=True)
    n = len(df)
    place = df["place"].tolist()
    indicator = df["indicator"].tolist()
    year = [int(y) for y in df["year"]]
    source = df["source_id"].tolist()
    status = df["status"].tolist()
    note = df["note"].tolist()
    revises = df[REVISES_COLUMN].tolist() if REVISES_COLUMN in df.columns else [""] * n
    value_text, unit, growth_text = df["value"].tolist(), df["unit"].tolist(), df["growth_pct"].tolist()
    kind = [CATALOG[i].kind for i in indicator]
    v = [convert(_number(t), u, CATALOG[i].unit) if str(t).strip() else math.nan
         for t, u, i in zip(value_text, unit, indicator, strict=True)]
    # duplicates: one figure per place, indicator, year and source
    seen: dict[tuple, Origin | None] = {}
    dup: set[int] = set()
    for i in range(n):
        key = (place[i], indicator[i], year[i], source[i])
        o = origins[i]
        if key in seen and o is not None:
            first = seen[key]
            where = "the raw data" if first is None else f"{first.file} line {first.line}"
            problems.append(Problem(o.file, o.line, "source_id",
                                    f"duplicate: the same place, indicator, year and source ({', '.join(map(str, key))}) "
                                    f"is already given in {where}"))
            dup.add(i)
            continue
        seen.setdefault(key, o)
    # the index: (place, indicator) -> year -> figures sorted by value
    index: dict[tuple[str, str], dict[int, _Year]] = defaultdict(dict)
    for i in range(n):
        if i in dup or math.isnan(v[i]) or kind[i] not in CHECKED_KINDS:
            continue
        index[(place[i], indicator[i])].setdefault(year[i], _Year()).rows.append((v[i], source[i], i))
    years_of: dict[tuple[str, str], list[int]] = {}
    for key, by_year in index.items():
        for y in by_year.values():
            y.rows.sort()
        years_of[key] = sorted(by_year)
    hint = ("; if it is a revision, set status=revised, explain it in note and name the source it revises "
            f"in {REVISES_COLUMN}")

    def shown(j: int) -> str:
        return f"{value_text[j]} {unit[j]}"

    for i in range(n):
        o = origins[i]
        if o is None or i in dup or kind[i] not in CHECKED_KINDS:
            continue
        key = (place[i], indicator[i])
        by_year = index.get(key, {})
        revised = status[i] == "revised" and str(note[i]).strip() != ""
        if not math.isnan(v[i]):
            skip = {source[i]} | ({revises[i]} if revised and revises[i] else set())
            here = by_year.get(year[i])
            if here is not None and here.extreme(skip, largest=True) is not None:
                # another source gives the same year: the strongest evidence, and enough
                problems += _same_year(i, o, v[i], here, skip, max_factor, hint, shown, source)
            else:
                problems += _other_years(i, o, v[i], year[i], kind[i], revised, by_year, years_of.get(key, []),
                                         max_yearly_factor, hint, shown, source)
        g = _number(growth_text[i])
        if not math.isnan(g):
            problems += _growth(i, o, g, v[i], year[i], by_year, shown, source)
    return problems


def _same_year(i, o, vi, here: _Year | None, skip: set[str], max_factor, hint, shown, source) -> list[Problem]:
    if here is None:
        return []
    lo, hi = here.extreme(skip, largest=False), here.extreme(skip, largest=True)
    if lo is None:
        return []
    for ref in (lo, hi):
        ratio = vi / ref[0]
        if not 1 / max_factor <= ratio <= max_factor:
            j = ref[2]
            return [Problem(o.file, o.line, "value",
                            f"{shown(i)} is {ratio:.3g}× the figure of {source[j]} for the same place, indicator "
                            f"and year ({shown(j)}): a unit slip? (limit {max_factor:g}×){hint}")]
    return []


def _other_years(i, o, vi, yi, kind, revised, by_year, years, max_yearly_factor, hint, shown,
                 source) -> list[Problem]:
    k = bisect.bisect_left(years, yi)
    before = years[k - 1] if k > 0 else None
    k2 = bisect.bisect_right(years, yi)
    after = years[k2] if k2 < len(years) else None
    for ny in (before, after):
        if ny is None:
            continue
        gap = abs(ny - yi)
        allowed = allowed_change(gap, kind, revised)
        if not revised and kind != "count" and gap == 1:
            allowed = max_yearly_factor
        there = by_year[ny]
        big, small = there.rows[-1], there.rows[0]
        if vi / big[0] > allowed:
            ref, ratio = big, vi / big[0]
        elif small[0] / vi > allowed:
            ref, ratio = small, vi / small[0]
        else:
            continue
        j = ref[2]
        if gap == 1 and not revised and kind != "count":
            limit = f"more than {allowed:g}× a year"
        else:
            limit = (f"more than {allowed:.3g}× over {gap} year(s) (the bound: "
                     + (f"{MAX_REVISION_FACTOR:g}× for a revision" if revised else
                        f"{MAX_COUNT_FACTOR:g}× for a count" if kind == "count" else f"{max_yearly_factor:g}×")
                     + f", or {MAX_SUSTAINED_GROWTH - 1:.0%} a year compounded if larger)")
        return [Problem(o.file, o.line, "value",
                        f"{shown(i)} in {yi} is {ratio:.3g}× the {ny} figure of {source[j]} ({shown(j)}): "
                        f"{limit} — a unit slip?{'' if revised else hint}")]
    return []


def _growth(i, o, g, vi, yi, by_year, shown, source) -> list[Problem]:
    prev = by_year.get(yi - 1)
    level = vi if not math.isnan(vi) else (by_year[yi].median() if yi in by_year else math.nan)
    if prev is None or math.isnan(level):
        return []
    implied = (level / prev.median() - 1) * 100
    if abs(g - implied) <= MAX_GROWTH_GAP_PP:
        return []
    return [Problem(o.file, o.line, "growth_pct",
                    f"growth {g:g}% in {yi} is far from the {implied:.1f}% the levels of {yi - 1} and {yi} "
                    f"imply (more than {MAX_GROWTH_GAP_PP:g} percentage points apart): a slip such as 81 for "
                    "8.1? A growth rate is written in percent, as printed")]

"""Plausibility of user-supplied figures against the other sources.

A user series can silently dominate the analysis (a yearbook takes precedence over
every other source), so a slip there moves every verdict. Each user row is checked
against the other figures for the same place and indicator:

* the same year from another source: refused when the two differ by more than
  :data:`MAX_FACTOR` (a ×10⁴ unit slip such as 8199000 亿元 for 819.9 亿元);
* otherwise the nearest other year: refused when the implied change exceeds
  :data:`MAX_YEARLY_FACTOR` per year (doubling or halving within a year);
* the same place, indicator, year and source in two user files (or one file given
  twice), or repeating a raw row: refused as a duplicate.

A row whose ``status`` is ``revised`` and whose ``note`` says why is accepted
despite a large difference: revisions are real, and the note makes them visible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..errors import Problem
from .indicators import CATALOG
from .units import convert

#: Largest ratio between two figures for the same place, indicator and year.
MAX_FACTOR = 3.0
#: Largest change per year between a user figure and the nearest other year's figure.
MAX_YEARLY_FACTOR = 2.0
#: Indicator kinds whose levels these checks apply to (rates and counts move freely).
CHECKED_KINDS = ("flow", "stock", "per_capita")


@dataclass(frozen=True)
class Origin:
    """Where a row came from: file name and 1-based line (header = line 1)."""

    file: str
    line: int


def _canonical(row: pd.Series) -> float | None:
    if row["value"] == "":
        return None
    ind = CATALOG[row["indicator"]]
    return convert(float(str(row["value"]).replace(",", "")), row["unit"], ind.unit)


def check_user_rows(raw: pd.DataFrame, origins: list[Origin | None], *,
                    max_factor: float = MAX_FACTOR,
                    max_yearly_factor: float = MAX_YEARLY_FACTOR) -> list[Problem]:
    """Problems of the user rows of ``raw`` (those with an origin) against the rest.

    Parameters
    ----------
    raw : pandas.DataFrame
        Validated raw rows (observation columns and ``place``), raw data first.
    origins : list of Origin or None
        One per row of ``raw``: ``None`` for raw data, the file and line of a user row.
    max_factor, max_yearly_factor : float
        The bounds described in the module docstring.

    Returns
    -------
    list of Problem
        Empty when every user row passes.
    """
    problems: list[Problem] = []
    df = raw.reset_index(drop=True).copy()
    df["_v"] = [_canonical(r) for _, r in df.iterrows()]
    seen: dict[tuple, Origin | None] = {}
    for i, r in df.iterrows():
        key = (r["place"], r["indicator"], r["year"], r["source_id"])
        o: Origin | None = origins[i]
        if key in seen and o is not None:
            first = seen[key]
            where = "the raw data" if first is None else f"{first.file} line {first.line}"
            problems.append(Problem(o.file, o.line, "source_id",
                                    f"duplicate: the same place, indicator, year and source ({', '.join(map(str, key))}) "
                                    f"is already given in {where}"))
            continue
        seen.setdefault(key, o)
    for i, r in df.iterrows():
        o = origins[i]
        v = r["_v"]
        if o is None or pd.isna(v) or CATALOG[r["indicator"]].kind not in CHECKED_KINDS:
            continue
        if r["status"] == "revised" and r["note"].strip():
            continue  # a declared revision, explained in the note
        others = df[(df["place"] == r["place"]) & (df["indicator"] == r["indicator"])
                    & (df.index != i) & df["_v"].notna() & (df["source_id"] != r["source_id"])]
        hint = "; if it is a revision, set status=revised and explain it in note"
        same = others[others["year"] == r["year"]]
        if len(same):
            ref = same.iloc[0]
            ratio = v / ref["_v"]
            if not 1 / max_factor <= ratio <= max_factor:
                problems.append(Problem(
                    o.file, o.line, "value",
                    f"{r['value']} {r['unit']} is {ratio:.3g}× the figure of {ref['source_id']} for the same "
                    f"place, indicator and year ({ref['value']} {ref['unit']}): a unit slip? "
                    f"(limit {max_factor:g}×){hint}"))
            continue
        if others.empty:
            continue
        years = others["year"].astype(int)
        k = (years - int(r["year"])).abs()
        ref = others.loc[k.idxmin()]
        gap = int(k.min())
        ratio = v / ref["_v"]
        if abs(math.log(ratio)) > gap * math.log(max_yearly_factor):
            problems.append(Problem(
                o.file, o.line, "value",
                f"{r['value']} {r['unit']} in {r['year']} is {ratio:.3g}× the {ref['year']} figure of "
                f"{ref['source_id']} ({ref['value']} {ref['unit']}): more than {max_yearly_factor:g}× a year "
                f"— a unit slip?{hint}"))
    return problems

"""Growth arithmetic on printed figures, with interval bounds.

A printed figure stands for the interval of values that round to it (statcheck
style): ``"6.1"`` is [6.05, 6.15], ``"66"`` is [65.5, 66.5], ``"66.0"`` is
[65.95, 66.05]. Every function here propagates such intervals exactly (all the
maps used are monotone), so a verdict never depends on an ad-hoc tolerance.
Intervals are treated as closed; the half-open upper end of rounding only matters
on a measure-zero boundary.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from ..data.units import convert, decimals_printed


@dataclass(frozen=True)
class Interval:
    """A closed interval ``[lo, hi]``."""

    lo: float
    hi: float

    def __post_init__(self) -> None:
        if not self.lo <= self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @property
    def mid(self) -> float:
        """Midpoint of the interval."""
        return (self.lo + self.hi) / 2

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share at least one point."""
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, x: float) -> bool:
        """True when ``x`` lies in the closed interval."""
        return self.lo <= x <= self.hi

    def gap(self, other: Interval) -> float:
        """Signed distance from ``other`` to ``self`` (0 when they overlap)."""
        if self.overlaps(other):
            return 0.0
        return self.lo - other.hi if self.lo > other.hi else self.hi - other.lo


def printed_interval(text: str | float, decimals: int | None = None) -> Interval:
    """The interval a printed number stands for.

    Parameters
    ----------
    text : str or float
        The number as printed. Pass the string: ``"66"`` and ``"66.0"`` differ.
    decimals : int, optional
        Override the number of printed decimals (needed when only a float is known).

    Examples
    --------
    >>> printed_interval("6.1")
    Interval(lo=6.05, hi=6.15)
    >>> printed_interval("66")
    Interval(lo=65.5, hi=66.5)
    """
    s = str(text).strip().replace(",", "")
    d = decimals_printed(s) if decimals is None else decimals
    v = float(s)
    half = 0.5 * 10 ** (-d)
    return Interval(round(v - half, d + 2), round(v + half, d + 2))


def as_interval(x: Interval | float | int | str) -> Interval:
    """An :class:`Interval` from an interval, a number (exact: a point) or a printed
    figure (a string: the interval it stands for, see :func:`printed_interval`).

    Examples
    --------
    >>> as_interval(6.1), as_interval("6.1")
    (Interval(lo=6.1, hi=6.1), Interval(lo=6.05, hi=6.15))
    """
    if isinstance(x, Interval):
        return x
    if isinstance(x, str):
        return printed_interval(x)
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f"expected an Interval, a number or a printed figure (str), not {type(x).__name__}")
    return Interval(float(x), float(x))


IntervalLike = Interval | float | int | str


def _rate(ratio: float, years: float) -> float:
    return (ratio ** (1.0 / years) - 1.0) * 100.0


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent between two levels ``years`` apart.

    Examples
    --------
    >>> round(cagr(100, 121, 2), 10)
    10.0
    """
    if start <= 0 or end <= 0 or years <= 0:
        raise ValueError("cagr needs positive levels and a positive number of years")
    return _rate(end / start, years)


def cagr_interval(start: IntervalLike, end: IntervalLike, years: float) -> Interval:
    """CAGR bounds (percent) given interval levels: low end over high start and back.

    Parameters
    ----------
    start, end : Interval, number or str
        Levels: an interval, an exact number, or a printed figure. A **string** is a
        printed figure and stands for its rounding interval (``"819.9"`` is
        [819.85, 819.95]); a **plain number is exact**, so two numbers give a
        zero-width interval. Pass the printed strings to get the interval the
        printed inputs allow.
    years : float
        Years between them.

    Examples
    --------
    >>> round(cagr_interval(100, 121, 2).lo, 10)
    10.0
    >>> iv = cagr_interval(515.6, 819.9, 5)       # exact numbers: zero width
    >>> iv.lo == iv.hi
    True
    >>> iv = cagr_interval("515.6", "819.9", 5)   # printed figures: their rounding interval
    >>> round(iv.lo, 3), round(iv.hi, 3)
    (9.717, 9.724)
    """
    start, end = as_interval(start), as_interval(end)
    return Interval(cagr(start.hi, end.lo, years), cagr(start.lo, end.hi, years))


def chained_growth(rates_pct: Sequence[IntervalLike]) -> Interval:
    """Average annual growth (percent) from annual growth rates: the geometric mean
    of the indices ``1 + r/100``, as the statistics system computes 年均增长.

    Examples
    --------
    >>> iv = chained_growth([Interval(10, 10), Interval(21, 21)])
    >>> round(iv.lo, 6)  # sqrt(1.1 * 1.21) - 1 = 15.3690...%
    15.369017
    """
    if not rates_pct:
        raise ValueError("chained_growth needs at least one annual rate")
    rates_pct = [as_interval(r) for r in rates_pct]
    n = len(rates_pct)
    lo = math.prod(1 + r.lo / 100 for r in rates_pct)
    hi = math.prod(1 + r.hi / 100 for r in rates_pct)
    return Interval(_rate(lo, n), _rate(hi, n))


def implied_base(end: IntervalLike, rate_pct: IntervalLike, years: float) -> Interval:
    """Base-year level implied by an end level and an average growth rate (intervals,
    numbers or printed figures)."""
    end, rate_pct = as_interval(end), as_interval(rate_pct)
    return Interval(end.lo / (1 + rate_pct.hi / 100) ** years,
                    end.hi / (1 + rate_pct.lo / 100) ** years)


def implied_deflator(nominal_pct: IntervalLike, real_pct: IntervalLike) -> Interval:
    """Average deflator growth (percent) implied by nominal and real average growth:
    ``(1 + n) / (1 + r) - 1`` (intervals, numbers or printed figures)."""
    nominal_pct, real_pct = as_interval(nominal_pct), as_interval(real_pct)
    return Interval(((1 + nominal_pct.lo / 100) / (1 + real_pct.hi / 100) - 1) * 100,
                    ((1 + nominal_pct.hi / 100) / (1 + real_pct.lo / 100) - 1) * 100)


def ratio_interval(start: IntervalLike, end: IntervalLike) -> Interval:
    """Bounds of ``end / start`` (intervals, numbers or printed figures)."""
    start, end = as_interval(start), as_interval(end)
    return Interval(end.lo / start.hi, end.hi / start.lo)


def check_multiple(start: IntervalLike, end: IntervalLike, factor: float = 2.0) -> bool | None:
    """翻一番-type check: is ``end/start >= factor``?

    Returns ``True`` or ``False`` when every value in the rounding intervals agrees,
    ``None`` when rounding alone decides it.
    """
    r = ratio_interval(start, end)
    if r.lo >= factor:
        return True
    if r.hi < factor:
        return False
    return None


def check_first_crossing(earlier: Sequence[IntervalLike], current: IntervalLike, threshold: float) -> bool | None:
    """首次突破 check: all earlier levels below ``threshold`` and the current one at or
    above it. ``None`` when rounding leaves it open."""
    earlier, current = [as_interval(e) for e in earlier], as_interval(current)
    if current.hi < threshold or any(e.lo >= threshold for e in earlier):
        return False
    if current.lo >= threshold and all(e.hi < threshold for e in earlier):
        return True
    return None


def rounds_to(value: float, printed: str) -> bool:
    """True when ``value`` rounds (half up) to the printed string's precision and value."""
    d = decimals_printed(printed)
    return math.isclose(math.floor(value * 10**d + 0.5) / 10**d, float(printed), abs_tol=10 ** (-d - 6))


def level_interval(row: pd.Series) -> Interval:
    """The interval a processed observation's printed level stands for, in its canonical
    unit ("819.9" 亿元 is [819.85, 819.95]; "32801" 百万元 is [328.005, 328.015] 亿元).

    Parameters
    ----------
    row : pandas.Series
        A row of :func:`observations` with ``value_as_printed``, ``unit_as_printed`` and ``unit``.

    Returns
    -------
    Interval
    """
    from ..models.growth import Interval, printed_interval

    iv = printed_interval(row["value_as_printed"])
    return Interval(convert(iv.lo, row["unit_as_printed"], row["unit"]),
                    convert(iv.hi, row["unit_as_printed"], row["unit"]))

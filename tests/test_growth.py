"""Interval growth arithmetic: hand-computed cases and properties."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from linhai_analysis.models.growth import (
    Interval,
    cagr,
    cagr_interval,
    chained_growth,
    check_first_crossing,
    check_multiple,
    implied_base,
    implied_deflator,
    printed_interval,
    rounds_to,
)


def test_printed_interval_depends_on_printed_precision():
    assert printed_interval("6.1") == Interval(6.05, 6.15)
    assert printed_interval("66") == Interval(65.5, 66.5)
    assert printed_interval("66.0") == Interval(65.95, 66.05)
    assert printed_interval("819.9") == Interval(819.85, 819.95)


def test_cagr_by_hand():
    # 76.4 -> 111.6 over 5 years: (111.6/76.4)^(1/5) = 1.46073^0.2 = 1.07873 -> 7.87%
    assert cagr(76.4, 111.6, 5) == pytest.approx(7.873, abs=1e-3)
    iv = cagr_interval(printed_interval("76.4"), printed_interval("111.6"), 5)
    # low: (111.55/76.45)^0.2 - 1 = 7.850%; high: (111.65/76.35)^0.2 - 1 = 7.897%
    assert iv.lo == pytest.approx(7.850, abs=1e-3) and iv.hi == pytest.approx(7.897, abs=1e-3)


def test_chained_growth_is_a_geometric_mean():
    # sqrt(1.10 * 1.02) - 1 = sqrt(1.122) - 1 = 5.9245%
    iv = chained_growth([Interval(10, 10), Interval(2, 2)])
    assert iv.lo == pytest.approx(5.9245, abs=1e-4)
    assert iv.lo < (10 + 2) / 2  # below the arithmetic mean


def test_implied_base_and_deflator_by_hand():
    # 332.9 / 1.132^5: 1.132^5 = 1.85872 -> 179.10
    ib = implied_base(Interval(332.9, 332.9), Interval(13.2, 13.2), 5)
    assert ib.lo == pytest.approx(179.10, abs=0.01)
    # (1.0972 / 1.061) - 1 = 3.41%
    d = implied_deflator(Interval(9.72, 9.72), Interval(6.1, 6.1))
    assert d.lo == pytest.approx(3.412, abs=1e-3)


def test_multiple_and_first_crossing():
    assert check_multiple(Interval(99, 101), Interval(205, 206)) is True
    assert check_multiple(Interval(100, 100), Interval(150, 150)) is False
    assert check_multiple(Interval(99.5, 100.5), Interval(199.5, 200.5)) is None  # rounding decides
    assert check_first_crossing([Interval(773, 774), Interval(900, 901)], Interval(1050.5, 1051.5), 1000) is True
    assert check_first_crossing([Interval(1001, 1002)], Interval(1050, 1051), 1000) is False
    assert check_first_crossing([Interval(990, 1010)], Interval(1050, 1051), 1000) is None


def test_rounds_to():
    assert rounds_to(7.873, "7.9") and not rounds_to(7.84, "7.9")
    assert rounds_to(8.0097, "8.0") and rounds_to(65.6, "66")


levels = st.floats(min_value=1.0, max_value=1e5, allow_nan=False)
decimals = st.integers(min_value=0, max_value=2)


@given(levels, levels, st.integers(min_value=1, max_value=10), decimals)
def test_cagr_interval_contains_every_rounding_of_the_inputs(a, b, years, d):
    sa, sb = f"{a:.{d}f}", f"{b:.{d}f}"
    ia, ib = printed_interval(sa), printed_interval(sb)
    if ia.lo <= 0:
        return
    iv = cagr_interval(ia, ib, years)
    for x in (ia.lo, ia.mid, ia.hi):
        for y in (ib.lo, ib.mid, ib.hi):
            assert iv.lo - 1e-9 <= cagr(x, y, years) <= iv.hi + 1e-9


@given(st.floats(min_value=-20, max_value=30), st.integers(min_value=1, max_value=8))
def test_chaining_a_constant_rate_returns_it(r, n):
    iv = chained_growth([Interval(r, r)] * n)
    assert iv.lo == pytest.approx(r, abs=1e-9)


@given(levels, st.floats(min_value=-10, max_value=30), st.integers(min_value=1, max_value=10))
def test_implied_base_inverts_growth(base, r, n):
    end = base * (1 + r / 100) ** n
    ib = implied_base(Interval(end, end), Interval(r, r), n)
    assert ib.lo == pytest.approx(base, rel=1e-9)
    assert cagr(base, end, n) == pytest.approx(r, abs=1e-6)


@given(st.floats(min_value=-5, max_value=20), st.floats(min_value=-5, max_value=20))
def test_deflator_identity(n, r):
    d = implied_deflator(Interval(n, n), Interval(r, r))
    assert math.isclose((1 + d.lo / 100) * (1 + r / 100), 1 + n / 100, rel_tol=1e-12)

"""One information set: everything published by a date, made once and handed to every model.

Forecasters keep one real-time data vintage per forecast round (ALFRED, the Philadelphia
Fed's real-time data set); so does this package. A :class:`Vintage` is made once from
``as_of`` (and the user series) and holds

* ``observations``: the figures available on ``as_of`` (``available_date <= as_of``),
  with ``is_preferred`` recomputed inside that set, so that a figure revised after
  ``as_of`` counts with the value it had then;
* ``first_releases``: for each (place, indicator, year), the earliest release only —
  what a forecaster saw first, the benchmark for forecast errors;
* ``targets`` and ``forecasts``: the targets announced and the forecasts published by
  ``as_of`` (a target counts from the day it was announced, a forecast from its
  publication).

No other module filters by date: models and judgements take a vintage; a backtest or a
sensitivity grid asks the latest vintage for an earlier one (:meth:`Vintage.at`), never
for a later one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: The ``as_of`` that keeps everything.
LATEST = "latest"


def _date(as_of: str | None) -> str | None:
    """``"YYYY-MM-DD"`` for a date, ``None`` for everything (``None``/``"latest"``)."""
    if as_of in (None, LATEST):
        return None
    return str(pd.Timestamp(as_of).date())  # raises on a malformed date


def restrict_as_of(df: pd.DataFrame, as_of: str | None) -> pd.DataFrame:
    """Observations available on ``as_of`` (``available_date <= as_of``), with
    ``is_preferred`` recomputed within that information set; ``None``/``"latest"``
    keeps every row. :class:`Vintage` uses it; so does
    :func:`linhai_analysis.data.load.observations` with ``as_of``."""
    from .load import _mark_preferred

    day = _date(as_of)
    if day is None:
        return df
    kept = _known(df, day)
    return _mark_preferred(kept).reset_index(drop=True) if len(kept) else kept


def _known(df: pd.DataFrame, day: str | None) -> pd.DataFrame:
    if day is None or df.empty or "available_date" not in df:
        return df.reset_index(drop=True)
    return df[df["available_date"].astype(str) <= day].reset_index(drop=True)


@dataclass(frozen=True)
class Vintage:
    """The observations, targets and forecasts published by ``as_of``.

    Parameters
    ----------
    observations : pandas.DataFrame
        The observation table (:func:`linhai_analysis.data.load.observations`).
    targets : pandas.DataFrame, optional
        Dated targets (:func:`linhai_analysis.data.anchors.load_anchor_targets`).
    forecasts : pandas.DataFrame, optional
        Dated forecasts (:func:`linhai_analysis.data.anchors.load_forecasts`).
    as_of : str, optional
        ``"YYYY-MM-DD"``, or ``None``/``"latest"`` for everything. The tables are
        restricted on construction.

    Examples
    --------
    >>> v = Vintage.load("2022-02-17")                      # doctest: +SKIP
    >>> v.observations.available_date.max() <= "2022-02-17"  # doctest: +SKIP
    True
    >>> earlier = v.at("2021-02-01")                       # doctest: +SKIP
    """

    observations: pd.DataFrame
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    forecasts: pd.DataFrame = field(default_factory=pd.DataFrame)
    as_of: str | None = None

    def __post_init__(self) -> None:
        day = _date(self.as_of)
        object.__setattr__(self, "as_of", day)
        object.__setattr__(self, "observations", restrict_as_of(self.observations, day).reset_index(drop=True))
        object.__setattr__(self, "targets", _known(self.targets, day))
        object.__setattr__(self, "forecasts", _known(self.forecasts, day))

    @classmethod
    def load(cls, as_of: str | None = None, user_series: Sequence[str | Path] = ()) -> Vintage:
        """The vintage of the package's raw data (and ``user_series``) on ``as_of``."""
        from .anchors import load_anchor_targets, load_forecasts
        from .load import observations

        return cls(observations(user_series), load_anchor_targets(), load_forecasts(), as_of)

    def at(self, as_of: str | None) -> Vintage:
        """The vintage of an earlier date (the same one for ``None`` or a later date is
        refused: a vintage cannot see what it does not hold)."""
        day = _date(as_of)
        if self.as_of is not None and (day is None or day > self.as_of):
            raise ValueError(f"a vintage of {self.as_of} cannot give the information set of "
                             f"{as_of or LATEST}: make it from the full data instead")
        return Vintage(self.observations, self.targets, self.forecasts, day)

    def with_observations(self, observations: pd.DataFrame) -> Vintage:
        """The same date with another observation table (e.g. a sample of years), restricted
        to the same date."""
        return Vintage(observations, self.targets, self.forecasts, self.as_of)

    @property
    def label(self) -> str:
        """``"YYYY-MM-DD"`` or ``"latest"``."""
        return self.as_of or LATEST

    @property
    def first_releases(self) -> pd.DataFrame:
        """The earliest release of every (place, indicator, year) in this vintage: what was
        seen first, against which forecasts are scored."""
        obs = self.observations
        if obs.empty:
            return obs
        order = obs.sort_values(["available_date", "source_precedence"], kind="mergesort")
        keys = [c for c in ("place", "indicator", "year") if c in order]
        return order.drop_duplicates(keys, keep="first").sort_values(keys, kind="mergesort") \
            .reset_index(drop=True)

    def latest_forecasts(self, forecaster: str = "IMF",
                         exclude: str = "not a WEO vintage") -> pd.DataFrame:
        """For each target year, the most recent forecast of ``forecaster`` in this vintage
        (IMF: WEO vintages only). Columns: target_year, value, publication,
        available_date, source_id."""
        f = self.forecasts
        cols = ["target_year", "value", "publication", "available_date", "source_id"]
        if f.empty:
            return pd.DataFrame(columns=cols)
        f = f[(f["forecaster"] == forecaster) & ~f["note"].fillna("").str.contains(exclude, regex=False)]
        f = f.sort_values(["target_year", "available_date", "release_date"], kind="mergesort")
        return f.drop_duplicates("target_year", keep="last")[cols].reset_index(drop=True)

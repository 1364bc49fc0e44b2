"""Targets and external forecasts of the places above Linhai (the outside view).

Two raw tables, validated like the observations (file, line and field in every
error) and dated so that ``as_of`` applies to them too:

``anchor_targets.csv``
    Annual growth targets, five-year-plan averages and level goals of 全国, 浙江省,
    台州市 and 临海市, with the comparator as printed (``≈`` 左右, ``≥`` 以上/突破,
    ``=`` 达到, ``range`` for 6–6.5%). A target is an exact threshold.
``external_forecasts.csv``
    Dated forecasts of China's real GDP growth (IMF WEO vintages, World Bank).

Availability (what an ``as_of`` information set may contain):

* targets: the source's document date; undated sources count from 31 December of
  the first year the target covers (:data:`TARGET_AVAILABILITY_RULE`);
* forecasts: the source's document date (the day the figure became known through
  that document); if undated, the release date printed in ``publication``
  ("WEO April 2023 (2023-04-11)"); else the last day of the month it names; else
  the last day of the year it names ("(late 2009)").

Restricting the tables to a date, and the latest forecast of each year, are the
:class:`~linhai_analysis.data.vintage.Vintage`'s job (``Vintage.targets``,
``Vintage.forecasts``, ``Vintage.latest_forecasts()``).
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pandas as pd

from ..errors import DataValidationError, Problem
from . import paths
from .indicators import CATALOG
from .places import get_place
from .sources import _line, _numeric_ok, _require_columns, load_raw_sources, read_csv_strict

TARGET_COLUMNS = ["place", "indicator", "target_year", "period_start", "period_end", "kind",
                  "value_low", "value_high", "unit", "comparator", "label_as_printed", "source_id",
                  "note"]
FORECAST_COLUMNS = ["forecaster", "publication", "place", "indicator", "target_year", "value", "unit",
                    "source_id", "note"]
TARGET_KINDS = ("annual_growth_target", "avg_growth_target", "level_target")
TARGET_COMPARATORS = ("≈", "≥", ">", "=", "range", "")
#: Forecast indicators and the catalog indicator whose growth they forecast.
FORECAST_INDICATORS = {"gdp_real_growth": "gdp"}
TARGET_AVAILABILITY_RULE = ("no document date printed: assumed known from 31 December of the first "
                            "year the target covers")
_PAREN_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
_YEAR = re.compile(r"\b((?:19|20)\d{2})\b")
_MONTH_YEAR = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|"
                         r"November|December)\s+(\d{4})\b")


def _year_ok(s: pd.Series, allow_empty: bool) -> pd.Series:
    y = pd.to_numeric(s, errors="coerce")
    ok = y.notna() & (y == y.round()) & y.between(1949, 2035)
    return ok | (s == "") if allow_empty else ok


def _validate(df: pd.DataFrame, name: str, checks: list[tuple[str, pd.Series, str]]) -> None:
    problems = [Problem(name, _line(i), field, message)
                for field, ok, message in checks for i in ok.index[~ok]]
    if problems:
        raise DataValidationError(sorted(problems, key=lambda p: (p.row or 0, p.field or "")))


def load_anchor_targets(path: Path | None = None, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read, validate and date ``anchor_targets.csv`` (checksum verified).

    Returns
    -------
    pandas.DataFrame
        The raw columns (numbers as floats, years as nullable ints, place
        canonical) plus ``place_en``, ``document_date``, ``available_date`` and
        ``available_date_rule``.

    Raises
    ------
    DataValidationError
        Unknown place-independent fields (indicator, kind, comparator, unit,
        source id), non-numeric values or years, each with file, line and field.
    """
    path = Path(path or paths.ANCHOR_TARGETS_FILE)
    sources = load_raw_sources() if sources is None else sources
    df = read_csv_strict(path)
    _require_columns(df, TARGET_COLUMNS, path.name)
    known = set(sources["source_id"])
    _validate(df, path.name, [
        ("place", df["place"] != "", "place must not be empty"),
        ("indicator", df["indicator"].isin(list(CATALOG)), "unknown indicator"),
        ("kind", df["kind"].isin(TARGET_KINDS), f"kind must be one of {TARGET_KINDS}"),
        ("comparator", df["comparator"].isin(TARGET_COMPARATORS),
         f"comparator must be one of {TARGET_COMPARATORS[:-1]} or empty"),
        ("value_low", _numeric_ok(df["value_low"]), "value_low is not a number"),
        ("value_high", _numeric_ok(df["value_high"]), "value_high is not a number"),
        ("target_year", _year_ok(df["target_year"], True), "target_year must be a year or empty"),
        ("period_start", _year_ok(df["period_start"], True), "period_start must be a year or empty"),
        ("period_end", _year_ok(df["period_end"], True), "period_end must be a year or empty"),
        ("source_id", df["source_id"].isin(sorted(known)), "unknown source_id (not in sources.csv)"),
        ("comparator", (df["comparator"] != "range") | (df["value_high"] != ""),
         "a range needs value_high"),
        ("target_year", (df["target_year"] != "") | (df["period_end"] != ""),
         "either target_year or period_end is needed"),
    ])
    out = df.copy()
    for c in ("value_low", "value_high"):
        out[c] = pd.to_numeric(out[c].replace("", None), errors="coerce").astype(float)
    for c in ("target_year", "period_start", "period_end"):
        out[c] = pd.to_numeric(out[c].replace("", None), errors="coerce").astype("Int64")
    out["target_year"] = out["target_year"].fillna(out["period_end"])
    places = out["place"].map(get_place)
    out["place"] = [p.name_zh for p in places]
    out.insert(1, "place_en", [p.name_en for p in places])
    docs = sources.set_index("source_id")["document_date"]
    out["document_date"] = out["source_id"].map(docs).fillna("")
    first_year = out["period_start"].fillna(out["target_year"]).astype(int)
    out["available_date"] = [d or f"{y}-12-31" for d, y in zip(out["document_date"], first_year, strict=True)]
    out["available_date_rule"] = ["document date as printed" if d else TARGET_AVAILABILITY_RULE
                                  for d in out["document_date"]]
    return out.reset_index(drop=True)


def _forecast_date(document_date: str, publication: str) -> tuple[str, str]:
    if document_date:
        return document_date, "document date as printed"
    m = _PAREN_DATE.search(publication)
    if m:
        return m.group(1), "release date printed in the publication name"
    m = _MONTH_YEAR.search(publication)
    if m:
        month = list(calendar.month_name).index(m.group(1))
        year = int(m.group(2))
        return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}", \
            "last day of the month named in the publication"
    m = _YEAR.search(publication)
    if m:  # "(late 2009)": only the year is known, so the latest day it can have appeared
        return f"{m.group(1)}-12-31", "last day of the year named in the publication"
    return "", ""


def load_forecasts(path: Path | None = None, sources: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read, validate and date ``external_forecasts.csv`` (checksum verified).

    Returns
    -------
    pandas.DataFrame
        The raw columns plus ``anchor_indicator`` (the catalog code whose growth is
        forecast), ``available_date`` and ``available_date_rule``; ``value`` and
        ``target_year`` numeric.

    Raises
    ------
    DataValidationError
        Unknown forecast indicator or source, non-numeric value, a row with no
        date at all, each with file, line and field.
    """
    path = Path(path or paths.FORECASTS_FILE)
    sources = load_raw_sources() if sources is None else sources
    df = read_csv_strict(path)
    _require_columns(df, FORECAST_COLUMNS, path.name)
    docs = sources.set_index("source_id")["document_date"]
    dates = [_forecast_date(docs.get(sid, ""), pub) for sid, pub in zip(df["source_id"], df["publication"], strict=True)]
    _validate(df, path.name, [
        ("indicator", df["indicator"].isin(list(FORECAST_INDICATORS)),
         f"indicator must be one of {sorted(FORECAST_INDICATORS)}"),
        ("value", _numeric_ok(df["value"]) & (df["value"] != ""), "value is not a number"),
        ("unit", df["unit"] == "%", "unit must be %"),
        ("target_year", _year_ok(df["target_year"], False), "target_year must be a year"),
        ("source_id", df["source_id"].isin(sorted(set(sources["source_id"]))),
         "unknown source_id (not in sources.csv)"),
        ("publication", pd.Series([bool(d) for d, _ in dates], index=df.index),
         "no date: the source has no document_date and the publication names no date or month"),
    ])
    out = df.copy()
    out["value"] = out["value"].astype(float)
    out["target_year"] = out["target_year"].astype(int)
    out["place"] = [get_place(p).name_zh for p in out["place"]]
    out["anchor_indicator"] = out["indicator"].map(FORECAST_INDICATORS)
    out["available_date"] = [d for d, _ in dates]
    out["available_date_rule"] = [r for _, r in dates]
    # the edition's own release (never later than the day the figure is known to have appeared)
    out["release_date"] = [min(_forecast_date("", pub)[0] or d, d)
                           for pub, (d, _) in zip(out["publication"], dates, strict=True)]
    return out.reset_index(drop=True)

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from linhai_analysis.claims.extract import claims_table
from linhai_analysis.claims.text import load_report
from linhai_analysis.data import paths
from linhai_analysis.data.load import observations
from linhai_analysis.data.sources import OBSERVATION_COLUMNS, USER_SOURCE_COLUMNS


@pytest.fixture(scope="session")
def obs() -> pd.DataFrame:
    return observations()


@pytest.fixture(scope="session")
def claims() -> pd.DataFrame:
    return claims_table()


@pytest.fixture(scope="session")
def report():
    return load_report(paths.REPORT_FILE)


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of data/raw (files and sidecars) for tampering."""
    dst = tmp_path / "raw"
    shutil.copytree(paths.RAW_DIR, dst)
    return dst


USER_ROW = {
    "indicator": "gdp", "label_as_printed": "地区生产总值", "year": "2019", "value": "700.5",
    "unit": "亿元", "growth_pct": "", "growth_basis": "", "comparator": "=", "status": "final",
    "source_id": "test_yearbook", "note": "synthetic test row, not data", "source_kind": "yearbook",
    "source_title": "test yearbook", "publisher": "test", "url": "", "document_date": "2020-10-01",
}


@pytest.fixture()
def write_user(tmp_path: Path):
    """Write a user-series CSV from a list of row dicts (defaults from USER_ROW)."""

    def _write(rows: list[dict], name: str = "user.csv", columns: list[str] | None = None) -> Path:
        cols = columns or OBSERVATION_COLUMNS + USER_SOURCE_COLUMNS
        # a yearbook prints year Y in the autumn of Y+1 (USER_ROW: 2019 -> 2020-10-01); a row that
        # sets another year without a date gets that year's yearbook date, not an impossible one
        df = pd.DataFrame([{**USER_ROW, **({"document_date": f"{int(r['year']) + 1}-10-01"}
                                           if str(r.get("year", "")).isdigit() and "document_date" not in r
                                           and int(r["year"]) < 2025 else {}), **r} for r in rows])
        p = tmp_path / name
        df[[c for c in cols if c in df.columns]].to_csv(p, index=False)
        return p

    return _write


@pytest.fixture(scope="session")
def latest():
    """The latest vintage of the package's data (everything published)."""
    from linhai_analysis.data.vintage import Vintage

    return Vintage.load("latest")


@pytest.fixture(scope="session")
def vintage(latest):
    """The information set of the report date (2022-02-17)."""
    return latest.at("2022-02-17")

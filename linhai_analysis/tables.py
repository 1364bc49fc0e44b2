"""Write tables for people who work in spreadsheets: CSV (UTF-8 with BOM, so Excel
opens Chinese text correctly) and one Excel workbook with a sheet per table."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table to ``out_dir/<name>.csv`` (UTF-8 with BOM, ``\n`` line ends).

    Returns
    -------
    list of Path
        The files written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        p = out_dir / f"{name}.csv"
        df.to_csv(p, index=False, encoding="utf-8-sig", lineterminator="\n")
        written.append(p)
    return written


def merge_workbook(csv_dir: Path, workbook: Path) -> Path | None:
    """Collect every ``*.csv`` in ``csv_dir`` into one workbook, a sheet per file
    (sheet names are the file stems cut to Excel's 31 characters). Returns ``None``
    and writes nothing when there is no table."""
    files = sorted(Path(csv_dir).glob("*.csv"))
    if not files:
        return None
    with pd.ExcelWriter(workbook, engine="openpyxl") as xw:
        for f in files:
            pd.read_csv(f, encoding="utf-8-sig").to_excel(xw, sheet_name=f.stem[:31], index=False)
    return Path(workbook)

"""Write tables for people who work in spreadsheets: CSV (UTF-8 with BOM, so Excel
opens Chinese text correctly) and one Excel workbook with a sheet per table."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write each table to ``out_dir/<name>.csv`` (UTF-8 with BOM, ``\n`` line ends).

    Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``,
    tab, CR at the start, and not a number) are prefixed with ``'``.

    Returns
    -------
    list of Path
        The files written.
    """
    from .safety import neutralise_frame

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables.items():
        p = out_dir / f"{name}.csv"
        tmp = out_dir / f".{name}.csv.tmp"
        neutralise_frame(df).to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n")
        tmp.replace(p)
        written.append(p)
    return written


def merge_workbook(csv_dir: Path, workbook: Path) -> Path | None:
    """Collect every ``*.csv`` in ``csv_dir`` into one workbook, a sheet per file
    (sheet names are the file stems cut to Excel's 31 characters). Returns ``None``
    and writes nothing when there is no table."""
    files = sorted(Path(csv_dir).glob("*.csv"))
    if not files:
        return None
    from .safety import neutralise_frame

    with pd.ExcelWriter(workbook, engine="openpyxl") as xw:
        for f in files:
            df = neutralise_frame(pd.read_csv(f, encoding="utf-8-sig"))
            df.to_excel(xw, sheet_name=f.stem[:31], index=False)
            for row in xw.sheets[f.stem[:31]].iter_rows():
                for cell in row:  # text is never a formula, whatever it starts with
                    if cell.data_type == "f":
                        cell.data_type = "s"
    return Path(workbook)


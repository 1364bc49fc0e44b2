"""Print the seconds to validate a user series of 10³, 10⁴ and 10⁵ rows (reading,
column and row checks, and the cross-source plausibility check against the raw data),
and the ratio of the 10⁵ time to the 10⁴ one (linear: about 10).

The rows are generated in a temporary folder and are not data: counties named
``bench-county-K``, a GDP level per year 1960-2019 growing 8% a year, each county
from its own synthetic yearbook.
"""

import csv
import tempfile
import time
from pathlib import Path

from linhai_analysis.data.load import _load_inputs
from linhai_analysis.data.sources import OBSERVATION_COLUMNS, USER_SOURCE_COLUMNS

COLUMNS = ["place", *OBSERVATION_COLUMNS, *USER_SOURCE_COLUMNS]
YEARS = range(1960, 2020)


def write_rows(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(COLUMNS)
        for i in range(n):
            county, k = divmod(i, len(YEARS))
            year = YEARS[k]
            row = {"place": f"bench-county-{county}", "indicator": "gdp", "label_as_printed": "地区生产总值",
                   "year": year, "value": f"{100 * 1.08 ** k:.2f}", "unit": "亿元",
                   "growth_pct": "8.0" if k else "", "growth_basis": "nominal" if k else "",
                   "comparator": "=", "status": "final", "source_id": f"bench_yb_{county}",
                   "note": "synthetic benchmark row, not data", "source_kind": "yearbook",
                   "source_title": f"bench yearbook {county}", "publisher": "bench", "url": "",
                   "document_date": "2020-10-01"}
            w.writerow([row[c] for c in COLUMNS])


def seconds(path: Path) -> float:
    t = time.perf_counter()
    _load_inputs([path])
    return time.perf_counter() - t


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp) / "warm.csv"
        write_rows(warm, 10)
        seconds(warm)  # imports and the raw data's first read are not part of the figures
        times = {}
        for n in (1_000, 10_000, 100_000):
            p = Path(tmp) / f"user_{n}.csv"
            write_rows(p, n)
            times[n] = seconds(p)
            print(f"{n:>7} user rows: {times[n]:6.2f} s ({p.stat().st_size / 1e6:.1f} MB)")
        print(f"10^5 / 10^4 time: {times[100_000] / times[10_000]:.1f} (linear: ~10; required: < 10)")

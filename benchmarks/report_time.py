"""Print the time to execute each notebook and render it, the total, and the floor:
the same number of notebooks that only import the libraries, as a ratio."""

import json
import tempfile
import time
from pathlib import Path

from linhai_analysis.report.render import NOTEBOOKS, render_reports

FLOOR_SOURCE = ("import pandas, matplotlib.pyplot, seaborn, statsmodels.api\n"
                "import linhai_analysis.claims, linhai_analysis.data, linhai_analysis.report.plots")


def floor_notebooks(folder: Path) -> list[str]:
    names = []
    for i in range(len(NOTEBOOKS)):
        nb = {"cells": [
            {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "execution_count": None, "outputs": [],
             "id": "p", "source": 'as_of = "2022-02-17"\nlang = "zh"\nuser_series = []\ntables_dir = ""'},
            {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "id": "i",
             "source": FLOOR_SOURCE}],
              "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
              "nbformat": 4, "nbformat_minor": 5}
        name = f"floor_{i}.ipynb"
        (folder / name).write_text(json.dumps(nb))
        names.append(name)
    return names


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lines: list[str] = []
        t = time.perf_counter()
        render_reports(tmp / "real", progress=lines.append)
        total = time.perf_counter() - t
        src = tmp / "floor_src"
        src.mkdir()
        t = time.perf_counter()
        render_reports(tmp / "floor", notebooks=floor_notebooks(src), source_dir=src, progress=lambda s: None)
        floor = time.perf_counter() - t
    for line in lines:
        print(line)
    print(f"total {total:.1f} s; floor ({len(NOTEBOOKS)} import-only notebooks) {floor:.1f} s; "
          f"ratio {total / floor:.2f}")

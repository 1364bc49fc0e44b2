"""One information set: the Vintage is the only place that filters by date, and nothing
published after ``as_of`` reaches a table judged as of ``as_of``.

The leak test deletes from copies of the raw files every row published after the report
date, points the package at the copy (``LINHAI_DATA_DIR``) and checks that every ex-ante
table — reconciliation, targets with each model and the pool, the sensitivity cells up to
the report date, the outside view, deflators, the fiscal model's inputs — is identical
to the one computed from the full data.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import linhai_analysis
from linhai_analysis.data import paths
from linhai_analysis.data.provenance import sha256_of
from linhai_analysis.data.vintage import Vintage

PKG = Path(linhai_analysis.__file__).parent
AS_OF = "2022-02-17"

#: Modules that compare dates without building an information set, and why.
_DATE_COMPARISONS_ALLOWED = {
    "data/vintage.py": "the information set itself",
    "data/indicators.py": "names the census benchmark a level carries from its release date",
    "models/deflators.py": "pairs two levels of one vintage (the earlier level as published by the later)",
    "assess/backtest.py": "lists the release dates that become forecast origins (each origin's data is a Vintage)",
    "assess/sensitivity.py": "lists the release dates after the report that become grid cells (each a Vintage)",
}
_DATE_COMPARE = re.compile(r"(?:available_date|document_date)[\"'\]]*\s*(?:<=|>=|<(?!<)|>(?!>))"
                           r"|(?:<=|>=|<|>)\s*\S*(?:available_date|document_date)")


def test_no_module_but_the_vintage_filters_by_date():
    offenders = []
    for path in sorted(PKG.rglob("*.py")):
        rel = path.relative_to(PKG).as_posix()
        if rel in _DATE_COMPARISONS_ALLOWED:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if _DATE_COMPARE.search(code) or re.search(r"\bknown_at\(", code):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert not offenders, "date filters outside the Vintage:\n" + "\n".join(offenders)


def test_the_pattern_catches_a_date_filter():
    # the static check is not vacuous: the forms a leak-prone filter takes are caught
    assert _DATE_COMPARE.search('obs[obs["available_date"] <= as_of]')
    assert _DATE_COMPARE.search("df[as_of >= df.available_date]")
    assert not _DATE_COMPARE.search('df.sort_values(["available_date", "source_id"])')


def test_a_vintage_cannot_see_later_and_cannot_be_widened():
    full = Vintage.load("latest")
    feb = full.at(AS_OF)
    assert (feb.observations["available_date"] <= AS_OF).all()
    assert (feb.targets["available_date"] <= AS_OF).all() and (feb.forecasts["available_date"] <= AS_OF).all()
    # the national 2022 target (announced 2022-03-05) is not in the February set
    nat = feb.targets[(feb.targets["place"] == "全国") & (feb.targets["target_year"] == 2022)]
    assert nat.empty
    with pytest.raises(ValueError, match="cannot give the information set"):
        feb.at("2023-01-01")
    # first releases: one row per (place, indicator, year), the earliest available
    fr = feb.first_releases
    assert not fr.duplicated(["place", "indicator", "year"]).any()
    g = feb.observations[(feb.observations.place == "全国") & (feb.observations.indicator == "gdp")]
    first_2021 = g[g.year == 2021]["available_date"].min()
    assert fr[(fr.place == "全国") & (fr.indicator == "gdp") & (fr.year == 2021)]["available_date"].iloc[0] == first_2021


# --- the leak test -------------------------------------------------------------------------------------------

def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], rows[1:]


def _write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    sidecar = path.with_name(path.name + ".meta.yml")
    meta = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(re.sub(r"(?m)^sha256: .*$", f"sha256: {sha256_of(path)}", meta), encoding="utf-8")


def _truncate_raw(dest: Path, as_of: str) -> dict[str, int]:
    """Copy data/raw to ``dest``/raw without every row published after ``as_of``."""
    from linhai_analysis.data.anchors import load_anchor_targets, load_forecasts
    from linhai_analysis.data.load import _available
    from linhai_analysis.data.sources import load_raw_sources

    raw = dest / "raw"
    shutil.copytree(paths.RAW_DIR, raw)
    sources = load_raw_sources()
    doc = dict(zip(sources["source_id"], sources["document_date"], strict=True))
    dropped = {}
    for name in ("observations.csv", "anchor_observations.csv"):
        header, rows = _rows(raw / name)
        i_src, i_year = header.index("source_id"), header.index("year")
        keep = [r for r in rows if _available(doc[r[i_src]], int(r[i_year]))[0] <= as_of]
        dropped[name] = len(rows) - len(keep)
        _write_rows(raw / name, header, keep)
    for name, loader in (("anchor_targets.csv", load_anchor_targets), ("external_forecasts.csv", load_forecasts)):
        header, rows = _rows(raw / name)
        dates = list(loader(paths.RAW_DIR / name)["available_date"])
        assert len(dates) == len(rows), f"{name}: the loader must keep one row per raw row, in order"
        keep = [r for r, d in zip(rows, dates, strict=True) if d <= as_of]
        dropped[name] = len(rows) - len(keep)
        _write_rows(raw / name, header, keep)
    return dropped


_TABLES_SCRIPT = r'''
import sys
from pathlib import Path
import pandas as pd
from linhai_analysis.assess.outside_view import goal_ladder, miss_decomposition, target_escalation
from linhai_analysis.assess.plausibility import judge_targets, summarize_targets
from linhai_analysis.assess.reconcile import reconcile
from linhai_analysis.assess.sensitivity import sensitivity
from linhai_analysis.claims.extract import claims_table
from linhai_analysis.data.vintage import Vintage
from linhai_analysis.models.deflators import annual_deflators
from linhai_analysis.models.fiscal import fiscal_model_inputs

out, as_of = Path(sys.argv[1]), sys.argv[2]
claims = claims_table()
v = Vintage.load(as_of)
latest = Vintage.load("latest")
judged = judge_targets(claims, v)
sens = sensitivity(claims, latest)
esc = target_escalation(v)
tables = {
    "reconciliation": reconcile(claims, v),
    "targets": judged,
    "targets_summary": summarize_targets(judged),
    "sensitivity_ex_ante": sens[sens["period"] == "ex_ante"].reset_index(drop=True),
    "target_escalation": esc,
    "miss_decomposition": miss_decomposition(esc),
    "goal_ladder": goal_ladder(v),
    "deflators": pd.concat([annual_deflators(v.observations, p) for p in ("全国", "浙江省")], ignore_index=True),
    "fiscal_model_inputs": fiscal_model_inputs(v),
}
out.mkdir(parents=True, exist_ok=True)
for name, df in tables.items():
    df.to_csv(out / f"{name}.csv", index=False, lineterminator="\n")
print(len(tables))
'''


def _tables(data_dir: Path | None, out: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LINHAI_SHARED_RESULTS"}
    if data_dir is not None:
        env["LINHAI_DATA_DIR"] = str(data_dir)
    else:
        env.pop("LINHAI_DATA_DIR", None)
    run = subprocess.run([sys.executable, "-c", _TABLES_SCRIPT, str(out), AS_OF], env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out.glob("*.csv"))}


@pytest.mark.notebooks  # slow (two full sets of judgements, the sensitivity grid included)
def test_every_ex_ante_table_is_unchanged_when_later_publications_are_deleted(tmp_path):
    dropped = _truncate_raw(tmp_path / "early", AS_OF)
    # the deletion is real: later bulletins, reports, targets and forecasts are gone
    assert dropped["anchor_observations.csv"] > 10 and dropped["observations.csv"] > 5
    assert dropped["anchor_targets.csv"] > 0 and dropped["external_forecasts.csv"] > 10
    full = _tables(None, tmp_path / "full_tables")
    early = _tables(tmp_path / "early", tmp_path / "early_tables")
    assert set(full) == set(early) and len(full) == 9
    differ = [name for name in full if full[name] != early[name]]
    assert not differ, f"tables that changed when later publications were deleted: {differ}"
    # and the tables are not empty (but the 2022 miss, which no February-2022 set can hold)
    sizes = {n: len(pd.read_csv(tmp_path / "full_tables" / n)) for n in full}
    assert sizes.pop("miss_decomposition.csv") == 0 and all(sizes.values()), sizes

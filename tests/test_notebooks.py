"""Notebooks: stored clean, executed end to end, tables and HTML as promised."""

import json
import re
import shutil

import pandas as pd
import pytest

from linhai_analysis import paths
from linhai_analysis.errors import NotebookExecutionError
from linhai_analysis.render import EXTERNAL_URL, NOTEBOOKS, render_reports

REQUIRED = {
    "claims": ["claim_id", "section", "indicator", "indicator_text", "kind", "value", "unit", "comparator",
               "ref_year", "period_start", "period_end", "span_start", "span_end", "text"],
    "reconciliation": ["claim_id", "report", "indicator", "kind", "period_start", "period_end", "claimed_low",
                       "claimed_high", "computed_low", "computed_high", "verdict", "gap_pct", "sources",
                       "independent", "explanation"],
    "targets": ["target_id", "indicator", "target_year", "threshold", "comparator", "as_of", "model",
                "n_points", "last_year", "last_value", "required_growth_pct", "historical_growth_pct",
                "projected_median", "p_meet", "verdict", "reason"],
    "outcomes": ["indicator", "year", "realized", "comparator", "source_id", "model", "ex_ante_median", "pit",
                 "in_band_50", "in_band_80", "in_band_95", "error_pct"],
    "targets_2022": ["indicator", "target_text", "target_growth_pct", "realized_growth_pct", "met", "gap_pp",
                     "basis"],
    "target_escalation": ["year", "place", "target_point", "realized_pct", "miss_pp", "markup_pp"],
    "miss_decomposition": ["year", "component", "pp"],
    "goal_ladder": ["place", "what", "avg_growth_pct", "price_basis", "known_at_as_of"],
}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_stored_without_outputs(name):
    nb = json.loads((paths.NOTEBOOKS_DIR / name).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "parameters" in code[0]["metadata"].get("tags", [])
    source = "".join("".join(c["source"]) for c in code)
    assert "from linhai_analysis" in source


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    lines = []
    render_reports(out, progress=lines.append)
    return out, lines


@pytest.mark.notebooks
def test_every_notebook_renders_to_offline_html(rendered):
    out, lines = rendered
    assert [line.split(":")[0] for line in lines] == list(NOTEBOOKS)
    for name in NOTEBOOKS:
        page = (out / name.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert "data:image/png;base64" in page or name == "01_claims.ipynb"
        assert not EXTERNAL_URL.search(page), EXTERNAL_URL.search(page).group(0)
        assert "Traceback" not in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(n.replace(".ipynb", ".html") in index for n in NOTEBOOKS)
    assert re.search(r"[0-9a-f]{64}", index) and "as_of" in index and "2022-02-17" in index


@pytest.mark.notebooks
@pytest.mark.parametrize("table,columns", REQUIRED.items())
def test_tables_have_required_columns(rendered, table, columns):
    out, _ = rendered
    raw = (out / "tables" / f"{table}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    df = pd.read_csv(out / "tables" / f"{table}.csv", encoding="utf-8-sig")
    assert set(columns) <= set(df.columns) and len(df) > 0


@pytest.mark.notebooks
def test_workbook_has_a_sheet_per_table(rendered):
    out, _ = rendered
    sheets = pd.read_excel(out / "linhai_tables.xlsx", sheet_name=None)
    assert set(REQUIRED) <= set(sheets)


@pytest.mark.notebooks
def test_report_numbers_are_deterministic(rendered, tmp_path):
    out, _ = rendered
    again = tmp_path / "again"
    render_reports(again, notebooks=["03_targets_2026.ipynb"], progress=lambda s: None)
    assert (again / "tables" / "targets.csv").read_bytes() == (out / "tables" / "targets.csv").read_bytes()


@pytest.mark.notebooks
def test_no_input_hides_code(tmp_path):
    render_reports(tmp_path, notebooks=["01_claims.ipynb"], no_input=True, progress=lambda s: None)
    page = (tmp_path / "01_claims.html").read_text(encoding="utf-8")
    assert "claims_table()" not in page and "jp-OutputArea" in page


@pytest.mark.notebooks
def test_failing_cell_names_notebook_and_leaves_nothing(tmp_path):
    src = tmp_path / "nbs"
    src.mkdir()
    shutil.copy(paths.NOTEBOOKS_DIR / "01_claims.ipynb", src / "01_claims.ipynb")
    nb = json.loads((src / "01_claims.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
                        "id": "boom", "source": "raise RuntimeError('boom')"})
    (src / "99_bad.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    out = tmp_path / "out"
    with pytest.raises(NotebookExecutionError, match=r"99_bad.ipynb: cell \d+ .*RuntimeError: boom"):
        render_reports(out, notebooks=["01_claims.ipynb", "99_bad.ipynb"], source_dir=src, progress=lambda s: None)
    assert not out.exists() or not any(out.iterdir())
    assert not list(tmp_path.glob(".render-*"))


@pytest.mark.notebooks
def test_user_series_flow_through_the_report(tmp_path, write_user):
    # a synthetic yearbook row (test data, not in data/): urban income 2016 = 43271 yuan.
    # By hand: (62993 / 43271)^(1/5) - 1 = 1.45577^0.2 - 1 = 7.80% -> the printed 7.8 is consistent,
    # and the check now rests on a source independent of the report's publisher.
    user = write_user([{"indicator": "urban_disposable_income", "label_as_printed": "城镇常住居民人均可支配收入",
                        "year": "2016", "value": "43271", "unit": "元", "source_id": "test_yb_2017",
                        "document_date": "2017-10-01"}])
    out = tmp_path / "out"
    render_reports(out, notebooks=["02_reconciliation.ipynb"], user_series=[str(user)], progress=lambda s: None)
    rec = pd.read_csv(out / "tables" / "reconciliation.csv", encoding="utf-8-sig")
    row = rec[(rec.indicator == "urban_disposable_income") & (rec.kind == "avg_growth")].iloc[0]
    assert row.verdict == "consistent" and bool(row.independent) and "test_yb_2017" in row.sources
    from linhai_analysis.provenance import sha256_of

    assert sha256_of(user) in (out / "index.html").read_text(encoding="utf-8")

"""Notebooks: stored clean, executed end to end, tables and HTML as promised."""

import json
import re
import shutil

import pandas as pd
import pytest

from linhai_analysis.data import paths
from linhai_analysis.errors import NotebookExecutionError
from linhai_analysis.report.render import EXTERNAL_URL, NOTEBOOKS, render_reports

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
    "sensitivity": ["target_id", "indicator", "threshold", "as_of", "sample", "model", "p_meet"],
    "backtest": ["series", "place", "model", "as_of", "year", "horizon", "realized", "median", "pit",
                 "in_band_50", "in_band_80", "in_band_95", "crps", "log_score"],
    "backtest_summary": ["model", "horizon", "n", "coverage_50", "coverage_80", "coverage_95", "crps_mean",
                         "log_score_mean"],
    "goal_drift": ["indicator", "release_year", "required_growth_pct"],
    "other_counties": ["claim_id", "report", "place", "indicator", "kind", "claimed", "verdict", "verdict_text",
                       "sources", "source_caveats", "sub_area", "explanation", "as_of"],
    "backtest_like_for_like": ["table", "group", "model", "n", "effective_n", "coverage_80", "crps_mean",
                               "crps_diff_no_change", "crps_diff_no_change_low", "crps_diff_no_change_high",
                               "best_rival", "crps_diff_rival", "crps_diff_rival_low", "crps_diff_rival_high"],
    "pit_by_year": ["model", "year", "n", "mean_pit", "share_below_half"],
    "pool_weights": ["as_of", "model", "weight", "equal_weight", "data_weight", "mean_crps", "n_years", "lam"],
    "fiscal_model_inputs": ["name", "value", "source", "why"],
    "fiscal_outcome": ["year", "method", "forecast", "realized", "abs_log_error"],
    "sensitivity_robustness": ["target_id", "robust", "p_min", "p_max", "p_updating_min", "summary"],
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
    # one progress line per notebook, in the order they finish (they run side by side)
    assert sorted(line.split(":")[0] for line in lines) == sorted(NOTEBOOKS)
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
def test_targets_carry_the_combined_probability(rendered):
    out, _ = rendered
    t = pd.read_csv(out / "tables" / "targets.csv", encoding="utf-8-sig")
    goal = t[(t.indicator == "gdp") & (t.kind == "target_level") & (t.target_year == 2026)].set_index("model")
    # the headline: the equal-weight pool of the models that give a probability
    members = goal.loc[["ols", "rw_drift", "anchored"], "p_meet"].dropna()
    assert goal.loc["combined", "p_meet"] == pytest.approx(members.mean(), rel=1e-9)


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
    from linhai_analysis.data.provenance import sha256_of

    assert sha256_of(user) in (out / "index.html").read_text(encoding="utf-8")


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def _chromium() -> str | None:
    import os

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (.ci/run) for the page-width test")
    return found


@pytest.mark.notebooks
def test_no_page_scrolls_horizontally_at_1280px(rendered, tmp_path):
    import subprocess

    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium not installed (apt-get install chromium); CI installs it")
    out, _ = rendered
    probe = ("<script>window.addEventListener('load', () => document.body.setAttribute('data-sw', "
             "document.documentElement.scrollWidth));</script>")
    for page in sorted(out.glob("*.html")):
        copy = tmp_path / page.name
        copy.write_text(page.read_text(encoding="utf-8").replace("</body>", probe + "</body>"), encoding="utf-8")
        dom = subprocess.run([browser, *CHROMIUM_FLAGS, "--window-size=1280,900", "--virtual-time-budget=4000",
                              f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", copy.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
        m = re.search(r'data-sw="(\d+)"', dom)
        assert m, f"{page.name}: the probe did not run"
        assert int(m.group(1)) <= 1280, f"{page.name} is {m.group(1)} px wide at a 1280 px window"


@pytest.mark.notebooks
def test_pages_are_clean(rendered):
    out, _ = rendered
    for name in NOTEBOOKS:
        page = (out / name.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert not re.search(r'<div[^>]*data-mime-type="application/vnd\.jupyter\.stderr"', page), f"{name}: stderr box"
        assert ".render-" not in page, f"{name}: staging path shown"
        assert page.count("injected-parameters") <= 2 and page.count("# Parameters") == 1, name
        assert not re.search(r"<img(?![^>]*\balt=)", page), f"{name}: an image without alt text"
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
        assert not [c for c in cells if c.strip() in ("NaN", "None", "nan", "<NA>")], f"{name}: NaN/None in a table"


@pytest.mark.notebooks
def test_no_input_pages_have_no_prompts(tmp_path):
    render_reports(tmp_path, notebooks=["05_outside_view.ipynb"], no_input=True, progress=lambda s: None)
    page = (tmp_path / "05_outside_view.html").read_text(encoding="utf-8")
    assert not re.search(r'<div class="jp-(?:Input|Output)Prompt[^"]*"[^>]*>\s*(?:In|Out)', page)


@pytest.mark.notebooks
def test_index_opens_with_computed_findings(rendered):
    out, _ = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    findings = index[index.index("<h2>Findings</h2>"): index.index("<h2>Verdicts at a glance</h2>")]
    assert findings.count("<li>") >= 5
    # GDP goal probabilities and the 2022 decomposition, computed from the tables
    assert "地区生产总值 ≥1500 by 2026" in findings and "-3.9 pp" in findings
    assert index.index("<h2>Findings</h2>") < index.index("Run parameters") < index.index("<footer>")
    assert "<details><summary>Input data (sha256)</summary>" in index


@pytest.mark.notebooks
def test_workbook_is_formatted(rendered):
    import openpyxl

    out, _ = rendered
    wb = openpyxl.load_workbook(out / "linhai_tables.xlsx")
    assert wb.sheetnames[0] == "README"
    readme = wb["README"]
    rows = list(readme.iter_rows(values_only=True))
    assert rows[0] == ("sheet", "column", "meaning")
    assert any(r[0] == "targets_summary" and r[1] == "p_ols" and "probability" in r[2] for r in rows)
    assert any(str(r[0]).startswith("(source)") and r[1] == "linhai_gwr_2022" for r in rows)
    ws = wb["targets_summary"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws["A1"].font.bold
    header = [c.value for c in ws[1]]
    p_col = header.index("p_ols") + 1
    fmts = {ws.cell(row=r, column=p_col).number_format for r in range(2, ws.max_row + 1)
            if isinstance(ws.cell(row=r, column=p_col).value, float)}
    assert fmts == {"0.0%"}
    src = wb["backtest"]
    as_of_col = [c.value for c in src[1]].index("as_of") + 1
    assert src.cell(row=2, column=as_of_col).is_date


CODE_PROBE = ("<script>window.addEventListener('load', function(){var v=function(){return [].slice.call("
              "document.querySelectorAll('.jp-CodeCell .jp-Cell-inputWrapper')).filter(function(e){"
              "return e.offsetHeight>0;}).length;};var n=[].slice.call(document.querySelectorAll("
              "'.jp-CodeCell .jp-Cell-inputWrapper')).length;var before=v();"
              "document.getElementById('linhai-code-toggle').click();var after=v();"
              "document.body.setAttribute('data-code', JSON.stringify([n, before, after]));});</script>")


@pytest.mark.notebooks
def test_rendered_pages_hide_code_until_asked(rendered, tmp_path):
    import subprocess

    browser = _chromium()
    if browser is None:
        pytest.skip("headless Chromium not installed (apt-get install chromium); CI installs it")
    out, _ = rendered
    for name in NOTEBOOKS:
        page = (out / name.replace(".ipynb", ".html")).read_text(encoding="utf-8")
        assert 'id="linhai-code-toggle"' in page
        copy = tmp_path / name.replace(".ipynb", ".html")
        copy.write_text(page.replace("</body>", CODE_PROBE + "</body>"), encoding="utf-8")
        dom = subprocess.run([browser, *CHROMIUM_FLAGS, "--window-size=1280,900", "--virtual-time-budget=4000",
                              f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", copy.as_uri()],
                             capture_output=True, text=True, timeout=120).stdout
        m = re.search(r'data-code="\[(\d+),(\d+),(\d+)\]"', dom)
        assert m, f"{name}: the probe did not run"
        cells, shown, after_click = map(int, m.groups())
        assert cells > 0 and shown == 0, f"{name}: {shown} of {cells} code cells shown by default"
        assert after_click > 0, f"{name}: the show-code button shows nothing"


@pytest.mark.notebooks
def test_annotated_page_is_the_first_link_and_has_a_mark_per_claim(rendered):
    out, _ = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<li><a href="([^"]+)"', index)
    assert links[0] == "annotated.html"
    claims = pd.read_csv(out / "tables" / "claims.csv", encoding="utf-8-sig")
    page = (out / "annotated.html").read_text(encoding="utf-8")
    ids = re.findall(r"<mark\b[^>]*data-claim-id='([^']+)'", page)
    assert ids == list(claims["claim_id"])
    # the targets carry plausibility verdicts from notebook 03's table, not "not checkable"
    verdicts = re.findall(r"data-verdict='([^']+)'", page)
    assert {"discrepancy", "basis_mismatch", "not_checkable"} <= set(verdicts)
    assert set(verdicts) & {"implausible", "unlikely", "plausible", "likely", "models_disagree"}
    assert "data-outcome='missed'" in page  # the 2022 GDP target of 7.5%: realized 3.6%


@pytest.mark.notebooks
def test_with_code_shows_code_and_english_translates_tables(tmp_path):
    render_reports(tmp_path, notebooks=["01_claims.ipynb", "02_reconciliation.ipynb"], with_code=True, lang="en",
                   progress=lambda s: None)
    page = (tmp_path / "02_reconciliation.html").read_text(encoding="utf-8")
    assert '<html class="reader"' not in page and "Hide code" in page
    cells = " ".join(re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", page))
    assert "Exports (CNY)" in cells and "外贸自营出口总额" not in cells
    for name in ("exports_cny", "fiscal_total_revenue", "implied_revision_pct", "not_checkable"):
        assert name not in cells, name
    from visible_text import page_identifiers

    for name in ("02_reconciliation.html", "index.html", "annotated.html"):
        assert page_identifiers((tmp_path / name).read_text(encoding="utf-8")) == [], name
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<html lang='en'>" in index
    annotated = (tmp_path / "annotated.html").read_text(encoding="utf-8")
    assert "Jump to next discrepancy" in annotated


@pytest.mark.notebooks
def test_visible_text_shows_no_internal_identifier(rendered):
    # issue 19: a reader sees words (labels, catalog names, document titles), never a code;
    # the checker (tests/visible_text.py) leaves out code cells, scripts and the run record
    from visible_text import context, page_identifiers

    out, _ = rendered
    found = {}
    for page in sorted(out.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        ids = page_identifiers(text)
        if ids:
            found[page.name] = {i: context(text, i)[:1] for i in sorted(set(ids))}
    assert not found, found

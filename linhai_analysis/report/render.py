"""Execute the notebooks with papermill and render self-contained HTML reports.

Everything is built in a staging directory first; the reports directory is only
updated when every notebook ran without error, so a failing cell leaves no partial
HTML behind.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..data import paths
from ..data.provenance import sha256_of
from ..errors import NotebookExecutionError

NOTEBOOKS = ("01_claims.ipynb", "02_reconciliation.ipynb", "03_targets_2026.ipynb",
             "04_outcomes_2022_2025.ipynb", "05_outside_view.ipynb")
_EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I)
_EXTERNAL_LINK = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.I | re.S)
#: What a browser would fetch: src/href attributes, CSS url() and @import, JS imports.
EXTERNAL_URL = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?|@import\s+["']|\bimport\s*\(?\s*["']|\bfrom\s+["']|=\s*["'])(?:https?:)?//""",
    re.I)


def default_parameters(as_of: str = "2022-02-17", lang: str = "zh",
                       user_series: Sequence[str] = (), tables_dir: str | None = None) -> dict:
    """The parameters every notebook's ``parameters`` cell accepts."""
    return {"as_of": as_of, "lang": lang, "user_series": [str(p) for p in user_series],
            "tables_dir": tables_dir}


def make_offline(page: str) -> str:
    """Drop every script or stylesheet that would be fetched from the network
    (require.js, MathJax, mermaid from a CDN); figures are embedded already."""
    page = _EXTERNAL_SCRIPT.sub("", page)
    page = _EXTERNAL_LINK.sub("", page)
    return _SCRIPT.sub(lambda m: "" if EXTERNAL_URL.search(m.group(0)) else m.group(0), page)


def execute_notebook(src: Path, dst: Path, parameters: dict, cwd: Path) -> None:
    """Run one notebook with papermill; a failing cell raises
    :class:`NotebookExecutionError` naming the notebook and the cell."""
    import papermill as pm

    try:
        # --log-level=ERROR: the kernel's start-up notice about TCP transport is not for readers
        pm.execute_notebook(str(src), str(dst), parameters=parameters, cwd=str(cwd),
                            kernel_name="python3", progress_bar=False, log_output=False,
                            extra_arguments=["--log-level=ERROR"])
    except pm.PapermillExecutionError as exc:
        raise NotebookExecutionError(
            f"{src.name}: cell {exc.cell_index} (execution count {exc.exec_count}) raised "
            f"{exc.ename}: {exc.evalue}") from None


#: One line per notebook: the question it answers (shown in ``index.html``).
ANSWERS = {
    "01_claims.ipynb": "What does the report claim? Every figure, its kind and span; extractor quality.",
    "02_reconciliation.ipynb": "Does the five-year review agree with the statistics? Verdicts, the GDP "
                               "deflator, discrepancies and their candidate causes.",
    "03_targets_2026.ipynb": "Were the 2026 goals and 2022 targets plausible in February 2022? Three models, "
                             "required growth, and how robust the answer is.",
    "04_outcomes_2022_2025.ipynb": "What happened since? The 2022 scorecard, outcomes in the ex-ante "
                                   "distributions, the rolling backtest and goal drift.",
    "05_outside_view.ipynb": "How ambitious were Linhai's targets next to the nation's, Zhejiang's and "
                             "Taizhou's (层层加码), and why did 2022 fall short?",
}
_IMG = re.compile(r"<img\b(?![^>]*\balt=)", re.I)
_H2 = re.compile(r"<h[12][^>]*>(.*?)</h[12]>", re.I | re.S)
_TAGS = re.compile(r"<[^>]+>")


def _clean_notebook(nb) -> None:
    """What a reader should see: one parameters cell (the injected one, if any), no
    stderr streams (warnings are printed once by the CLI and noted in the page)."""
    injected = any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    if injected:
        nb.cells = [c for c in nb.cells if "parameters" not in c.get("metadata", {}).get("tags", [])]
    for c in nb.cells:
        if c.get("cell_type") == "code":
            c["outputs"] = [o for o in c.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]


def _alt_text(page: str) -> str:
    """Give every image an alt text: the heading of its section."""
    out, last = [], 0
    heading = "Figure"
    pos = 0
    for m in _IMG.finditer(page):
        for h in _H2.finditer(page, pos, m.start()):
            heading = html.unescape(_TAGS.sub("", h.group(1))).replace("¶", "").strip() or heading
        pos = m.start()
        out.append(page[last:m.start()])
        out.append(f'<img alt="{html.escape(heading)} (figure)" ')
        last = m.end()
    out.append(page[last:])
    return "".join(out)


def to_html(ipynb: Path, no_input: bool = False) -> str:
    """Render an executed notebook to one self-contained HTML page: one parameters
    cell, no stderr boxes, no In/Out prompts with ``no_input``, alt text on figures."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(ipynb), as_version=4)
    _clean_notebook(nb)
    exporter = HTMLExporter(template_name="lab", exclude_input=no_input, embed_images=True,
                            exclude_input_prompt=no_input, exclude_output_prompt=no_input)
    body, _ = exporter.from_notebook_node(nb)
    return _alt_text(make_offline(body))


def _read_tables(folder: Path) -> dict:
    """The CSV tables of a run, as their notebooks made them: the ``'`` that keeps a
    spreadsheet from running a cell is removed (nothing runs in HTML)."""
    import pandas as pd

    from ..data.safety import unneutralise

    out = {}
    for p in sorted(Path(folder).glob("*.csv")):
        df = pd.read_csv(p, encoding="utf-8-sig")
        for col in df.columns:
            if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
                df[col] = df[col].map(unneutralise)
        out[p.stem] = df
    return out


#: Columns of the table of revised user figures (tables/user_revisions.csv and the index).
REVISION_COLUMNS = ["place", "indicator_zh", "indicator_en", "year", "value", "unit", "source_id", "note"]


def user_revisions(user_series: Sequence[str]):
    """The figures of the user series marked ``status=revised``, with the note that
    explains each: a revision replaces another source's figure, so it is always shown."""
    import pandas as pd

    from ..data.load import observations
    from ..data.sources import load_raw_sources

    if not user_series:
        return pd.DataFrame(columns=REVISION_COLUMNS)
    obs = observations(user_series)
    raw = set(load_raw_sources()["source_id"])
    rev = obs[obs["status"].eq("revised") & ~obs["source_id"].isin(raw)]
    return rev[REVISION_COLUMNS].reset_index(drop=True)


def _revisions_html(revisions) -> str:
    if revisions is None or not len(revisions):
        return ""
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in REVISION_COLUMNS) + "</tr>"
                   for _, r in revisions.iterrows())
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ("place", "indicator", "", "year", "value", "unit",
                                                          "source", "why (note)"))
    return ("<h2>Revised figures in the user series</h2><p>These figures replace another source's figure "
            f"for the same year and enter every table and model.</p><table><tr>{head}</tr>{rows}</table>")


def _index(reports: list[str], parameters: dict, elapsed: dict[str, float], has_workbook: bool,
           tables: dict | None = None, revisions=None) -> str:
    from .findings import index_findings, verdict_overview

    tables = tables or {}
    raw = sorted(p for p in paths.RAW_DIR.rglob("*") if p.is_file() and not p.name.endswith(".meta.yml"))
    files = [(f"data/raw/{p.relative_to(paths.RAW_DIR).as_posix()}", p) for p in raw]
    files += [(f"user series {p}", Path(p)) for p in parameters.get("user_series", [])]
    sums = "".join(f"<tr><td>{html.escape(name)}</td><td><code>{sha256_of(p)}</code></td></tr>"
                   for name, p in files)
    found = "".join(f"<li>{html.escape(s)}</li>" for s in index_findings(tables)) or \
        "<li>No table was written in this run.</li>"
    overview = "".join(
        f"<tr><th>{html.escape(k)}</th><td>" + ", ".join(f"{html.escape(str(v))}: {n}" for v, n in counts.items())
        + "</td></tr>" for k, counts in verdict_overview(tables).items())
    items = "".join(f'<li><a href="{html.escape(r)}">{html.escape(r)}</a> — '
                    f'{html.escape(ANSWERS.get(r.replace(".html", ".ipynb"), ""))}</li>' for r in reports)
    params = html.escape(json.dumps(parameters, ensure_ascii=False, sort_keys=True, indent=1))
    times = ", ".join(f"{html.escape(r)} {elapsed[r]:.1f} s" for r in reports)
    return (
        "<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>linhai-analysis reports</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;line-height:1.45}"
        "td,th{padding:2px 10px;text-align:left;vertical-align:top}li{margin:0.3em 0}"
        "code{overflow-wrap:anywhere}footer{color:#777;font-size:0.85em;margin-top:2em}</style>"
        "</head><body><h1>The 2022 Linhai Government Work Report: what holds up</h1>"
        f"<h2>Findings</h2><ul>{found}</ul>"
        f"<h2>Verdicts at a glance</h2><table>{overview}</table>"
        + _revisions_html(revisions)
        + f"<h2>The notebooks</h2><ul>{items}</ul>"
        + ("<p>Full tables: <a href='linhai_tables.xlsx'>linhai_tables.xlsx</a> (first sheet explains the "
           "columns) and <code>tables/*.csv</code>.</p>" if has_workbook else "<p>No tables in this run.</p>")
        + f"<details><summary>Run parameters</summary><pre>{params}</pre></details>"
        f"<details><summary>Input data (sha256)</summary><table>{sums}</table></details>"
        f"<footer>Run times: {times}.</footer></body></html>\n")


def render_reports(out_dir: Path | None = None, *, as_of: str = "2022-02-17", lang: str = "zh",
                   no_input: bool = False, user_series: Sequence[str] = (),
                   notebooks: Sequence[str] = NOTEBOOKS, source_dir: Path | None = None,
                   progress: Callable[[str], None] = print) -> list[Path]:
    """Execute the notebooks in order and write HTML, tables, workbook and index.

    Parameters
    ----------
    out_dir : Path, optional
        Destination (default ``reports/``). Receives ``<notebook>.html``,
        ``index.html``, ``tables/*.csv`` and ``linhai_tables.xlsx``.
    as_of : str
        Information set for the plausibility notebook (``"latest"`` for all data).
    lang : {"zh", "en"}
        Label language of the figures.
    no_input : bool
        Hide code cells in the HTML.
    user_series : sequence of str
        User CSV files of official series, merged with the raw data.
    notebooks : sequence of str
        Notebook file names, executed in this order.
    source_dir : Path, optional
        Folder holding them (default ``notebooks/``).
    progress : callable
        Receives one line per notebook with its elapsed time.

    Output folder (see :mod:`linhai_analysis.outdir`): a new or empty folder, or a
    previous report of this program, whose own files are replaced; any other
    non-empty folder is refused before any notebook runs, and files the program did
    not write are never touched. Work is staged inside the folder and moved into
    place only when every notebook ran.

    Raises
    ------
    NotebookExecutionError
        When a cell fails; ``out_dir`` is left as it was.
    OutputFolderError
        When ``out_dir`` is a file, a foreign non-empty folder, or locked by another run.
    DataValidationError
        When a user series is invalid (checked before any notebook runs).
    """
    from ..data.load import observations
    from .outdir import check_out_dir, locked, publish, stage_dir
    from .tables import merge_workbook

    out_dir = Path(out_dir or paths.REPORTS_DIR)
    source_dir = Path(source_dir or paths.NOTEBOOKS_DIR)
    expected = ["index.html", "linhai_tables.xlsx", *(n.replace(".ipynb", ".html") for n in notebooks)]
    check_out_dir(out_dir, expected)
    observations(user_series)  # a bad user series fails here, not after the first notebook
    if lang == "zh":
        from .plots import FONT_HELP, find_cjk_font

        if find_cjk_font() is None:
            progress(f"warning: no CJK font found; figures use English labels. To fix: {FONT_HELP}")
    with locked(out_dir):
        check_out_dir(out_dir, expected)  # again under the lock
        stage = stage_dir(out_dir)
        try:
            return _render_into(stage, out_dir, as_of, lang, no_input, user_series, notebooks,
                                source_dir, progress, merge_workbook, publish)
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _render_into(stage: Path, out_dir: Path, as_of: str, lang: str, no_input: bool,
                 user_series: Sequence[str], notebooks: Sequence[str], source_dir: Path,
                 progress: Callable[[str], None], merge_workbook, publish) -> list[Path]:
    """Run the notebooks into ``stage``, then publish the result into ``out_dir``."""
    tables = stage / "tables"
    tables.mkdir()
    # notebooks run in the staging folder, so the tables folder they see is just "tables"
    params = default_parameters(as_of, lang, [str(Path(p).resolve()) for p in user_series], "tables")
    written, elapsed = [], {}
    for name in notebooks:
        t0 = time.perf_counter()
        executed = stage / name
        execute_notebook(source_dir / name, executed, params, stage)
        page = stage / name.replace(".ipynb", ".html")
        page.write_text(to_html(executed, no_input), encoding="utf-8")
        executed.unlink()
        elapsed[page.name] = time.perf_counter() - t0
        written.append(page.name)
        progress(f"{name}: {elapsed[page.name]:.1f} s")
    revisions = user_revisions(user_series)
    if len(revisions):
        from .tables import write_tables

        write_tables({"user_revisions": revisions}, tables)
    workbook = merge_workbook(tables, stage / "linhai_tables.xlsx")
    index = _index(written, params, elapsed, workbook is not None, _read_tables(tables), revisions)
    (stage / "index.html").write_text(index, encoding="utf-8")
    return publish(stage, out_dir)

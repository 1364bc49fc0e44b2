"""Execute the notebooks with papermill and render self-contained HTML reports.

Everything is built in a staging directory first; the reports directory is only
updated when every notebook ran without error, so a failing cell leaves no partial
HTML behind.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..data import paths
from ..data.provenance import sha256_of
from ..errors import NotebookExecutionError

NOTEBOOKS = ("01_claims.ipynb", "02_reconciliation.ipynb", "03_targets_2026.ipynb",
             "04_outcomes_2022_2025.ipynb", "05_outside_view.ipynb", "06_other_counties.ipynb")
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
        # --log-level=CRITICAL: kernel log lines (the TCP-transport notice, "KeyboardInterrupt caught
        # in kernel" when a kernel is interrupted at shutdown) are not for readers; cell errors
        # still arrive as cell outputs and raise PapermillExecutionError
        pm.execute_notebook(str(src), str(dst), parameters=parameters, cwd=str(cwd),
                            kernel_name="python3", progress_bar=False, log_output=False,
                            extra_arguments=["--log-level=CRITICAL"])
    except pm.PapermillExecutionError as exc:
        raise NotebookExecutionError(
            f"{src.name}: cell {exc.cell_index} (execution count {exc.exec_count}) raised "
            f"{exc.ename}: {exc.evalue}") from None


#: One line per notebook: the question it answers (shown in ``index.html``).
ANSWERS = {
    "annotated.ipynb": "The report itself, every figure highlighted by its verdict: select one to see its check.",
    "01_claims.ipynb": "What does the report claim? Every figure, its kind and span; extractor quality.",
    "02_reconciliation.ipynb": "Does the five-year review agree with the statistics? Verdicts, the GDP "
                               "deflator, discrepancies and their candidate causes.",
    "03_targets_2026.ipynb": "Were the 2026 goals and 2022 targets plausible in February 2022? Three models, "
                             "required growth, and how robust the answer is.",
    "04_outcomes_2022_2025.ipynb": "What happened since? The 2022 scorecard, outcomes in the ex-ante "
                                   "distributions, the rolling backtest and goal drift.",
    "05_outside_view.ipynb": "How ambitious were Linhai's targets next to the nation's, Zhejiang's and "
                             "Taizhou's (层层加码), and why did 2022 fall short?",
    "06_other_counties.ipynb": "Does the same reconciliation hold up for two counties outside Zhejiang "
                               "(南昌县, 宜兴市)? Verdicts, 同口径, sub-areas, weak sources.",
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


#: Reader mode: code cells hidden until the reader asks for them; wide tables scroll in
#: their own box; words and numbers in table cells never split.
READER_CSS = """<style id="linhai-reader">
html.reader .jp-CodeCell .jp-Cell-inputWrapper,html.reader .jp-CodeCell.jp-mod-noOutputs,
html.reader .jp-OutputPrompt,html.reader .jp-InputPrompt{display:none}
#linhai-code-toggle{position:fixed;top:8px;right:8px;z-index:10;font:13px sans-serif;padding:4px 10px;
border:1px solid #888;border-radius:4px;background:#fff;cursor:pointer}
#linhai-code-toggle:focus-visible{outline:3px solid #1565c0}
.jp-OutputArea-output{overflow-x:auto;max-width:100%}
.jp-RenderedHTMLCommon td,.jp-RenderedHTMLCommon th{overflow-wrap:normal;word-break:normal;hyphens:none}
</style>"""
_TOGGLE = {"zh": ("显示代码", "隐藏代码"), "en": ("Show code", "Hide code")}


def reader_mode(page: str, lang: str = "en", with_code: bool = False) -> str:
    """Add the reader-mode style and a visible "show code" button to a rendered page.

    Code cells are hidden by default (``with_code=False``: the ``reader`` class is on
    the ``<html>`` element, so they stay hidden without JavaScript too); the button
    toggles them. With ``with_code`` the code is shown and the button hides it."""
    show, hide = _TOGGLE.get(lang, _TOGGLE["en"])
    start = hide if with_code else show
    button = (f'<button type="button" id="linhai-code-toggle" aria-pressed="{"true" if with_code else "false"}">'
              f"{start}</button>")
    script = ("<script>(function(){var b=document.getElementById('linhai-code-toggle');"
              "b.addEventListener('click',function(){var r=document.documentElement.classList.toggle('reader');"
              f"b.textContent=r?{json.dumps(show)}:{json.dumps(hide)};b.setAttribute('aria-pressed',r?'false':'true');}});"
              "})();</script>")
    page = re.sub(r"<html\b([^>]*)>", lambda m: _add_class(m, "" if with_code else "reader"), page, count=1)
    page = page.replace("</head>", READER_CSS + "</head>", 1)
    page = re.sub(r"(<body\b[^>]*>)", lambda m: m.group(1) + button, page, count=1)
    return page.replace("</body>", script + "</body>", 1)


def _add_class(m: re.Match, cls: str) -> str:
    attrs = m.group(1)
    if not cls:
        return m.group(0)
    if re.search(r'\bclass="', attrs):
        return "<html" + re.sub(r'\bclass="', f'class="{cls} ', attrs, count=1) + ">"
    return f'<html class="{cls}"{attrs}>'


def to_html(ipynb: Path, no_input: bool = False, *, with_code: bool = False, lang: str = "en") -> str:
    """Render an executed notebook to one self-contained HTML page: one parameters
    cell, no stderr boxes, no In/Out prompts with ``no_input``, alt text on figures,
    and reader mode (code hidden behind a "show code" button unless ``with_code``)."""
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(ipynb), as_version=4)
    _clean_notebook(nb)
    exporter = HTMLExporter(template_name="lab", exclude_input=no_input, embed_images=True,
                            exclude_input_prompt=no_input, exclude_output_prompt=no_input)
    body, _ = exporter.from_notebook_node(nb)
    page = _alt_text(make_offline(body))
    return page if no_input else reader_mode(page, lang, with_code)


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


def to_english(text: str) -> str:
    """Chinese indicator and place names in a computed sentence replaced by their English
    names from the catalogs (longest names first), for ``--lang en``."""
    from ..data.indicators import CATALOG
    from ..data.places import PLACES

    names = {i.name_zh: i.name_en for i in CATALOG.values()}
    names.update({p.name_zh: p.name_en for p in PLACES.values()})
    for zh in sorted(names, key=len, reverse=True):
        text = text.replace(zh, names[zh])
    return text


def _index(reports: list[str], parameters: dict, elapsed: dict[str, float], has_workbook: bool,
           tables: dict | None = None, lang: str = "zh", revisions=None) -> str:
    from .findings import index_findings, verdict_overview
    from .labels import cell_label

    tables = tables or {}
    raw = sorted(p for p in paths.RAW_DIR.rglob("*") if p.is_file() and not p.name.endswith(".meta.yml"))
    files = [(f"data/raw/{p.relative_to(paths.RAW_DIR).as_posix()}", p) for p in raw]
    files += [(f"user series {p}", Path(p)) for p in parameters.get("user_series", [])]
    sums = "".join(f"<tr><td>{html.escape(name)}</td><td><code>{sha256_of(p)}</code></td></tr>"
                   for name, p in files)
    from .labels import humanize

    tr = (lambda x: humanize(to_english(x), lang)) if lang == "en" else (lambda x: humanize(x, lang))
    found = "".join(f"<li>{html.escape(tr(s))}</li>" for s in index_findings(tables)) or \
        "<li>No table was written in this run.</li>"
    overview = "".join(
        f"<tr><th>{html.escape(k)}</th><td>" + ", ".join(
            f"{html.escape(cell_label(str(v), lang))}: {n}" for v, n in counts.items())
        + "</td></tr>" for k, counts in verdict_overview(tables).items())
    items = "".join(f'<li><a href="{html.escape(r)}">{html.escape(r)}</a> — '
                    f'{html.escape(ANSWERS.get(r.replace(".html", ".ipynb"), ""))}</li>' for r in reports)
    params = html.escape(json.dumps(parameters, ensure_ascii=False, sort_keys=True, indent=1))
    times = ", ".join(f"{html.escape(r)} {elapsed[r]:.1f} s" for r in reports)
    return (
        f"<!DOCTYPE html><html lang='{'zh' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>linhai-analysis reports</title>"
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
                   no_input: bool = False, with_code: bool = False, user_series: Sequence[str] = (),
                   notebooks: Sequence[str] = NOTEBOOKS, source_dir: Path | None = None,
                   progress: Callable[[str], None] = print, jobs: int | None = None) -> list[Path]:
    """Execute the notebooks and write HTML, tables, workbook and index.

    Parameters
    ----------
    out_dir : Path, optional
        Destination (default ``reports/``). Receives ``<notebook>.html``,
        ``index.html``, ``tables/*.csv`` and ``linhai_tables.xlsx``.
    as_of : str
        Information set for the plausibility notebook (``"latest"`` for all data).
    lang : {"zh", "en"}
        Language of figure labels, table contents, the index and the annotated page.
    no_input : bool
        Leave the code cells out of the HTML.
    with_code : bool
        Show the code cells (default: reader mode, code hidden behind a "show code"
        button).
    user_series : sequence of str
        User CSV files of official series, merged with the raw data.
    notebooks : sequence of str
        Notebook file names (the index lists them in this order).
    source_dir : Path, optional
        Folder holding them (default ``notebooks/``).
    progress : callable
        Receives one line per notebook with its elapsed time (in the order they finish).
    jobs : int, optional
        Notebooks run side by side (default: one per core, :func:`default_jobs`); 1 runs
        them one after another. Results and pages are the same either way.

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
                                source_dir, progress, merge_workbook, publish, with_code, jobs)
        finally:
            shutil.rmtree(stage, ignore_errors=True)


def _run_one(src: Path, stage: Path, name: str, params: dict, no_input: bool,
             with_code: bool = False, lang: str = "en") -> float:
    """Execute one notebook into ``stage`` and write its page; returns the seconds taken.
    Module-level so that a worker process can run it."""
    t0 = time.perf_counter()
    executed = stage / name
    execute_notebook(src / name, executed, params, stage)
    (stage / name.replace(".ipynb", ".html")).write_text(to_html(executed, no_input, with_code=with_code, lang=lang), encoding="utf-8")
    executed.unlink()
    return time.perf_counter() - t0


def default_jobs(n_notebooks: int) -> int:
    """Notebooks run side by side: one per core, at most one per notebook."""
    return max(1, min(n_notebooks, os.cpu_count() or 1))


def _run_all(source_dir: Path, stage: Path, notebooks: Sequence[str], params: dict, no_input: bool,
             jobs: int, progress: Callable[[str], None], with_code: bool = False,
             lang: str = "en") -> dict[str, float]:
    """Run the notebooks, ``jobs`` at a time, sharing heavy results through a run cache
    (:mod:`linhai_analysis.assess.cache`). Pages do not depend on the order in which the
    notebooks finish."""
    from ..assess.cache import CACHE_ENV

    elapsed: dict[str, float] = {}
    cache = Path(tempfile.mkdtemp(prefix="linhai-shared-"))
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(cache)  # inherited by the workers and their kernels
    try:
        if jobs <= 1 or len(notebooks) <= 1:
            for name in notebooks:
                elapsed[name] = _run_one(source_dir, stage, name, params, no_input, with_code, lang)
                progress(f"{name}: {elapsed[name]:.1f} s")
            return elapsed
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_run_one, source_dir, stage, name, params, no_input, with_code, lang): name
                       for name in notebooks}
            try:
                for fut in as_completed(futures):
                    elapsed[futures[fut]] = fut.result()  # a failing notebook raises here
                    progress(f"{futures[fut]}: {elapsed[futures[fut]]:.1f} s")
            except BaseException:
                for f in futures:
                    f.cancel()
                raise
        return elapsed
    finally:
        if previous is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = previous
        shutil.rmtree(cache, ignore_errors=True)


ANNOTATED = "annotated.html"


def _annotated(tables: Path, lang: str, as_of: str, has_workbook: bool) -> str | None:
    """The annotated report from the tables this run wrote (``None`` without claims)."""
    from ..claims.text import load_report
    from .annotate import page_from_tables

    return page_from_tables(load_report(paths.REPORT_FILE), tables, lang=lang, as_of=as_of,
                            workbook="linhai_tables.xlsx" if has_workbook else None)


def _render_into(stage: Path, out_dir: Path, as_of: str, lang: str, no_input: bool,
                 user_series: Sequence[str], notebooks: Sequence[str], source_dir: Path,
                 progress: Callable[[str], None], merge_workbook, publish, with_code: bool = False,
                 jobs: int | None = None) -> list[Path]:
    """Run the notebooks into ``stage``, then publish the result into ``out_dir``."""
    tables = stage / "tables"
    tables.mkdir()
    # notebooks run in the staging folder, so the tables folder they see is just "tables"
    params = default_parameters(as_of, lang, [str(Path(p).resolve()) for p in user_series], "tables")
    jobs = default_jobs(len(notebooks)) if jobs is None else jobs
    times = _run_all(source_dir, stage, notebooks, params, no_input, jobs, progress, with_code, lang)
    written = [name.replace(".ipynb", ".html") for name in notebooks]  # notebook order, not finishing order
    elapsed = {name.replace(".ipynb", ".html"): t for name, t in times.items()}
    revisions = user_revisions(user_series)
    if len(revisions):
        from .tables import write_tables

        write_tables({"user_revisions": revisions}, tables)
    workbook = merge_workbook(tables, stage / "linhai_tables.xlsx")
    annotated = _annotated(tables, lang, as_of, workbook is not None)
    if annotated is not None:
        (stage / ANNOTATED).write_text(annotated, encoding="utf-8")
        written.insert(0, ANNOTATED)
        elapsed[ANNOTATED] = 0.0
    index = _index(written, params, elapsed, workbook is not None, _read_tables(tables), lang, revisions)
    (stage / "index.html").write_text(index, encoding="utf-8")
    return publish(stage, out_dir)

"""Issue 14: every input and output path, attacked as a careless user or a hostile file
would. One test (or parametrised case) per defect; each failed on the code before."""

import json
import os
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from linhai_analysis.claims.extract import ReportStructureWarning, claims_table, extract_claims
from linhai_analysis.cli import main
from linhai_analysis.data import paths
from linhai_analysis.data.load import observations
from linhai_analysis.data.provenance import read_verified_bytes, sha256_of
from linhai_analysis.data.sources import (
    OBSERVATION_COLUMNS,
    USER_SOURCE_COLUMNS,
    load_raw_sources,
    load_user_series,
)
from linhai_analysis.errors import (
    ChecksumMismatchError,
    DataValidationError,
    MissingSidecarError,
    SidecarError,
)
from linhai_analysis.pipeline import build
from linhai_analysis.report.outdir import (
    MARKER,
    STAGE,
    STAGE_SENTINEL,
    OutputFolderError,
    check_out_dir,
    locked,
    publish,
)
from linhai_analysis.report.tables import merge_workbook, write_tables


def _msgs(exc_info) -> list[str]:
    return [str(p) for p in exc_info.value.problems]


# --- 1. data loss ------------------------------------------------------------------------------

def test_report_refuses_a_foreign_folder_and_touches_nothing(tmp_path, capsys):
    out = tmp_path / "mine"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "my_notes.csv").write_text("keep me", encoding="utf-8")
    (out / "index.html").write_text("my own page", encoding="utf-8")
    t0 = time.perf_counter()
    assert main(["report", "--out", str(out)]) == 2
    assert time.perf_counter() - t0 < 30  # refused before any notebook ran
    assert "not a previous linhai-analysis report" in capsys.readouterr().err
    assert (out / "tables" / "my_notes.csv").read_text(encoding="utf-8") == "keep me"
    assert (out / "index.html").read_text(encoding="utf-8") == "my own page"


def test_publish_replaces_only_its_own_files(tmp_path):
    out = tmp_path / "r"
    stage1 = tmp_path / "s1"
    (stage1 / "tables").mkdir(parents=True)
    (stage1 / "index.html").write_text("run 1", encoding="utf-8")
    (stage1 / "tables" / "a.csv").write_text("a1", encoding="utf-8")
    (stage1 / "tables" / "gone.csv").write_text("g1", encoding="utf-8")
    out.mkdir()
    publish(stage1, out)
    (out / "tables" / "user.csv").write_text("the user's", encoding="utf-8")  # not ours
    stage2 = tmp_path / "s2"
    (stage2 / "tables").mkdir(parents=True)
    (stage2 / "index.html").write_text("run 2", encoding="utf-8")
    (stage2 / "tables" / "a.csv").write_text("a2", encoding="utf-8")
    check_out_dir(out)  # a previous report: accepted
    publish(stage2, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "run 2"
    assert (out / "tables" / "a.csv").read_text(encoding="utf-8") == "a2"
    assert not (out / "tables" / "gone.csv").exists()  # ours, not written this time
    assert (out / "tables" / "user.csv").read_text(encoding="utf-8") == "the user's"
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["files"] == ["index.html", "tables/a.csv"]


# --- 2. formula injection ------------------------------------------------------------------------

@pytest.mark.parametrize("field,value", [
    ("source_id", '=HYPERLINK("http://evil.example","x")'),
    ("source_id", "=1+1"),
    ("source_id", "@SUM(A1:A2)"),
    ("label_as_printed", "+cmd|' /C calc'!A0"),
    ("note", "-2+3+cmd|' /C calc'!A0"),
    ("source_title", "=1+1"),
    ("publisher", "\t=1"),
])
def test_formula_text_is_refused_on_input(write_user, field, value):
    p = write_user([{field: value}])
    with pytest.raises(DataValidationError) as exc:
        load_user_series(p, load_raw_sources())
    name = "title" if field == "source_title" else field
    assert any(f"line 2, field '{name}'" in m and "formula" in m for m in _msgs(exc)), _msgs(exc)


def test_javascript_url_is_refused(write_user):
    p = write_user([{"url": "javascript:alert(1)"}])
    with pytest.raises(DataValidationError) as exc:
        load_user_series(p, load_raw_sources())
    assert any("field 'url'" in m and "http(s)" in m for m in _msgs(exc))


def test_tables_neutralise_formulas_in_csv_and_xlsx(tmp_path):
    df = pd.DataFrame({"text": ["=1+1", '=HYPERLINK("http://e","x")', "@SUM(A1)", "-6.4", "plain", "="],
                       "n": [1, 2, 3, 4, 5, 6]})
    write_tables({"t": df}, tmp_path)
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")
    # a number stays a number ("-6.4" is not neutralised); every formula-like text is; a lone
    # "=" (the comparator) runs nothing and is left as it is (issue 21, scenario 14)
    assert list(back["text"]) == ["'=1+1", "'=HYPERLINK(\"http://e\",\"x\")", "'@SUM(A1)", "-6.4", "plain", "="]
    merge_workbook(tmp_path, tmp_path / "w.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "w.xlsx")["t"]
    cells = [ws.cell(row=i, column=1) for i in range(2, 8)]
    assert all(c.data_type != "f" for c in cells)
    assert cells[0].value == "'=1+1" and cells[3].value == "-6.4"


# --- 3. integrity ------------------------------------------------------------------------------------

@pytest.fixture()
def raw_paths(raw_copy, monkeypatch):
    """Point the package at a writable copy of data/raw."""
    for name in ("REPORT_FILE", "OBSERVATIONS_FILE", "SOURCES_FILE", "OTHER_CLAIMS_FILE",
                 "ANCHOR_OBSERVATIONS_FILE", "ANCHOR_TARGETS_FILE", "FORECASTS_FILE"):
        monkeypatch.setattr(paths, name, raw_copy / getattr(paths, name).name)
    return raw_copy


def test_report_text_without_sidecar_is_an_error(raw_paths, tmp_path):
    report = raw_paths / paths.REPORT_FILE.name
    (raw_paths / (report.name + ".meta.yml")).unlink()
    report.write_bytes(report.read_bytes().replace(b"819.9", b"919.9"))
    with pytest.raises(MissingSidecarError, match="forum_page.txt"):
        claims_table()
    with pytest.raises(MissingSidecarError):
        build(tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_build_verifies_other_report_claims(raw_paths, tmp_path):
    f = raw_paths / "other_report_claims.csv"
    f.write_bytes(f.read_bytes() + b"\n")
    with pytest.raises(ChecksumMismatchError, match="other_report_claims.csv"):
        build(tmp_path / "out")


def test_uppercase_sha256_is_accepted(raw_copy):
    side = raw_copy / "sources.csv.meta.yml"
    side.write_text(side.read_text(encoding="utf-8").replace(
        sha256_of(raw_copy / "sources.csv"), sha256_of(raw_copy / "sources.csv").upper()), encoding="utf-8")
    assert read_verified_bytes(raw_copy / "sources.csv")


def test_invalid_yaml_sidecar_is_a_named_error(raw_copy):
    (raw_copy / "sources.csv.meta.yml").write_text("title: [unclosed\nsha256: x\n", encoding="utf-8")
    with pytest.raises(SidecarError, match=r"sources.csv.meta.yml.*not a valid YAML sidecar"):
        read_verified_bytes(raw_copy / "sources.csv")


def test_manifest_is_keyed_by_path(tmp_path, write_user):
    user = write_user([{"year": "2019", "value": "700.5"}], name="observations.csv")
    build(tmp_path / "o", [user])
    inputs = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))["inputs"]
    assert inputs["data/raw/observations.csv"] == sha256_of(paths.OBSERVATIONS_FILE)
    assert inputs[f"user series {user.resolve()}"] == sha256_of(user)


# --- 4. silently wrong values --------------------------------------------------------------------------

@pytest.mark.parametrize("row,field,fragment", [
    ({"value": "inf"}, "value", "not a number"),
    ({"value": "1e308"}, "value", "not a number"),
    ({"value": "-700.5"}, "value", "must be positive"),
    ({"value": "0"}, "value", "must be positive"),
    ({"value": "1062,9"}, "value", "decimal commas"),
    ({"growth_pct": "1,5"}, "growth_pct", "decimal commas"),
    ({"year": "2019.0"}, "year", "whole number"),
])
def test_impossible_values_are_refused_with_line_and_field(write_user, row, field, fragment):
    p = write_user([row])
    with pytest.raises(DataValidationError) as exc:
        load_user_series(p, load_raw_sources())
    assert any(f"line 2, field '{field}'" in m and fragment in m for m in _msgs(exc)), _msgs(exc)


def test_a_unit_slip_is_refused(write_user):
    # 8199000 亿元 for 819.9 亿元: 10^4 times the work report's figure for the same year
    p = write_user([{"year": "2021", "value": "8199000"}])
    with pytest.raises(DataValidationError) as exc:
        observations([p])
    (m,) = [m for m in _msgs(exc) if "unit slip" in m]
    assert "user.csv, line 2, field 'value'" in m and "1e+04×" in m


def test_a_jump_from_the_nearest_year_is_refused(write_user):
    # no other 2019 figure: 2018 is 670.92; 2019 = 2000 is 2.98x in one year (> 2x)
    p = write_user([{"year": "2019", "value": "2000"}])
    with pytest.raises(DataValidationError, match=r"line 2, field 'value'.*more than 2× a year"):
        observations([p])


def test_a_declared_revision_is_accepted(write_user):
    p = write_user([{"year": "2019", "value": "2000", "status": "revised",
                     "note": "synthetic test row: a declared revision"}])
    o = observations([p])
    assert ((o.source_id == "test_yearbook") & (o.value == 2000)).any()


def test_the_same_file_twice_is_a_duplicate(write_user):
    p = write_user([{}])
    with pytest.raises(DataValidationError, match=r"user.csv, line 2, field 'source_id': duplicate"):
        observations([p, p])


# --- 5. extractor --------------------------------------------------------------------------------------

def test_full_width_digits_and_decimal_point():
    df = extract_claims("全市实现地区生产总值819．9亿元,增长６．1％。", report_year=2022)
    assert list(df["value"]) == [819.9, 6.1]
    assert list(df["unit"]) == ["亿元", "%"]
    # offsets still index the original text
    text = "全市实现地区生产总值819．9亿元,增长６．1％。"
    assert text[df.iloc[0]["span_start"]:df.iloc[0]["span_end"]] == "819．9亿元"


@pytest.mark.filterwarnings("ignore::linhai_analysis.claims.extract.ReportStructureWarning")
def test_extraction_is_linear_in_paragraph_length():
    unit = "从85家增加到207家、"
    para = (unit * (100_000 // len(unit) + 1))[:100_000]
    t0 = time.perf_counter()
    df = extract_claims(para, report_year=2022)
    assert time.perf_counter() - t0 < 10  # generous: ~0.2 s here (benchmarks/extract_speed.py)
    assert len(df) > 5000


@pytest.mark.parametrize("text,fragment", [
    ("", "empty"),
    ("<html><body><div class='x'></div><script>var a=1;</script></body></html>" * 20, "HTML"),
    ("增长了一些。" * 200, "no title line"),
])
def test_structureless_input_warns(text, fragment):
    with pytest.warns(ReportStructureWarning, match=fragment):
        extract_claims(text)


def test_claims_reads_standard_input(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("一般公共预算收入22.9亿元,增长14.4%。".encode())))
    assert main(["claims", "-", "--year", "2017"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert list(out["value"]) == [22.9, 14.4]


# --- 6. errors instead of tracebacks ---------------------------------------------------------------------

def _user_text(tmp_path: Path, value_field: str) -> Path:
    cols = OBSERVATION_COLUMNS + USER_SOURCE_COLUMNS
    row = {"indicator": "gdp", "label_as_printed": "x", "year": "2019", "value": "700.5", "unit": "亿元",
           "growth_pct": "", "growth_basis": "", "comparator": "=", "status": "", "source_id": "u",
           "note": "", "source_kind": "yearbook", "source_title": "t", "publisher": "p", "url": "",
           "document_date": "2020-01-01"}
    line = ",".join(value_field if c == "value" else row[c] for c in cols)
    p = tmp_path / "u.csv"
    p.write_text(",".join(cols) + "\n" + line + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("value", ["1,062.9", "700.5,"])
def test_unquoted_separator_or_trailing_comma(tmp_path, capsys, value):
    p = _user_text(tmp_path, value)
    assert main(["build", "--out", str(tmp_path / "o"), "--user-series", str(p)]) == 2
    err = capsys.readouterr().err
    assert "u.csv, line 2:" in err and "fields where the header has" in err and "Traceback" not in err


def test_folder_as_input(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path / "o"), "--user-series", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["claims", str(tmp_path)]) == 2


def test_out_is_an_existing_file(tmp_path, capsys):
    f = tmp_path / "file.txt"
    f.write_text("x", encoding="utf-8")
    t0 = time.perf_counter()
    assert main(["report", "--out", str(f)]) == 2
    assert time.perf_counter() - t0 < 30 and "is a file" in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_target(tmp_path, capsys):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        assert main(["build", "--out", str(ro / "o")]) == 2
        assert "error:" in capsys.readouterr().err
    finally:
        ro.chmod(0o700)


def test_os_errors_become_messages(monkeypatch, tmp_path, capsys):
    import linhai_analysis.pipeline as data_mod

    def boom(*a, **k):
        raise OSError(30, "Read-only file system", str(tmp_path / "o"))

    monkeypatch.setattr(data_mod, "write_dir_atomic", boom)
    assert main(["build", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "Read-only file system" in err and "Traceback" not in err


def test_ctrl_c_exits_130_with_one_line(monkeypatch, tmp_path, capsys):
    import linhai_analysis.pipeline as data_mod

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(data_mod, "build", interrupted)
    assert main(["build", "--out", str(tmp_path / "o")]) == 130
    assert capsys.readouterr().err.strip() == "interrupted: nothing was written"


# --- 7. atomicity and concurrency --------------------------------------------------------------------------

def test_build_killed_mid_swap_is_recovered(tmp_path):
    out = tmp_path / "processed"
    build(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    # simulate a kill after the old folder was moved away and before the new one arrived
    old = tmp_path / ".processed.old-x"
    old.mkdir()
    os.replace(out, old / "d")
    (tmp_path / ".processed.staging-y").mkdir()
    build(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not list(tmp_path.glob(".processed.*"))


def test_build_failing_mid_write_leaves_the_old_files(tmp_path, monkeypatch):
    out = tmp_path / "processed"
    build(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = pd.DataFrame.to_csv
    calls = {"n": 0}

    def flaky(self, *a, **k):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(self, *a, **k)

    monkeypatch.setattr(pd.DataFrame, "to_csv", flaky)
    with pytest.raises(OSError):
        build(out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_build_refuses_a_foreign_folder(tmp_path):
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "thesis.docx").write_text("x", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="no manifest.json"):
        build(tmp_path / "o")
    assert (tmp_path / "o" / "thesis.docx").exists()


def test_concurrent_runs_are_refused_and_stale_staging_cleaned(tmp_path):
    out = tmp_path / "r"
    # a staging folder left by a killed run (exact name and its sentinel; issue 21 scenario 4:
    # a name that merely starts like it is a user's folder and is kept)
    (out / STAGE).mkdir(parents=True)
    (out / STAGE / STAGE_SENTINEL).write_text("x", encoding="utf-8")
    with locked(out):
        assert not (out / STAGE).exists()  # left by a killed run: removed
        with pytest.raises(OutputFolderError, match="another linhai-analysis run"):
            with locked(out):
                pass
    with locked(out):  # released: a later run proceeds
        pass


# --- 8. small --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv", [["report", "--as-of", "20220217"], ["report", "--as-of", "2022-02-30"],
                                  ["claims", "x.txt", "--year", "-5"]])
def test_bad_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_future_as_of_warns(monkeypatch, capsys):
    import linhai_analysis.report.render as render_mod

    monkeypatch.setattr(render_mod, "render_reports", lambda *a, **k: [])
    assert main(["report", "--as-of", "2999-01-01", "--out", "unused"]) == 0
    assert "in the future" in capsys.readouterr().err


def test_bad_user_series_is_reported_before_any_notebook(tmp_path, write_user):
    from linhai_analysis.report.render import render_reports

    lines: list[str] = []
    with pytest.raises(DataValidationError):
        render_reports(tmp_path / "out", user_series=[str(write_user([{"unit": "亿円"}]))],
                       progress=lines.append)
    assert lines == [] and not (tmp_path / "out").exists()


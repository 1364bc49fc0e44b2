"""Issue 21: nothing outside its own files, ever. One test (or parametrised case) per
scenario of the issue, numbered as there; each failed on the code before the fix."""

import contextlib
import errno
import json
import os
import signal
import sys
from pathlib import Path

import pandas as pd
import pytest

from linhai_analysis.cli import main
from linhai_analysis.data import paths
from linhai_analysis.data.files import file_sha256, folder_lock
from linhai_analysis.data.load import observations
from linhai_analysis.data.sources import (
    OBSERVATION_COLUMNS,
    USER_SOURCE_COLUMNS,
    load_raw_sources,
    load_user_series,
)
from linhai_analysis.errors import DataValidationError, InputFileError, OutputFolderError
from linhai_analysis.pipeline import build
from linhai_analysis.report.outdir import MARKER, check_out_dir, locked, publish

USER_COLUMNS = OBSERVATION_COLUMNS + USER_SOURCE_COLUMNS


def _msgs(exc_info) -> list[str]:
    return [str(p) for p in exc_info.value.problems]


def _stage(tmp_path: Path, files: dict[str, str], name: str = "stage") -> Path:
    stage = tmp_path / name
    for rel, text in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_text(text, encoding="utf-8")
    return stage


def _previous_report(tmp_path: Path) -> Path:
    """A folder holding a genuine previous report (index.html and one table)."""
    out = tmp_path / "D"
    out.mkdir()
    publish(_stage(tmp_path, {"index.html": "run 1", "tables/a.csv": "a1"}, "s0"), out)
    return out


# --- 1. the marker is data, not instructions ----------------------------------------------------

def test_marker_entries_outside_the_folder_are_never_deleted(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "outside.txt").write_text("precious", encoding="utf-8")
    absolute = tmp_path / "abs.txt"
    absolute.write_text("precious too", encoding="utf-8")
    out = tmp_path / "a" / "D"
    out.mkdir(parents=True)
    (out / MARKER).write_text(json.dumps({"files": ["../../victim/outside.txt", str(absolute)]}), encoding="utf-8")
    check_out_dir(out)  # a marker: accepted, but its entries are not trusted
    with pytest.warns(UserWarning, match="left alone"):
        publish(_stage(tmp_path, {"index.html": "new"}), out)
    assert (victim / "outside.txt").read_text(encoding="utf-8") == "precious"
    assert absolute.read_text(encoding="utf-8") == "precious too"
    assert (out / "index.html").read_text(encoding="utf-8") == "new"


@pytest.mark.parametrize("marker,fragment", [
    ('{"files": "notes.txt"}', "'files' must be a list"),
    ('{"files": 5}', "'files' must be a list"),
    ('["index.html"]', "must be a JSON object"),
])
def test_a_malformed_marker_is_refused_before_the_run(tmp_path, capsys, marker, fragment):
    out = tmp_path / "D"
    out.mkdir()
    (out / MARKER).write_text(marker, encoding="utf-8")
    for letter in "notes":
        (out / letter).write_text("user file", encoding="utf-8")
    calls = []
    import linhai_analysis.data.load as load_mod

    real = load_mod.observations
    load_mod.observations = lambda *a, **k: calls.append(1) or real(*a, **k)
    try:
        assert main(["report", "--out", str(out)]) == 2
    finally:
        load_mod.observations = real
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err and calls == []  # before any data is read
    assert all((out / letter).read_text(encoding="utf-8") == "user file" for letter in "notes")


def test_an_empty_marker_does_not_let_user_files_be_overwritten(tmp_path, capsys):
    out = tmp_path / "D"
    (out / "tables").mkdir(parents=True)
    (out / MARKER).write_text('{"files": []}', encoding="utf-8")
    (out / "index.html").write_text("my page", encoding="utf-8")
    (out / "tables" / "a.csv").write_text("my table", encoding="utf-8")
    # before the run: index.html is a name the report writes, not recorded as ours
    assert main(["report", "--out", str(out)]) == 2
    assert "index.html" in capsys.readouterr().err
    # at publication: a table of the same name as the user's is refused, nothing moved
    with pytest.raises(OutputFolderError, match="tables/a.csv"):
        publish(_stage(tmp_path, {"tables/a.csv": "ours", "tables/b.csv": "ours"}), out)
    assert (out / "index.html").read_text(encoding="utf-8") == "my page"
    assert (out / "tables" / "a.csv").read_text(encoding="utf-8") == "my table"
    assert not (out / "tables" / "b.csv").exists()


def test_a_file_edited_since_the_run_is_not_replaced(tmp_path):
    out = _previous_report(tmp_path)
    (out / "index.html").write_text("edited by the user", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="index.html"):
        check_out_dir(out, ["index.html"])
    with pytest.raises(OutputFolderError, match="index.html"):
        publish(_stage(tmp_path, {"index.html": "run 2"}), out)
    assert (out / "index.html").read_text(encoding="utf-8") == "edited by the user"


def test_a_publication_interrupted_half_way_leaves_a_folder_the_next_run_accepts(tmp_path, monkeypatch):
    out = _previous_report(tmp_path)  # index.html "run 1", tables/a.csv "a1"
    real, calls = os.replace, {"n": 0}

    def killed(src, dst, *a, **k):
        calls["n"] += 1  # 1: the pending marker in the stage, 2: index.html, 3: tables/a.csv
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        publish(_stage(tmp_path, {"index.html": "run 2", "tables/a.csv": "a2"}, "s1"), out)
    monkeypatch.setattr(os, "replace", real)
    assert (out / "index.html").read_text(encoding="utf-8") == "run 2"  # moved before the interrupt
    check_out_dir(out, ["index.html"])  # recorded as ours: not refused
    publish(_stage(tmp_path, {"index.html": "run 3", "tables/a.csv": "a3"}, "s2"), out)
    assert (out / "index.html").read_text(encoding="utf-8") == "run 3"
    assert (out / "tables" / "a.csv").read_text(encoding="utf-8") == "a3"


# --- 2. build keeps files it did not write ---------------------------------------------------------

def test_build_keeps_user_files_in_its_folder(tmp_path):
    out = tmp_path / "processed"
    build(out)
    (out / "my_notes.txt").write_text("x", encoding="utf-8")
    build(out)
    assert (out / "my_notes.txt").read_text(encoding="utf-8") == "x"
    recorded = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert recorded["observations.csv"] == file_sha256(out / "observations.csv")
    assert "my_notes.txt" not in recorded


def test_build_refuses_a_foreign_manifest(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    (out / "thesis.docx").write_text("x", encoding="utf-8")
    (out / "observations.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="manifest.json was not written by linhai-analysis"):
        build(out)
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "observations.csv", "thesis.docx"]
    assert (out / "observations.csv").read_text(encoding="utf-8") == "mine"


def test_build_does_not_replace_an_edited_output(tmp_path):
    out = tmp_path / "processed"
    build(out)
    (out / "observations.csv").write_text("edited by hand", encoding="utf-8")
    with pytest.raises(OutputFolderError, match="observations.csv"):
        build(out)
    assert (out / "observations.csv").read_text(encoding="utf-8") == "edited by hand"


# --- 3. symbolic links are never followed ------------------------------------------------------------

def test_a_tables_symlink_is_refused_and_its_target_untouched(tmp_path):
    out = _previous_report(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (out / "tables" / "a.csv").rename(elsewhere / "a.csv")  # the very file the marker records
    (out / "tables").rmdir()
    (out / "tables").symlink_to(elsewhere)
    with pytest.raises(OutputFolderError, match="symbolic link"):
        check_out_dir(out)
    with pytest.raises(OutputFolderError, match="symbolic link"):
        publish(_stage(tmp_path, {"index.html": "run 2", "tables/b.csv": "b"}), out)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["a.csv"]
    assert (elsewhere / "a.csv").read_text(encoding="utf-8") == "a1"


def test_an_output_folder_that_is_a_symlink_is_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(OutputFolderError, match="symbolic link"):
        check_out_dir(tmp_path / "link")
    with pytest.raises(OutputFolderError, match="symbolic link"):
        build(tmp_path / "link")
    assert list(real.iterdir()) == []


# --- 4. exact names -------------------------------------------------------------------------------------

def test_names_that_look_like_the_programs_are_kept(tmp_path):
    out = _previous_report(tmp_path)
    (out / ".render-mine").mkdir()
    (out / ".render-mine" / "notes.txt").write_text("mine", encoding="utf-8")
    (out / ".render-empty").mkdir()
    (out / ".linhai-report.lock").write_text("my lock notes", encoding="utf-8")
    with locked(out):
        publish(_stage(tmp_path, {"index.html": "run 2"}), out)
    assert (out / ".render-mine" / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (out / ".render-empty").is_dir()
    assert (out / ".linhai-report.lock").read_text(encoding="utf-8") == "my lock notes"


def test_a_title_is_not_a_marker(tmp_path, capsys):
    out = tmp_path / "D"
    out.mkdir()
    (out / "index.html").write_text("<html><head><title>linhai-analysis reports</title></head></html>",
                                    encoding="utf-8")
    (out / "99_mynotes.html").write_text("my notes", encoding="utf-8")
    assert main(["report", "--out", str(out)]) == 2
    assert "not a previous linhai-analysis report" in capsys.readouterr().err
    assert (out / "99_mynotes.html").read_text(encoding="utf-8") == "my notes"


# --- 5. the claims CSV is neutralised ---------------------------------------------------------------------

def test_claims_csv_neutralises_formula_text(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text('=HYPERLINK("e")全市实现地区生产总值819.9亿元,增长6.1%。\n'
                      "@SUM(A1)一般公共预算收入22.9亿元。\n-2+3规模以上工业增加值增长10%。\n", encoding="utf-8")
    out = tmp_path / "c.csv"
    assert main(["claims", str(report), "-o", str(out), "--year", "2022"]) == 0
    df = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    text_cells = [v for col in ("text", "indicator_text") for v in df[col]]
    assert not [v for v in text_cells if v[:1] in "=+-@"], text_cells
    assert df["text"].str.startswith("'=HYPERLINK").any() and df["text"].str.startswith("'-2+3").any()
    assert df["indicator_text"].str.startswith("'@SUM").any()
    assert set(df["comparator"]) <= {"=", "≥", "≤", "≈", "range", ">", "<", ">=", "<=", ""}  # never "'="
    assert not any(v.startswith("'") for v in df["value_text"])  # numbers are not text to neutralise


# --- 6. a revision is visible, not a bypass ----------------------------------------------------------------

def test_a_revised_unit_slip_is_still_refused(write_user):
    # 8199000 亿元 for 2021 against the work report's 819.9: 1e4 times, "revised" with a one-character note
    p = write_user([{"year": "2021", "value": "8199000", "status": "revised", "note": "."}])
    with pytest.raises(DataValidationError) as exc:
        observations([p])
    assert any("line 2, field 'value'" in m and "1e+04×" in m for m in _msgs(exc)), _msgs(exc)


def test_a_revision_naming_its_source_is_accepted_and_shown(write_user):
    from linhai_analysis.report.render import _index, user_revisions

    # 830 for 819.9 is 1.2% more: a revision of the work report's figure, named in `revises`
    p = write_user([{"year": "2021", "value": "830", "status": "revised", "revises": "linhai_gwr_2022",
                     "note": "yearbook revision after the economic census"}],
                   columns=USER_COLUMNS + ["revises"])
    o = observations([p])
    row = o[(o.source_id == "test_yearbook") & (o.year == 2021)]
    assert list(row["value"]) == [830.0]
    rev = user_revisions([str(p)])
    assert list(rev["note"]) == ["yearbook revision after the economic census"]
    page = _index([], {}, {}, False, {}, revisions=rev)
    assert "yearbook revision after the economic census" in page and "Revised figures" in page


def test_a_revision_naming_its_source_cannot_carry_a_unit_slip(write_user):
    # naming the work report exempts it, but 2018 (670.92) and 2022 (878.5) are 1e4 times smaller
    p = write_user([{"year": "2021", "value": "8199000", "status": "revised", "revises": "linhai_gwr_2022",
                     "note": "x"}], columns=USER_COLUMNS + ["revises"])
    with pytest.raises(DataValidationError, match="revision"):
        observations([p])


def test_revises_must_name_a_known_source(write_user):
    p = write_user([{"year": "2021", "value": "830", "status": "revised", "revises": "no_such_source",
                     "note": "x"}], columns=USER_COLUMNS + ["revises"])
    with pytest.raises(DataValidationError, match="field 'revises'"):
        load_user_series(p, load_raw_sources())


# --- 7. the unit-slip check has no holes ----------------------------------------------------------------

def test_a_slip_far_from_the_nearest_year_is_refused(write_user):
    # 1995: 60 亿元 written 600000 (x1e4); the nearest figure is 2010's 328.01, 15 years away.
    # 600000 / 328.01 = 1829: under 2**15 = 32768 (the old bound), over 1.4**15 = 155.6
    p = write_user([{"year": "1995", "value": "600000"}])
    with pytest.raises(DataValidationError) as exc:
        observations([p])
    assert any("line 2, field 'value'" in m and "2010 figure" in m for m in _msgs(exc)), _msgs(exc)


def test_a_jump_within_one_source_is_refused(write_user):
    # a county no other source covers: 300 then 3000000 (x1e4) a year later, one file, one source
    p = write_user([{"place": "某某县", "year": "2019", "value": "300", "document_date": "2021-10-01"},
                    {"place": "某某县", "year": "2020", "value": "3000000", "document_date": "2021-10-01"}],
                   columns=USER_COLUMNS + ["place"])
    with pytest.raises(DataValidationError) as exc:
        observations([p])
    assert any("more than 2× a year" in m for m in _msgs(exc)), _msgs(exc)


def test_a_growth_rate_outside_what_the_levels_allow_is_refused(write_user):
    # levels 819.9 (2021) and 878.5 (2022): 878.5 / 819.9 - 1 = 7.1%; 81 printed for 8.1 is 74 pp off
    p = write_user([{"year": "2022", "value": "", "growth_pct": "81", "growth_basis": "comparable"}])
    with pytest.raises(DataValidationError) as exc:
        observations([p])
    assert any("field 'growth_pct'" in m and "7.1%" in m for m in _msgs(exc)), _msgs(exc)
    ok = write_user([{"year": "2022", "value": "", "growth_pct": "8.1", "growth_basis": "comparable"}],
                    name="ok.csv")
    assert len(observations([ok])) == len(observations()) + 1


def test_counts_are_checked(write_user):
    # 85 enterprises in 2020, then 850000 (x1e4) in 2021
    p = write_user([{"indicator": "hightech_enterprises", "label_as_printed": "国家高新技术企业", "unit": "家",
                     "year": "2020", "value": "85", "document_date": "2022-10-01"},
                    {"indicator": "hightech_enterprises", "label_as_printed": "国家高新技术企业", "unit": "家",
                     "year": "2021", "value": "850000", "document_date": "2022-10-01"}])
    with pytest.raises(DataValidationError) as exc:
        observations([p])
    assert any("line 3, field 'value'" in m for m in _msgs(exc)), _msgs(exc)


# --- 8. headers and dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("column", ["Place", "plase"])
def test_a_misspelled_column_is_an_error_with_the_closest_name(write_user, column):
    p = write_user([{column: "温岭市"}], columns=USER_COLUMNS + [column])
    with pytest.raises(DataValidationError) as exc:
        load_user_series(p, load_raw_sources())
    assert any(f"field '{column}'" in m and "did you mean 'place'" in m for m in _msgs(exc)), _msgs(exc)


@pytest.mark.parametrize("date,fragment", [("1900-01-01", "before the year"), ("2999-01-01", "after today")])
def test_impossible_document_dates(write_user, date, fragment):
    p = write_user([{"year": "2021", "value": "825", "document_date": date}])
    with pytest.raises(DataValidationError) as exc:
        load_user_series(p, load_raw_sources())
    assert any("field 'document_date'" in m and fragment in m for m in _msgs(exc)), _msgs(exc)


# --- 9. linear: no per-row scan of the table ------------------------------------------------------------

def test_the_cross_source_check_does_not_scan_per_row(write_user, monkeypatch):
    import linhai_analysis.data.checks as checks
    from linhai_analysis.data.load import _load_inputs

    def count_for(n: int) -> int:
        rows = [{"year": str(1960 + i % 60), "source_id": f"s{i // 60}", "value": "700.5",
                 "place": "某某县", "document_date": "2021-10-01"} for i in range(n)]
        p = write_user(rows, name=f"u{n}.csv", columns=USER_COLUMNS + ["place"])
        calls = {"n": 0}
        real = pd.DataFrame.__getitem__

        def counting(self, key):
            calls["n"] += 1
            return real(self, key)

        raw = _load_inputs([])[0]
        monkeypatch.setattr(pd.DataFrame, "__getitem__", counting)
        try:
            obs, _ = load_user_series(p, load_raw_sources())
            both = pd.concat([raw, obs[raw.columns]], ignore_index=True)
            calls["n"] = 0
            assert checks.check_user_rows(both, [None] * len(raw) + [checks.Origin("u", i + 2)
                                                                    for i in range(n)]) == []
        finally:
            monkeypatch.setattr(pd.DataFrame, "__getitem__", real)
        return calls["n"]

    # column look-ups only: the same number for 120 rows and for 480 (the old code filtered per row)
    assert count_for(120) == count_for(480)


# --- 11. errors, not tracebacks ---------------------------------------------------------------------------

def test_cr_only_line_ends_are_read(tmp_path, write_user):
    p = write_user([{"year": "2019", "value": "700.5"}])
    p.write_bytes(p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    obs, _ = load_user_series(p, load_raw_sources())
    assert list(obs["value"]) == ["700.5"]


def test_claims_from_a_closed_standard_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", None)
    assert main(["claims", "-"]) == 2
    err = capsys.readouterr().err
    assert "standard input is closed" in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_as_input_is_refused_by_type(capsys, write_user):
    assert main(["claims", "/dev/zero"]) == 2
    assert "character device" in capsys.readouterr().err
    with pytest.raises(InputFileError, match="character device"):
        load_user_series(Path("/dev/zero"), load_raw_sources())


def test_an_oversized_input_is_refused(tmp_path, monkeypatch, capsys):
    import linhai_analysis.data.files as files

    monkeypatch.setattr(files, "MAX_INPUT_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_bytes("增长6.1%。".encode() * 200)  # 2,600 bytes
    assert main(["claims", str(big), "--year", "2022"]) == 2
    assert "larger than" in capsys.readouterr().err


@contextlib.contextmanager
def _deadline(seconds: int):
    def fail(*_a):
        raise AssertionError(f"still blocked after {seconds} s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_a_fifo_in_raw_is_refused_not_waited_on(raw_copy, monkeypatch, tmp_path):
    target = raw_copy / "observations.csv"
    target.unlink()
    os.mkfifo(target)
    for name in ("REPORT_FILE", "OBSERVATIONS_FILE", "SOURCES_FILE", "OTHER_CLAIMS_FILE",
                 "ANCHOR_OBSERVATIONS_FILE", "ANCHOR_TARGETS_FILE", "FORECASTS_FILE"):
        monkeypatch.setattr(paths, name, raw_copy / getattr(paths, name).name)
    with _deadline(30), pytest.raises(InputFileError, match="FIFO"):
        build(tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- 12. errors that name the file; temporaries removed ------------------------------------------------

def _no_space(*_a, **_k):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_names_the_file_and_leaves_no_temporary(tmp_path, monkeypatch, capsys):
    report = tmp_path / "r.txt"
    report.write_text("全市实现地区生产总值819.9亿元。\n", encoding="utf-8")
    monkeypatch.setattr(pd.DataFrame, "to_csv", _no_space)
    assert main(["claims", str(report), "-o", str(tmp_path / "c.csv"), "--year", "2022"]) == 2
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'c.csv'}: No space left on device" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.txt"]


def test_write_tables_on_a_full_disk(tmp_path, monkeypatch):
    from linhai_analysis.report.tables import write_tables

    monkeypatch.setattr(pd.DataFrame, "to_csv", _no_space)
    with pytest.raises(OSError) as exc:
        write_tables({"t": pd.DataFrame({"a": [1]})}, tmp_path)
    assert exc.value.filename == str(tmp_path / "t.csv")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_raw_file_is_named_not_the_bundle(tmp_path, monkeypatch):
    # a checkout whose data/raw lacks observations.csv is still the checkout
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(paths, "_CHECKOUT", tmp_path)
    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    assert paths._is_checkout()
    assert paths._data_dir() == tmp_path / "data"


def test_a_dangling_symlink_out(tmp_path, capsys):
    (tmp_path / "out").symlink_to(tmp_path / "nowhere")
    assert main(["report", "--out", str(tmp_path / "out")]) == 2
    assert "symbolic link to nothing" in capsys.readouterr().err
    assert main(["build", "--out", str(tmp_path / "out")]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert not (tmp_path / "nowhere").exists()


def test_build_stages_inside_the_target(tmp_path, monkeypatch):
    # a mount point cannot be renamed, nor a file renamed onto it from another filesystem:
    # every rename of the build happens inside the target folder
    out = tmp_path / "mnt"
    out.mkdir()
    moves = []
    real = os.replace

    def spy(src, dst, *a, **k):
        moves.append((Path(src), Path(dst)))
        return real(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", spy)
    build(out)
    assert moves and all(out in s.parents and d.parent == out for s, d in moves)


# --- 13. locks ------------------------------------------------------------------------------------------

def test_the_lock_is_on_the_folder_and_nothing_is_unlinked(tmp_path):
    import fcntl

    out = _previous_report(tmp_path)
    before = sorted(p.name for p in out.iterdir())
    with locked(out):
        fd = os.open(out, os.O_RDONLY)
        try:
            with pytest.raises(OSError):  # another process (or descriptor) cannot take it
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(fd)
    assert sorted(p.name for p in out.iterdir()) == before  # no lock file made, none removed


def test_concurrent_builds_are_refused(tmp_path):
    out = tmp_path / "processed"
    build(out)
    with folder_lock(out, "busy"), pytest.raises(OutputFolderError, match="another linhai-analysis build"):
        build(out)


# --- 14. small ---------------------------------------------------------------------------------------------

def test_comparator_is_not_prefixed_and_html_shows_no_quote(tmp_path):
    from linhai_analysis.report.render import _read_tables
    from linhai_analysis.report.tables import write_tables

    df = pd.DataFrame({"comparator": ["=", "≥", ">="], "text": ["=1+1", "-", "a"]})
    write_tables({"t": df}, tmp_path)
    back = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")
    assert list(back["comparator"]) == ["=", "≥", ">="] and list(back["text"]) == ["'=1+1", "-", "a"]
    assert list(_read_tables(tmp_path)["t"]["text"]) == ["=1+1", "-", "a"]  # for HTML, as made


def test_show_escapes_html():
    from linhai_analysis.report.display import show

    page = show(pd.DataFrame({"note": ["<script>alert(1)</script>", "a & b"]})).to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page and "a &amp; b" in page


@pytest.mark.parametrize("text,fragment", [
    (",".join(USER_COLUMNS) + "\n", "no data rows"),
    (",".join(USER_COLUMNS + ["note"]) + "\n" + ",".join(["x"] * (len(USER_COLUMNS) + 1)) + "\n",
     "appears twice"),
    (",".join(USER_COLUMNS + ["extra"]) + "\n" + ",".join(["x"] * (len(USER_COLUMNS) + 1)) + "\n",
     "unknown column"),
])
def test_empty_duplicate_and_extra_columns(tmp_path, text, fragment):
    p = tmp_path / "u.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=fragment):
        load_user_series(p, load_raw_sources())


def test_control_characters_are_refused(write_user):
    p = write_user([{"note": "ok"}])
    p.write_bytes(p.read_bytes().replace(b"ok", b"o\x00k"))
    with pytest.raises(DataValidationError) as exc:
        load_user_series(p, load_raw_sources())
    assert any("line 2" in m and "U+0000" in m for m in _msgs(exc)), _msgs(exc)


def test_ctrl_c_after_the_write_says_so(monkeypatch, tmp_path, capsys):
    import linhai_analysis.pipeline as pipeline_mod

    class Interrupted(list):
        def __iter__(self):
            raise KeyboardInterrupt  # while the written paths are printed

    monkeypatch.setattr(pipeline_mod, "build", lambda *a, **k: Interrupted())
    assert main(["build", "--out", str(tmp_path / "o")]) == 130
    assert "interrupted after the output was written" in capsys.readouterr().err

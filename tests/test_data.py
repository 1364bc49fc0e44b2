"""Raw data: provenance, validation errors (file, line, field), build determinism."""

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from linhai_analysis.data import paths
from linhai_analysis.data.load import assemble, observations
from linhai_analysis.data.provenance import read_sidecar, sha256_of
from linhai_analysis.data.sources import load_raw_observations, load_raw_sources, load_user_series
from linhai_analysis.data.vintage import restrict_as_of
from linhai_analysis.errors import ChecksumMismatchError, DataValidationError, MissingSidecarError
from linhai_analysis.pipeline import build


def test_raw_files_match_shared_data_byte_for_byte():
    shared = paths.PROJ_ROOT.parent / "shared" / "data"
    if not shared.exists():
        pytest.skip("shared/ not beside the checkout")
    for name in ["linhai_2022_government_work_report.forum_page.txt", "observations.csv",
                 "sources.csv", "other_report_claims.csv", "anchor_observations.csv",
                 "anchor_targets.csv", "external_forecasts.csv"]:
        assert (paths.RAW_DIR / name).read_bytes() == (shared / name).read_bytes()


def test_every_raw_file_has_a_sidecar_with_its_checksum():
    files = [p for p in paths.RAW_DIR.rglob("*") if p.is_file() and not p.name.endswith(".meta.yml")]
    assert len(files) >= 5
    import datetime as dt

    for p in files:
        meta = read_sidecar(p)
        assert meta["sha256"] == sha256_of(p), p
        # an access date that is a real calendar date, not in the future; provenance filled in
        accessed = dt.date.fromisoformat(str(meta["accessed"]))
        assert accessed <= dt.date.today(), p
        assert str(meta["title"]).strip() and str(meta["url"]).strip() and str(meta["holds"]).strip(), p


def test_checksum_mismatch_is_a_named_error(raw_copy):
    f = raw_copy / "observations.csv"
    f.write_bytes(f.read_bytes().replace(b"819.9", b"829.9"))
    with pytest.raises(ChecksumMismatchError, match="observations.csv"):
        load_raw_observations(f, sources=load_raw_sources(raw_copy / "sources.csv"))


def test_missing_sidecar_is_a_named_error(raw_copy):
    (raw_copy / "sources.csv.meta.yml").unlink()
    with pytest.raises(MissingSidecarError, match="sources.csv"):
        load_raw_sources(raw_copy / "sources.csv")


def _problems(exc_info):
    return [str(p) for p in exc_info.value.problems]


@pytest.mark.parametrize("row,field,fragment", [
    ({"value": "七百"}, "value", "value is not a number"),
    ({"unit": "亿円"}, "unit", "unknown unit"),
    ({"indicator": "gdp_typo"}, "indicator", "unknown indicator"),
    ({"year": "1890"}, "year", "year must be a whole number in 1949..2035"),
    ({"year": "2019.5"}, "year", "year must be a whole number"),
    ({"comparator": "~"}, "comparator", "comparator must be one of"),
    ({"status": "draft"}, "status", "status must be one of"),
    ({"growth_basis": "real"}, "growth_basis", "growth_basis must be one of"),
    ({"unit": "亿美元"}, "unit", "does not measure gdp"),
    ({"value": "", "growth_pct": ""}, "value", "neither a value nor a growth_pct"),
    ({"source_kind": "blog"}, "source_kind", "source_kind must be one of"),
    ({"document_date": "17/02/2022"}, "document_date", "document_date must be YYYY-MM-DD"),
])
def test_bad_user_rows_name_file_line_and_field(write_user, row, field, fragment):
    p = write_user([{}, row])  # the bad row is the second data row: line 3
    with pytest.raises(DataValidationError) as exc:
        load_user_series(p, load_raw_sources())
    msgs = _problems(exc)
    assert any(m.startswith("user.csv, line 3, field '" + field + "'") and fragment in m for m in msgs), msgs


def test_unknown_source_id_in_observations(raw_copy, tmp_path):
    f = raw_copy / "observations.csv"
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
    df.loc[3, "source_id"] = "nowhere"
    bad = tmp_path / "observations.csv"
    df.to_csv(bad, index=False)
    from linhai_analysis.data.sources import read_csv_strict, validate_observations

    with pytest.raises(DataValidationError) as exc:
        validate_observations(read_csv_strict(bad, verify=False), load_raw_sources()["source_id"], bad.name)
    assert any("line 5, field 'source_id'" in m and "unknown source_id" in m for m in _problems(exc))


def test_duplicate_conflicting_rows(write_user):
    p = write_user([{}, {"value": "710.0"}])
    with pytest.raises(DataValidationError) as exc:
        load_user_series(p, load_raw_sources())
    (msg,) = [m for m in _problems(exc) if "conflicts with" in m]
    assert "line 3, field 'value'" in msg and "line 2" in msg and "'700.5' vs '710.0'" in msg


def test_missing_column(write_user):
    from linhai_analysis.data.sources import OBSERVATION_COLUMNS, USER_SOURCE_COLUMNS

    cols = [c for c in OBSERVATION_COLUMNS + USER_SOURCE_COLUMNS if c != "unit"]
    p = write_user([{}], columns=cols)
    with pytest.raises(DataValidationError, match=r"user.csv, line 1, field 'unit': required column is missing"):
        load_user_series(p, load_raw_sources())


def test_non_utf8_file(write_user):
    p = write_user([{}])
    p.write_bytes(p.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(DataValidationError, match=r"user.csv, line 2: not UTF-8"):
        load_user_series(p, load_raw_sources())


def test_empty_file(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_bytes(b"\n  \n")
    with pytest.raises(DataValidationError, match="empty.csv: file is empty"):
        load_user_series(p, load_raw_sources())


def test_user_source_kind_conflict(write_user):
    p = write_user([{"source_id": "linhai_gwr_2022", "source_kind": "yearbook"}])
    with pytest.raises(DataValidationError, match="exists with kind 'work_report'"):
        load_user_series(p, load_raw_sources())


def test_canonical_units_and_caliber_visible(obs):
    gdp2010 = obs[(obs.indicator == "gdp") & (obs.year == 2010)].iloc[0]
    assert gdp2010["value"] == pytest.approx(328.01)  # 32,801 百万元 = 328.01 亿元
    assert gdp2010["value_as_printed"] == "32801" and gdp2010["unit_as_printed"] == "百万元"
    assert gdp2010["source_kind"] == "third_party"
    fai = obs[obs.indicator == "fixed_asset_investment"].iloc[0]
    assert "2018" in fai["caliber_note"]


def test_undated_sources_get_the_conservative_availability_rule(obs):
    b = obs[obs.source_id == "linhai_bulletin_2018"]
    assert set(b["available_date"]) == {"2019-12-31"}  # reference year 2018 + 1, 31 December
    pop2021 = obs[(obs.indicator == "resident_population") & (obs.year == 2021)].iloc[0]
    assert pop2021["available_date"] == "2022-12-31"  # after the report: must not enter a Feb-2022 fit


def test_as_of_drops_everything_published_later(obs):
    feb = restrict_as_of(obs, "2022-02-17")
    assert feb["available_date"].max() <= "2022-02-17"
    assert not ((feb.indicator == "gdp") & (feb.year >= 2022)).any()
    assert ((obs.indicator == "gdp") & (obs.year == 2024)).any()


def test_user_yearbook_takes_precedence_and_keeps_both_sources(write_user):
    p = write_user([{"year": "2021", "value": "825.1", "source_id": "test_yearbook"}])
    obs = observations([p])
    rows = obs[(obs.indicator == "gdp") & (obs.year == 2021) & (obs.place == "临海市")]
    assert set(rows["source_id"]) == {"linhai_gwr_2022", "test_yearbook"}
    preferred = rows[rows.is_preferred]
    assert list(preferred["source_id"]) == ["test_yearbook"]


def test_lower_bound_is_never_preferred(obs):
    row = obs[(obs.indicator == "gdp") & (obs.year == 2025)].iloc[0]
    assert row["comparator"] == ">" and not row["is_preferred"]


def test_build_is_byte_identical(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    build(a)
    build(b)
    names = sorted(p.name for p in a.iterdir())
    assert names == ["anchor_targets.csv", "claims.csv", "forecasts.csv", "manifest.json",
                     "observations.csv", "sources.csv"]
    for n in names:
        assert hashlib.sha256((a / n).read_bytes()).digest() == hashlib.sha256((b / n).read_bytes()).digest(), n


def test_failed_build_writes_nothing(tmp_path, write_user):
    out = tmp_path / "processed"
    bad = write_user([{"unit": "亿円"}])
    with pytest.raises(DataValidationError):
        build(out, [bad])
    assert not out.exists() or not any(out.iterdir())


def test_failed_build_keeps_previous_files(tmp_path, write_user):
    out = tmp_path / "processed"
    build(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with pytest.raises(DataValidationError):
        build(out, [write_user([{"year": "3000"}])])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_assemble_is_order_independent(obs):
    sources = load_raw_sources()
    raw = load_raw_observations(sources=sources)
    shuffled = assemble(raw.sample(frac=1, random_state=1).reset_index(drop=True), sources)
    pd.testing.assert_frame_equal(shuffled, assemble(raw, sources))


def test_template_has_the_documented_columns():
    from linhai_analysis.data.sources import (
        OBSERVATION_COLUMNS,
        REVISES_COLUMN,
        USER_SOURCE_COLUMNS,
    )

    header = (paths.PROJ_ROOT / "docs" / "user_series_template.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == OBSERVATION_COLUMNS + USER_SOURCE_COLUMNS + [REVISES_COLUMN]


def test_raw_dir_is_untouched_by_a_build(tmp_path):
    before = {p: p.read_bytes() for p in paths.RAW_DIR.rglob("*") if p.is_file()}
    build(tmp_path / "x")
    assert {p: p.read_bytes() for p in paths.RAW_DIR.rglob("*") if p.is_file()} == before
    shutil.rmtree(tmp_path / "x")


def test_committed_processed_files_are_a_fresh_build(tmp_path):
    # data/processed is derived: it must be exactly what the code makes of data/raw
    build(tmp_path)
    committed = sorted(p.name for p in Path(paths.PROCESSED_DIR).iterdir() if not p.name.startswith("."))
    assert committed == sorted(p.name for p in tmp_path.iterdir())
    for name in committed:
        assert (tmp_path / name).read_bytes() == (paths.PROCESSED_DIR / name).read_bytes(), (
            f"data/processed/{name} is stale: run `make data`")


def test_national_2021_growth_is_known_from_the_january_release():
    """The NBS January release (2022-01-17) is the first release of 2021's growth: a
    vintage of 2022-02-17 holds it, one of 2022-01-16 does not (the bulletin of
    2022-02-28 only repeats it)."""
    from linhai_analysis.data.vintage import Vintage

    v = Vintage.load("2022-02-17")
    fr = v.first_releases
    row = fr[(fr.place == "全国") & (fr.indicator == "gdp") & (fr.year == 2021)].iloc[0]
    assert row["available_date"] == "2022-01-17" and row["growth_pct"] == pytest.approx(8.1)
    early = v.at("2022-01-16").observations
    assert early[(early.place == "全国") & (early.indicator == "gdp") & (early.year == 2021)].empty
    # the 2000 first release, printed in trillion yuan, reads 89,404 亿元
    latest = Vintage.load(None).first_releases
    y2000 = latest[(latest.place == "全国") & (latest.indicator == "gdp") & (latest.year == 2000)].iloc[0]
    assert y2000["value"] == pytest.approx(89404)

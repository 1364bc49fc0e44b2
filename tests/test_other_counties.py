"""Two more counties end to end: 南昌县 (江西) and 宜兴市 (江苏).

Expected verdicts are computed by hand from the printed figures (comments show the
arithmetic), not copied from the code's output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from linhai_analysis.assess.audit import audit_place
from linhai_analysis.cli import main
from linhai_analysis.data import paths
from linhai_analysis.data.indicators import CATALOG, REFUSED_CODES, get_indicator, row_sub_area
from linhai_analysis.data.place_files import (
    EXAMPLE_PLACES,
    example_files,
    load_place_claims,
    load_place_observations,
    load_place_sources,
    place_observations,
    source_reliability,
)
from linhai_analysis.errors import ChecksumMismatchError, DataValidationError, UnknownIndicatorError

FILES = [f"{stem}_{part}.csv" for stem in EXAMPLE_PLACES.values() for part in ("claims", "observations", "sources")]


# --- raw files -------------------------------------------------------------------------------


def test_other_county_files_equal_the_shared_copies_byte_for_byte():
    shared = paths.PROJ_ROOT.parent / "shared" / "data" / "other_county"
    if not shared.exists():
        pytest.skip("shared/ not beside the checkout")
    for name in FILES:
        assert (paths.OTHER_COUNTY_DIR / name).read_bytes() == (shared / name).read_bytes(), name


@pytest.fixture()
def county_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "other_county"
    shutil.copytree(paths.OTHER_COUNTY_DIR, dst)
    return dst


@pytest.mark.parametrize("name", FILES)
def test_every_load_verifies_the_sha256(county_copy, name):
    stem = name.rsplit("_", 1)[0]
    target = county_copy / name
    target.write_bytes(target.read_bytes().replace(b"\n", b"\r\n", 1))  # one invisible byte more
    src, cl, ob = (county_copy / f"{stem}_{p}.csv" for p in ("sources", "claims", "observations"))
    with pytest.raises(ChecksumMismatchError, match=name):
        sources = load_place_sources(src)
        load_place_claims(cl, sources=sources)
        load_place_observations(ob, sources)


def test_a_file_without_its_sidecar_is_read_unverified_only_when_it_never_had_one(county_copy):
    # a user's own files have no sidecar: read as they are
    (county_copy / "yixing_sources.csv.meta.yml").unlink()
    assert len(load_place_sources(county_copy / "yixing_sources.csv")) == 7


# --- the catalog -------------------------------------------------------------------------------


def test_new_indicator_codes_carry_their_meaning():
    assert get_indicator("general_budget_expenditure").unit == "亿元"
    assert get_indicator("general_budget_expenditure").growth == "nominal"
    pc = get_indicator("gdp_per_capita_resident")
    assert (pc.unit, pc.kind, pc.growth) == ("元", "per_capita", "real") and "常住" in pc.name_zh
    assert "not printed" in get_indicator("gdp_per_capita").name_en
    assert get_indicator("resident_disposable_income").growth == "nominal"
    for code in ("edz_operating_revenue", "edz_industrial_output"):
        assert CATALOG[code].scope == "sub_area" and row_sub_area(code)
    assert all(CATALOG[c].scope == "place" for c in ("gdp", "general_budget_revenue"))
    # synonyms resolve to the catalog entry of the same printed name
    assert get_indicator("urban_registered_unemployment_rate").code == "urban_unemployment_rate"
    assert get_indicator("new_urban_employment").code == "new_urban_jobs"


@pytest.mark.parametrize("code", sorted(REFUSED_CODES))
def test_refused_codes_are_named_with_the_reason(code):
    with pytest.raises(UnknownIndicatorError, match=rf"'{code}' is refused, not guessed"):
        get_indicator(code)


def test_an_unknown_code_is_named():
    with pytest.raises(UnknownIndicatorError, match="unknown indicator 'made_up_code'"):
        get_indicator("made_up_code")


def test_low_reliability_is_read_from_the_note_not_the_kind():
    src = load_place_sources(example_files("宜兴市").sources).set_index("source_id")
    assert src.loc["yx_tp_forum_post", "source_reliability"] == "low"
    # third-party but not flagged: the page citing the yearbook
    assert src.loc["yx_tp_sanwenwang", "source_reliability"] == ""
    assert source_reliability("Low-Reliability repost") == "low"


# --- loading -----------------------------------------------------------------------------------


def test_claims_file_loads_into_the_claims_shape():
    f = example_files("宜兴市")
    claims, refused = load_place_claims(f.claims, place="宜兴市", sources=load_place_sources(f.sources))
    assert len(claims) + len(refused) == 9
    assert list(refused["indicator"]) == ["fai_growth"] and list(refused["line"]) == [8]
    ft = claims[claims["kind"] == "from_to"].iloc[0]
    # from 2016 to 2021: the growth convention starts with the first year of change
    assert (ft["period_start"], ft["period_end"], ft["value_from"]) == (2017, 2021, 1379.4)
    assert set(claims["place"]) == {"宜兴市"}


def test_like_for_like_is_attached_only_to_the_figure_printed_with_it():
    claims, _ = load_place_claims(example_files("南昌县").claims)
    basis = claims.set_index(["indicator", "kind"])["growth_basis"]
    assert basis[("general_budget_revenue", "yoy_growth")] == "like_for_like"
    # printed jointly "同比增长11%、12.6%(同口径)": the 同口径 follows 12.6, not 11
    assert basis[("fiscal_total_revenue", "yoy_growth")] == ""


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CLAIMS_HEADER = "source_id,place,indicator,kind,value,value_from,unit,year,period_start,period_end,comparator,note\n"
SOURCES = ("source_id,source_kind,title,publisher,url,document_date,note\n"
           "r1,work_report,report,gov,,2022-01-20,\n"
           "b1,statistical_bulletin,bulletin,bureau,,2022-03-01,\n"
           "t1,third_party,page,someone,,2022-06-01,low reliability: anonymous post\n")
OBS_HEADER = "indicator,label_as_printed,year,value,unit,growth_pct,growth_basis,comparator,status,source_id,note,place\n"


def test_unknown_code_in_a_claims_file_is_refused_by_name_with_its_line(tmp_path):
    path = _write(tmp_path / "c.csv", CLAIMS_HEADER + "r1,某县,gdp,level,100.5,,亿元,2021,,,=,\n"
                                                      "r1,某县,made_up_code,level,3,,亿元,2021,,,=,\n")
    claims, refused = load_place_claims(path)
    assert list(claims["indicator"]) == ["gdp"]
    assert refused.iloc[0]["line"] == 3 and "made_up_code" in refused.iloc[0]["reason"]
    with pytest.raises(DataValidationError, match=r"c\.csv, line 3, field 'indicator': unknown indicator 'made_up_code'"):
        load_place_claims(path, strict=True)


def test_claims_file_errors_name_file_line_and_field(tmp_path):
    path = _write(tmp_path / "c.csv", CLAIMS_HEADER + "r1,某县,gdp,level,abc,,亿元,2021,,,=,\n"
                                                      "r1,某县,gdp,rate,3,,亿元,2021,,,=,\n"
                                                      "r1,别县,gdp,level,3,,亿元,2021,,,=,\n"
                                                      "zz,某县,gdp,from_to,3,,亿元,2021,2016,2021,=,\n")
    with pytest.raises(DataValidationError) as err:
        load_place_claims(path, place="某县", sources=pd.DataFrame({"source_id": ["r1"]}))
    text = str(err.value)
    assert "c.csv, line 2, field 'value'" in text and "c.csv, line 3, field 'kind'" in text
    assert "c.csv, line 4, field 'place'" in text and "c.csv, line 5, field 'value_from'" in text
    assert "c.csv, line 5, field 'source_id'" in text


def test_observation_errors_name_file_line_and_field(tmp_path):
    src = load_place_sources(_write(tmp_path / "s.csv", SOURCES))
    path = _write(tmp_path / "o.csv", OBS_HEADER + "gdp,GDP,2021,100,亿元,,,=,,b1,,某县\n"
                                                   "fdi_actual,x,2021,3,亿元,,,=,,b1,,某县\n"
                                                   "gdp,GDP,2020,-5,亿元,,,=,,b1,,某县\n")
    with pytest.raises(DataValidationError) as err:
        load_place_observations(path, src)
    text = str(err.value)
    assert "o.csv, line 3, field 'indicator': indicator 'fdi_actual' is refused" in text
    assert "o.csv, line 4, field 'value'" in text


# --- verdicts computed by hand -----------------------------------------------------------------


@pytest.fixture(scope="module")
def audits():
    out = {}
    for place in EXAMPLE_PLACES:
        f = example_files(place)
        out[place] = audit_place(place, f.claims, f.observations, f.sources).verdicts
    return out


def _row(v: pd.DataFrame, indicator: str, kind: str, year: int | None = None) -> pd.Series:
    rows = v[(v["indicator"] == indicator) & (v["kind"] == kind)]
    if year is not None:
        rows = rows[rows["period_end"] == year]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_nanchang_gdp_level_agrees_with_the_bulletin(audits):
    # report 1195.6 亿元 -> [1195.55, 1195.65]; 2021 bulletin 1195.6 -> the same interval: consistent
    r = _row(audits["南昌县"], "gdp", "level")
    assert r["verdict"] == "consistent" and r["sources"] == "ncx_bulletin_2021" and bool(r["independent"])
    assert (r["computed_low"], r["computed_high"]) == pytest.approx((1195.55, 1195.65))


def test_nanchang_total_revenue_growth_rests_on_the_low_reliability_repost(audits):
    # 2020 141.3 (news repost) -> [141.25, 141.35]; 2021 156.8 (the report's own level) -> [156.75, 156.85]
    # lowest 156.75/141.35 - 1 = 10.895%, highest 156.85/141.25 - 1 = 11.044%; point 156.8/141.3 - 1
    # = 10.97% rounds to the printed 11: consistent, but on a low-reliability source
    r = _row(audits["南昌县"], "fiscal_total_revenue", "yoy_growth")
    assert r["verdict"] == "consistent"
    assert (r["computed_low"], r["computed_high"]) == pytest.approx((10.8949, 11.0442), abs=1e-3)
    assert "low-reliability source (ncx_news_2021_congress)" in r["verdict_text"]
    assert r["source_caveats"] == "ncx_news_2021_congress: low reliability"


def test_nanchang_like_for_like_budget_growth_is_a_basis_mismatch(audits):
    # plain change from the levels: 2020 "76" -> [75.5, 76.5], 2021 79.3 -> [79.25, 79.35]:
    # [79.25/76.5 - 1, 79.35/75.5 - 1] = [3.595%, 5.099%]; the report's 12.6% is 同口径
    r = _row(audits["南昌县"], "general_budget_revenue", "yoy_growth")
    assert r["verdict"] == "basis_mismatch"
    assert (r["computed_low"], r["computed_high"]) == pytest.approx((3.5948, 5.0993), abs=1e-3)
    assert "同口径" in r["explanation"] and pd.isna(r["gap"])


def test_nanchang_sub_area_rows_are_never_compared_with_the_county(audits):
    v = audits["南昌县"]
    edz = v[v["indicator"].str.startswith("edz_")]
    assert len(edz) == 4 and set(edz["verdict"]) == {"not_checkable"}
    assert edz["sub_area"].ne("").all() and edz["explanation"].str.contains("sub-area").all()
    # the refused codes stay in the table, named, with their line
    refused = v[v["verdict_text"].str.contains("refused")]
    assert sorted(refused["indicator"]) == ["exports", "fai_growth", "fdi_actual"]
    assert sorted(refused["claims_line"]) == [13, 14, 15]


def test_yixing_five_year_base_differs_from_the_2016_bulletin(audits):
    # printed start 1379.4 -> [1379.35, 1379.45]; 2016 bulletin 1377.74 -> [1377.735, 1377.745]
    # gap = 1377.745 - 1379.35 = -1.605 亿元, -1.605 / 1379.4 = -0.116%; the end 2082.2 agrees
    # with the bulletin's 2082.17
    r = _row(audits["宜兴市"], "gdp", "from_to")
    assert r["verdict"] == "discrepancy"
    assert r["gap"] == pytest.approx(-1.605, abs=1e-6) and r["gap_pct"] == pytest.approx(-0.11636, abs=1e-4)
    assert "1377.74" in r["explanation"] and r["benchmark_break"]


def test_yixing_2020_estimate_against_the_later_third_party_level(audits):
    # 预计 1846 -> ±5%: [1753.7, 1938.3]; the later level 1832.2 (journal abstract, third-party;
    # the forum post printing 1846 is low reliability and ranks last) -> [1832.15, 1832.25]:
    # inside the band, not equal to the printed value: consistent within rounding
    r = _row(audits["宜兴市"], "gdp", "level", 2020)
    assert r["verdict"] == "consistent_within_rounding"
    assert r["sources"] == "yx_tp_journal_abstract"
    assert (r["computed_low"], r["computed_high"]) == pytest.approx((1832.15, 1832.25))
    assert "third-party source (yx_tp_journal_abstract)" in r["verdict_text"]


def test_yixing_per_capita_lower_bound_in_the_canonical_unit(audits):
    # 突破16万 (> 16 万元 = 160000 元); bulletin 16.18 万元 -> [161750, 161850] 元, above: consistent
    r = _row(audits["宜兴市"], "gdp_per_capita_resident", "level")
    assert r["verdict"] == "consistent"
    assert (r["computed_low"], r["computed_high"]) == pytest.approx((161750, 161850))


def test_a_low_reliability_source_ranks_after_others_of_its_kind():
    f = example_files("宜兴市")
    obs, _ = place_observations(f.observations, f.sources)
    gdp20 = obs[(obs["indicator"] == "gdp") & (obs["year"] == 2020)]
    assert gdp20.loc[gdp20["is_preferred"], "source_id"].tolist() == ["yx_tp_journal_abstract"]


def test_a_sub_area_claim_is_not_compared_with_a_county_observation(tmp_path):
    # the same county figure, 200.0 亿元, confirms a county claim of 200 but is refused for a
    # claim marked as the development zone's
    header = CLAIMS_HEADER.strip() + ",sub_area\n"
    claims = _write(tmp_path / "c.csv", header + "r1,某县,industrial_output_above_scale,level,200,,亿元,2021,,,=,,\n"
                                                 "r1,某县,industrial_output_above_scale,level,200,,亿元,2021,,,=,,某开发区\n")
    obs = _write(tmp_path / "o.csv", OBS_HEADER + "industrial_output_above_scale,规上工业总产值,2021,200.0,亿元,,,=,,b1,,某县\n")
    src = _write(tmp_path / "s.csv", SOURCES)
    v = audit_place("某县", claims, obs, src).verdicts
    county, zone = v.iloc[0], v.iloc[1]
    assert county["verdict"] == "consistent" and county["sources"] == "b1"
    # only the report's own zone figure is of the zone's scope; the bulletin's county figure and the
    # report's own county figure (2 rows) are left out
    assert zone["verdict"] == "not_checkable" and "b1" not in zone["sources"]
    assert "sub-area, 某开发区" in zone["explanation"] and "2 figure(s) of another scope were left out" in zone["explanation"]


def test_without_a_sources_file_the_observations_name_their_sources(tmp_path, write_user):
    claims = _write(tmp_path / "c.csv", CLAIMS_HEADER + "r1,某县,gdp,level,700.5,,亿元,2019,,,=,\n")
    obs = write_user([{"place": "某县", "source_id": "yb", "source_kind": "yearbook"}],
                     columns=None)
    df = pd.read_csv(obs, dtype=str, keep_default_na=False).assign(place="某县")
    df.to_csv(obs, index=False)
    v = audit_place("某县", claims, obs).verdicts
    # 700.5 printed in both: consistent with the yearbook
    assert v.iloc[0]["verdict"] == "consistent" and v.iloc[0]["sources"] == "yb"


# --- the command -------------------------------------------------------------------------------


def _args(place: str, out: Path) -> list[str]:
    f = example_files(place)
    return ["audit", "--place", place, "--claims", str(f.claims), "--observations", str(f.observations),
            "--sources", str(f.sources), "--out", str(out)]


def test_audit_command_end_to_end(tmp_path, capsys):
    from linhai_analysis.report.render import EXTERNAL_URL

    out = tmp_path / "nanchang"
    assert main(_args("南昌县", out)) == 0
    verdicts = pd.read_csv(out / "verdicts.csv", encoding="utf-8-sig")
    assert len(verdicts) == 14 and set(verdicts["place"]) == {"南昌县"}
    assert verdicts["verdict"].value_counts().to_dict() == {"not_checkable": 9, "consistent": 4, "basis_mismatch": 1}
    sheets = pd.read_excel(out / "audit_tables.xlsx", sheet_name=None)
    assert {"README", "verdicts", "observations", "refused_codes"} <= set(sheets)
    assert len(sheets["verdicts"]) == 14
    page = (out / "audit.html").read_text(encoding="utf-8")
    assert "南昌县" in page and "basis mismatch" in page and "low-reliability" in page
    assert not EXTERNAL_URL.search(page) and "<script" not in page
    assert not [c for c in page.split("<td") if ">nan<" in c or ">None<" in c]
    assert "edz_operating_revenue" not in page  # codes shown by their names
    # a second run updates its own folder; a user's note beside it survives
    (out / "my_notes.txt").write_text("mine", encoding="utf-8")
    assert main(_args("南昌县", out)) == 0
    assert (out / "my_notes.txt").read_text(encoding="utf-8") == "mine"


def test_audit_command_refuses_a_foreign_folder_and_bad_input_before_writing(tmp_path, capsys):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("x", encoding="utf-8")
    assert main(_args("宜兴市", foreign)) == 2
    assert sorted(p.name for p in foreign.iterdir()) == ["thesis.docx"]
    bad = tmp_path / "bad.csv"
    bad.write_text(CLAIMS_HEADER + "r1,宜兴市,gdp,level,abc,,亿元,2021,,,=,\n", encoding="utf-8")
    f = example_files("宜兴市")
    out = tmp_path / "new"
    code = main(["audit", "--place", "宜兴市", "--claims", str(bad), "--observations", str(f.observations),
                 "--sources", str(f.sources), "--out", str(out)])
    assert code == 2 and not out.exists()
    assert "bad.csv, line 2, field 'value'" in capsys.readouterr().err


def test_audit_command_as_of_the_delivery_date(tmp_path):
    # the 2021 bulletin prints no date: it counts from 2022-12-31 (the year after its reference
    # year), so on 2022-02-17 the GDP level 1195.6 has no second document and cannot be checked
    out = tmp_path / "then"
    assert main(_args("南昌县", out) + ["--as-of", "2022-02-17"]) == 0
    v = pd.read_csv(out / "verdicts.csv", encoding="utf-8-sig")
    assert set(v["as_of"]) == {"2022-02-17"}
    gdp = v[(v["indicator"] == "gdp") & (v["kind"] == "level")].iloc[0]
    assert gdp["verdict"] == "not_checkable"

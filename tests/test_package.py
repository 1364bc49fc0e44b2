"""Packaging promises: a light import, the CLI, documented public API."""

import inspect
import subprocess
import sys

import pytest

import linhai_analysis
from linhai_analysis.cli import main
from linhai_analysis.data import paths


def test_import_is_light():
    code = ("import sys, linhai_analysis, linhai_analysis.claims, linhai_analysis.data;"
            "print(sorted(m for m in ('matplotlib', 'seaborn', 'statsmodels', 'papermill') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_build_cli(tmp_path, capsys):
    from linhai_analysis.data import paths

    assert main(["build", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(printed) == sorted(str(tmp_path / n) for n in (
        "observations.csv", "sources.csv", "claims.csv", "anchor_targets.csv", "forecasts.csv", "manifest.json"))
    # the CLI writes exactly what the library writes: the committed processed files
    for name in ("observations.csv", "claims.csv", "manifest.json"):
        assert (tmp_path / name).read_bytes() == (paths.PROCESSED_DIR / name).read_bytes(), name


def test_cli_reports_bad_user_series_without_traceback(tmp_path, capsys, write_user):
    bad = write_user([{"unit": "亿円"}])
    assert main(["build", "--out", str(tmp_path / "o"), "--user-series", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "user.csv, line 2, field 'unit'" in err


def test_cli_rejects_a_bad_as_of():
    with pytest.raises(SystemExit) as exc:
        main(["report", "--as-of", "Feb 2022"])
    assert exc.value.code == 2


def test_public_functions_have_docstrings():
    import importlib
    import pkgutil

    names = [m.name.removeprefix("linhai_analysis.")
             for m in pkgutil.walk_packages(linhai_analysis.__path__, "linhai_analysis.")
             if not m.name.rpartition(".")[2].startswith("_")]
    assert len(names) >= 30  # 32 modules in five wings, plus errors, pipeline and cli
    for name in names:
        mod = importlib.import_module(f"linhai_analysis.{name}")
        for fname, obj in inspect.getmembers(mod, inspect.isfunction):
            if obj.__module__ == mod.__name__ and not fname.startswith("_"):
                assert obj.__doc__, f"{name}.{fname} has no docstring"
        for cname, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ != mod.__name__ or cname.startswith("_"):
                continue
            assert cls.__doc__, f"{name}.{cname} has no docstring"
            for mname, meth in vars(cls).items():
                if inspect.isfunction(meth) and not mname.startswith("_"):
                    assert meth.__doc__, f"{name}.{cname}.{mname} has no docstring"
    assert linhai_analysis.__version__


def test_lazy_entry_points_keep_the_import_light():
    code = ("import sys, linhai_analysis as la; light = 'pandas' not in sys.modules; "
            "iv = la.cagr_interval(515.6, 819.9, 5); print(light, round(iv.lo, 4), 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    # (819.9 / 515.6)^(1/5) - 1 = 9.7210%: numbers are exact, so the interval is a point
    assert out == ["True", "9.721", "False"]


def _installed_wheel(tmp_path):
    """Build the wheel and install it (no dependencies) into a folder outside the checkout."""
    wheels, site = tmp_path / "wheels", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(linhai_analysis.data.paths.PROJ_ROOT), "--no-deps",
                    "-q", "-w", str(wheels)], check=True, capture_output=True)
    (whl,) = wheels.glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(whl)],
                   check=True, capture_output=True)
    return site


def test_the_wheel_works_outside_the_checkout(tmp_path):
    import os

    site = _installed_wheel(tmp_path)
    work = tmp_path / "elsewhere"
    work.mkdir()
    code = ("import linhai_analysis as la, linhai_analysis.data.paths as p;"
            "print(la.__file__); print(len(la.observations()), len(la.claims_table()),"
            " la.load_report(p.REPORT_FILE).year, p.REPORTS_DIR)")
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("LINHAI_DATA_DIR", None)
    out = subprocess.run([sys.executable, "-c", code], cwd=work, env=env, capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert out[0].startswith(str(site))  # the installed copy, not the checkout
    n_obs, n_claims, year, reports = out[1].split()
    assert int(n_obs) > 100 and int(n_claims) == 139 and year == "2022"
    assert reports == str(work / "reports")  # outputs go to the working folder, not site-packages
    # an explicit data folder that lacks the files: a clear error naming where to look
    env["LINHAI_DATA_DIR"] = str(tmp_path / "nowhere")
    res = subprocess.run([sys.executable, "-m", "linhai_analysis.cli", "build", "--out", str(work / "o")],
                         cwd=work, env=env, capture_output=True, text=True)
    assert res.returncode == 2 and "LINHAI_DATA_DIR" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.notebooks
def test_the_wheel_renders_the_report(tmp_path):
    import os

    site = _installed_wheel(tmp_path)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(site)}
    res = subprocess.run([sys.executable, "-m", "linhai_analysis.cli", "report", "--out", str(out)],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]
    assert (out / "index.html").exists() and (out / "05_outside_view.html").exists()
    assert (out / "tables" / "targets_summary.csv").exists()


def test_readme_python_walkthrough_runs():
    import re

    from linhai_analysis.data import paths

    text = (paths.PROJ_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Use it from Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    assert namespace["earlier"].as_of == "2021-06-30" and namespace["feb"].as_of == "2022-02-17"
    assert (namespace["judged"]["model"] == "combined").any()  # the pooled headline is a row of its own
    lo = namespace["cagr_interval"](namespace["printed_interval"]("515.6"), namespace["printed_interval"]("819.9"), 5).lo
    # (819.85 / 515.65)^(1/5) - 1 = 9.717%
    assert lo == pytest.approx(9.7175, abs=1e-3)
    assert 0 <= namespace["fc"].p_at_least(2026, 1500) <= 1


def test_cli_version_help_and_license(capsys):
    import re
    import tomllib

    from linhai_analysis import __version__
    from linhai_analysis.cli import main

    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0 and capsys.readouterr().out.strip() == f"linhai-analysis {__version__}"
    for argv in (["--help"], ["report", "--help"], ["annotate", "--help"], ["claims", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        text = capsys.readouterr().out
        assert "``" not in text, argv  # no raw reST markup
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    text = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert "(default: 2022-02-17)" in text and "(default: zh)" in text and "--with-code" in text
    license_text = (paths.PROJ_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License") and "linhai-analysis contributors" in license_text
    meta = tomllib.loads((paths.PROJ_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["license"] == "MIT"


def test_claims_cli_takes_a_place(tmp_path, capsys):
    from linhai_analysis.cli import main

    src = tmp_path / "r.txt"
    src.write_text("一、过去五年工作回顾\n地区生产总值500亿元。\n", encoding="utf-8")  # no title: no place
    assert main(["claims", str(src), "--year", "2021", "--place", "临海市"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split(",")[2] == "place" and out[1].split(",")[2] == "临海市"


def test_make_lab_allows_root():
    import subprocess

    dry = subprocess.run(["make", "-n", "lab"], cwd=paths.PROJ_ROOT, capture_output=True, text=True).stdout
    import os

    assert ("--allow-root" in dry) == (os.geteuid() == 0)

"""Packaging promises: a light import, the CLI, documented public API."""

import inspect
import subprocess
import sys

import pytest

import linhai_analysis
from linhai_analysis.cli import main


def test_import_is_light():
    code = ("import sys, linhai_analysis, linhai_analysis.claims, linhai_analysis.data;"
            "print(sorted(m for m in ('matplotlib', 'seaborn', 'statsmodels', 'papermill') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_build_cli(tmp_path):
    assert main(["build", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "observations.csv").exists()


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

    for name in ["units", "indicators", "sources", "data", "report_text", "claims", "growth",
                 "reconcile", "trend", "plausibility", "outcomes", "plots", "render", "tables", "evaluation"]:
        mod = importlib.import_module(f"linhai_analysis.{name}")
        for fname, obj in inspect.getmembers(mod, inspect.isfunction):
            if obj.__module__ == mod.__name__ and not fname.startswith("_"):
                assert obj.__doc__, f"{name}.{fname} has no docstring"
    assert linhai_analysis.__version__


def test_readme_python_walkthrough_runs():
    import re

    from linhai_analysis import paths

    text = (paths.PROJ_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Use it from Python\s+```python\n(.*?)```", text, re.S).group(1)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
    lo = namespace["cagr_interval"](namespace["printed_interval"]("515.6"), namespace["printed_interval"]("819.9"), 5).lo
    # (819.85 / 515.65)^(1/5) - 1 = 9.717%
    assert lo == pytest.approx(9.7175, abs=1e-3)
    assert 0 <= namespace["fc"].p_at_least(2026, 1500) <= 1

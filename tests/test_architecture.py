"""The package's plan: five wings in the order of the flow, enforced by import-linter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import linhai_analysis

ROOT = Path(__file__).resolve().parents[1]
PKG = Path(linhai_analysis.__file__).parent


def test_the_package_shows_the_wings():
    wings = sorted(p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert wings == ["assess", "claims", "data", "models", "report"]
    top = sorted(p.name for p in PKG.glob("*.py"))
    # only the entry points and the shared error hierarchy sit beside the wings
    assert top == ["__init__.py", "cli.py", "errors.py", "pipeline.py"]


def test_import_contracts_hold():
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")
    if exe is None:
        pytest.fail("import-linter is not installed: `pip install -e .[test]`")
    run = subprocess.run([exe, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "2 kept, 0 broken" in run.stdout


def test_old_flat_module_paths_resolve_to_the_wing_modules():
    import linhai_analysis.growth as old

    import linhai_analysis.models.growth as new
    from linhai_analysis.data import observations
    from linhai_analysis.data.load import observations as obs_fn

    assert old is new
    assert observations is obs_fn


def test_a_broken_layer_is_caught(tmp_path):
    """The contract is not vacuous: a data module importing from assess breaks it."""
    work = tmp_path / "pkg"
    shutil.copytree(PKG, work / "linhai_analysis", ignore=shutil.ignore_patterns("__pycache__", "_bundle"))
    (work / "linhai_analysis" / "data" / "leak.py").write_text("from ..assess import reconcile  # noqa\n")
    shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
    exe = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    run = subprocess.run([exe, "--config", str(work / "pyproject.toml")], cwd=work, capture_output=True,
                         text=True, env={"PYTHONPATH": str(work), "PATH": "/usr/bin:/bin"})
    assert run.returncode != 0 and "BROKEN" in run.stdout

"""Bundle the raw data and the notebooks into the wheel as package data.

The repository keeps them at the top level (``data/raw/``, ``notebooks/``); a wheel
installed elsewhere needs them inside the package, so the build copies them to
``linhai_analysis/_bundle/``. Editable installs read them from the checkout instead.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithData(build_py):
    """build_py that also copies data/raw and notebooks/*.ipynb into the package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        root = Path(__file__).parent
        bundle = Path(self.build_lib) / "linhai_analysis" / "_bundle"
        shutil.rmtree(bundle, ignore_errors=True)
        shutil.copytree(root / "data" / "raw", bundle / "data" / "raw")
        (bundle / "notebooks").mkdir(parents=True, exist_ok=True)
        for nb in sorted((root / "notebooks").glob("*.ipynb")):
            shutil.copy2(nb, bundle / "notebooks" / nb.name)


setup(cmdclass={"build_py": BuildWithData})

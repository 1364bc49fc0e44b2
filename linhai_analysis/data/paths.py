"""Where the data, notebooks and outputs are — in a checkout or an installed wheel.

Resolution, first match wins:

1. ``LINHAI_DATA_DIR`` (environment): a folder holding ``raw/`` (the raw files with
   their ``.meta.yml`` sidecars), e.g. a copy of a checkout's ``data/``;
2. a checkout: ``data/raw`` next to the package (``pip install -e .`` or running from
   the source tree);
3. an installed wheel: the copy bundled as package data (``linhai_analysis/_bundle``).

Outputs default to the checkout (``data/processed``, ``reports``) when running from one,
and to the current working directory otherwise, never into site-packages. Nothing is
checked at import; a missing file is reported when it is read, naming the places
looked in (:func:`data_help`).
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parent.parent
_CHECKOUT: Path = PACKAGE_DIR.parent
_BUNDLE: Path = PACKAGE_DIR / "_bundle"
ENV_VAR = "LINHAI_DATA_DIR"


def _is_checkout() -> bool:
    # the folder, not one file in it: a deleted data/raw/observations.csv is reported as missing
    # from the checkout, not by sending every read to the bundle
    return (_CHECKOUT / "data" / "raw").is_dir() and (_CHECKOUT / "pyproject.toml").is_file()


def _data_dir() -> Path:
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    if _is_checkout():
        return _CHECKOUT / "data"
    return _BUNDLE / "data"


def data_help() -> str:
    """Where the raw data are looked for, for error messages."""
    return (f"raw data are read from ${ENV_VAR}/raw if set, else from a checkout's data/raw "
            f"({_CHECKOUT / 'data' / 'raw'}), else from the installed package ({_BUNDLE / 'data' / 'raw'}); "
            f"set {ENV_VAR} to a folder holding raw/ with the .meta.yml sidecars")


#: Root of the checkout, or the bundle of an installed wheel.
PROJ_ROOT: Path = _CHECKOUT if _is_checkout() else _BUNDLE
DATA_DIR: Path = _data_dir()
RAW_DIR: Path = DATA_DIR / "raw"
CLAIMS_DIR: Path = RAW_DIR / "claims"
NOTEBOOKS_DIR: Path = (_CHECKOUT / "notebooks") if _is_checkout() else (_BUNDLE / "notebooks")
PROCESSED_DIR: Path = (_CHECKOUT / "data" / "processed") if _is_checkout() else Path.cwd() / "data" / "processed"
REPORTS_DIR: Path = (_CHECKOUT / "reports") if _is_checkout() else Path.cwd() / "reports"

REPORT_FILE: Path = RAW_DIR / "linhai_2022_government_work_report.forum_page.txt"
OBSERVATIONS_FILE: Path = RAW_DIR / "observations.csv"
SOURCES_FILE: Path = RAW_DIR / "sources.csv"
OTHER_CLAIMS_FILE: Path = RAW_DIR / "other_report_claims.csv"
ANCHOR_OBSERVATIONS_FILE: Path = RAW_DIR / "anchor_observations.csv"
ANCHOR_TARGETS_FILE: Path = RAW_DIR / "anchor_targets.csv"
FORECASTS_FILE: Path = RAW_DIR / "external_forecasts.csv"
GROUND_TRUTH_FILE: Path = CLAIMS_DIR / "linhai_2022_claims_ground_truth.csv"
#: Structured claims, observations and sources of other counties (南昌县, 宜兴市).
OTHER_COUNTY_DIR: Path = RAW_DIR / "other_county"

"""Project paths, derived from this file so that nothing depends on the working directory."""

from __future__ import annotations

from pathlib import Path

PROJ_ROOT: Path = Path(__file__).resolve().parent.parent
DATA_DIR: Path = PROJ_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
CLAIMS_DIR: Path = RAW_DIR / "claims"
NOTEBOOKS_DIR: Path = PROJ_ROOT / "notebooks"
REPORTS_DIR: Path = PROJ_ROOT / "reports"

REPORT_FILE: Path = RAW_DIR / "linhai_2022_government_work_report.forum_page.txt"
OBSERVATIONS_FILE: Path = RAW_DIR / "observations.csv"
SOURCES_FILE: Path = RAW_DIR / "sources.csv"
OTHER_CLAIMS_FILE: Path = RAW_DIR / "other_report_claims.csv"
ANCHOR_OBSERVATIONS_FILE: Path = RAW_DIR / "anchor_observations.csv"
ANCHOR_TARGETS_FILE: Path = RAW_DIR / "anchor_targets.csv"
FORECASTS_FILE: Path = RAW_DIR / "external_forecasts.csv"
GROUND_TRUTH_FILE: Path = CLAIMS_DIR / "linhai_2022_claims_ground_truth.csv"

# linhai-analysis — run `make help` for the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup data report test test-fast lint bench lab clean

help: ## Show this help
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

# uv (from PyPI) installs in a fraction of pip's time; pip is the fallback.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	@if $(BIN)/python -m pip install --quiet --disable-pip-version-check uv >/dev/null 2>&1 \
	    && $(BIN)/uv --version >/dev/null 2>&1; then \
	  echo "installing with uv"; \
	  $(BIN)/uv pip install --quiet --python $(BIN)/python -e ".[test]"; \
	else \
	  echo "uv unavailable: installing with pip"; \
	  $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e ".[test]"; \
	fi
	touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the package with its test extras

data: $(STAMP) ## Validate raw data and write data/processed/
	$(BIN)/linhai-analysis build

report: data ## Set up, build data, execute the notebooks, write HTML under reports/
	$(BIN)/linhai-analysis report $(REPORT_ARGS)

test: $(STAMP) ## Set up and run the whole test suite (notebooks included)
	$(BIN)/python -m pytest

test-fast: $(STAMP) ## Run the tests that do not execute notebooks
	$(BIN)/python -m pytest -m "not notebooks"

lint: $(STAMP) ## Ruff over the library, tests and benchmarks
	$(BIN)/ruff check linhai_analysis tests benchmarks

bench: $(STAMP) ## Print the benchmark figures
	$(BIN)/python benchmarks/import_time.py
	$(BIN)/python benchmarks/extract_speed.py
	$(BIN)/python benchmarks/report_time.py
	$(BIN)/python benchmarks/forecast_quality.py

lab: $(STAMP) ## Open JupyterLab on the notebooks in the project's environment
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root,) notebooks/

clean: ## Remove the virtualenv, caches and rendered reports
	rm -rf $(VENV) reports .pytest_cache .ruff_cache .hypothesis

#!/usr/bin/env bash
# Print the time a fresh environment takes to install the project with pip and with uv
# (what `make setup` does), on this machine. Network: the package registries only.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s.%N)
$PY -m venv "$tmp/pip" && "$tmp/pip/bin/python" -m pip install --quiet --upgrade pip \
  && "$tmp/pip/bin/python" -m pip install --quiet --no-cache-dir -e ".[test]" >/dev/null 2>&1
t1=$(date +%s.%N)
$PY -m venv "$tmp/uv" && "$tmp/uv/bin/python" -m pip install --quiet --no-cache-dir uv >/dev/null 2>&1 \
  && "$tmp/uv/bin/uv" pip install --quiet --no-cache --python "$tmp/uv/bin/python" -e ".[test]" >/dev/null 2>&1
t2=$(date +%s.%N)
printf 'fresh venv + install, pip: %.0f s\n' "$(echo "$t1 - $t0" | bc)"
printf 'fresh venv + install, uv (incl. installing uv): %.0f s\n' "$(echo "$t2 - $t1" | bc)"

#!/usr/bin/env bash
# Set up everything wikikg and its tests need, in .venv (idempotent, safe to run again).
# Needs only python3 (>= 3.11) and the package registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.wikikg-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -m pip install --quiet -e '.[test]' 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -c 'import graph, pyoxigraph, pyshacl, hypothesis' # fails loudly if the install did
  touch "$stamp"
fi

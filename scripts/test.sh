#!/usr/bin/env bash
# Run the whole test suite (installs what it needs first): pytest, plus ruff on the code.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/ruff check graph tests bench
# two workers (pytest-xdist), each test file on one of them (its module fixtures built once): the suite fits in
# five minutes on two cores; WIKIKG_TEST_WORKERS=0 runs it in one process
exec .venv/bin/python -m pytest -n "${WIKIKG_TEST_WORKERS:-2}" --dist loadfile "$@"

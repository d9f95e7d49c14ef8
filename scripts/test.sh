#!/usr/bin/env bash
# Run the whole test suite (installs what it needs first): pytest, plus ruff on the code.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
.venv/bin/ruff check graph tests bench
exec .venv/bin/python -m pytest "$@"

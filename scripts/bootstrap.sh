#!/usr/bin/env bash
# Set up everything wikikg and its tests need, in .venv (idempotent, safe to run again).
# Needs only python3 (>= 3.11) and the package registry.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# A CJK font for `wikikg analyze`'s picture (matplotlib draws Chinese labels as empty boxes without one).
# Best effort: a machine without apt or root gets a note, never a failed bootstrap.
if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; then
  :
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  if ! apt-get install -y -q fonts-wqy-microhei >/dev/null 2>&1; then
    { apt-get update -q && apt-get install -y -q fonts-wqy-microhei; } >/dev/null 2>&1 \
      || echo "bootstrap: could not install fonts-wqy-microhei; graph pictures need a CJK font" >&2
  fi
else
  echo "bootstrap: no CJK font found; for graph pictures run: apt-get install fonts-wqy-microhei" >&2
fi
# Chromium for the tests that open the HTML pages in a real browser (tests/test_pages_browser.py, driven by
# Playwright: never `playwright install`, which downloads a browser of its own). Best effort, like the font:
# without it those tests are skipped and say why.
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || [ -n "${WIKIKG_CHROMIUM:-}" ]; then
  :
elif command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  if ! apt-get install -y -q chromium >/dev/null 2>&1; then
    { apt-get update -q && apt-get install -y -q chromium; } >/dev/null 2>&1 \
      || echo "bootstrap: could not install chromium; the browser tests of the pages will be skipped" >&2
  fi
else
  echo "bootstrap: no Chromium found; for the browser tests of the pages run: apt-get install chromium" >&2
fi
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

#!/usr/bin/env bash
# Set up frontmap on a fresh machine: Debian's Chromium for the browser tests,
# a virtual environment in .venv with frontmap and its test tools, and the
# gazetteer index. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "== installing Debian's chromium (browser tests)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
echo "== installing frontmap, its test tools and its Dask extra into .venv"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test,dask]'

echo "== building the gazetteer index"
.venv/bin/frontmap gazetteer build
echo "== ready: run the tests with  .venv/bin/python -m pytest"

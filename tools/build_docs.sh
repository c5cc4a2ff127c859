#!/usr/bin/env bash
# Build the documentation (docs/en, Sphinx + MyST markdown) into
# docs/en/_build/html with warnings as errors (-W, all of them reported with
# --keep-going) and every internal reference checked (-n; MyST heading
# anchors, so a link to a missing page or heading fails the build).
# Installs docs/requirements.txt into .venv first (tools/setup_env.sh
# creates it).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install -q -r docs/requirements.txt
rm -rf docs/en/_build/html docs/en/_build/doctrees
.venv/bin/python -m sphinx -W --keep-going -n -b html \
    -d docs/en/_build/doctrees docs/en docs/en/_build/html

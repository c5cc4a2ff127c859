#!/usr/bin/env bash
# Create .venv (if missing) and install the stack + mmaction_masa into it.
# Handles the points of ENVIRONMENT.md: mmcv-lite (no compiled ops needed),
# setuptools<82, numpy<2, importlib_metadata, and mmpose without chumpy.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=".venv/bin/python -m pip"
$PIP install -q --upgrade pip
$PIP install -q -r requirements.txt
# mmpose hard-requires chumpy (unbuildable, never imported): install its
# other requirements first, then mmpose itself without deps, so pip has no
# missing requirement to warn about while installing.
$PIP install -q -r requirements-mmpose.txt 'numpy>=1.23,<2'
$PIP install -q --no-deps mmpose==1.3.2
$PIP install -q --no-deps --no-build-isolation -e .

#!/usr/bin/env bash
# Create .venv (if missing) and install the stack + mmaction_masa into it.
# Handles the stack problems met on the project's CPU machine: mmcv-lite (no compiled ops needed),
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
# openmim (`mim train mmaction_masa CONFIG`): its train/test commands need
# only what requirements.txt installs; its other requirements (opendatalab
# -> openxlab) would downgrade setuptools to 60 and upgrade numpy to 2.
$PIP install -q --no-deps openmim==0.3.9
# editable_mode=compat: a .pth puts the repository on sys.path, so that the
# real package wins over the clone's folder (when it is named mmaction_masa)
# seen as an empty namespace package from its parent folder; the default
# editable finder runs only after Python's path scan has taken that folder.
$PIP install -q --no-deps --no-build-isolation -e . \
    --config-settings editable_mode=compat
# The linters of tools/lint.sh.
$PIP install -q -r requirements-lint.txt

#!/usr/bin/env bash
# The OpenMMLab checks (settings in setup.cfg): flake8, isort, yapf and
# docstring coverage (interrogate). Prints every finding and exits non-zero
# if there is one. Format in place with:
#   .venv/bin/isort mmaction_masa tools benchmarks tests demo configs
#   .venv/bin/yapf -i -r mmaction_masa tools benchmarks tests demo configs
set -uo pipefail
cd "$(dirname "$0")/.."
PATHS=(mmaction_masa tools benchmarks tests demo configs)
BIN=.venv/bin
status=0
echo '== flake8'
$BIN/flake8 "${PATHS[@]}" || status=1
echo '== isort'
$BIN/isort --check-only --diff "${PATHS[@]}" || status=1
echo '== yapf'
diff=$($BIN/yapf --diff --recursive "${PATHS[@]}")
if [ -n "$diff" ]; then
    echo "$diff"
    status=1
fi
echo '== interrogate'
$BIN/interrogate -c setup.cfg mmaction_masa tools benchmarks demo || status=1
exit $status

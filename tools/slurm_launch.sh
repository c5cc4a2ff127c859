#!/usr/bin/env bash
# Run a tool of this folder on a Slurm cluster with srun and MMEngine DDP
# (the body of slurm_train.sh and slurm_test.sh).
#   [GPUS=8 GPUS_PER_NODE=8 CPUS_PER_TASK=5 SRUN_ARGS=...] \
#       tools/slurm_launch.sh TOOL.py PARTITION JOB_NAME CONFIG [tool args...]
set -euo pipefail

if [ "$#" -lt 4 ]; then
    echo "usage: $0 TOOL.py PARTITION JOB_NAME CONFIG [tool args...]" >&2
    exit 2
fi
TOOL=$1
PARTITION=$2
JOB_NAME=$3
CONFIG=$4
shift 4
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-}
TOOLS_DIR=$(cd "$(dirname "$0")" && pwd)
# The project's environment (tools/setup_env.sh) unless PYTHON says otherwise.
if [ -z "${PYTHON:-}" ] && [ -x "$TOOLS_DIR/../.venv/bin/python" ]; then
    PYTHON="$TOOLS_DIR/../.venv/bin/python"
fi
export MASTER_PORT=${MASTER_PORT:-$((12000 + RANDOM % 20000))}

# SRUN_ARGS is split into words on purpose (several srun options).
# shellcheck disable=SC2086
PYTHONPATH="$TOOLS_DIR/..${PYTHONPATH:+:$PYTHONPATH}" \
    srun -p "$PARTITION" \
    --job-name="$JOB_NAME" \
    --gres=gpu:"$GPUS_PER_NODE" \
    --ntasks="$GPUS" \
    --ntasks-per-node="$GPUS_PER_NODE" \
    --cpus-per-task="$CPUS_PER_TASK" \
    --kill-on-bad-exit=1 \
    $SRUN_ARGS \
    "${PYTHON:-python}" -u "$TOOLS_DIR/$TOOL" "$CONFIG" "$@" \
    --launcher slurm

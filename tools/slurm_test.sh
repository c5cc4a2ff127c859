#!/usr/bin/env bash
# Testing on a Slurm cluster with srun and MMEngine DDP.
#   [GPUS=8 GPUS_PER_NODE=8 CPUS_PER_TASK=5 SRUN_ARGS=...] \
#       tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py options...]
set -euo pipefail
if [ "$#" -lt 4 ]; then
    echo "usage: $0 PARTITION JOB_NAME CONFIG CHECKPOINT [test.py options...]" >&2
    exit 2
fi
# test.py takes CONFIG CHECKPOINT: the checkpoint goes first among the tool's
# arguments.
exec bash "$(dirname "$0")/slurm_launch.sh" test.py "$@"

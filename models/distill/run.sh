#!/usr/bin/env bash
# Runs a distill.py step in the background, at the lowest CPU priority, surviving the shell:
#   models/distill/run.sh LOGNAME [distill.py arguments...]
# e.g. models/distill/run.sh train-4x256 train --size 4x256 --max-steps 20000
# Output goes to .cache/distill/LOGNAME.log, the process id to .cache/distill/LOGNAME.pid.
# Stop it with `kill $(cat .cache/distill/LOGNAME.pid)`: training saves a checkpoint on SIGTERM
# and the same command resumes from it.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=$1
shift
mkdir -p .cache/distill
# A fixed mmap threshold (8 MB) makes glibc return big freed buffers to the system at once: with a new
# tensor shape every batch, the default (a threshold that grows after frees) lets the heap of a
# training run grow by gigabytes. (A small threshold costs page faults: 256 KB spent 40 % of the
# time in the kernel.)
MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-8388608} \
  nohup nice -n 19 /usr/bin/python3 models/distill/distill.py "$@" >> ".cache/distill/$name.log" 2>&1 &
echo $! > ".cache/distill/$name.pid"
echo "run.sh: $name started, pid $(cat ".cache/distill/$name.pid"), log .cache/distill/$name.log"

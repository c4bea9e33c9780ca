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
# Memory allocator: every batch has a new tensor shape. With glibc's malloc a run's heap grew by
# gigabytes, and a fixed mmap threshold that stops it costs a page fault per fresh buffer (30-40 %
# of the time in the kernel on this VM). jemalloc (libjemalloc2) reuses freed pages and stays
# near the working set; without it, glibc with the growth. jemalloc's own default (pages freed
# after 10 s, and at once for allocations of 8 MB and more, which activations of a 128-text batch
# are) still page-faulted on most fresh buffers: GELU took 70 ms instead of 2 on a
# [128, 34, 512] tensor and a 2x128 step spent 3/4 of its time faulting. Never purging keeps the
# pages for reuse; the peak stays about the working set (1.1 GB incl. the mapped teacher chunks).
JEMALLOC=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2
preload=""
[ -f "$JEMALLOC" ] && preload=$JEMALLOC
LD_PRELOAD=$preload MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1 \
  nohup nice -n 19 /usr/bin/python3 models/distill/distill.py "$@" >> ".cache/distill/$name.log" 2>&1 &
echo $! > ".cache/distill/$name.pid"
echo "run.sh: $name started, pid $(cat ".cache/distill/$name.pid"), log .cache/distill/$name.log"

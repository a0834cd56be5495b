#!/usr/bin/env bash
# Every long experiment of docs/results.md in order; each script skips what is finished and resumes what was
# started, so a new session simply runs this again (in the background: nohup experiments/run-queue.sh &).
# Usage: experiments/run-queue.sh [LOWBIT]
set -euo pipefail
cd "$(dirname "$0")"
experiments=(run-nin-search.sh run-resnet20.sh run-vgg7-sweep.sh run-vgg7-pact-alpha.sh run-vgg7-full.sh run-vgg7-lsfq-lower.sh run-vgg7-seeds.sh run-vgg7-pact-levels.sh run-mobilenetv2.sh run-nin-fixed.sh run-nin-clipq-lastq.sh)
for e in "${experiments[@]}"; do
  echo "=== $e ($(date -u +%H:%M))"
  # a failed script (its log says why) does not hold up the others
  "./$e" "$@" || echo "=== $e failed (exit $?)"
done

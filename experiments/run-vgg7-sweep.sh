#!/usr/bin/env bash
# The VGG7 (width 0.25) quantization sweep of docs/results.md#vgg7-sweep: a float baseline, then LSFQ, LSQ and
# PACT at W4A4, W3A3 and W2A2 (first and last layer 8-bit) fine-tuned from it with the same budget; each one
# exported and its integer engine measured against it on the full test set (agree, lib.sh).
# Re-running continues where a killed session left off: finished runs are skipped, started ones resumed.
# Usage: experiments/run-vgg7-sweep.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/vgg7w025-float-c10

# shellcheck source=lib.sh
source experiments/lib.sh

run "$FLOAT" --model vgg7 --width 0.25 --dataset cifar10 --epochs 20 --warmup 1 --seed 1
for bits in 4 3 2; do
  for method in lsfq lsq pact; do
    run "experiments/vgg7w025-$method-w${bits}a${bits}-c10" --model vgg7 --width 0.25 --dataset cifar10 \
      --epochs 10 --seed 1 --lr 0.01 --init "$FLOAT/best.lbck" \
      --quant "$method:w=$bits,a=$bits;first=$method:w=8,a=8;last=$method:w=8,a=8"
    agree "experiments/vgg7w025-$method-w${bits}a${bits}-c10"
  done
done

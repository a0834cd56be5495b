#!/usr/bin/env bash
# LSFQ with its unsigned activations' lower clip hard (lower=hard, docs/quantization.md: the default soft clamp gives
# small positive activations a slope between ½ and 1) on the VGG7 sweep's W3A3 row, where LSFQ ended 0.29 points
# below LSQ: same budget and seed as vgg7w025-lsfq-w3a3-c10, every layer with lower=hard.
# Re-running continues where a killed session left off: finished runs are skipped, started ones resumed.
# Usage: experiments/run-vgg7-lsfq-lower.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/vgg7w025-float-c10
RUN=experiments/vgg7w025-lsfq-hl-w3a3-c10

# shellcheck source=lib.sh
source experiments/lib.sh

run "$RUN" --model vgg7 --width 0.25 --dataset cifar10 --epochs 10 --seed 1 --lr 0.01 --init "$FLOAT/best.lbck" \
  --quant "lsfq:w=3,a=3,lower=hard;first=lsfq:w=8,a=8,lower=hard;last=lsfq:w=8,a=8,lower=hard"
agree "$RUN"

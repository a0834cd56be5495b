#!/usr/bin/env bash
# Issue 3's check of the VGG7 sweep's headline row at full width (docs/results.md#vgg7-sweep): VGG7 at width 1.0,
# float with the narrow sweep's recipe, then LSFQ W4A4 (first and last layer 8-bit) fine-tuned from it with the same
# budget; exported and its integer engine measured against it on the full test set (agree, lib.sh).
# Re-running continues where a killed session left off: finished runs are skipped, started ones resumed.
# Usage: experiments/run-vgg7-full.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/vgg7-float-c10
LSFQ=experiments/vgg7-lsfq-w4a4-c10

# shellcheck source=lib.sh
source experiments/lib.sh

run "$FLOAT" --model vgg7 --dataset cifar10 --epochs 20 --warmup 1 --seed 1
run "$LSFQ" --model vgg7 --dataset cifar10 --epochs 10 --seed 1 --lr 0.01 --init "$FLOAT/best.lbck" \
  --quant "lsfq:w=4,a=4;first=lsfq:w=8,a=8;last=lsfq:w=8,a=8"
agree "$LSFQ"

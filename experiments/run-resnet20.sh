#!/usr/bin/env bash
# ResNet-20 (He et al.'s CIFAR variant, option-A shortcuts) on CIFAR-10, the common baseline: a float model, then
# LSQ W4A4 (first and last layer 8-bit) fine-tuned from it; issue 4's agreement of the integer engine on a residual
# model with identity and channel-padding shortcuts. Re-running continues where a killed session left off.
# Usage: experiments/run-resnet20.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/resnet20-float-c10
LSQ=experiments/resnet20-lsq-w4a4-c10

# shellcheck source=lib.sh
source experiments/lib.sh

run "$FLOAT" --model resnet20 --dataset cifar10 --epochs 20 --warmup 1 --seed 1
run "$LSQ" --model resnet20 --dataset cifar10 --epochs 10 --seed 1 --lr 0.01 \
  --init "$FLOAT/best.lbck" --quant "lsq:w=4,a=4;first=lsq:w=8,a=8;last=lsq:w=8,a=8"
agree "$LSQ"

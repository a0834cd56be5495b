#!/usr/bin/env bash
# MobileNetV2 (kuangliu CIFAR variant) at width 0.5 on CIFAR-10: a float baseline, then LSFQ W4A4 (first and last
# layer 8-bit) fine-tuned from it; issue 3's MobileNetV2 row and issue 4's agreement on a residual model.
# Re-running continues where a killed session left off: finished runs are skipped, started ones resumed.
# Usage: experiments/run-mobilenetv2.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/mobilenetv2w05-float-c10
LSFQ=experiments/mobilenetv2w05-lsfq-w4a4-c10

# shellcheck source=lib.sh
source experiments/lib.sh

run "$FLOAT" --model mobilenetv2 --width 0.5 --dataset cifar10 --epochs 15 --warmup 1 --seed 1
# evaluation at batch 64: before nn/InferenceScope the fake-quant graph kept every intermediate of a batch until it
# ended, and at the default 500 the first try was OOM-killed at 24 GiB; kept so that the run resumes unchanged
run "$LSFQ" --model mobilenetv2 --width 0.5 --dataset cifar10 --epochs 10 --seed 1 --lr 0.01 --eval-batch-size 64 \
  --init "$FLOAT/best.lbck" --quant "lsfq:w=4,a=4;first=lsfq:w=8,a=8;last=lsfq:w=8,a=8"
agree "$LSFQ"

# The same with per-output-channel weight scales (gran=channel; activations stay per tensor): with one clip per
# tensor the depthwise layers share it across channels whose BN-folded weights differ by orders of magnitude
# (block1.dw: α = 90.8, 8 of the 15 codes used), and the per-tensor run ends 1.86 points below float
LSFQ_PC=experiments/mobilenetv2w05-lsfq-w4a4-pc-c10
run "$LSFQ_PC" --model mobilenetv2 --width 0.5 --dataset cifar10 --epochs 10 --seed 1 --lr 0.01 \
  --init "$FLOAT/best.lbck" \
  --quant "lsfq:w=4,a=4,gran=channel;first=lsfq:w=8,a=8,gran=channel;last=lsfq:w=8,a=8,gran=channel"
agree "$LSFQ_PC"

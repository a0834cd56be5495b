#!/usr/bin/env bash
# PACT W2A2 on the VGG7 sweep's budget with α0 = 2 instead of PACT's published 10 (docs/results.md#vgg7-sweep): with
# α0 = 10 the first 2-bit level (3.33) lies above most BN-folded (unit-scale) pre-activations, the logits are
# constant for four epochs and α, which only learns from values ≥ α, just decays (10 → 9.07); the sweep's PACT W2A2
# ended at 29.78 %. 2 is lowbit's choice, near the clip levels LSFQ learned at W2A2 (1.2–3.0 after the first layer);
# the 8-bit first and last layers keep the sweep's α0 = 10 (LSFQ learned 13.3 after the first).
# Re-running continues where a killed session left off: finished runs are skipped, started ones resumed.
# Usage: experiments/run-vgg7-pact-alpha.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/vgg7w025-float-c10
RUN=experiments/vgg7w025-pact-a2-w2a2-c10

# shellcheck source=lib.sh
source experiments/lib.sh

run "$RUN" --model vgg7 --width 0.25 --dataset cifar10 --epochs 10 --seed 1 --lr 0.01 --init "$FLOAT/best.lbck" \
  --quant "pact:w=2,a=2,alpha0=2;first=pact:w=8,a=8;last=pact:w=8,a=8"
agree "$RUN"

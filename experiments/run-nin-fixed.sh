#!/usr/bin/env bash
# The plain fixed-point row of docs/results.md's NIN table (issue 3: float vs 8-bit CLIP-Q vs plain 8-bit fixed
# point): Q3.5 weights (per-layer exponent) and activations, fine-tuned from the float NIN with exactly the CLIP-Q
# run's budget (experiments/nin-clipq-c10: 15 epochs, lr 0.01 cosine, seed 1); then its integer model and the
# full-test-set agreement. Re-running continues where a killed session left off.
# Usage: experiments/run-nin-fixed.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FIXED=experiments/nin-fixed-c10

# shellcheck source=lib.sh
source experiments/lib.sh

run "$FIXED" --model nin --dataset cifar10 --epochs 15 --seed 1 --init experiments/nin-float-c10/best.lbck \
  --quant fixed:fmt=Q3.5 --lr 0.01
agree "$FIXED"

# The control for the Q6.2 CLIP-Q run (run-nin-clipq-lastq.sh): the same 5-epoch continuation with the last layer's
# class maps in Q6.2, from the fixed-point model instead of the CLIP-Q one, so that CLIP-Q's weights are compared
# with plain 8-bit fixed point at equal activation formats and budget.
LASTQ=experiments/nin-fixed-q62last-c10
run "$LASTQ" --model nin --dataset cifar10 --epochs 5 --seed 1 --init "$FIXED/best.lbck" \
  --quant "fixed:fmt=Q3.5;last=fixed:fmt=Q3.5,a=Q6.2" --lr 0.002
agree "$LASTQ"

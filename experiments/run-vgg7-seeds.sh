#!/usr/bin/env bash
# A second seed for the W3A3 rows of the VGG7 sweep (run-vgg7-sweep.sh), where LSFQ and LSQ differ by 0.29 points
# on seed 1 — about the test set's binomial standard error — so that "no worse than LSQ" is not read from one seed.
# Same budget and float model as the sweep; only --seed (initialization of the quantizers, data order) changes.
# Usage: experiments/run-vgg7-seeds.sh [LOWBIT]
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/vgg7w025-float-c10

# shellcheck source=lib.sh
source experiments/lib.sh

for method in lsfq lsq; do
  run "experiments/vgg7w025-$method-w3a3-s2-c10" --model vgg7 --width 0.25 --dataset cifar10 \
    --epochs 10 --seed 2 --lr 0.01 --init "$FLOAT/best.lbck" \
    --quant "$method:w=3,a=3;first=$method:w=8,a=8;last=$method:w=8,a=8"
  agree "experiments/vgg7w025-$method-w3a3-s2-c10"
done

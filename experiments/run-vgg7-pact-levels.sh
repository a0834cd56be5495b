#!/usr/bin/env bash
# PACT W2A2 on the VGG7 sweep's budget with DoReFa's original four 2-bit weight levels (wgrid=dorefa,
# docs/quantization.md#dorefa): the sweep's PACT W2A2 (29.78 %) and its α0 = 2 rerun (run-vgg7-pact-alpha.sh, at
# chance) both used the symmetric grid, ternary at 2 bits with its threshold at half a channel's largest weight:
# 90–99 % of those layers' weights were 0 (`lowbit size`). The PACT paper's 2-bit weights are DoReFa's
# {−1, −1/3, 1/3, 1}. Two rows: PACT's published α0 = 10, and α0 = 2; first and last layers 8-bit as in the sweep.
# Re-running continues where a killed session left off: finished runs are skipped, started ones resumed.
# Usage: experiments/run-vgg7-pact-levels.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/vgg7w025-float-c10

# shellcheck source=lib.sh
source experiments/lib.sh

for alpha in 10 2; do
  name=pact-dl; [[ "$alpha" == 10 ]] || name=pact-dl-a$alpha
  run "experiments/vgg7w025-$name-w2a2-c10" --model vgg7 --width 0.25 --dataset cifar10 --epochs 10 --seed 1 \
    --lr 0.01 --init "$FLOAT/best.lbck" \
    --quant "pact:w=2,a=2,alpha0=$alpha,wgrid=dorefa;first=pact:w=8,a=8;last=pact:w=8,a=8"
  agree "experiments/vgg7w025-$name-w2a2-c10"
done

# PACT's published weights are DoReFa's original levels at every width: the W3A3 and W4A4 rows with them, α0 = 10 as
# in the sweep, so that "LSFQ no worse than PACT" is also checked against the paper's PACT at 3 and 4 bits.
for bits in 3 4; do
  run "experiments/vgg7w025-pact-dl-w${bits}a${bits}-c10" --model vgg7 --width 0.25 --dataset cifar10 --epochs 10 \
    --seed 1 --lr 0.01 --init "$FLOAT/best.lbck" \
    --quant "pact:w=$bits,a=$bits,wgrid=dorefa;first=pact:w=8,a=8;last=pact:w=8,a=8"
  agree "experiments/vgg7w025-pact-dl-w${bits}a${bits}-c10"
done

#!/usr/bin/env bash
# Issue 7's experiment (docs/results.md#clip-q-search-vs-uniform): CLIP-Q per-layer search on NIN within the size
# of the FPGA paper's uniform setting (p = 0.2, b = 2), each evaluation fine-tuning the uniform CLIP-Q model; then
# the searched settings trained from the float NIN with the uniform run's budget (experiments/nin-clipq-c10:
# 15 epochs, lr 0.01 cosine, seed 1), so that both rows had the same training.
# Re-running continues where a killed session left off.
# Usage: experiments/run-nin-search.sh [LOWBIT]   (LOWBIT: launcher to use, default ./lowbit)
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
FLOAT=experiments/nin-float-c10/best.lbck
# evaluations start from the uniform CLIP-Q model (docs/search.md: from float, 1 epoch cannot recover)
UNIFORM=experiments/nin-clipq-c10/best.lbck
SEARCH=experiments/nin-search-c10
TUNED=experiments/nin-clipq-searched-c10

# shellcheck source=lib.sh
source experiments/lib.sh

if [[ -f "$SEARCH/result.txt" ]]; then
  echo "== $SEARCH: done"
elif [[ -f "$SEARCH/search.json" ]]; then
  echo "== $SEARCH: resuming"; "$LOWBIT" search --resume --run-dir "$SEARCH" --data-dir "$DATA" >> "$SEARCH.log" 2>&1
else
  # largest layers first: they can save bits that the small, sensitive ones may then spend
  echo "== $SEARCH: starting"
  "$LOWBIT" search --init "$UNIFORM" --run-dir "$SEARCH" --layers conv7,conv4,conv8,conv6,conv3,conv5,conv2,conv1,conv9 \
    --iterations 8 --initial-points 3 --size-budget 1.0 --lambda 1.0 --b-max 4 --train-per-class 100 \
    --val-images 2000 --epochs 1 --lr 0.01 --seed 1 --data-dir "$DATA" > "$SEARCH.log" 2>&1
fi
SPEC="$(cat "$SEARCH/result.txt")"
if [[ -f "$TUNED/summary.json" ]] && grep -q '"status" : "completed"' "$TUNED/summary.json"; then
  echo "== $TUNED: completed"
elif [[ -f "$TUNED/last.lbck" ]]; then
  echo "== $TUNED: resuming"; "$LOWBIT" train --resume --run-dir "$TUNED" --data-dir "$DATA" > "$TUNED.log" 2>&1
else
  echo "== $TUNED: starting"
  "$LOWBIT" train --model nin --dataset cifar10 --epochs 15 --seed 1 --init "$FLOAT" --quant "$SPEC" --lr 0.01 \
    --run-dir "$TUNED" --data-dir "$DATA" > "$TUNED.log" 2>&1
fi
agree "$TUNED"
"$LOWBIT" size experiments/nin-clipq-c10/model.lbq --json > experiments/nin-clipq-c10/size.json
"$LOWBIT" size "$TUNED/model.lbq" --json > "$TUNED/size.json"

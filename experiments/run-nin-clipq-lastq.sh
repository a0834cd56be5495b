#!/usr/bin/env bash
# NIN CLIP-Q (hardware variant) as in run-nin-search.sh's uniform row, but the last conv's output — the class maps
# global average pooling turns into logits — in Q6.2 instead of Q3.5 (docs/results.md, "Where CLIP-Q loses
# accuracy"): post-training, Q3.5 there alone costs 13 points. Same budget as experiments/nin-clipq-c10.
# Usage: experiments/run-nin-clipq-lastq.sh [LOWBIT]
set -euo pipefail
cd "$(dirname "$0")/.."
LOWBIT="${1:-./lowbit}"
DATA=../shared/data
LASTQ=experiments/nin-clipq-q62last-c10

source experiments/lib.sh

run "$LASTQ" --model nin --dataset cifar10 --epochs 15 --seed 1 --init experiments/nin-float-c10/best.lbck \
  --quant "clipq:p=0.2,b=2,fmt=Q3.5;last=clipq:p=0.2,b=2,fmt=Q3.5,act=Q6.2" --lr 0.01
agree "$LASTQ"

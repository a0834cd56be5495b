#!/usr/bin/env bash
# Checks PyTorch/oneDNN gradients on this host (docs/training.md, "Known problems").
#   scripts/onednn-grad-check.sh check [BATCH] [REPEATS] [SWEEP]
#       every oneDNN convolution (forward, backward data, backward weights) and the pooling of nin --width 0.0625
#       against float64, with freed memory NaN-poisoned, at each ONEDNN_MAX_CPU_ISA (ALL, AVX512_CORE, AVX2, SSE41)
#       on 1 and 2 threads with tcmalloc, and once with glibc malloc + MALLOC_PERTURB_; SWEEP=1 adds 1x1 and 3x3
#       convs of 1..24 input channels. Prints one summary line per setting; exit 1 if any op disagrees.
#   scripts/onednn-grad-check.sh locate CKPT [BATCH=100] [PER_CLASS=10] [SEED=1] [EPOCH=0]
#       one training step of that checkpoint: non-finite parameter gradients and the first block (then op) whose
#       backward turns a finite gradient into NaN (NanGradientLocator.java). Honors ONEDNN_MAX_CPU_ISA,
#       OMP_NUM_THREADS (default 1), ONEDNN_VERBOSE, LOWBIT_DATA.
# Needs the CLI built (mvn -o -q -DskipTests package, or ./lowbit once).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
T="$ROOT/lowbit-cli/target"
JAR="$(ls "$T"/lowbit-cli-*.jar 2>/dev/null | head -n 1 || true)"
[[ -n "$JAR" && -d "$T/lib" ]] || { echo "onednn-grad-check: build the CLI first (mvn -o -q -DskipTests package)" >&2; exit 2; }
CP="$JAR:$T/lib/*"
TCMALLOC=""
for lib in /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 /usr/lib/libtcmalloc_minimal.so.4; do
  [[ -f "$lib" ]] && { TCMALLOC="$lib"; break; }
done
export DJL_OFFLINE=true
run() { java -Xmx2g -Dai.djl.offline=true -cp "$CP" "$@"; }

case "${1:-check}" in
  check)
    batch=${2:-100}; repeats=${3:-2}; sweep=${4:-0}; fail=0
    grep -m1 'model name' /proc/cpuinfo; grep -m1 'cpu family' /proc/cpuinfo; grep -m1 '^model\s' /proc/cpuinfo
    for isa in ALL AVX512_CORE AVX2 SSE41; do
      for t in 1 2; do
        out=$(ONEDNN_MAX_CPU_ISA=$isa OMP_NUM_THREADS=$t LD_PRELOAD="$TCMALLOC" \
              run "$ROOT/scripts/OneDnnGradCheck.java" "$batch" "$repeats" "$sweep" 2>&1) || fail=1
        echo "ISA=$isa threads=$t tcmalloc: $(grep -E 'FAIL|agree' <<<"$out" | head -n 20)"
      done
    done
    out=$(MALLOC_PERTURB_=1 OMP_NUM_THREADS=1 run "$ROOT/scripts/OneDnnGradCheck.java" "$batch" "$repeats" "$sweep" 2>&1) \
      || fail=1
    echo "ISA=ALL threads=1 glibc MALLOC_PERTURB_=1: $(grep -E 'FAIL|agree' <<<"$out" | head -n 20)"
    exit $fail
    ;;
  locate)
    shift
    OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} LD_PRELOAD="${LD_PRELOAD-$TCMALLOC}" \
      run "$ROOT/scripts/NanGradientLocator.java" "$@"
    ;;
  *) sed -n '2,12p' "$0"; exit 2 ;;
esac

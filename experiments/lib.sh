# Shared by the experiment drivers: run DIR ARGS... starts `lowbit train ARGS` in DIR, resumes it from its last
# checkpoint, or skips it when completed. Needs LOWBIT (launcher) and DATA (dataset root).
run() {
  local dir="$1"; shift
  if [[ -f "$dir/summary.json" ]] && grep -q '"status" : "completed"' "$dir/summary.json"; then
    echo "== $dir: completed, skipped"; return
  fi
  # a run killed before its first checkpoint has only config.json: --resume starts it over from that config
  if [[ -f "$dir/last.lbck" || -f "$dir/config.json" ]]; then
    echo "== $dir: resuming"; "$LOWBIT" train --resume --run-dir "$dir" --data-dir "$DATA" > "$dir.log" 2>&1
  else
    echo "== $dir: starting"; "$LOWBIT" train "$@" --run-dir "$dir" --data-dir "$DATA" > "$dir.log" 2>&1
  fi
}

# agree DIR: exports DIR's best checkpoint to DIR/model.lbq and measures the integer engine against the fake-quant
# model on the full test set (DIR/eval-int.json: both accuracies and the prediction agreement); skips what exists.
agree() {
  local dir="$1"
  [[ -f "$dir/model.lbq" ]] || "$LOWBIT" export "$dir/best.lbck" -o "$dir/model.lbq"
  if [[ -f "$dir/eval-int.json" ]]; then
    echo "== $dir/eval-int.json: exists, skipped"
  else
    "$LOWBIT" eval --int "$dir/model.lbq" --agree-with-checkpoint "$dir/best.lbck" --data-dir "$DATA" \
      --json-out "$dir/eval-int.json"
  fi
}

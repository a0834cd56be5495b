# Shared by the experiment drivers: run DIR ARGS... starts `lowbit train ARGS` in DIR, resumes it from its last
# checkpoint, or skips it when completed. Needs LOWBIT (launcher) and DATA (dataset root).
run() {
  local dir="$1"; shift
  if [[ -f "$dir/summary.json" ]] && grep -q '"status" : "completed"' "$dir/summary.json"; then
    echo "== $dir: completed, skipped"; return
  fi
  if [[ -f "$dir/last.lbck" ]]; then
    echo "== $dir: resuming"; "$LOWBIT" train --resume --run-dir "$dir" --data-dir "$DATA" > "$dir.log" 2>&1
  else
    echo "== $dir: starting"; "$LOWBIT" train "$@" --run-dir "$dir" --data-dir "$DATA" > "$dir.log" 2>&1
  fi
}

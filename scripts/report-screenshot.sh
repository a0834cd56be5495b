#!/usr/bin/env bash
# Renders a lowbit report in headless Chromium and saves a screenshot, to check that it displays offline.
# Usage: scripts/report-screenshot.sh RUN_DIR/report.html OUT.png [WIDTH HEIGHT]
# Needs Debian's chromium (apt-get install -y chromium).
set -euo pipefail
html=$(realpath "$1")
out=$(realpath -m "$2")
width=${3:-1100}
height=${4:-2600}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "report-screenshot: chromium not found (apt-get install -y chromium)" >&2
  exit 2
fi
# --no-sandbox: CI containers run as root; the page has no scripts and no network access is needed.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$width,$height" \
  --force-device-scale-factor=0.6 --screenshot="$out" "file://$html" > /dev/null 2>&1
test -s "$out" && echo "wrote $out"

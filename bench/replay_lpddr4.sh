#!/usr/bin/env bash
# Benchmark of `hmasim replay` on LPDDR4: N (default 100000) random 64 B requests (reads, 1 in 10
# a write), all issued at cycle 0 (as fast as the controller accepts them), on
# platforms/lpddr4-3200-x16.yaml. Prints the replay JSON and transactions per wall second.
#   bench/replay_lpddr4.sh [BUILD_DIR] [N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
N="${2:-100000}"
TRACE="$(mktemp --suffix=.stl)"
trap 'rm -f "$TRACE"' EXIT
awk -v n="$N" 'BEGIN { srand(7); for (i = 0; i < n; i++) {
  a = int(rand() * 16777216) * 64; printf "0: %s 0x%x\n", (rand() < 0.1 ? "write" : "read"), a } }' >"$TRACE"
start=$(date +%s.%N)
"$BUILD/app/hmasim" replay --platform "$ROOT/platforms/lpddr4-3200-x16.yaml" --memory dram \
  --trace "$TRACE" | tee /dev/stderr | grep -q transactions
end=$(date +%s.%N)
awk -v n="$N" -v s="$start" -v e="$end" 'BEGIN { printf "replay of %d requests: %.3f s wall (process), %.0f transactions/s\n", n, e - s, n / (e - s) }'

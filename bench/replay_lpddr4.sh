#!/usr/bin/env bash
# Benchmark of `hmasim replay` on LPDDR4: N (default 1000000) random 64 B requests (2/3 reads),
# all issued at cycle 0 (as fast as the controller accepts them), on
# platforms/lpddr4-3200-x16.yaml (FR-FCFS, nb_transport) with storage: none (timing only: the
# trace carries no data). Prints the replay JSON and transactions per wall second.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: bench/replay_lpddr4.sh [-h|--help] [BUILD_DIR [N]]

Benchmark of `hmasim replay` on LPDDR4: N random 64 B requests (1 in 3 a write), all issued at
cycle 0, on platforms/lpddr4-3200-x16.yaml with storage: none; prints the replay JSON and
transactions per wall second. Does not build.

  BUILD_DIR  where hmasim was built (default: build/ in the repository)
  N          requests (default 1000000)
USAGE
}
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "replay_lpddr4.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
BUILD="${1:-$ROOT/build}"
N="${2:-1000000}"
if [[ ! -x $BUILD/app/hmasim ]]; then
  echo "replay_lpddr4.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
if [[ ! $N =~ ^[1-9][0-9]*$ ]]; then
  echo "replay_lpddr4.sh: N must be a positive integer, got '$N'" >&2
  exit 2
fi
TRACE="$(mktemp --suffix=.stl)"
trap 'rm -f "$TRACE"' EXIT
awk -v n="$N" 'BEGIN { srand(7); for (i = 0; i < n; i++) {
  a = int(rand() * 16777216) * 64; printf "0: %s 0x%x\n", (rand() < 1 / 3 ? "write" : "read"), a } }' >"$TRACE"
start=$(date +%s.%N)
"$BUILD/app/hmasim" replay --platform "$ROOT/platforms/lpddr4-3200-x16.yaml" --memory dram \
  --set memories.dram.storage=none --trace "$TRACE" | tee /dev/stderr | grep -q transactions
end=$(date +%s.%N)
awk -v n="$N" -v s="$start" -v e="$end" 'BEGIN { printf "replay of %d requests: %.3f s wall (process), %.0f transactions/s\n", n, e - s, n / (e - s) }'

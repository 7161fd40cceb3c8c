#!/usr/bin/env bash
# Benchmark of `hmasim run`: one frame of ResNet-50 on NVDLA-1024 with LPDDR4
# (platforms/nvdla1024-lpddr4.yaml), best of N runs (default 3). Prints wall time and simulated
# accelerator cycles per wall second.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: bench/run_resnet50.sh [-h|--help] [BUILD_DIR [N [PLATFORM]]]

Benchmark of `hmasim run`: one frame of ResNet-50, best of N runs; prints the wall time and
simulated accelerator cycles per wall second. Does not build.

  BUILD_DIR  where hmasim was built (default: build/ in the repository)
  N          runs (default 3)
  PLATFORM   a platform in platforms/, without .yaml (default nvdla1024-lpddr4)
USAGE
}
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "run_resnet50.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
BUILD="${1:-$ROOT/build}"
N="${2:-3}"
if [[ ! -x $BUILD/app/hmasim ]]; then
  echo "run_resnet50.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
if [[ ! $N =~ ^[1-9][0-9]*$ ]]; then
  echo "run_resnet50.sh: N must be a positive integer, got '$N'" >&2
  exit 2
fi
PLATFORM="${3:-nvdla1024-lpddr4}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
best=""
for _ in $(seq "$N"); do
  "$BUILD/app/hmasim" run --platform "$ROOT/platforms/$PLATFORM.yaml" \
    --workload "$ROOT/workloads/networks/resnet50.yaml" --out "$OUT" >/dev/null
  wall=$(awk '$1 == "\"wall_time_s\":" { gsub(",", "", $2); print $2 }' "$OUT/summary.json")
  cycles=$(awk '$1 == "\"cycles\":" { gsub(",", "", $2); print $2; exit }' "$OUT/summary.json")
  if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
done
awk -v w="$best" -v c="$cycles" -v p="$PLATFORM" 'BEGIN {
  printf "ResNet-50 on %s: %d simulated cycles, best wall %.3f s, %.1f M simulated cycles/s\n", p, c, w, c / w / 1e6 }'

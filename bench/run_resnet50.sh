#!/usr/bin/env bash
# Benchmark of `hmasim run`: one frame of ResNet-50 on NVDLA-1024 with LPDDR4
# (platforms/nvdla1024-lpddr4.yaml), best of N runs (default 3). Prints wall time and simulated
# accelerator cycles per wall second.
#   bench/run_resnet50.sh [BUILD_DIR] [N] [PLATFORM]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
N="${2:-3}"
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

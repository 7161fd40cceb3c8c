#!/usr/bin/env bash
# What fault injection costs: one frame of ResNet-50 with dense weights in MLC3 RRAM
# (platforms/maxnvm/nvdla1024-mlc-rram.yaml), faults off vs program vs read, best of N (default 3)
# wall times and their ratio to the fault-free run.
#   bench/faults_resnet50.sh [BUILD_DIR] [N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
N="${2:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
base=""
for mode in off program read; do
  best=""
  for _ in $(seq "$N"); do
    "$BUILD/app/hmasim" run --platform "$ROOT/platforms/maxnvm/nvdla1024-mlc-rram.yaml" \
      --workload "$ROOT/workloads/networks/resnet50.yaml" --out "$OUT" \
      --set memories.envm.bits_per_cell=3 --set storage.fault_mode=$mode >/dev/null
    wall=$(awk '$1 == "\"wall_time_s\":" { gsub(",", "", $2); print $2 }' "$OUT/summary.json")
    if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$wall; fi
  done
  [[ -z $base ]] && base=$best
  awk -v m="$mode" -v w="$best" -v b="$base" 'BEGIN { printf "faults %-8s best wall %.3f s  (%.2fx fault-free)\n", m, w, w / b }'
done

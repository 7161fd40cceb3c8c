#!/usr/bin/env bash
# What fault injection costs: one frame of ResNet-50 with dense weights in MLC3 RRAM
# (platforms/maxnvm/nvdla1024-mlc-rram.yaml), faults off vs program vs read, best of N (default 3)
# wall times and their ratio to the fault-free run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: bench/faults_resnet50.sh [-h|--help] [BUILD_DIR [N]]

What fault injection costs: one frame of ResNet-50 with dense weights in MLC3 RRAM
(platforms/maxnvm/nvdla1024-mlc-rram.yaml), faults off vs program vs read; prints the best of N
wall times and their ratio to the fault-free run. Does not build.

  BUILD_DIR  where hmasim was built (default: build/ in the repository)
  N          runs per mode (default 3)
USAGE
}
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "faults_resnet50.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
BUILD="${1:-$ROOT/build}"
N="${2:-3}"
if [[ ! -x $BUILD/app/hmasim ]]; then
  echo "faults_resnet50.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
if [[ ! $N =~ ^[1-9][0-9]*$ ]]; then
  echo "faults_resnet50.sh: N must be a positive integer, got '$N'" >&2
  exit 2
fi
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

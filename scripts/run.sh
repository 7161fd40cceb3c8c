#!/usr/bin/env bash
# Installs what is missing, builds hmasim (Release) and runs the main job: one frame of ResNet-50
# on NVDLA-1024 with its weights in LPDDR4 (platforms/nvdla1024-lpddr4.yaml).
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/run.sh [-h|--help]

Installs what is missing (Debian packages, as root or with sudo), builds hmasim (Release) and runs
one frame of ResNet-50 on NVDLA-1024 with its weights in LPDDR4 (platforms/nvdla1024-lpddr4.yaml).
Prints the build's progress and the headline figures; summary.json and layers.csv are written to
out/nvdla1024-lpddr4-resnet50/. scripts/memory_demo.sh replays a request trace through every
memory model instead.

environment:
  HMASIM_BUILD_DIR      build directory (default: build/ in the repository)
  HMASIM_BUILD_VERBOSE  1: show cmake's full output instead of a progress line
USAGE
}
if (($# > 0)); then
  case "$1" in
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown option '$1' (it takes none)" >&2; usage >&2; exit 2 ;;
  esac
fi

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
BUILD_DIR="${HMASIM_BUILD_DIR:-$HMASIM_ROOT/build}"
hmasim_install
hmasim_build "$BUILD_DIR" hmasim
cd "$HMASIM_ROOT"
"$BUILD_DIR/app/hmasim" run --platform platforms/nvdla1024-lpddr4.yaml \
  --workload workloads/networks/resnet50.yaml --out out/nvdla1024-lpddr4-resnet50

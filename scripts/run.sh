#!/usr/bin/env bash
# Installs what is missing, builds hmasim (Release) and runs the main job: one frame of ResNet-50
# on NVDLA-1024 with its weights in LPDDR4 (platforms/nvdla1024-lpddr4.yaml). Prints the headline
# figures; summary.json and layers.csv are in out/nvdla1024-lpddr4-resnet50/.
# (scripts/memory_demo.sh replays a request trace through every memory model.)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BUILD_DIR="${HMASIM_BUILD_DIR:-$HMASIM_ROOT/build}"
hmasim_install
hmasim_build "$BUILD_DIR" hmasim >/dev/null
cd "$HMASIM_ROOT"
"$BUILD_DIR/app/hmasim" run --platform platforms/nvdla1024-lpddr4.yaml \
  --workload workloads/networks/resnet50.yaml --out out/nvdla1024-lpddr4-resnet50

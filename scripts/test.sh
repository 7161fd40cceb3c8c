#!/usr/bin/env bash
# Installs what is missing, builds (warnings are errors), and runs the whole test suite.
# Exit status is non-zero on any failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BUILD_DIR="${HMASIM_BUILD_DIR:-$HMASIM_ROOT/build}"
hmasim_install
hmasim_build "$BUILD_DIR"
cd "$BUILD_DIR"
# Every test runs in its own process (SystemC elaborates once per process).
ctest --output-on-failure -j "$(nproc)" --timeout 600

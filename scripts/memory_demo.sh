#!/usr/bin/env bash
# The memory demo: installs what is missing, builds hmasim (Release), replays the documented
# request trace platforms/traces/demo.stl through every memory of platforms/memory-demo.yaml
# (LPDDR4 DRAM, SRAM, MLC RRAM, MLC CTT, ideal) and prints a table of latency, bandwidth and
# energy. Each memory's full statistics are written as JSON to out/memory-demo/<memory>.json.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: scripts/memory_demo.sh [-h|--help]

Installs what is missing, builds hmasim (Release), replays platforms/traces/demo.stl through every
memory of platforms/memory-demo.yaml and prints a table of latency, bandwidth and energy. Each
memory's statistics are written as JSON to out/memory-demo/<memory>.json.

environment:
  HMASIM_BUILD_DIR      build directory (default: build/ in the repository)
  HMASIM_BUILD_VERBOSE  1: show cmake's full output instead of a progress line
USAGE
}
if (($# > 0)); then
  case "$1" in
    -h | --help) usage; exit 0 ;;
    *) echo "memory_demo.sh: unknown option '$1' (it takes none)" >&2; usage >&2; exit 2 ;;
  esac
fi

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BUILD_DIR="${HMASIM_BUILD_DIR:-$HMASIM_ROOT/build}"
PLATFORM="$HMASIM_ROOT/platforms/memory-demo.yaml"
TRACE="$HMASIM_ROOT/platforms/traces/demo.stl"
OUT="$HMASIM_ROOT/out/memory-demo"

hmasim_install
hmasim_build "$BUILD_DIR" hmasim
HMASIM="$BUILD_DIR/app/hmasim"

"$HMASIM" check "$PLATFORM"
mkdir -p "$OUT"

# Reads a number from hmasim's JSON (one "key": value per line).
json_value() { awk -v k="\"$2\":" '$1 == k { gsub(",", "", $2); print $2; exit }' "$1"; }
json_energy_total() { awk '/"energy_j"/ { inside = 1 } inside && $1 == "\"total\":" { gsub(",", "", $2); print $2; exit }' "$1"; }

printf '\n%-8s %-7s %8s %12s %14s %12s %12s %10s\n' memory model requests "end [us]" "bandwidth[GB/s]" \
  "latency[ns]" "energy[nJ]" "power[mW]"
for memory in $(awk '/^memories:/ { m = 1; next } m && /^  [A-Za-z_][A-Za-z0-9_]*:/ { sub(":", "", $1); print $1; next } m && /^[^ #]/ { m = 0 }' "$PLATFORM"); do
  json="$OUT/$memory.json"
  "$HMASIM" replay --platform "$PLATFORM" --memory "$memory" --trace "$TRACE" >"$json.tmp"
  mv "$json.tmp" "$json"
  awk -v m="$memory" -v model="$(json_value "$json" model | tr -d '"')" \
    -v n="$(json_value "$json" transactions)" -v t="$(json_value "$json" end_time_s)" \
    -v bw="$(json_value "$json" bandwidth_bytes_per_s)" -v lat="$(json_value "$json" mean_latency_s)" \
    -v e="$(json_energy_total "$json")" -v p="$(json_value "$json" avg_power_w)" \
    'BEGIN { printf "%-8s %-7s %8d %12.3f %14.3f %12.1f %12.2f %10.2f\n", m, model, n, t * 1e6, bw / 1e9, lat * 1e9, e * 1e9, p * 1e3 }'
done
echo
echo "hmasim: results in $OUT/ (one JSON per memory); trace: $TRACE"

#!/usr/bin/env bash
# Benchmark of tracing: one frame of ResNet-50 on NVDLA-1024 with LPDDR4, best of N runs, with
# traces off, with every trace at tile detail and with every trace at burst detail. Prints the
# wall time of the simulation proper (summary.json wall_time_simulation_s), the whole command's,
# and the size of each trace file.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: bench/traces_resnet50.sh [-h|--help] [BUILD_DIR [N]]

Simulation and command wall time of one ResNet-50 frame on NVDLA-1024 (best of N runs, default
3) with traces off, --trace all, and --trace all --trace-detail burst; then each trace file's
size. Does not build.

  BUILD_DIR  where hmasim was built (default: build/ in the repository)
  N          runs per setting (default 3)
USAGE
}
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "traces_resnet50.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
BUILD="${1:-$ROOT/build}"
N="${2:-3}"
if [[ ! -x $BUILD/app/hmasim ]]; then
  echo "traces_resnet50.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
if [[ ! $N =~ ^[1-9][0-9]*$ ]]; then
  echo "traces_resnet50.sh: N must be a positive integer, got '$N'" >&2
  exit 2
fi
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

value() { awk -v k="\"$1\":" '$1 == k { gsub(",", "", $2); print $2; exit }' "$2"; }
for setting in "off|" "tile|--trace all" "burst|--trace all --trace-detail burst"; do
  name="${setting%%|*}"
  args="${setting#*|}"
  best_sim="" best_wall=""
  for _ in $(seq "$N"); do
    # shellcheck disable=SC2086
    "$BUILD/app/hmasim" run --platform "$ROOT/platforms/nvdla1024-lpddr4.yaml" \
      --workload "$ROOT/workloads/networks/resnet50.yaml" --out "$OUT/$name" $args \
      >/dev/null 2>&1
    sim=$(value wall_time_simulation_s "$OUT/$name/summary.json")
    wall=$(value wall_time_s "$OUT/$name/summary.json")
    if [[ -z $best_sim ]] || awk -v a="$sim" -v b="$best_sim" 'BEGIN { exit !(a < b) }'; then
      best_sim=$sim
    fi
    if [[ -z $best_wall ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall
    fi
  done
  printf 'traces %-5s: simulation %.3f s, command %.3f s\n' "$name" "$best_sim" "$best_wall"
  for f in waves.vcd power.csv bandwidth.csv timeline.json endurance.csv; do
    [[ -f $OUT/$name/$f ]] || continue
    printf '    %-14s %10.1f MB\n' "$f" "$(stat -c %s "$OUT/$name/$f" | awk '{ print $1 / 1e6 }')"
  done
done

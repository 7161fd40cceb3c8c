#!/usr/bin/env bash
# Benchmark of `hmasim sweep`: POINTS one-frame runs of a network on NVDLA-64 (a seed axis, so
# every point generates its own weights), run three ways: a plain shell loop of `hmasim run`
# (the runs themselves), `hmasim sweep -j 1` and `hmasim sweep -j 2`. Prints the wall times, the
# sweep's overhead per point beyond the runs (wall time against the loop and against the sum of
# the points' own process times; CPU time of the sweep process against its points') and the
# speed-up of -j 2 (all without the weight cache); then a sweep whose points share weights (each
# seed with two DRAM page policies) at -j 2 without and with the weight cache. Wall times need a
# quiet machine; the CPU figures much less so.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: bench/sweep_speed.sh [-h|--help] [BUILD_DIR [NETWORK [POINTS [PLATFORM]]]]

Benchmark of `hmasim sweep` against a shell loop of `hmasim run` over the same points: wall time
of the loop, of the sweep with -j 1 and -j 2, the sweep's overhead per point and the -j 2
speed-up; then a sweep whose points share weights, without and with the weight cache. Does not
build.

  BUILD_DIR  where hmasim was built (default: build/ in the repository)
  NETWORK    a network in workloads/networks/, without .yaml (default lenet5)
  POINTS     points (seeds 1..POINTS; default 100)
  PLATFORM   a platform in platforms/, without .yaml (default nvdla64-lpddr4)
USAGE
}
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "sweep_speed.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
BUILD="${1:-$ROOT/build}"
NETWORK="${2:-lenet5}"
POINTS="${3:-100}"
PLATFORM="${4:-nvdla64-lpddr4}"
HMASIM="$BUILD/app/hmasim"
if [[ ! -x $HMASIM ]]; then
  echo "sweep_speed.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
if [[ ! $POINTS =~ ^[1-9][0-9]*$ ]]; then
  echo "sweep_speed.sh: POINTS must be a positive integer, got '$POINTS'" >&2
  exit 2
fi
for f in "workloads/networks/$NETWORK.yaml" "platforms/$PLATFORM.yaml"; do
  [[ -f $ROOT/$f ]] || { echo "sweep_speed.sh: no $f" >&2; exit 2; }
done
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
cat >"$OUT/sweep.yaml" <<YAML
sweep: bench-$NETWORK
platform: $ROOT/platforms/$PLATFORM.yaml
workload: $ROOT/workloads/networks/$NETWORK.yaml
axes:
  - {key: seed, range: {from: 1, to: $POINTS}}
YAML
now() { date +%s.%N; }

start=$(now)
for seed in $(seq "$POINTS"); do
  "$HMASIM" run --platform "$ROOT/platforms/$PLATFORM.yaml" \
    --workload "$ROOT/workloads/networks/$NETWORK.yaml" --seed "$seed" \
    --out "$OUT/loop/seed$seed" >/dev/null 2>&1
done
loop=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')

start=$(now)
"$HMASIM" sweep "$OUT/sweep.yaml" --out "$OUT/j1" -j 1 --no-weight-cache >"$OUT/j1.txt" 2>/dev/null
j1=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
start=$(now)
"$HMASIM" sweep "$OUT/sweep.yaml" --out "$OUT/j2" -j 2 --no-weight-cache >"$OUT/j2.txt" 2>/dev/null
j2=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
# The weight cache where points share weights: half the seeds, each with both page policies.
cat >"$OUT/shared.yaml" <<YAML
sweep: bench-$NETWORK-shared
platform: $ROOT/platforms/$PLATFORM.yaml
workload: $ROOT/workloads/networks/$NETWORK.yaml
axes:
  - {key: seed, range: {from: 1, to: $(((POINTS + 1) / 2))}}
  - {key: memories.dram.page_policy, values: [open, closed]}
YAML
start=$(now)
"$HMASIM" sweep "$OUT/shared.yaml" --out "$OUT/nocache" -j 2 --no-weight-cache >/dev/null 2>&1
nocache=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
start=$(now)
"$HMASIM" sweep "$OUT/shared.yaml" --out "$OUT/cache" -j 2 >/dev/null 2>&1
cache=$(awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }')
# "(CPU: X s in the points, Y s in the sweep itself)": the sweep's own work, which other load on
# the machine does not inflate as it does wall times.
cpu_points=$(sed -n 's/.*(CPU: \([0-9.]*\) s in the points.*/\1/p' "$OUT/j1.txt")
cpu_self=$(sed -n 's/.*points, \([0-9.]*\) s in the sweep itself.*/\1/p' "$OUT/j1.txt")

# The points' own process times, as the sweep measured them (column sweep_wall_time_s).
points_sum() {
  awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "sweep_wall_time_s") c = i; next }
           { s += $c } END { print s }' "$1/results.csv"
}
sum1=$(points_sum "$OUT/j1")
ok=$(grep -c ',ok,' "$OUT/j2/results.csv" || true)
awk -v n="$POINTS" -v net="$NETWORK" -v p="$PLATFORM" -v loop="$loop" -v j1="$j1" -v j2="$j2" \
  -v sum1="$sum1" -v ok="$ok" -v cp="$cpu_points" -v cs="$cpu_self" -v nc="$nocache" \
  -v wc="$cache" 'BEGIN {
  printf "%d points of %s on %s (%d ok)\n", n, net, p, ok
  printf "  shell loop of hmasim run : %8.2f s  (%.3f s per point)\n", loop, loop / n
  printf "  hmasim sweep -j 1        : %8.2f s  (overhead vs loop %+.1f%%, %+.1f ms per point)\n",
         j1, (j1 / loop - 1) * 100, (j1 - loop) / n * 1e3
  printf "    beyond its points      : %8.2f s of process time: %+.1f%%, %+.1f ms per point\n",
         sum1, (j1 / sum1 - 1) * 100, (j1 - sum1) / n * 1e3
  printf "    CPU                    : %8.2f s in the points, %.2f s in the sweep itself (%.1f%%, %.2f ms per point)\n",
         cp, cs, cs / cp * 100, cs / n * 1e3
  printf "  hmasim sweep -j 2        : %8.2f s  (speed-up over -j 1: %.2fx)\n", j2, j1 / j2
  printf "  seeds x 2 page policies, -j 2: %.2f s without the weight cache, %.2f s with it (%.2fx)\n",
         nc, wc, nc / wc
}'

#!/usr/bin/env bash
# Benchmark of the weight cache: one frame of ResNet-50 on a MaxNVM platform (default
# maxnvm/nvdla1024-mlc-rram: bitmask + IdxSync, cluster indices, program-time faults), best of N
# runs each way: without the cache, with a cold cache (emptied before every run) and with a warm
# one; optionally a baseline hmasim (e.g. one built before the batched generator) without cache.
# Prints wall time, CPU time (user + sys) and the setup share of the wall time:
# (wall_time_s - wall_time_simulation_s) / wall_time_s of summary.json, which is weight
# generation, encoding, placement and programming, plus config parsing and report writing.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: bench/weight_cache_resnet50.sh [-h|--help] [--baseline HMASIM] [BUILD_DIR [N [PLATFORM]]]

One frame of ResNet-50, best of N runs (default 5) each: no cache, cold cache, warm cache.
Prints wall time, CPU time and the setup share of the wall time. Does not build.

  --baseline HMASIM  also time this hmasim binary without cache (e.g. an older build)
  BUILD_DIR          where hmasim was built (default: build/ in the repository)
  N                  runs per way (default 5)
  PLATFORM           a platform in platforms/, without .yaml (default maxnvm/nvdla1024-mlc-rram)
USAGE
}
BASELINE=""
positional=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --baseline)
      [[ $# -ge 2 ]] || { echo "weight_cache_resnet50.sh: --baseline needs a path" >&2; exit 2; }
      BASELINE="$2"; shift 2 ;;
    -*) echo "weight_cache_resnet50.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) positional+=("$1"); shift ;;
  esac
done
BUILD="${positional[0]:-$ROOT/build}"
N="${positional[1]:-5}"
PLATFORM="${positional[2]:-maxnvm/nvdla1024-mlc-rram}"
HMASIM="$BUILD/app/hmasim"
if [[ ! -x $HMASIM ]]; then
  echo "weight_cache_resnet50.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
if [[ -n $BASELINE && ! -x $BASELINE ]]; then
  echo "weight_cache_resnet50.sh: --baseline '$BASELINE' is not an executable" >&2
  exit 2
fi
if [[ ! $N =~ ^[1-9][0-9]*$ ]]; then
  echo "weight_cache_resnet50.sh: N must be a positive integer, got '$N'" >&2
  exit 2
fi
if [[ ! -f $ROOT/platforms/$PLATFORM.yaml ]]; then
  echo "weight_cache_resnet50.sh: no platform '$ROOT/platforms/$PLATFORM.yaml'" >&2
  exit 2
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

json() { awk -v k="\"$1\":" '$1 == k { gsub(",", "", $2); print $2; exit }' "$2"; }

# One way, N times: "best wall, best CPU, setup share of the best-wall run".
measure() {
  local label="$1" binary="$2" mode="$3"
  local best_wall="" best_cpu="" share=""
  for i in $(seq "$N"); do
    local args=()
    case "$mode" in
      cold) rm -rf "$TMP/cache"; args=(--weight-cache "$TMP/cache") ;;
      warm) args=(--weight-cache "$TMP/cache") ;;
    esac
    rm -rf "$TMP/out"
    /usr/bin/time -f "%U %S" -o "$TMP/time" "$binary" run --platform "$ROOT/platforms/$PLATFORM.yaml" \
      --workload "$ROOT/workloads/networks/resnet50.yaml" --out "$TMP/out" "${args[@]}" \
      >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; exit 1; }
    local wall sim cpu
    wall=$(json wall_time_s "$TMP/out/summary.json")
    sim=$(json wall_time_simulation_s "$TMP/out/summary.json")
    cpu=$(awk '{ print $1 + $2 }' "$TMP/time")
    if [[ -z $best_wall ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall
      share=$(awk -v w="$wall" -v s="$sim" 'BEGIN { printf "%.0f", 100 * (w - s) / w }')
    fi
    if [[ -z $best_cpu ]] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
      best_cpu=$cpu
    fi
  done
  printf "%-28s wall %6.3f s   cpu %6.2f s   setup %3s%% of wall\n" "$label" "$best_wall" \
    "$best_cpu" "$share"
}

echo "ResNet-50, one frame, on $PLATFORM: best of $N"
if [[ -n $BASELINE ]]; then measure "baseline, no cache" "$BASELINE" none; fi
measure "no cache" "$HMASIM" none
measure "cold cache" "$HMASIM" cold
rm -rf "$TMP/cache"
"$HMASIM" run --platform "$ROOT/platforms/$PLATFORM.yaml" \
  --workload "$ROOT/workloads/networks/resnet50.yaml" --out "$TMP/out" \
  --weight-cache "$TMP/cache" >/dev/null 2>&1
measure "warm cache" "$HMASIM" warm
echo "cache: $(du -sh "$TMP/cache" | cut -f1) in $(find "$TMP/cache" -type f | wc -l) files"

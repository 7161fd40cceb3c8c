#!/usr/bin/env bash
# Speed of `hmasim replay` (issue 11's target: >= 1.5 M transactions per wall second): N (default
# 1000000) random 64 B requests, 2/3 reads, all at cycle 0, on platforms/lpddr4-3200-x16.yaml
# (FR-FCFS, nb_transport), with the platform's storage (sparse) and with storage: none. Prints
# wall and CPU (user + sys) seconds and transactions per second of each, best of R runs (wall
# time on a shared machine is mostly other processes' load: the CPU figure is the steadier one).
# With --baseline BIN it times BIN the same way and checks that both give byte-identical replay
# JSON (wall_time_s aside): a speed-up must not change a result.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: bench/replay_speed.sh [-h|--help] [--baseline BIN] [--runs R] [BUILD_DIR [N]]

Times `hmasim replay` of N random 64 B requests (2/3 reads, all at cycle 0) on
platforms/lpddr4-3200-x16.yaml, with sparse storage and with storage: none; best of R runs
(default 3). Does not build (use a Release build).

  --baseline BIN  also time this hmasim binary and check its outputs are identical
  --runs R        runs per configuration (default 3)
  BUILD_DIR       where hmasim was built (default: build/ in the repository)
  N               requests (default 1000000)
USAGE
}
BASELINE=""
RUNS=3
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --baseline) BASELINE="${2:-}"; shift 2 ;;
    --runs) RUNS="${2:-}"; shift 2 ;;
    -*) echo "replay_speed.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
BUILD="${ARGS[0]:-$ROOT/build}"
N="${ARGS[1]:-1000000}"
HMASIM="$BUILD/app/hmasim"
if [[ ! -x $HMASIM ]]; then
  echo "replay_speed.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
if [[ -n $BASELINE && ! -x $BASELINE ]]; then
  echo "replay_speed.sh: --baseline '$BASELINE' is not an executable" >&2
  exit 2
fi
if [[ ! $N =~ ^[1-9][0-9]*$ ]]; then
  echo "replay_speed.sh: N must be a positive integer, got '$N'" >&2
  exit 2
fi
if [[ ! $RUNS =~ ^[1-9][0-9]*$ ]]; then
  echo "replay_speed.sh: --runs must be a positive integer, got '$RUNS'" >&2
  exit 2
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
TRACE="$WORK/random.stl"
awk -v n="$N" 'BEGIN { srand(7); for (i = 0; i < n; i++) {
  a = int(rand() * 16777216) * 64; printf "0: %s 0x%x\n", (rand() < 1 / 3 ? "write" : "read"), a } }' >"$TRACE"
PLATFORM="$ROOT/platforms/lpddr4-3200-x16.yaml"

# time_replay LABEL BIN STORAGE_ARGS...: best wall and CPU seconds of RUNS runs; the JSON of the
# last run goes to $WORK/LABEL.json.
time_replay() {
  local label="$1" bin="$2"
  shift 2
  local best_wall="" best_cpu="" t wall cpu
  for ((r = 0; r < RUNS; r++)); do
    t="$( { TIMEFORMAT='%R %U %S'; time "$bin" replay --platform "$PLATFORM" --memory dram \
      --trace "$TRACE" "$@" >"$WORK/$label.json"; } 2>&1)"
    wall="$(awk '{ print $1 }' <<<"$t")"
    cpu="$(awk '{ print $2 + $3 }' <<<"$t")"
    if [[ -z $best_wall ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall="$wall"
    fi
    if [[ -z $best_cpu ]] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
      best_cpu="$cpu"
    fi
  done
  awk -v l="$label" -v n="$N" -v w="$best_wall" -v c="$best_cpu" 'BEGIN {
    printf "%-16s %8.3f s wall %10.0f tx/s   %8.3f s cpu %10.0f tx/s\n", l, w, n / w, c, n / c }'
}

echo "replay of $N random 64 B requests (2/3 reads), best of $RUNS, load: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for storage in sparse none; do
  set_args=()
  [[ $storage == none ]] && set_args=(--set memories.dram.storage=none)
  time_replay "new-$storage" "$HMASIM" "${set_args[@]}"
  if [[ -n $BASELINE ]]; then
    time_replay "baseline-$storage" "$BASELINE" "${set_args[@]}"
    if cmp -s <(grep -v wall_time_s "$WORK/new-$storage.json") \
      <(grep -v wall_time_s "$WORK/baseline-$storage.json"); then
      echo "  outputs identical ($storage)"
    else
      echo "  OUTPUTS DIFFER ($storage):" >&2
      diff <(grep -v wall_time_s "$WORK/baseline-$storage.json") \
        <(grep -v wall_time_s "$WORK/new-$storage.json") >&2 || true
      status=1
    fi
  fi
done
exit $status

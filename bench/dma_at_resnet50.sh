#!/usr/bin/env bash
# Speed and results of the DMA's AT path (issue 11: accelerator runs lose at most 15% speed):
# `hmasim run` of one ResNet-50 frame on platforms/nvdla1024-lpddr4.yaml (in-order LPDDR4,
# blocking DMA) and on platforms/nvdla1024-lpddr4-frfcfs.yaml (FR-FCFS controller, DMA over TLM-2.0
# AT), R runs of each, interleaved. Prints per platform the median wall and CPU (user + sys)
# seconds, simulated cycles, fps and mJ/frame, then the wall and CPU ratio of the two.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: bench/dma_at_resnet50.sh [-h|--help] [--runs R] [--check-timing] [BUILD_DIR]

Times `hmasim run` of one ResNet-50 frame on nvdla1024-lpddr4 (in-order LPDDR4, blocking DMA)
and nvdla1024-lpddr4-frfcfs (FR-FCFS, DMA over TLM-2.0 AT), R runs each (default 3),
interleaved; prints median wall and CPU seconds, cycles, fps and mJ/frame, and the ratios.
Does not build (use a Release build).

  --runs R        runs per platform (default 3)
  --check-timing  run with the independent LPDDR4 timing checker on (slower)
  BUILD_DIR       where hmasim was built (default: build/ in the repository)
USAGE
}
RUNS=3
CHECK=()
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help) usage; exit 0 ;;
    --runs) RUNS="${2:-}"; shift 2 ;;
    --check-timing) CHECK=(--check-timing); shift ;;
    -*) echo "dma_at_resnet50.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
BUILD="${ARGS[0]:-$ROOT/build}"
HMASIM="$BUILD/app/hmasim"
if [[ ! -x $HMASIM ]]; then
  echo "dma_at_resnet50.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
if [[ ! $RUNS =~ ^[1-9][0-9]*$ ]]; then
  echo "dma_at_resnet50.sh: --runs must be a positive integer, got '$RUNS'" >&2
  exit 2
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PLATFORMS=(nvdla1024-lpddr4 nvdla1024-lpddr4-frfcfs)

# One run: appends "wall cpu" to $WORK/<platform>.times and keeps the summary.
run_once() {
  local p="$1" t
  t="$( { TIMEFORMAT='%R %U %S'; time "$HMASIM" run --platform "$ROOT/platforms/$p.yaml" \
    --workload "$ROOT/workloads/networks/resnet50.yaml" --out "$WORK/$p" "${CHECK[@]}" \
    >/dev/null; } 2>&1)"
  # hmasim's notes on stderr come first; the last line is `time`'s.
  tail -n 1 <<<"$t" | awk '{ print $1, $2 + $3 }' >>"$WORK/$p.times"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
json() { awk -v k="\"$2\":" '$1 == k { gsub(",", "", $2); print $2; exit }' "$WORK/$1/summary.json"; }

echo "ResNet-50, one frame, median of $RUNS, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < RUNS; r++)); do
  for p in "${PLATFORMS[@]}"; do run_once "$p"; done
done
for p in "${PLATFORMS[@]}"; do
  wall="$(awk '{ print $1 }' "$WORK/$p.times" | median)"
  cpu="$(awk '{ print $2 }' "$WORK/$p.times" | median)"
  echo "$wall $cpu" >"$WORK/$p.median"
  awk -v p="$p" -v w="$wall" -v c="$cpu" -v cy="$(json "$p" cycles)" -v f="$(json "$p" fps_max)" \
    -v e="$(json "$p" energy_per_frame_j)" 'BEGIN {
    printf "%-26s %7.3f s wall %7.3f s cpu  %9d cycles  %7.2f fps  %6.3f mJ/frame\n", p, w, c, cy, f, e * 1e3 }'
done
read -r w0 c0 <"$WORK/${PLATFORMS[0]}.median"
read -r w1 c1 <"$WORK/${PLATFORMS[1]}.median"
awk -v w0="$w0" -v c0="$c0" -v w1="$w1" -v c1="$c1" 'BEGIN {
  printf "AT / blocking: wall x%.3f, cpu x%.3f (issue 11 allows x1.15)\n", w1 / w0, c1 / c0 }'

#!/usr/bin/env bash
# The MaxNVM Fig. 5 / Fig. 6 experiment with hmasim: for each network, eNVM technology, encoding,
# protection and bits per cell, the cells the weights need and the fraction of weights that reach
# the datapath corrupted or misplaced, from `hmasim run` with program-time faults (one fault map,
# seed 1). Prints a markdown table per network and technology.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() {
  cat <<'USAGE'
usage: scripts/maxnvm_sweep.sh [-h|--help] [BUILD_DIR [NETWORK...]]

The MaxNVM Fig. 5 / Fig. 6 sweep: for each network, on MLC CTT and MLC RRAM
(platforms/maxnvm/nvdla1024-mlc-*.yaml), every encoding x protection x bits per cell with
program-time faults; prints a markdown table of cells, level faults and the fractions of weights
corrupted and misplaced. Does not build: run scripts/run.sh or scripts/test.sh first.

  BUILD_DIR  where hmasim was built (default: build/ in the repository)
  NETWORK    names in workloads/networks/ (default: lenet5 resnet50)
USAGE
}
for arg in "$@"; do
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    -*) echo "maxnvm_sweep.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done
BUILD="${1:-$ROOT/build}"
shift || true
NETWORKS=(lenet5 resnet50)
[[ $# -gt 0 ]] && NETWORKS=("$@")
HMASIM="$BUILD/app/hmasim"
if [[ ! -x $HMASIM ]]; then
  echo "maxnvm_sweep.sh: no hmasim in '$BUILD' (build it first, e.g. scripts/run.sh)" >&2
  exit 2
fi
for net in "${NETWORKS[@]}"; do
  if [[ ! -f $ROOT/workloads/networks/$net.yaml ]]; then
    echo "maxnvm_sweep.sh: no network '$net' in workloads/networks/" >&2
    exit 2
  fi
done
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# A number from the faults block of a summary.json.
fault() { awk -v k="\"$2\":" '/"faults"/ { f = 1 } f && $1 == k { gsub(",", "", $2); print $2; exit }' "$1"; }

for net in "${NETWORKS[@]}"; do
  for tech in mlc-ctt mlc-rram; do
    echo
    echo "#### $net, ${tech^^} (platforms/maxnvm/nvdla1024-$tech.yaml)"
    echo
    echo "| encoding | protection | bits/cell (values, metadata) | cells | level faults | corrupted | misplaced |"
    echo "|---|---|---|---:|---:|---:|---:|"
    for config in "dense none" "cluster none" "bitmask none" "bitmask idxsync" "bitmask ecc" "csr none" "csr ecc"; do
      set -- $config
      for bits in "1 1" "2 2" "3 3" "3 1"; do
        read -r vb mb <<<"$bits"
        # Metadata bits only mean something for the sparse encodings.
        if [[ ($1 == dense || $1 == cluster) && $vb != "$mb" ]]; then continue; fi
        "$HMASIM" run --platform "$ROOT/platforms/maxnvm/nvdla1024-$tech.yaml" \
          --workload "$ROOT/workloads/networks/$net.yaml" --out "$OUT/run" \
          --set memories.envm.bits_per_cell=3 --set memories.envm.faults.seed=1 \
          --set storage.fault_mode=program \
          --set storage.encoding="$1" --set storage.protection="$2" \
          --set storage.bits_per_cell.values="$vb" --set storage.bits_per_cell.metadata="$mb" \
          >/dev/null 2>"$OUT/stderr" || { cat "$OUT/stderr" >&2; exit 1; }
        grep '^note: ' "$OUT/stderr" >>"$OUT/notes" || true
        s="$OUT/run/summary.json"
        total=$(fault "$s" weights_total)
        awk -v e="$1" -v p="$2" -v vb="$vb" -v mb="$mb" -v cells="$(fault "$s" cells)" \
          -v lf="$(fault "$s" level_faults)" -v c="$(fault "$s" weights_corrupted)" \
          -v m="$(fault "$s" weights_misaligned)" -v t="$total" \
          'BEGIN { printf "| %s | %s | %s, %s | %d | %d | %.2e | %.2e |\n", e, p, vb, mb, cells, lf, c / t, m / t }'
      done
    done
  done
done
# hmasim's notes (a link capping a memory), once each rather than once per run.
if [[ -s $OUT/notes ]]; then sort -u "$OUT/notes" >&2; fi

#!/usr/bin/env bash
# The MaxNVM Fig. 5 / Fig. 6 experiment with hmasim: for each network, eNVM technology, encoding,
# protection and bits per cell, the cells the weights need and the fraction of weights that reach
# the datapath corrupted or misplaced, from `hmasim run` with program-time faults (one fault map,
# seed 1). Prints a markdown table per network and technology.
#   scripts/maxnvm_sweep.sh [BUILD_DIR] [NETWORK...]     (default: lenet5 resnet50)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${1:-$ROOT/build}"
shift || true
NETWORKS=("${@:-lenet5 resnet50}")
[[ $# -eq 0 ]] && NETWORKS=(lenet5 resnet50)
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
        "$BUILD/app/hmasim" run --platform "$ROOT/platforms/maxnvm/nvdla1024-$tech.yaml" \
          --workload "$ROOT/workloads/networks/$net.yaml" --out "$OUT" \
          --set memories.envm.bits_per_cell=3 --set storage.fault_mode=program \
          --set storage.encoding="$1" --set storage.protection="$2" \
          --set storage.bits_per_cell.values="$vb" --set storage.bits_per_cell.metadata="$mb" >/dev/null
        s="$OUT/summary.json"
        total=$(fault "$s" weights_total)
        awk -v e="$1" -v p="$2" -v vb="$vb" -v mb="$mb" -v cells="$(fault "$s" cells)" \
          -v lf="$(fault "$s" level_faults)" -v c="$(fault "$s" weights_corrupted)" \
          -v m="$(fault "$s" weights_misaligned)" -v t="$total" \
          'BEGIN { printf "| %s | %s | %s, %s | %d | %d | %.2e | %.2e |\n", e, p, vb, mb, cells, lf, c / t, m / t }'
      done
    done
  done
done

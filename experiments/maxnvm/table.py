#!/usr/bin/python3
"""The tables of docs/maxnvm-experiment.md from the MaxNVM sweep's results.csv.

  experiments/maxnvm/table.py SWEEP_DIR > results.md

SWEEP_DIR is the --out of `hmasim sweep experiments/maxnvm/maxnvm.yaml`. Prints one markdown
table per network and technology, in the sweep's point order: cells, level faults, and the
fractions of weights corrupted and misplaced. Exit status 2 if the table is missing or a point
failed (its error is printed).
"""

import argparse
import csv
import os
import sys


def main():
    parser = argparse.ArgumentParser(
        description="Markdown tables of the MaxNVM sweep (docs/maxnvm-experiment.md).",
        usage="experiments/maxnvm/table.py SWEEP_DIR")
    parser.add_argument("sweep_dir")
    args = parser.parse_args()
    path = os.path.join(args.sweep_dir, "results.csv")
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        print(f"table.py: {path}: {e.strerror}", file=sys.stderr)
        return 2
    failed = [r for r in rows if r["status"] != "ok"]
    for r in failed:
        print(f"table.py: point {r['point']} failed: {r['error']}", file=sys.stderr)
    if failed or not rows:
        return 2
    current = None
    for r in rows:
        # The file axes' columns hold paths; with one file per axis the summary's names remain.
        network = os.path.splitext(os.path.basename(r["workload"]))[0]
        platform = os.path.splitext(os.path.basename(r["platform"]))[0] + ".yaml"
        tech = platform[: -len(".yaml")].replace("nvdla1024-", "").upper()
        if (network, tech) != current:
            current = (network, tech)
            print()
            print(f"#### {network}, {tech} (platforms/maxnvm/{platform})")
            print()
            print("| encoding | protection | bits/cell (values, metadata) | cells | level faults "
                  "| corrupted | misplaced |")
            print("|---|---|---|---:|---:|---:|---:|")
        total = float(r["faults.envm.weights_total"])
        print(f"| {r['storage.encoding']} | {r['storage.protection']} | "
              f"{r['storage.bits_per_cell.values']}, {r['storage.bits_per_cell.metadata']} | "
              f"{int(r['faults.envm.cells'])} | {int(r['faults.envm.level_faults'])} | "
              f"{float(r['faults.envm.weights_corrupted']) / total:.2e} | "
              f"{float(r['faults.envm.weights_misaligned']) / total:.2e} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""HMA (Fu, Avaliani, Donato: heterogeneous memory for DNN task adaptation) from simulation
(docs/hma-experiment.md): adapter-ALBERT vs vanilla ALBERT for 3-task multi-task inference
(MNLI, MRPC, QNLI per input, experiments/hma/schedule.yaml) on an SRAM + RRAM system powered off
between inputs (platforms/hma/). Vanilla ALBERT replaces its whole fine-tuned transformer layer
and classifier at every task switch (its linear and layer-norm parameters are task-specific);
adapter-ALBERT replaces only its adapters, task layer norms and classifier.

  experiments/hma/run.py [--hmasim BIN] [--out DIR] [--jobs N] [--csv DIR] > results.md

Every figure comes from a run's summary.json; the abstract's ratios (experiments/hma/paper.csv)
are printed beside ours for comparison only. --csv DIR writes DIR/runs.csv and DIR/cells.csv
(experiments/reproduce.py).
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hmasim_runs import ROOT, arguments, paper_values, run_many, write_csv_outputs  # noqa: E402

MODELS = {
    "vanilla-albert": ("albert-base.yaml", ["workload.defaults.linear.shared=false",
                                            "workload.defaults.layernorm.shared=false"]),
    "adapter-albert": ("adapter-albert.yaml", []),
}
PAPER = paper_values(__file__)  # vanilla / adapter, HMA abstract


def point(model, out):
    network, sets = MODELS[model]
    return {"name": model, "platform": f"hma/{model}.yaml", "workload": network,
            "out": os.path.join(out, model), "sets": sets,
            "options": ["--schedule", os.path.join(ROOT, "experiments/hma/schedule.yaml")]}


def main():
    args = arguments(__doc__, "hma", reproduction=True)
    start = time.monotonic()
    s = run_many(args.hmasim, [point(m, args.out) for m in MODELS], args.jobs)
    print("| model | RRAM footprint [MB] | SRAM footprint, one task [MB] | area [mm^2] | "
          "energy / input [mJ] | latency / input [ms] | switch time / input [ms] | "
          "switch bytes / input [MB] | power at 10 inputs/s [mW] |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for m, r in s.items():
        rram = r["memories"]["rram"]["weight_bytes"]
        slot = max(t["switch_bytes"] / max(t["switches"], 1) for t in r["tasks"].values())
        sw = r["task_switches"]
        print(f"| {m} | {rram / 1e6:.2f} | {slot / 1e6:.3f} | {r['area_mm2']:.2f} | "
              f"{r['energy_per_frame_j'] * 1e3:.2f} | {r['latency_s'] * 1e3:.2f} | "
              f"{sw['time_s'] / r['frames'] * 1e3:.3f} | {sw['bytes'] / r['frames'] / 1e6:.2f} | "
              f"{r['schedule']['power_at_target_w'] * 1e3:.1f} |")
    v, a = s["vanilla-albert"], s["adapter-albert"]
    print("\n| vanilla / adapter | ours | HMA abstract |")
    print("|---|---:|---:|")
    print(f"| area | {v['area_mm2'] / a['area_mm2']:.2f}x | {PAPER['area']}x |")
    print(f"| energy per input | {v['energy_per_frame_j'] / a['energy_per_frame_j']:.2f}x | "
          f"{PAPER['energy']}x |")
    print(f"| latency per input | {v['latency_s'] / a['latency_s']:.2f}x | "
          f"{PAPER['latency']}x |")
    print(f"| switch bytes per input | {v['task_switches']['bytes'] / a['task_switches']['bytes']:.1f}x"
          " | - |")
    if args.csv:
        both = list(MODELS)
        write_csv_outputs(args.csv, {
            "area": (v["area_mm2"] / a["area_mm2"], both),
            "energy": (v["energy_per_frame_j"] / a["energy_per_frame_j"], both),
            "latency": (v["latency_s"] / a["latency_s"], both),
            **{f"{m}.{what}": (value, [m]) for m, r in s.items() for what, value in [
                ("rram", r["memories"]["rram"]["weight_bytes"]),
                ("sram", max(t["switch_bytes"] / max(t["switches"], 1)
                             for t in r["tasks"].values()))]}})
    print(f"\n2 runs in {time.monotonic() - start:.1f} s of wall time.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""MEMTI (IEEE Micro 2019) Table 2 and Fig. 3 from simulation (docs/memti-experiment.md).

  experiments/memti/run.py [--hmasim BIN] [--frames N] [--out DIR] [--jobs N] [--csv DIR] \
      > results.md

Runs ResNet-26 with residual adapters, three tasks per frame (experiments/memti/schedule.yaml),
on the five platforms of platforms/memti/: at the maximum rate (peak FPS, power) and at each
frame rate of Fig. 3 (energy per inference). The DRAM-only and SRAM-only designs stay on
between frames; MEMTI, RRAM adapters and all-RRAM power down (platform `power:` blocks). The
all-SRAM and all-RRAM designs run one whole network per task (every parameter task-specific), as
MEMTI's designs without adapters. Prints markdown tables; every figure comes from a run's
summary.json. The paper's figures (experiments/memti/paper.csv) are printed beside ours for
comparison only. --csv DIR writes DIR/runs.csv and DIR/cells.csv (experiments/reproduce.py).
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hmasim_runs import ROOT, arguments, paper_values, run_many, write_csv_outputs  # noqa: E402

CONFIGS = ["all-dram", "all-sram", "all-rram", "memti", "rram-adapters"]
PER_TASK_NETWORKS = {"all-sram", "all-rram"}  # no shared backbone: a whole network per task
RATES = [1, 3, 10, 30, 60, 100]
PAPER = paper_values(__file__)  # MEMTI Table 2 and text, for comparison


def point(config, fps, frames, out):
    sets = ["workload.defaults.shared=false"] if config in PER_TASK_NETWORKS else []
    return {"name": f"{config}-{fps}", "platform": f"memti/{config}.yaml",
            "workload": "resnet26-adapters.yaml", "out": os.path.join(out, f"{config}-{fps}"),
            "options": ["--schedule", os.path.join(ROOT, "experiments/memti/schedule.yaml"),
                        "--fps", str(fps), "--frames", str(frames)], "sets": sets}


def onchip_mib(summary, model):
    return sum(m["capacity_bytes"] for m in summary["memories"].values()
               if m["model"] == model) / 2**20


def main():
    args = arguments(__doc__, "memti", frames=30, reproduction=True)
    start = time.monotonic()
    keys = [(c, fps) for c in CONFIGS for fps in ["max"] + RATES]
    pts = [point(c, fps, args.frames, args.out) for c, fps in keys]
    done = run_many(args.hmasim, pts, args.jobs)
    results = {k: done[p["name"]] for k, p in zip(keys, pts)}
    wall = time.monotonic() - start

    base30 = results[("all-dram", 30)]["energy_per_frame_j"]
    print(f"### Table 2: three tasks per frame, {args.frames} frames per run\n")
    print("| design | power at peak [mW] (paper) | max FPS (paper) | power at 30 FPS [mW] | "
          "energy / frame at 30 FPS [mJ] | saved energy at 30 FPS (paper) | switch time / frame "
          "[ms] | on-chip SRAM [MiB] | on-chip RRAM [MiB of data] | area [mm^2] | "
          "RRAM lifetime [years] |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for c in CONFIGS:
        peak, at30 = results[(c, "max")], results[(c, 30)]
        p_power, p_fps = PAPER[f"t2.{c}.power"], PAPER[f"t2.{c}.fps"]
        p_saved = PAPER.get(f"t2.{c}.saved", "1.0")
        lifetimes = [e["lifetime_years"] for e in at30["endurance"].values()]
        life = min((x for x in lifetimes if x is not None), default=None)
        print(f"| {c} | {peak['avg_power_w'] * 1e3:.0f} ({p_power}) | "
              f"{peak['fps_max']:.0f} ({p_fps}) | "
              f"{at30['schedule']['power_at_target_w'] * 1e3:.1f} | "
              f"{at30['energy_per_frame_j'] * 1e3:.3f} | "
              f"{base30 / at30['energy_per_frame_j']:.2f}x ({p_saved}x) | "
              f"{at30['task_switches']['time_s'] / at30['frames'] * 1e3:.3f} | "
              f"{onchip_mib(at30, 'sram'):.2f} | {onchip_mib(at30, 'envm'):.2f} | "
              f"{at30['area_mm2']:.2f} | "
              f"{'-' if life is None else f'{life:.3g}'} |")
    print("\n### Fig. 3: energy per inference vs frame rate, normalised to all DRAM\n")
    print("| design | " + " | ".join(f"{r} FPS" for r in RATES) + " |")
    print("|---|" + "---:|" * len(RATES))
    for c in CONFIGS:
        cells = []
        for r in RATES:
            e = results[(c, r)]["energy_per_frame_j"]
            cells.append(f"{e / results[('all-dram', r)]['energy_per_frame_j']:.3f}")
        print(f"| {c} | " + " | ".join(cells) + " |")
    print("\n### Energy per inference [mJ] (a frame is three inferences)\n")
    print("| design | " + " | ".join(f"{r} FPS" for r in RATES) + " |")
    print("|---|" + "---:|" * len(RATES))
    for c in CONFIGS:
        cells = [f"{results[(c, r)]['energy_per_frame_j'] / 3 * 1e3:.3f}" for r in RATES]
        print(f"| {c} | " + " | ".join(cells) + " |")
    if args.csv:
        cells = {}
        for c in CONFIGS:
            peak, at30 = results[(c, "max")], results[(c, 30)]
            cells[f"t2.{c}.power"] = (peak["avg_power_w"], [f"{c}-max"])
            cells[f"t2.{c}.fps"] = (peak["fps_max"], [f"{c}-max"])
            cells[f"t2.{c}.saved"] = (base30 / at30["energy_per_frame_j"],
                                      ["all-dram-30", f"{c}-30"])
            cells[f"text.{c}.frame"] = (peak["energy_per_frame_j"], [f"{c}-max"])
        write_csv_outputs(args.csv, cells)
    print(f"\n{len(results)} runs in {wall:.1f} s of wall time.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

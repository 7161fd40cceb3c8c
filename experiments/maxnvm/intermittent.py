#!/usr/bin/python3
"""MaxNVM Fig. 10 from simulation (docs/maxnvm-experiment.md, "Intermittent operation"): average
energy per ResNet-50 inference vs frame rate for the LPDDR4 baseline kept on ("DRAM always on",
platforms/nvdla1024-lpddr4.yaml), the baseline woken up for each inference with its weights
reloaded from flash ("DRAM wake up", platforms/maxnvm/nvdla1024-lpddr4-wakeup.yaml), and the MLC
RRAM and MLC CTT designs powered off between inferences (their eNVM keeps the weights; their
LPDDR4, which holds only activation maps that overflow the SRAM, is off too).

  experiments/maxnvm/intermittent.py [--hmasim BIN] [--frames N] [--out DIR] [--jobs N]
                                     [--csv DIR] > results.md

Every figure comes from a run's summary.json. --csv DIR writes DIR/runs.csv and DIR/cells.csv
(Fig. 10's ratios at 1 and 90 FPS and the always-on / wake-up crossover, for
experiments/reproduce.py; the paper's figures are in experiments/maxnvm/paper.csv).
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hmasim_runs import arguments, run_many, write_csv_outputs  # noqa: E402

RATES = [1, 5, 10, 22, 30, 60, 90]
OFF = ["memories.envm.power.idle=off", "memories.sram.power.idle=off", "memories.dram.power.idle=off",
       "accelerator.power.idle=off"]
DESIGNS = {
    "DRAM always on": ("nvdla1024-lpddr4.yaml", []),
    "DRAM wake up": ("maxnvm/nvdla1024-lpddr4-wakeup.yaml", []),
    "MLC RRAM": ("maxnvm/nvdla1024-mlc-rram.yaml", OFF),
    "MLC CTT": ("maxnvm/nvdla1024-mlc-ctt.yaml", OFF),
}


def point(name, fps, frames, out):
    platform, sets = DESIGNS[name]
    tag = name.lower().replace(" ", "-")
    return {"name": f"{tag}-{fps}", "platform": platform, "workload": "resnet50.yaml",
            "out": os.path.join(out, f"{tag}-{fps}"),
            "options": ["--fps", str(fps), "--frames", str(frames)], "sets": sets}


def crossover(results):
    """The frame rate where the always-on baseline's energy per inference falls to the woken-up
    one's: linear between the two rates of RATES that bracket it (None if it never does)."""
    diff = [results[("DRAM always on", r)]["energy_per_frame_j"] -
            results[("DRAM wake up", r)]["energy_per_frame_j"] for r in RATES]
    for (r0, d0), (r1, d1) in zip(zip(RATES, diff), zip(RATES[1:], diff[1:])):
        if d0 > 0 >= d1:
            return r0 + (r1 - r0) * d0 / (d0 - d1)
    return None


def main():
    args = arguments(__doc__, "maxnvm-intermittent", frames=5, reproduction=True)
    start = time.monotonic()
    keys = [(name, fps) for name in DESIGNS for fps in RATES]
    pts = [point(name, fps, args.frames, args.out) for name, fps in keys]
    done = run_many(args.hmasim, pts, args.jobs)
    results = {k: done[p["name"]] for k, p in zip(keys, pts)}
    print(f"Energy per ResNet-50 inference [mJ], {args.frames} frames per run "
          "(deadline misses in brackets)\n")
    print("| design | " + " | ".join(f"{r} FPS" for r in RATES) + " |")
    print("|---|" + "---:|" * len(RATES))
    for name in DESIGNS:
        cells = []
        for r in RATES:
            s = results[(name, r)]
            miss = s["schedule"]["deadline_misses"]
            cells.append(f"{s['energy_per_frame_j'] * 1e3:.3f}" + (f" [{miss}]" if miss else ""))
        print(f"| {name} | " + " | ".join(cells) + " |")
    print("\nBest DRAM baseline over each eNVM design:\n")
    print("| design | " + " | ".join(f"{r} FPS" for r in RATES) + " |")
    print("|---|" + "---:|" * len(RATES))
    for name in ["MLC RRAM", "MLC CTT"]:
        cells = []
        for r in RATES:
            best = min(results[(d, r)]["energy_per_frame_j"] for d in ["DRAM always on",
                                                                      "DRAM wake up"])
            cells.append(f"{best / results[(name, r)]['energy_per_frame_j']:.2f}x")
        print(f"| {name} | " + " | ".join(cells) + " |")
    if args.csv:
        cells = {}
        for name, tag in [("MLC RRAM", "rram"), ("MLC CTT", "ctt")]:
            for r, when in [(RATES[0], "low"), (RATES[-1], "high")]:
                best = min(results[(d, r)]["energy_per_frame_j"]
                           for d in ["DRAM always on", "DRAM wake up"])
                cells[f"f10.{when}.{tag}"] = (
                    best / results[(name, r)]["energy_per_frame_j"],
                    [f"dram-always-on-{r}", f"dram-wake-up-{r}",
                     f"{name.lower().replace(' ', '-')}-{r}"])
        cells["f10.crossover"] = (crossover(results), [p["name"] for p in pts
                                                       if p["name"].startswith("dram-")])
        write_csv_outputs(args.csv, cells)
    print(f"\n{len(results)} runs in {time.monotonic() - start:.1f} s of wall time.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

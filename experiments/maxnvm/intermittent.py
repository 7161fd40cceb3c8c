#!/usr/bin/python3
"""MaxNVM Fig. 10 from simulation (docs/maxnvm-experiment.md, "Intermittent operation"): average
energy per ResNet-50 inference vs frame rate for the LPDDR4 baseline kept on ("DRAM always on",
platforms/nvdla1024-lpddr4.yaml), the baseline woken up for each inference with its weights
reloaded from flash ("DRAM wake up", platforms/maxnvm/nvdla1024-lpddr4-wakeup.yaml), and the MLC
RRAM and MLC CTT designs powered off between inferences (their eNVM keeps the weights; their
LPDDR4, which holds only activation maps that overflow the SRAM, is off too).

  experiments/maxnvm/intermittent.py [--hmasim BIN] [--frames N] [--out DIR] > results.md

Every figure comes from a run's summary.json.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hmasim_runs import ROOT, arguments, run  # noqa: E402

RATES = [1, 5, 10, 22, 30, 60, 90]
OFF = ["memories.envm.power.idle=off", "memories.sram.power.idle=off", "memories.dram.power.idle=off",
       "accelerator.power.idle=off"]
DESIGNS = {
    "DRAM always on": ("nvdla1024-lpddr4.yaml", []),
    "DRAM wake up": ("maxnvm/nvdla1024-lpddr4-wakeup.yaml", []),
    "MLC RRAM": ("maxnvm/nvdla1024-mlc-rram.yaml", OFF),
    "MLC CTT": ("maxnvm/nvdla1024-mlc-ctt.yaml", OFF),
}


def run_design(hmasim, platform, sets, fps, frames, out):
    return run(hmasim, platform, "resnet50.yaml", out, ["--fps", str(fps), "--frames", str(frames)],
               sets)


def main():
    args = arguments(__doc__, "maxnvm-intermittent", frames=5)
    start = time.monotonic()
    results = {}
    for name, (platform, sets) in DESIGNS.items():
        for fps in RATES:
            tag = name.lower().replace(" ", "-")
            results[(name, fps)] = run_design(args.hmasim, platform, sets, fps, args.frames,
                                       os.path.join(args.out, f"{tag}-{fps}"))
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
    print(f"\n{len(results)} runs in {time.monotonic() - start:.1f} s of wall time.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

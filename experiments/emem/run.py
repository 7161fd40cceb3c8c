#!/usr/bin/python3
"""eMEM ("A Case for Emerging Memories in DNN Accelerators") from simulation
(docs/emem-experiment.md): energy per inference and lifetime of the DRAM-only system, the eMEM
replacing DRAM (weights and activations in it) and the hybrid (weights in the eMEM, activations in
DRAM), for RRAM, STT-MRAM and PCM, on ResNet-50 and MobileNetV2, run back to back.

  experiments/emem/run.py [--hmasim BIN] [--frames N] [--out DIR] [--precision 8|16] > results.md

--precision sets every layer's data width (`--set workload.precision=...`): 16 (the default) is
the paper's 16-bit data (int16 weights and activations), 8 hmasim's int8 networks as shipped.
At 16 bits the eMEM is 64 MiB instead of the platforms' 32 MiB (EMEM_CAPACITY): ResNet-50's
16-bit weights alone are 51 MB, and the platforms size the eMEM to hold the weights and maps.
Every figure comes from a run's summary.json; the paper's Table II energies are printed beside
ours for comparison only.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hmasim_runs import ROOT, arguments, run  # noqa: E402

NETWORKS = ["resnet50", "mobilenetv2"]
TECHNOLOGIES = ["rram", "stt-mram", "pcm"]
# eMEM Table II, for comparison: energy per inference [mJ] with DRAM, and hybrids (16-bit data).
PAPER = {"resnet50": {"dram": 75.89, "stt-mram": 11.97, "pcm": 14.60, "rram": 14.60},
         "mobilenetv2": {"dram": 4.75, "stt-mram": 2.29, "pcm": 2.39, "rram": 2.39}}
# The eMEM's capacity by data width (None: the platform's 32 MiB, sized for 8-bit ResNet-50).
EMEM_CAPACITY = {8: None, 16: "64MiB"}
SECONDS_PER_WEEK = 7 * 24 * 3600
SECONDS_PER_YEAR = 365.25 * 24 * 3600


def precision_option():
    """--precision (8 or 16, default 16), taken off the command line before the common options."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--precision", type=int, choices=[8, 16], default=16)
    known, rest = parser.parse_known_args()
    sys.argv[1:] = rest
    return known.precision


def run_system(hmasim, platform, network, tech, frames, out, precision):
    sets = [f"workload.precision={precision}"]
    sets += ["memories.emem.technology.preset=" + tech] if tech else []
    if tech and EMEM_CAPACITY[precision]:
        sets.append("memories.emem.capacity=" + EMEM_CAPACITY[precision])
    return run(hmasim, f"emem/{platform}.yaml", network + ".yaml", out,
               ["--frames", str(frames)], sets)


def lifetime(years):
    """A lifetime in the unit that reads best; None (no writes) is unbounded."""
    if years is None:
        return "unbounded (no writes)"
    seconds = years * SECONDS_PER_YEAR
    if seconds < 3600 * 48:
        return f"{seconds / 3600:.3g} hours"
    if years < 2:
        return f"{seconds / SECONDS_PER_WEEK:.3g} weeks"
    return f"{years:.3g} years"


def main():
    precision = precision_option()
    args = arguments(__doc__, "emem", frames=2)
    capacity = EMEM_CAPACITY[precision] or "the platforms' 32MiB"
    print(f"{precision}-bit data (workload.precision={precision}), eMEM of {capacity}, "
          f"{args.frames} frames per run.\n")
    start = time.monotonic()
    runs = 0
    print("| network | system | eMEM | energy / inference [mJ] (paper) | vs DRAM-only | FPS | "
          "eMEM writes / frame (most-written block) | lifetime | lifetime, wear-levelled |")
    print("|---|---|---|---:|---:|---:|---:|---|---|")
    for net in NETWORKS:
        base = run_system(args.hmasim, "dram-only", net, None, args.frames,
                          os.path.join(args.out, f"{net}-dram-only"), precision)
        runs += 1
        e0 = base["energy_per_frame_j"]
        print(f"| {net} | DRAM only | - | {e0 * 1e3:.3f} ({PAPER[net]['dram']}) | 1.00x | "
              f"{base['fps_max']:.0f} | - | - | - |")
        for system in ["emem-only", "hybrid"]:
            for tech in TECHNOLOGIES:
                s = run_system(args.hmasim, system, net, tech, args.frames,
                               os.path.join(args.out, f"{net}-{system}-{tech}"), precision)
                runs += 1
                e = s["energy_per_frame_j"]
                wear = s["endurance"]["emem"]
                paper = f" ({PAPER[net][tech]})" if system == "hybrid" else ""
                print(f"| {net} | {'eMEM replaces DRAM' if system == 'emem-only' else 'hybrid'} | "
                      f"{tech} | {e * 1e3:.3f}{paper} | {e0 / e:.2f}x | {s['fps_max']:.0f} | "
                      f"{wear['writes_per_frame']:g} | {lifetime(wear['lifetime_years'])} | "
                      f"{lifetime(wear['lifetime_wear_leveled_years'])} |")
    print(f"\n{runs} runs in {time.monotonic() - start:.1f} s of wall time.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

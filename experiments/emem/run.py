#!/usr/bin/python3
"""eMEM ("A Case for Emerging Memories in DNN Accelerators") from simulation
(docs/emem-experiment.md): energy per inference and lifetime of the DRAM-only system, the eMEM
replacing DRAM (weights and activations in it) and the hybrid (weights in the eMEM, activations in
DRAM), for RRAM, STT-MRAM and PCM, on ResNet-50 and MobileNetV2, run back to back.

  experiments/emem/run.py [--hmasim BIN] [--frames N] [--out DIR] [--precision 8|16] [--jobs N]
                         [--csv DIR] > results.md

--precision sets every layer's data width (`--set workload.precision=...`): 16 (the default) is
the paper's 16-bit data (int16 weights and activations), 8 hmasim's int8 networks as shipped.
At 16 bits the eMEM is 64 MiB instead of the platforms' 32 MiB (EMEM_CAPACITY): ResNet-50's
16-bit weights alone are 51 MB, and the platforms size the eMEM to hold the weights and maps.
Every figure comes from a run's summary.json; the paper's Table II energies
(experiments/emem/paper.csv) are printed beside ours for comparison only. --csv DIR writes
DIR/runs.csv and DIR/cells.csv (experiments/reproduce.py).
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hmasim_runs import arguments, paper_values, run_many, write_csv_outputs  # noqa: E402

NETWORKS = ["resnet50", "mobilenetv2"]
TECHNOLOGIES = ["rram", "stt-mram", "pcm"]
PAPER = paper_values(__file__)  # eMEM Table II (16-bit data), for comparison
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


def point(platform, network, tech, frames, out, precision):
    sets = [f"workload.precision={precision}"]
    sets += ["memories.emem.technology.preset=" + tech] if tech else []
    if tech and EMEM_CAPACITY[precision]:
        sets.append("memories.emem.capacity=" + EMEM_CAPACITY[precision])
    name = f"{network}-{platform}" + (f"-{tech}" if tech else "")
    return {"name": name, "platform": f"emem/{platform}.yaml", "workload": network + ".yaml",
            "out": os.path.join(out, name), "options": ["--frames", str(frames)], "sets": sets}


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
    args = arguments(__doc__, "emem", frames=2, reproduction=True)
    capacity = EMEM_CAPACITY[precision] or "the platforms' 32MiB"
    print(f"{precision}-bit data (workload.precision={precision}), eMEM of {capacity}, "
          f"{args.frames} frames per run.\n")
    start = time.monotonic()
    pts = []
    for net in NETWORKS:
        pts.append(point("dram-only", net, None, args.frames, args.out, precision))
        for system in ["emem-only", "hybrid"]:
            for tech in TECHNOLOGIES:
                pts.append(point(system, net, tech, args.frames, args.out, precision))
    s = run_many(args.hmasim, pts, args.jobs)
    cells = {}
    print("| network | system | eMEM | energy / inference [mJ] (paper) | vs DRAM-only | FPS | "
          "eMEM writes / frame (most-written block) | lifetime | lifetime, wear-levelled |")
    print("|---|---|---|---:|---:|---:|---:|---|---|")
    for net in NETWORKS:
        base = s[f"{net}-dram-only"]
        e0 = base["energy_per_frame_j"]
        cells[f"t2.{net}.dram"] = (e0, [f"{net}-dram-only"])
        print(f"| {net} | DRAM only | - | {e0 * 1e3:.3f} ({PAPER[f't2.{net}.dram']}) | 1.00x | "
              f"{base['fps_max']:.0f} | - | - | - |")
        for system in ["emem-only", "hybrid"]:
            for tech in TECHNOLOGIES:
                r = s[f"{net}-{system}-{tech}"]
                e = r["energy_per_frame_j"]
                wear = r["endurance"]["emem"]
                paper = f" ({PAPER[f't2.{net}.{tech}']})" if system == "hybrid" else ""
                if system == "hybrid":
                    cells[f"t2.{net}.{tech}"] = (e, [f"{net}-{system}-{tech}"])
                print(f"| {net} | {'eMEM replaces DRAM' if system == 'emem-only' else 'hybrid'} | "
                      f"{tech} | {e * 1e3:.3f}{paper} | {e0 / e:.2f}x | {r['fps_max']:.0f} | "
                      f"{wear['writes_per_frame']:g} | {lifetime(wear['lifetime_years'])} | "
                      f"{lifetime(wear['lifetime_wear_leveled_years'])} |")
    if args.csv:
        write_csv_outputs(args.csv, cells)
    print(f"\n{len(s)} runs in {time.monotonic() - start:.1f} s of wall time.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

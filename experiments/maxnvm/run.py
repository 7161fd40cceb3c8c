#!/usr/bin/python3
"""MaxNVM (MICRO 2019) Tables 2, 4 and 5 and the Fig. 9 power ratios from simulation
(docs/reproductions.md, docs/maxnvm-experiment.md).

  experiments/maxnvm/run.py [--hmasim BIN] [--out DIR] [--jobs N] [--csv DIR] > results.md

- Table 4 / Table 5: CiFar10-VGG12, VGG16 and ResNet50 on the four NVDLA-1024 eNVM platforms of
  platforms/maxnvm/, each stored as Table 4's Encoding and BPC columns say (MaxNVM's co-design
  choice, an input: experiments/maxnvm/designs.csv): max FPS, the area of the cells holding the
  encoded weights, the encoded bytes, and the time to program them (summary `programming`).
- Table 2: LeNet5, VGG12, VGG16, ResNet50: parameters, 2 bytes per parameter, and the encoded
  size as `cluster` (pruned and clustered), `csr` and `bitmask`, unprotected, in SLC RRAM.
- Fig. 9: ResNet50's average power at its maximum rate, the LPDDR4 baseline over MLC CTT on
  NVDLA-64, and over the best of the four eNVM designs on NVDLA-1024.

Prints markdown tables; every figure comes from a run's summary.json (paper figures are in
experiments/maxnvm/paper.csv, compared by experiments/reproduce.py).
"""

import csv
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hmasim_runs import arguments, run_many, write_csv_outputs  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TECHS = ["opt-mlc-rram", "mlc-ctt", "mlc-rram", "slc-rram"]
TABLE2_NETWORKS = ["lenet5", "vgg12-cifar10", "vgg16", "resnet50"]
TABLE2_ENCODINGS = ["cluster", "csr", "bitmask"]
NET_ID = {"lenet5": "lenet5", "vgg12-cifar10": "vgg12", "vgg16": "vgg16", "resnet50": "resnet50"}


def designs():
    with open(os.path.join(HERE, "designs.csv"), newline="") as f:
        return list(csv.DictReader(f))


def storage_sets(encoding, protection, bpc, capacity):
    return [f"memories.envm.bits_per_cell={bpc}", f"memories.envm.capacity={capacity}",
            f"storage.encoding={encoding}", f"storage.protection={protection}",
            f"storage.bits_per_cell.values={bpc}", f"storage.bits_per_cell.metadata={bpc}"]


def points(out):
    pts = []
    for d in designs():
        pts.append({"name": f"t4-{NET_ID[d['network']]}-{d['tech']}",
                    "platform": f"maxnvm/nvdla1024-{d['tech']}.yaml",
                    "workload": d["network"] + ".yaml",
                    "sets": storage_sets(d["encoding"], d["protection"], d["bits_per_cell"],
                                         d["capacity"])})
    for net in TABLE2_NETWORKS:
        for enc in TABLE2_ENCODINGS:
            # 256 MiB: VGG16's 6-bit cluster indices alone are 104 MB.
            pts.append({"name": f"t2-{NET_ID[net]}-{enc}",
                        "platform": "maxnvm/nvdla1024-slc-rram.yaml", "workload": net + ".yaml",
                        "sets": storage_sets(enc, "none", 1, "256MiB")})
    for platform in ["nvdla64-lpddr4.yaml", "maxnvm/nvdla64-mlc-ctt.yaml",
                     "nvdla1024-lpddr4.yaml"]:
        pts.append({"name": "f9-" + os.path.splitext(os.path.basename(platform))[0],
                    "platform": platform, "workload": "resnet50.yaml"})
    for p in pts:
        p["out"] = os.path.join(out, p["name"])
    return pts


def main():
    args = arguments(__doc__, "maxnvm-tables", reproduction=True)
    s = run_many(args.hmasim, points(args.out), args.jobs)
    cells = {}
    print("### Table 4 / Table 5: NVDLA-1024, weights on chip as Table 4 stores them\n")
    print("| network | eNVM | encoding | BPC | encoded [MB] | cells area [mm^2] | FPS | "
          "programming time [s] |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for d in designs():
        net, tech = NET_ID[d["network"]], d["tech"]
        name = f"t4-{net}-{tech}"
        r = s[name]
        envm = r["memories"]["envm"]
        cells[f"t4.{net}.{tech}.fps"] = (r["fps_max"], [name])
        cells[f"t4.{net}.{tech}.area"] = (r["faults"]["envm"]["cells_area_mm2"], [name])
        cells[f"t4.{net}.{tech}.mb"] = (envm["weight_bytes"], [name])
        cells[f"t5.{net}.{tech}.write"] = (r["programming"]["envm"]["time_s"], [name])
        print(f"| {d['network']} | {tech} | {d['encoding']}+{d['protection']} | "
              f"{d['bits_per_cell']} | {envm['weight_bytes'] / 1e6:.2f} | "
              f"{r['faults']['envm']['cells_area_mm2']:.3f} | {r['fps_max']:.0f} | "
              f"{r['programming']['envm']['time_s']:.4g} |")
    print("\n### Table 2: parameters and encoded sizes (unprotected, SLC)\n")
    print("| network | parameters | 2 B each [MB] | cluster [MB] | CSR [MB] | bitmask [MB] |")
    print("|---|---:|---:|---:|---:|---:|")
    for net in TABLE2_NETWORKS:
        n = NET_ID[net]
        names = [f"t2-{n}-{e}" for e in TABLE2_ENCODINGS]
        params = s[names[0]]["params"]
        cells[f"t2.{n}.params"] = (params, names[:1])
        cells[f"t2.{n}.16b"] = (params * 2, names[:1])
        for enc, name in zip(TABLE2_ENCODINGS, names):
            cells[f"t2.{n}.{enc}"] = (s[name]["memories"]["envm"]["weight_bytes"], [name])
        print(f"| {net} | {params} | {params * 2 / 1e6:.2f} | " + " | ".join(
            f"{s[name]['memories']['envm']['weight_bytes'] / 1e6:.3f}" for name in names) + " |")
    print("\n### Fig. 9: ResNet50 average power at the maximum rate\n")
    print("| system | power [mW] | FPS | energy / frame [mJ] |")
    print("|---|---:|---:|---:|")
    f9 = ["f9-nvdla64-lpddr4", "f9-nvdla64-mlc-ctt", "f9-nvdla1024-lpddr4"] + \
         [f"t4-resnet50-{t}" for t in TECHS]
    for name in f9:
        r = s[name]
        print(f"| {name} | {r['avg_power_w'] * 1e3:.1f} | {r['fps_max']:.0f} | "
              f"{r['energy_per_frame_j'] * 1e3:.3f} |")
    cells["f9.nvdla64.power"] = (s["f9-nvdla64-lpddr4"]["avg_power_w"] /
                                 s["f9-nvdla64-mlc-ctt"]["avg_power_w"],
                                 ["f9-nvdla64-lpddr4", "f9-nvdla64-mlc-ctt"])
    best = min(TECHS, key=lambda t: s[f"t4-resnet50-{t}"]["avg_power_w"])
    cells["f9.nvdla1024.power"] = (s["f9-nvdla1024-lpddr4"]["avg_power_w"] /
                                   s[f"t4-resnet50-{best}"]["avg_power_w"],
                                   ["f9-nvdla1024-lpddr4", f"t4-resnet50-{best}"])
    print(f"\nBaseline over eNVM: NVDLA-64 {cells['f9.nvdla64.power'][0]:.2f}x (MLC CTT), "
          f"NVDLA-1024 {cells['f9.nvdla1024.power'][0]:.2f}x (best: {best}).")
    if args.csv:
        write_csv_outputs(args.csv, cells)
    print(f"\n{len(s)} runs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

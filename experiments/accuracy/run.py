#!/usr/bin/python3
"""Accuracy of the digits CNN under MLC faults (docs/accuracy.md): MaxNVM Fig. 5 for a network
hmasim computes. The trained int8 digits CNN stored in MLC CTT and MLC RRAM (platforms/maxnvm/
nvdla64-mlc-{ctt,rram}.yaml), for every encoding x protection x bits per cell, over 10 fault
seeds, with program-time faults; each run computes the 360 held-out test images on the bytes
the eNVM returns (hmasim run --functional).

  experiments/accuracy/run.py [--hmasim BIN] [--out DIR] [--results DIR] [--jobs 1|2]

Writes, in --results (default experiments/accuracy/): results.csv (one row per run),
results.md (the table: cells and top-1 mean and worst over the seeds per configuration) and
accuracy.svg (the plot). All three are byte-identical from one run to the next: hmasim is
deterministic for a given fault seed, and rows are written in the sweep's order whatever order
the runs finish in. The runs' own folders go to --out (default out/accuracy/).
"""

import argparse
import concurrent.futures
import csv
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from hmasim_runs import ROOT, run  # noqa: E402
from plot import write_svg  # noqa: E402

TECHNOLOGIES = ["ctt", "rram"]
WORKLOAD = "digits-cnn.yaml"
INPUTS = os.path.join(ROOT, "data/digits/test-images.npy")
LABELS = os.path.join(ROOT, "data/digits/test-labels.npy")
FAULT_SEEDS = range(1, 11)
# Both presets' max_bits_per_cell (platforms/presets/{ctt,rram}.yaml, after MaxNVM Sec. 2.2);
# hmasim refuses more, so the 4-bit rows of the table are gaps, not runs.
MAX_BITS_PER_CELL = 3

# Protection: the name in the table, hmasim's storage.protection, and the SEC-DED word.
# "ecc" is MaxNVM's code (Sec. 4.3: 24 parity bits per 4 KB word), hmasim's default;
# "ecc64" is a fine-grained SEC-DED (72, 64) (8 parity bits per 64-bit word, the code of ECC
# DRAM), added because at MLC3 a 4 KB word of these arrays holds several faults.
PROTECTIONS = {
    "none": ("none", None),
    "ecc": ("ecc", (32768, 24)),
    "ecc64": ("ecc", (64, 8)),
    "idxsync": ("idxsync", None),
}
# Which protections apply to which encoding: IdxSync re-aligns a bitmask only; ECC covers the
# values of dense and cluster, the metadata of the sparse encodings (hw/storage_config.hpp).
ENCODINGS = {
    "dense": ["none", "ecc", "ecc64"],
    "cluster": ["none", "ecc", "ecc64"],
    "bitmask": ["none", "idxsync", "ecc", "ecc64"],
    "csr": ["none", "ecc", "ecc64"],
}
SPARSE = {"bitmask", "csr"}


def bit_pairs(encoding):
    """(values, metadata) bits per cell: every structure at b bits for b = 1..4, and for the
    sparse encodings values at b with their metadata in SLC (MaxNVM Sec. 3.3's mitigation)."""
    pairs = [(b, b) for b in range(1, 5)]
    if encoding in SPARSE:
        pairs += [(b, 1) for b in range(2, 5)]
    return pairs


def configurations():
    """Every configuration of the table, in its order: (tech, encoding, protection, bv, bm)."""
    return [(tech, enc, prot, bv, bm)
            for tech in TECHNOLOGIES
            for enc, prots in ENCODINGS.items()
            for prot in prots
            for bv, bm in bit_pairs(enc)]


def runs_of(config):
    """The hmasim runs of one configuration, one per fault seed: (point name, sets)."""
    tech, enc, prot, bv, bm = config
    if max(bv, bm) > MAX_BITS_PER_CELL:
        return []
    protection, ecc = PROTECTIONS[prot]
    sets = [
        # The array's own mode is the widest structure's; each structure then gets its own.
        f"memories.envm.bits_per_cell={max(bv, bm)}",
        f"storage.bits_per_cell.values={bv}",
        f"storage.bits_per_cell.metadata={bm}",
        f"storage.encoding={enc}",
        f"storage.protection={protection}",
        # MaxNVM's setting (Sec. 4.1): one fault map drawn when the weights are programmed,
        # then the whole test set run on it (read mode would draw new faults on every read).
        "storage.fault_mode=program",
    ]
    if enc in SPARSE:
        # The platform's (and MaxNVM's, Sec. 3.1.2) choice, explicit: non-zeros as 4-bit cluster
        # indices into a per-layer LUT, as the cluster encoding stores every weight.
        sets.append("storage.values=cluster")
    if ecc:
        sets += [f"storage.ecc.word_bits={ecc[0]}", f"storage.ecc.parity_bits={ecc[1]}"]
    name = f"{tech}/{enc}-{prot}-v{bv}m{bm}"
    return [(f"{name}/seed{s}", sets + [f"memories.envm.faults.seed={s}"]) for s in FAULT_SEEDS]


def per_frame(count, frames):
    """An event count of the whole run as a count per frame (program-mode faults repeat every
    frame, so the division is exact; kept fractional if it is not)."""
    return count // frames if count % frames == 0 else count / frames


COLUMNS = ["technology", "encoding", "protection", "ecc_word_bits", "ecc_parity_bits",
           "bits_values", "bits_metadata", "fault_seed", "cells", "cells_metadata",
           "level_faults_per_frame", "ecc_corrected_per_frame", "ecc_uncorrectable_per_frame",
           "weights_corrupted", "weights_misplaced", "top1", "top5", "fault_free_top1",
           "fault_free_top5", "differing_from_fault_free", "cycles_per_frame",
           "energy_per_frame_j"]


def row_of(config, seed, s):
    """One results.csv row from a run's summary.json."""
    tech, enc, prot, bv, bm = config
    f = s["faults"]["envm"]
    a = s["accuracy"]
    frames = s["frames"]
    ecc = PROTECTIONS[prot][1] or ("", "")
    metadata = sum(v["cells"] for k, v in f["structures"].items() if k not in ("values", "lut"))
    return {
        "technology": tech, "encoding": enc, "protection": prot,
        "ecc_word_bits": ecc[0], "ecc_parity_bits": ecc[1],
        "bits_values": bv, "bits_metadata": bm, "fault_seed": seed,
        "cells": f["cells"], "cells_metadata": metadata,
        "level_faults_per_frame": per_frame(f["level_faults"], frames),
        "ecc_corrected_per_frame": per_frame(f["ecc_corrected"], frames),
        "ecc_uncorrectable_per_frame": per_frame(f["ecc_uncorrectable"], frames),
        "weights_corrupted": f"{f['weights_corrupted'] / f['weights_total']:.6g}",
        "weights_misplaced": f"{f['weights_misaligned'] / f['weights_total']:.6g}",
        "top1": a["top1"], "top5": a["top5"],
        "fault_free_top1": a["fault_free_top1"], "fault_free_top5": a["fault_free_top5"],
        "differing_from_fault_free": a["differing_from_fault_free"],
        "cycles_per_frame": s["cycles"],
        "energy_per_frame_j": s["energy_per_frame_j"],
    }


def one_run(hmasim, out, config, name, sets, seed):
    options = ["--functional", "--inputs", INPUTS, "--labels", LABELS]
    summary = run(hmasim, f"maxnvm/nvdla64-mlc-{config[0]}.yaml", WORKLOAD,
                  os.path.join(out, name), options, sets)
    return row_of(config, seed, summary)


def pct(x):
    return f"{100 * x:.2f}%"


def summarise(rows_by_config):
    """Per configuration: None for a gap, else cells, means and worst over the seeds."""
    table = []
    for config, rows in rows_by_config:
        if not rows:
            table.append((config, None))
            continue
        cells = {r["cells"] for r in rows}
        if len(cells) != 1:
            raise SystemExit(f"run.py: {config}: cells differ between fault seeds: {cells}")
        top1 = [r["top1"] for r in rows]
        table.append((config, {
            "cells": cells.pop(),
            "seeds": len(rows),
            "level_faults": sum(r["level_faults_per_frame"] for r in rows) / len(rows),
            "corrupted": sum(float(r["weights_corrupted"]) for r in rows) / len(rows),
            "misplaced": sum(float(r["weights_misplaced"]) for r in rows) / len(rows),
            "mean": sum(top1) / len(top1),
            "worst": min(top1),
            "fault_free": rows[0]["fault_free_top1"],
        }))
    return table


def no_loss(t):
    """MaxNVM Fig. 6's criterion for this test set: no fault seed loses a test image against
    the same encoding's fault-free run."""
    return t is not None and t["worst"] >= t["fault_free"]


def markdown(table):
    lines = []
    for tech in TECHNOLOGIES:
        platform = f"platforms/maxnvm/nvdla64-mlc-{tech}.yaml"
        lines += ["", f"#### MLC {tech.upper()} ({platform})", "",
                  "| encoding | protection | bits/cell (values, metadata) | cells | level faults "
                  "/ frame | weights corrupted | weights misplaced | top-1 mean | top-1 worst "
                  "| fault-free top-1 | no loss |",
                  "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for (t, enc, prot, bv, bm), s in table:
            if t != tech:
                continue
            head = f"| {enc} | {prot} | {bv}, {bm} |"
            if s is None:
                lines.append(f"{head} - | not run: {tech.upper()} stores at most "
                             f"{MAX_BITS_PER_CELL} bits per cell | | | | | | |")
                continue
            lines.append(f"{head} {s['cells']} | {s['level_faults']:.1f} | "
                         f"{s['corrupted']:.2e} | {s['misplaced']:.2e} | {pct(s['mean'])} | "
                         f"{pct(s['worst'])} | {pct(s['fault_free'])} | "
                         f"{'yes' if no_loss(s) else 'no'} |")
        best = min(((s["cells"], c) for c, s in table if c[0] == tech and no_loss(s)),
                   default=None)
        if best:
            _, enc, prot, bv, bm = best[1]
            lines += ["", f"Fewest cells with no loss on any seed ({tech.upper()}): {enc} + "
                      f"{prot}, values at {bv} and metadata at {bm} bits per cell, "
                      f"{best[0]} cells."]
    return "\n".join(lines[1:]) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hmasim", default=os.path.join(ROOT, "build/app/hmasim"))
    parser.add_argument("--out", default=os.path.join(ROOT, "out", "accuracy"))
    parser.add_argument("--results", default=HERE)
    parser.add_argument("--jobs", type=int, default=2, choices=[1, 2],
                        help="hmasim processes at a time (at most 2)")
    args = parser.parse_args()
    if not os.access(args.hmasim, os.X_OK):
        print(f"run.py: no hmasim binary at {args.hmasim} (build first, or give --hmasim)",
              file=sys.stderr)
        return 2
    start = time.monotonic()
    configs = configurations()
    jobs = [(i, config, name, sets, seed)
            for i, config in enumerate(configs)
            for seed, (name, sets) in zip(FAULT_SEEDS, runs_of(config))]
    rows = [[] for _ in configs]
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
    futures = {pool.submit(one_run, args.hmasim, args.out, c, n, s, seed): (i, seed)
               for i, c, n, s, seed in jobs}
    try:
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            i, seed = futures[future]
            rows[i].append(future.result())
            if done % 100 == 0:
                print(f"run.py: {done} of {len(jobs)} runs", file=sys.stderr)
    finally:
        # A failed run (its error printed by hmasim_runs.run) stops the sweep: the runs not
        # started are dropped, and no results file is written.
        pool.shutdown(wait=True, cancel_futures=True)
    for r in rows:
        r.sort(key=lambda row: row["fault_seed"])
    os.makedirs(args.results, exist_ok=True)
    with open(os.path.join(args.results, "results.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerows(r)
    table = summarise(zip(configs, rows))
    with open(os.path.join(args.results, "results.md"), "w") as f:
        f.write(markdown(table))
    write_svg(os.path.join(args.results, "accuracy.svg"), table, TECHNOLOGIES)
    print(f"run.py: {len(jobs)} runs of {len(configs)} configurations in "
          f"{time.monotonic() - start:.1f} s of wall time ({args.jobs} at a time); results in "
          f"{args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

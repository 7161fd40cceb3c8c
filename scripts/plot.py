#!/usr/bin/python3
"""Plots of an hmasim run directory (docs/traces.md), as PNG files.

  scripts/plot.py RUN_DIR [--out DIR]     (default DIR: RUN_DIR-plots, beside the run: hmasim
                                           replaces a run directory only if it holds nothing
                                           but its own files)

  power.png      power over time per component (power.csv; run with --trace power)
  layers.png     cycles per layer, and energy per layer split by component (layers.csv)
  bandwidth.png  memory bandwidth over time (bandwidth.csv; run with --trace bandwidth)

Each plot is drawn from the files the run wrote; one whose file is missing is skipped with a
note. Uses Debian's python3-matplotlib (scripts/common.sh installs it) without a display.
Exit status 0 when every plot with data was written, 2 on bad arguments or an unreadable run.
"""

import argparse
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f"{path}: empty")
    header, body = rows[0], rows[1:]
    return header, body


def window_edges(starts):
    """Window boundaries for step plots: each window ends where the next starts."""
    if len(starts) < 2:
        return starts + [starts[0] + 1e-9] if starts else []
    return starts + [starts[-1] + (starts[-1] - starts[-2])]


def save(fig, out, name):
    fig.tight_layout()
    target = os.path.join(out, name)
    fig.savefig(target, dpi=110)
    plt.close(fig)
    return target


def plot_power(run, out):
    path = os.path.join(run, "power.csv")
    if not os.path.exists(path):
        return None
    header, rows = read_csv(path)
    t = [float(r[0]) for r in rows]
    fig, ax = plt.subplots(figsize=(10, 4.5))
    names = sorted({h[: -len("_dynamic_w")] for h in header if h.endswith("_dynamic_w")},
                   key=lambda n: header.index(n + "_dynamic_w"))
    # Stacked by component (dynamic + static), so the top edge is the total.
    bottom = [0.0] * len(rows)
    edges = window_edges(t)
    for n in names:
        d, s = header.index(n + "_dynamic_w"), header.index(n + "_static_w")
        p = [float(r[d]) + float(r[s]) for r in rows]
        top = [b + v for b, v in zip(bottom, p)]
        ax.stairs([v * 1e3 for v in top], [e * 1e3 for e in edges],
                  baseline=[b * 1e3 for b in bottom], fill=True, label=n)
        bottom = top
    ax.set_xlabel("time [ms]")
    ax.set_ylabel("power [mW]")
    ax.set_title("Power over time per component (power.csv)")
    ax.legend(loc="upper right", fontsize="small")
    return save(fig, out, "power.png")


def plot_layers(run, out):
    path = os.path.join(run, "layers.csv")
    if not os.path.exists(path):
        return None
    header, rows = read_csv(path)
    frame0 = [r for r in rows if r[header.index("frame")] == rows[0][header.index("frame")]]
    labels = [r[header.index("layer")] for r in frame0]
    cycles = [int(r[header.index("cycles")]) for r in frame0]
    bound = [r[header.index("bound")] for r in frame0]
    comps = [h for h in header if h.startswith("energy_") and h.endswith("_j") and h != "energy_j"]
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(max(8, len(labels) * 0.18), 7), sharex=True)
    x = range(len(labels))
    colors = ["tab:red" if b == "memory" else "tab:blue" for b in bound]
    a1.bar(x, cycles, color=colors)
    a1.set_ylabel("cycles")
    a1.set_title("Cycles per layer (red: memory-bound) and energy per layer by component")
    bottom = [0.0] * len(frame0)
    for c in comps:
        e = [float(r[header.index(c)]) * 1e6 for r in frame0]
        a2.bar(x, e, bottom=bottom, label=c[len("energy_"):-len("_j")])
        bottom = [b + v for b, v in zip(bottom, e)]
    a2.set_ylabel("energy [uJ]")
    a2.set_xticks(list(x))
    a2.set_xticklabels(labels, rotation=90, fontsize=6)
    if comps:
        a2.legend(loc="upper right", fontsize="small")
    return save(fig, out, "layers.png")


def plot_bandwidth(run, out):
    path = os.path.join(run, "bandwidth.csv")
    if not os.path.exists(path):
        return None
    header, rows = read_csv(path)
    t = [float(r[0]) for r in rows]
    edges = window_edges(t)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    for i, h in enumerate(header):
        if not h.endswith("_gbps"):
            continue
        ax.stairs([float(r[i]) for r in rows], [e * 1e3 for e in edges], label=h[: -len("_gbps")])
    ax.set_xlabel("time [ms]")
    ax.set_ylabel("bandwidth [GB/s]")
    ax.set_title("Memory bandwidth over time (bandwidth.csv)")
    ax.legend(loc="upper right", fontsize="small")
    return save(fig, out, "bandwidth.png")


def main(argv):
    parser = argparse.ArgumentParser(
        prog="scripts/plot.py", description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("run", metavar="RUN_DIR", help="an hmasim run directory")
    parser.add_argument("--out", metavar="DIR", help="where the PNGs go (default: RUN_DIR-plots)")
    args = parser.parse_args(argv)
    if not os.path.isfile(os.path.join(args.run, "summary.json")):
        print(f"plot.py: '{args.run}' is not an hmasim run directory (no summary.json)",
              file=sys.stderr)
        return 2
    out = args.out or os.path.normpath(args.run) + "-plots"
    os.makedirs(out, exist_ok=True)
    try:
        for name, plot in (("power", plot_power), ("layers", plot_layers),
                           ("bandwidth", plot_bandwidth)):
            target = plot(args.run, out)
            if target:
                print(f"plot.py: {target}")
            else:
                print(f"plot.py: no {name} data in {args.run} (run with --trace {name})")
    except (OSError, ValueError, IndexError) as e:
        print(f"plot.py: cannot read the run: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""A scatter (or line) plot of a sweep's results.csv (docs/sweeps.md), as a PNG file.

  scripts/plot_sweep.py SWEEP_DIR --x KEY --y KEY [--color KEY] [--pareto] [--line]
                        [--logx] [--logy] [--x-better high|low] [--y-better high|low]
                        [--out FILE]

  KEY         a column of results.csv: an axis (storage.encoding), or a flattened summary key
              (fps_max, energy_per_frame_j, faults.envm.weights_corrupted, ...)
  --color     one colour (and legend entry) per value of this column, e.g. the platform
  --pareto    mark the Pareto front: the points no other point beats on both x and y. Which way
              is better is guessed from the key (energy, power, time, area, cycles, faults, cells:
              lower; anything else, e.g. fps or utilisation: higher); --x-better / --y-better say
              it outright. The front's points are printed.
  --line      join each colour's points in order of x
  --out       the PNG (default SWEEP_DIR/plot-X-Y.png)

Only points with status ok are drawn; a row whose x or y is not a number is left out with a
note. Uses Debian's python3-matplotlib (scripts/common.sh installs it) without a display.
Exit status 0 when the plot was written, 2 on bad arguments or an unreadable results.csv.
"""

import argparse
import csv
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")  # no display: files only
import matplotlib.pyplot as plt  # noqa: E402

# Keys whose smaller values are better, for --pareto without --x-better / --y-better.
LOWER_IS_BETTER = re.compile(
    r"(_j|_w|_s|_mm2|_bytes|cycles|cells|faults|corrupted|misaligned|errors|uncorrectable)$")


def better_is_high(key, given):
    if given:
        return given == "high"
    return not LOWER_IS_BETTER.search(key)


def pareto_front(points, x_high, y_high):
    """Indices of the points not dominated by any other (at least as good on both, better on one)."""
    def key(p):
        return (p[0] if x_high else -p[0], p[1] if y_high else -p[1])
    scored = [key(p) for p in points]
    front = []
    for i, (a, b) in enumerate(scored):
        dominated = any((c >= a and d >= b) and (c > a or d > b) for c, d in scored)
        if not dominated:
            front.append(i)
    return front


def main():
    parser = argparse.ArgumentParser(
        description="Plot a sweep's results.csv (docs/sweeps.md).",
        usage="scripts/plot_sweep.py SWEEP_DIR --x KEY --y KEY [--color KEY] [--pareto] "
              "[--line] [--logx] [--logy] [--x-better high|low] [--y-better high|low] "
              "[--out FILE]")
    parser.add_argument("sweep_dir")
    parser.add_argument("--x", required=True)
    parser.add_argument("--y", required=True)
    parser.add_argument("--color")
    parser.add_argument("--pareto", action="store_true")
    parser.add_argument("--line", action="store_true")
    parser.add_argument("--logx", action="store_true")
    parser.add_argument("--logy", action="store_true")
    parser.add_argument("--x-better", choices=["high", "low"])
    parser.add_argument("--y-better", choices=["high", "low"])
    parser.add_argument("--out")
    args = parser.parse_args()

    path = os.path.join(args.sweep_dir, "results.csv")
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        print(f"plot_sweep.py: {path}: {e.strerror}", file=sys.stderr)
        return 2
    columns = rows[0].keys() if rows else []
    for option, key in (("--x", args.x), ("--y", args.y), ("--color", args.color)):
        if key and key not in columns:
            print(f"plot_sweep.py: {option} {key}: no such column in {path} (columns: "
                  f"{', '.join(columns)})", file=sys.stderr)
            return 2

    points, names, groups, skipped = [], [], [], 0
    for r in rows:
        if r["status"] != "ok":
            continue
        try:
            points.append((float(r[args.x]), float(r[args.y])))
        except ValueError:
            skipped += 1
            continue
        names.append(r["point"])
        groups.append(r[args.color] if args.color else "")
    if skipped:
        print(f"note: {skipped} rows with a non-numeric {args.x} or {args.y} left out",
              file=sys.stderr)
    if not points:
        print(f"plot_sweep.py: {path}: no ok point with numeric {args.x} and {args.y}",
              file=sys.stderr)
        return 2

    fig, ax = plt.subplots(figsize=(8, 5.5))
    order = list(dict.fromkeys(groups))  # colours in order of first appearance
    for g in order:
        mine = [p for p, h in zip(points, groups) if h == g]
        if args.line:
            mine.sort()
        xs, ys = [p[0] for p in mine], [p[1] for p in mine]
        style = "o-" if args.line else "o"
        ax.plot(xs, ys, style, label=g if args.color else None, alpha=0.85)
    if args.pareto:
        x_high = better_is_high(args.x, args.x_better)
        y_high = better_is_high(args.y, args.y_better)
        front = sorted(pareto_front(points, x_high, y_high), key=lambda i: points[i])
        ax.plot([points[i][0] for i in front], [points[i][1] for i in front], "k--",
                linewidth=1, zorder=1)
        ax.scatter([points[i][0] for i in front], [points[i][1] for i in front], s=140,
                   facecolors="none", edgecolors="k", label="Pareto front", zorder=3)
        print("Pareto front: " + ", ".join(names[i] for i in front))
    ax.set_xlabel(args.x)
    ax.set_ylabel(args.y)
    if args.logx:
        ax.set_xscale("log")
    if args.logy:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    if args.color or args.pareto:
        ax.legend(title=args.color, fontsize="small")
    ax.set_title(os.path.basename(os.path.normpath(args.sweep_dir)))
    out = args.out or os.path.join(args.sweep_dir, f"plot-{args.x}-{args.y}.png")
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

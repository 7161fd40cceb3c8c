"""What every experiment script does: its command line (--hmasim, --out), and one `hmasim run`
per point whose summary.json it reads (a failed run stops the script, its error printed)."""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The platforms folder the runs use: platforms/, or $HMASIM_PLATFORMS (a copy of it, e.g. the last
# commit's, to run a binary older than the working tree's platform files).
PLATFORMS = os.environ.get("HMASIM_PLATFORMS") or os.path.join(ROOT, "platforms")


def arguments(doc, out, frames=None, reproduction=False):
    """The script's options: --hmasim BIN, --out DIR (default out/<out>), --frames N if given,
    and with `reproduction` --jobs N and --csv DIR (reproduction_options())."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    if reproduction:
        reproduction_options(parser)
    parser.add_argument("--hmasim", default=os.path.join(ROOT, "build/app/hmasim"))
    parser.add_argument("--out", default=os.path.join(ROOT, "out", out))
    if frames is not None:
        parser.add_argument("--frames", type=int, default=frames)
    args = parser.parse_args()
    if not os.access(args.hmasim, os.X_OK):
        print(f"{os.path.basename(sys.argv[0])}: no hmasim binary at {args.hmasim} "
              "(build first, or give --hmasim)", file=sys.stderr)
        raise SystemExit(2)
    return args


def run(hmasim, platform, workload, out, options=(), sets=()):
    """hmasim run of platforms/<platform> and workloads/networks/<workload> into `out`, with
    further command-line `options` and `--set` overrides; returns its summary.json."""
    cmd = [hmasim, "run", "--platform", os.path.join(PLATFORMS, platform),
           "--workload", os.path.join(ROOT, "workloads/networks", workload), "--out", out,
           *options]
    for s in sets:
        cmd += ["--set", s]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{os.path.basename(sys.argv[0])}: {' '.join(cmd)} failed "
                         f"(exit {done.returncode})")
    with open(os.path.join(out, "summary.json")) as f:
        return json.load(f)


# --- Reproductions (docs/reproductions.md, experiments/reproduce.py) --------------------------

def reproduction_options(parser):
    """The options every reproduction script adds: --jobs N (runs at a time, default 2) and
    --csv DIR (write DIR/runs.csv, every run's summary flattened, and DIR/cells.csv, the cells
    of docs/reproductions.md this script computes)."""
    parser.add_argument("--jobs", type=int, default=2, help="hmasim runs at a time (default 2)")
    parser.add_argument("--csv", metavar="DIR",
                        help="write DIR/runs.csv and DIR/cells.csv (experiments/reproduce.py)")


def run_many(hmasim, points, jobs=2):
    """Runs `points`, a list of dicts with `name`, `platform`, `workload`, `out` and optionally
    `options` and `sets` (as run() takes them), `jobs` at a time; returns {name: summary} in the
    points' order, whatever finished first. Also kept in RUNS for write_runs_csv()."""
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [(p, pool.submit(run, hmasim, p["platform"], p["workload"], p["out"],
                                   p.get("options", ()), p.get("sets", ()))) for p in points]
        results = {}
        for p, f in futures:
            results[p["name"]] = f.result()
            RUNS.append((p, results[p["name"]]))
    return results


RUNS = []  # (point, summary) of every run_many() point, in order


def paper_values(script_file):
    """{cell: paper value as written} of the paper.csv beside `script_file` (for scripts that
    print the paper's figures beside theirs)."""
    import csv
    with open(os.path.join(os.path.dirname(os.path.abspath(script_file)), "paper.csv"),
              newline="") as f:
        return {r["cell"]: r["paper"] for r in csv.DictReader(f)}


def _flatten(prefix, value, out):
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else k, v, out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _flatten(f"{prefix}.{i}", v, out)
    else:
        out[prefix] = "" if value is None else value


def write_runs_csv(path, runs=None):
    """One row per run: its name, platform, workload, options and overrides, then every scalar
    of its summary.json flattened with dotted names (the union of the runs' keys in order of
    first appearance), without the wall times (so the file depends only on the binary)."""
    import csv
    rows, columns = [], {}
    for p, summary in RUNS if runs is None else runs:
        flat = {}
        _flatten("", summary, flat)
        flat = {k: v for k, v in flat.items() if not k.startswith("wall_time")}
        for k in flat:
            columns.setdefault(k, None)
        rows.append(({"run": p["name"], "platform": p["platform"], "workload": p["workload"],
                      "options": " ".join(p.get("options", ())).replace(ROOT + "/", ""),
                      "sets": " ".join(p.get("sets", ()))}, flat))
    head = ["run", "platform", "workload", "options", "sets"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head + list(columns))
        for fixed, flat in rows:
            w.writerow([fixed[h] for h in head] + [flat.get(k, "") for k in columns])


def write_cells_csv(path, cells):
    """cells.csv: one row per cell, `cell` (the id of paper.csv), `ours` (in SI units: s, W, J,
    bytes, mm^2, frames/s, or a plain ratio; repr of the float, so nothing is rounded) and `runs`
    (the runs it comes from, space-separated)."""
    import csv
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["cell", "ours", "runs"])
        for cell, (value, runs) in cells.items():
            w.writerow([cell, "" if value is None else repr(float(value)), " ".join(runs)])


def write_csv_outputs(directory, cells):
    """--csv DIR: DIR/runs.csv and DIR/cells.csv."""
    os.makedirs(directory, exist_ok=True)
    write_runs_csv(os.path.join(directory, "runs.csv"))
    write_cells_csv(os.path.join(directory, "cells.csv"), cells)

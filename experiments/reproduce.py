#!/usr/bin/python3
"""Regenerate docs/reproductions.md: every cell of the papers' tables and figures beside ours.

  experiments/reproduce.py [--hmasim BIN] [--results DIR] [--doc FILE] [--jobs N] [--no-run]
                           [--papers DIR]

Runs the experiment scripts listed in PAPERS/reproductions.csv (each with --hmasim BIN --jobs N
--out DIR/<paper>/<script>/runs --csv DIR/<paper>/<script>, its markdown into
DIR/<paper>/<script>/results.md), then joins every PAPERS/<paper>/paper.csv (the papers' figures,
typed from the papers, with the reason for each known difference) with the cells.csv the scripts
wrote (our figures, in SI units, from the runs' summary.json) and writes the doc: per cell the
paper's value, ours, ours / paper, and the reason where they differ by more than 20% ("no reason
given" where paper.csv has none); then the counts, the orderings kept and the suite's wall time.
--no-run skips the runs and rebuilds the doc from DIR (its wall time from DIR/suite.json).
Defaults: --hmasim build/app/hmasim, --results out/reproductions, --doc docs/reproductions.md,
--papers experiments/. Exit status 1 if a script failed, 2 for a bad data file.
"""

import argparse
import csv
import glob
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOLERANCE = 0.20
# What a paper.csv unit is in the SI unit of cells.csv (s, W, J, bytes, mm^2, frames/s, ratios).
UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "min": 60.0, "W": 1.0, "mW": 1e-3, "J": 1.0,
         "mJ": 1e-3, "uJ": 1e-6, "B": 1.0, "KB": 1e3, "MB": 1e6, "GB": 1e9, "mm^2": 1.0,
         "FPS": 1.0, "x": 1.0, "": 1.0, "parameters": 1.0}
PAPER_COLUMNS = ["cell", "item", "row", "column", "unit", "paper", "where", "ordering",
                 "calibrated", "reason"]


class DataError(Exception):
    pass


def read_csv(path, required):
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
            fields = rows and list(rows[0].keys()) or []
    except OSError as e:
        raise DataError(f"{path}: {e.strerror}")
    missing = [c for c in required if rows and c not in fields]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
    return rows


def load_papers(papers_dir):
    """reproductions.csv: one row per script: paper, title, script, args (in order)."""
    rows = read_csv(os.path.join(papers_dir, "reproductions.csv"),
                    ["paper", "title", "script", "args"])
    papers = {}
    for r in rows:
        p = papers.setdefault(r["paper"], {"title": r["title"], "scripts": []})
        if r["script"]:
            p["scripts"].append((r["script"], r["args"].split()))
    return papers


def load_paper_cells(path):
    rows = read_csv(path, PAPER_COLUMNS)
    seen = set()
    for i, r in enumerate(rows, start=2):
        if r["cell"] in seen:
            raise DataError(f"{path}:{i}: cell {r['cell']} listed twice")
        seen.add(r["cell"])
        try:
            r["paper_value"] = float(r["paper"])
        except ValueError:
            raise DataError(f"{path}:{i}: paper value '{r['paper']}' is not a number")
        if r["unit"] not in UNITS:
            raise DataError(f"{path}:{i}: unit '{r['unit']}' is not one of {', '.join(UNITS)}")
    return rows


def load_ours(results_dir, paper):
    ours = {}
    for path in sorted(glob.glob(os.path.join(results_dir, paper, "*", "cells.csv"))):
        for r in read_csv(path, ["cell", "ours", "runs"]):
            ours[r["cell"]] = float(r["ours"]) if r["ours"] != "" else None
    return ours


def fmt(v):
    """A number as the doc prints it: 4 significant digits, exponent outside 1e-3..1e6."""
    if v is None:
        return "-"
    if v == 0:
        return "0"
    if abs(v) >= 1e6 or abs(v) < 1e-3:
        return f"{v:.3e}"
    return f"{v:.4g}"


def evaluate(cell, ours_si):
    """The cell with `ours` (in the cell's unit), `ratio`, `within` (None without a result)."""
    c = dict(cell)
    if ours_si is None:
        c.update(ours=None, ratio=None, within=None)
        return c
    c["ours"] = ours_si / UNITS[c["unit"]]
    c["ratio"] = c["ours"] / c["paper_value"] if c["paper_value"] else None
    c["within"] = c["ratio"] is not None and abs(c["ratio"] - 1) <= TOLERANCE
    return c


def ordering_result(cells):
    """Does ours rank the group's cells as the paper does (every pair the paper orders strictly,
    ours orders the same way), and is the paper's highest cell our highest too?"""
    done = [c for c in cells if c["ours"] is not None]
    if len(done) < 2 or len(done) < len(cells):
        return None
    kept = all((a["ours"] - b["ours"]) * (a["paper_value"] - b["paper_value"]) > 0
               for i, a in enumerate(done) for b in done[i + 1:]
               if a["paper_value"] != b["paper_value"])
    top_paper = max(c["paper_value"] for c in done)
    top_ours = max(done, key=lambda c: c["ours"])
    return {"kept": kept, "top": top_ours["paper_value"] == top_paper}


def order_text(cells, key):
    labels = [c["row"] if len({x["row"] for x in cells}) == len(cells)
              else f"{c['row']} {c['column']}" for c in cells]
    # The words every label starts with (the network, say) are the group's, not the cells'.
    words = [label.split() for label in labels]
    common = 0
    while all(len(w) > common + 1 and w[common] == words[0][common] for w in words):
        common += 1
    labels = [" ".join(w[common:]) for w in words]
    ranked = sorted(zip(cells, labels), key=lambda p: -p[0][key])
    text = ranked[0][1]
    for (prev, _), (c, label) in zip(ranked, ranked[1:]):
        text += (" = " if c[key] == prev[key] else " > ") + label
    return text


def render(papers, cells_by_paper, suite):
    out = ["# Reproductions: the papers' figures against hmasim", "",
           "Generated by `experiments/reproduce.py` (README.md, \"Reproductions\"): "
           "do not "
           "edit by hand. The papers' figures come from `experiments/<paper>/paper.csv`, ours from "
           "the runs of the scripts `experiments/reproductions.csv` lists (every one a "
           "`hmasim run`,"
           " its `summary.json`). *ours / paper* is the ratio; a cell is within when it is within "
           f"±{TOLERANCE:.0%} of the paper's. Where it is not, the reason is paper.csv's "
           "(most from the docs/*-experiment.md pages); **no reason given** marks a difference "
           "nobody has explained yet. *calibrated*: the platform takes this paper figure as an input, so "
           "agreement there is by construction. MB and KB are 10^6 and 10^3 bytes.", ""]
    totals = []
    orderings = []
    for paper, info in papers.items():
        cells = cells_by_paper[paper]
        out += [f"## {info['title']}", ""]
        items = []
        for c in cells:
            if c["item"] not in items:
                items.append(c["item"])
        for item in items:
            out += [f"### {item}", "",
                    "| cell | row | column | unit | paper | ours | ours / paper | "
                    f"within ±{TOLERANCE:.0%} "
                    "| where in the paper | reason |",
                    "|---|---|---|---|---:|---:|---:|---|---|---|"]
            for c in (c for c in cells if c["item"] == item):
                if c["within"] is None:
                    mark, reason = "not run", ""
                elif c["within"]:
                    mark, reason = "yes", ""
                else:
                    mark = "**no**"
                    reason = c["reason"] or "**no reason given**"
                if c["calibrated"]:
                    reason = (reason + " " if reason else "") + "*(calibrated)*"
                ratio = "-" if c["ratio"] is None else f"{c['ratio']:.2f}"
                out.append(f"| `{c['cell']}` | {c['row']} | {c['column']} | {c['unit']} | "
                           f"{c['paper']} | {fmt(c['ours'])} | {ratio} | {mark} | {c['where']} "
                           f"| {reason} |")
            out.append("")
        groups = {}
        for c in cells:
            if c["ordering"]:
                groups.setdefault(c["ordering"], []).append(c)
        for name, group in groups.items():
            orderings.append((info["title"], name, group, ordering_result(group)))
        done = [c for c in cells if c["within"] is not None]
        totals.append({
            "title": info["title"], "cells": len(cells), "done": len(done),
            "within": sum(1 for c in done if c["within"]),
            "within_calibrated": sum(1 for c in done if c["within"] and c["calibrated"]),
            "differ": sum(1 for c in done if not c["within"]),
            "no_reason": sum(1 for c in done if not c["within"] and not c["reason"])})

    out += ["## Orderings", "",
            "Groups of cells (paper.csv `ordering`) whose ranking the papers' arguments rest on "
            "(which technology is fastest, which design saves most). *kept*: ours orders every "
            "pair the paper orders the same way; *highest*: the paper's highest cell is ours too.",
            "", "| paper | group | paper's order | ours | kept | highest |",
            "|---|---|---|---|---|---|"]
    kept = top = counted = 0
    for title, name, group, res in orderings:
        if res is None:
            out.append(f"| {title} | {name} | {order_text(group, 'paper_value')} | not run "
                       "| - | - |")
            continue
        counted += 1
        kept += res["kept"]
        top += res["top"]
        out.append(f"| {title} | {name} | {order_text(group, 'paper_value')} | "
                   f"{order_text(group, 'ours')} | {'yes' if res['kept'] else '**no**'} | "
                   f"{'yes' if res['top'] else '**no**'} |")
    out += ["", "## Count", "",
            f"| paper | cells | with a result | within ±{TOLERANCE:.0%} | of them calibrated "
            "| differ | "
            "differ, no reason given |", "|---|---:|---:|---:|---:|---:|---:|"]
    for t in totals:
        out.append(f"| {t['title']} | {t['cells']} | {t['done']} | {t['within']} | "
                   f"{t['within_calibrated']} | {t['differ']} | {t['no_reason']} |")
    s = {k: sum(t[k] for t in totals) for k in ["cells", "done", "within", "within_calibrated",
                                                 "differ", "no_reason"]}
    out.append(f"| all | {s['cells']} | {s['done']} | {s['within']} | {s['within_calibrated']} | "
               f"{s['differ']} | {s['no_reason']} |")
    out += ["", f"Cells within ±{TOLERANCE:.0%} of the paper: **{s['within']} of {s['done']}** "
            f"({s['within'] - s['within_calibrated']} not counting calibrated ones; "
            f"{s['cells'] - s['done']} cells without a result). "
            f"Differing by more than {TOLERANCE:.0%}: "
            f"{s['differ']}, {s['no_reason']} of them with no reason given. "
            f"Orderings kept: **{kept} of {counted}** (highest cell kept: {top} of {counted}).", ""]
    if suite:
        out.append(f"Suite wall time (the only line that changes from run to run): "
                   f"{suite['wall_time_s']:.0f} s for {suite['runs']} hmasim runs, "
                   f"-j {suite['jobs']}"
                   f", load average {suite['load_start']:.2f} at the start.")
    else:
        out.append("Suite wall time: not measured (the doc was built from results without "
                   "suite.json).")
    return "\n".join(out) + "\n", s, kept, counted


def run_suite(papers, papers_dir, results, hmasim, jobs):
    start = time.monotonic()
    load = os.getloadavg()[0]
    runs = 0
    failed = []
    for paper, info in papers.items():
        for script, args in info["scripts"]:
            stem = os.path.splitext(os.path.basename(script))[0]
            where = os.path.join(results, paper, stem)
            os.makedirs(where, exist_ok=True)
            cmd = ["/usr/bin/python3", os.path.join(papers_dir, script), "--hmasim", hmasim,
                   "--jobs", str(jobs), "--out", os.path.join(where, "runs"), "--csv", where,
                   *args]
            t = time.monotonic()
            print(f"reproduce.py: {' '.join(cmd)}", file=sys.stderr, flush=True)
            with open(os.path.join(where, "results.md"), "w") as md:
                done = subprocess.run(cmd, stdout=md,
                                      env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
            if done.returncode != 0:
                failed.append(script)
                print(f"reproduce.py: {script} failed (exit {done.returncode})", file=sys.stderr)
                continue
            with open(os.path.join(where, "runs.csv")) as f:
                n = sum(1 for _ in f) - 1
            runs += n
            print(f"reproduce.py: {script}: {n} runs in {time.monotonic() - t:.1f} s",
                  file=sys.stderr, flush=True)
    suite = {"wall_time_s": time.monotonic() - start, "runs": runs, "jobs": jobs,
             "load_start": load, "load_end": os.getloadavg()[0], "failed": failed}
    with open(os.path.join(results, "suite.json"), "w") as f:
        json.dump(suite, f, indent=1)
    return suite


def main():
    parser = argparse.ArgumentParser(
        description="Regenerate docs/reproductions.md from simulation.",
        usage="experiments/reproduce.py [--hmasim BIN] [--results DIR] [--doc FILE] [--jobs N] "
              "[--no-run] [--papers DIR]")
    parser.add_argument("--hmasim", default=os.path.join(ROOT, "build/app/hmasim"))
    parser.add_argument("--results", default=os.path.join(ROOT, "out/reproductions"))
    parser.add_argument("--doc", default=os.path.join(ROOT, "docs/reproductions.md"))
    parser.add_argument("--papers", default=os.path.join(ROOT, "experiments"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-run", action="store_true",
                        help="build the doc from the results already in --results")
    args = parser.parse_args()
    try:
        papers = load_papers(args.papers)
        paper_cells = {p: load_paper_cells(os.path.join(args.papers, p, "paper.csv"))
                       for p in papers}
    except DataError as e:
        print(f"reproduce.py: {e}", file=sys.stderr)
        return 2
    status = 0
    if args.no_run:
        try:
            with open(os.path.join(args.results, "suite.json")) as f:
                suite = json.load(f)
        except OSError:
            suite = None
    else:
        if not os.access(args.hmasim, os.X_OK):
            print(f"reproduce.py: no hmasim binary at {args.hmasim} (build first, or give "
                  "--hmasim)", file=sys.stderr)
            return 2
        os.makedirs(args.results, exist_ok=True)
        suite = run_suite(papers, args.papers, args.results, os.path.abspath(args.hmasim),
                          args.jobs)
        status = 1 if suite["failed"] else 0
    try:
        cells_by_paper = {}
        for p in papers:
            ours = load_ours(args.results, p)
            cells_by_paper[p] = [evaluate(c, ours.get(c["cell"])) for c in paper_cells[p]]
    except DataError as e:
        print(f"reproduce.py: {e}", file=sys.stderr)
        return 2
    text, s, kept, counted = render(papers, cells_by_paper, suite)
    with open(args.doc, "w") as f:
        f.write(text)
    print(f"reproduce.py: wrote {args.doc}: {s['within']} of {s['done']} cells within "
          f"±{TOLERANCE:.0%}, "
          f"{s['no_reason']} differing without a reason, orderings kept {kept} of {counted}"
          + (f", suite wall time {suite['wall_time_s']:.0f} s" if suite else ""), file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())

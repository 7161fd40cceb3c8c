"""What every experiment script does: its command line (--hmasim, --out), and one `hmasim run`
per point whose summary.json it reads (a failed run stops the script, its error printed)."""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def arguments(doc, out, frames=None):
    """The script's options: --hmasim BIN, --out DIR (default out/<out>), --frames N if given."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
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
    cmd = [hmasim, "run", "--platform", os.path.join(ROOT, "platforms", platform),
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

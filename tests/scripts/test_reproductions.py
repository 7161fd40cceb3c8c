#!/usr/bin/python3
"""The table logic of experiments/reproduce.py on a tiny fixture: a fake paper.csv and cells.csv
(no hmasim run) -> markdown with ratios, unit conversion, the within-20% marks and counts, a
differing cell without a reason flagged, reasons hidden where a cell agrees, orderings.

  tests/scripts/test_reproductions.py REPO_ROOT
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
GENERATOR = os.path.join(ROOT, "experiments", "reproduce.py")

PAPER = """cell,item,row,column,unit,paper,where,ordering,calibrated,reason
a,Table 1,alpha,FPS,FPS,100,"Table 1, alpha",g,,a hidden reason
b,Table 1,beta,FPS,FPS,10,"Table 1, beta",g,,because of beta
c,Table 1,gamma,FPS,FPS,5,"Table 1, gamma",g,,
t,Table 1,tau,FPS,FPS,5,"Table 1, tau",g,,tau is fast
d,Fig. 2,delta,time,ms,2,"Fig. 2, delta",h,yes,
f,Fig. 2,phi,time,ms,1,"Fig. 2, phi",h,,phi is slow
e,Fig. 2,epsilon,time,ms,7,"Fig. 2, epsilon",,,
"""
OURS = """cell,ours,runs
a,110.0,run-a
b,20.0,run-b
c,1.0,run-c
t,6.5,run-t
d,0.0021,run-d
f,0.003,run-f
"""


def row_of(text, cell):
    lines = [line for line in text.splitlines() if line.startswith(f"| `{cell}` |")]
    assert len(lines) == 1, f"cell {cell}: {len(lines)} rows"
    return [field.strip() for field in lines[0].split("|")[1:-1]]


class Generator(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        t = self.tmp.name
        self.papers = os.path.join(t, "papers")
        self.results = os.path.join(t, "results")
        os.makedirs(os.path.join(self.papers, "demo"))
        os.makedirs(os.path.join(self.results, "demo", "script"))
        with open(os.path.join(self.papers, "reproductions.csv"), "w") as f:
            f.write("paper,title,script,args\ndemo,Demo paper,,\n")
        with open(os.path.join(self.papers, "demo", "paper.csv"), "w") as f:
            f.write(PAPER)
        with open(os.path.join(self.results, "demo", "script", "cells.csv"), "w") as f:
            f.write(OURS)
        self.doc = os.path.join(t, "doc.md")

    def tearDown(self):
        self.tmp.cleanup()

    def generate(self):
        done = subprocess.run(["/usr/bin/python3", GENERATOR, "--no-run", "--papers", self.papers,
                               "--results", self.results, "--doc", self.doc],
                              capture_output=True, text=True)
        text = ""
        if done.returncode == 0:
            with open(self.doc) as f:
                text = f.read()
        return done, text

    def test_cells(self):
        done, text = self.generate()
        self.assertEqual(done.returncode, 0, done.stderr)
        # columns: cell, row, column, unit, paper, ours, ratio, within, where, reason
        a = row_of(text, "a")
        self.assertEqual(a[4:8], ["100", "110", "1.10", "yes"])
        self.assertEqual(a[9], "", "a cell within 20% shows no reason")
        b = row_of(text, "b")
        self.assertEqual(b[5:8], ["20", "2.00", "**no**"])
        self.assertEqual(b[9], "because of beta")
        c = row_of(text, "c")
        self.assertEqual(c[6:8], ["0.20", "**no**"])
        self.assertEqual(c[9], "**no reason given**")
        d = row_of(text, "d")  # 0.0021 s against 2 ms: the unit converts
        self.assertEqual(d[5:8], ["2.1", "1.05", "yes"])
        self.assertIn("calibrated", d[9])
        t = row_of(text, "t")  # 30% above: not within
        self.assertEqual(t[6:8], ["1.30", "**no**"])
        self.assertEqual(t[9], "tau is fast")
        e = row_of(text, "e")
        self.assertEqual(e[5:8], ["-", "-", "not run"])

    def test_counts_and_orderings(self):
        done, text = self.generate()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("| all | 7 | 6 | 2 | 1 | 4 | 1 |", text)
        self.assertIn("Cells within ±20% of the paper: **2 of 6** (1 not counting calibrated "
                      "ones; 1 cells without a result)", text)
        self.assertIn("4, 1 of them with no reason given", text)
        self.assertIn("Orderings kept: **1 of 2** (highest cell kept: 1 of 2)", text)
        # gamma and tau tie in the paper: either order keeps it
        self.assertIn("| Demo paper | g | alpha > beta > gamma = tau | alpha > beta > tau > gamma "
                      "| yes | yes |", text)
        self.assertIn("| Demo paper | h | delta > phi | phi > delta | **no** | **no** |", text)
        self.assertIn("Suite wall time: not measured", text)

    def test_deterministic_with_wall_time(self):
        with open(os.path.join(self.results, "suite.json"), "w") as f:
            json.dump({"wall_time_s": 123.4, "runs": 7, "jobs": 2, "load_start": 1.5}, f)
        first = self.generate()[1]
        second = self.generate()[1]
        self.assertEqual(first, second)
        self.assertIn("Suite wall time (the only line that changes from run to run): 123 s for "
                      "7 hmasim runs, -j 2", first)

    def test_bad_paper_value(self):
        with open(os.path.join(self.papers, "demo", "paper.csv"), "a") as f:
            f.write("z,Table 1,zeta,FPS,FPS,lots,here,,,\n")
        done, _ = self.generate()
        self.assertEqual(done.returncode, 2)
        self.assertIn("paper.csv:9: paper value 'lots' is not a number", done.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)

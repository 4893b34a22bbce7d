#!/usr/bin/env python3
"""Reanalysis yield from two `odyssey bench --per-case` tables of the same cases.

Usage: reanalysis-yield.py OLD.tsv NEW.tsv [--top N]

For every run (column `<run>_gene`, the causal gene's rank or NA) present in both tables,
prints: cases, causal gene in the top N with the old KB, with the new KB, entered (in the
new top N, not in the old one), left (the reverse). Cases are matched by the `case` column;
a case missing from either table is an error.
"""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    if not rows:
        sys.exit(f"{path}: no cases")
    return {r["case"]: r for r in rows}, [c[:-5] for c in rows[0] if c.endswith("_gene")]


def in_top(rank, n):
    return rank != "NA" and int(rank) <= n


def main(argv):
    top = 10
    if "--top" in argv:
        i = argv.index("--top")
        top = int(argv[i + 1])
        del argv[i : i + 2]
    if len(argv) != 2:
        sys.exit(__doc__)
    old, old_runs = read(argv[0])
    new, new_runs = read(argv[1])
    if old.keys() != new.keys():
        sys.exit(f"the tables hold different cases ({len(old)} vs {len(new)})")
    print(f"run\tcases\told_top{top}\tnew_top{top}\tentered\tleft")
    for run in [r for r in old_runs if r in new_runs]:
        key = f"{run}_gene"
        o = {c for c, r in old.items() if in_top(r[key], top)}
        n = {c for c, r in new.items() if in_top(r[key], top)}
        print(f"{run}\t{len(old)}\t{len(o)}\t{len(n)}\t{len(n - o)}\t{len(o - n)}")


if __name__ == "__main__":
    main(sys.argv[1:])

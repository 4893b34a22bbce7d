#!/usr/bin/env python3
"""Derives crates/odyssey-kb/data/mondo-equivalents.tsv.gz from the MONDO exact-match SSSOM
mapping sets (monarch-initiative/mondo, src/ontology/mappings/, CC0):
mondo_exactmatch_omim.sssom.tsv.gz and mondo_exactmatch_orphanet.sssom.tsv.gz.

One line per MONDO id with at least one OMIM or Orphanet skos:exactMatch:
MONDO id, OMIM ids (comma-separated, may be empty), ORPHA ids (comma-separated, may be empty),
sorted by MONDO id. Orphanet CURIEs are written ORPHA:n as in phenotype.hpoa. The header
comments give the source and the mapping sets' release.

usage: scripts/mondo-equivalents.py [MONDO_DIR] [OUT]
(defaults ../shared/data/mondo and crates/odyssey-kb/data/mondo-equivalents.tsv.gz)
"""
import gzip
import re
import sys

src = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/mondo"
out = sys.argv[2] if len(sys.argv) > 2 else "crates/odyssey-kb/data/mondo-equivalents.tsv.gz"

groups = {}
releases = set()
for name, prefix, ns in [
    ("mondo_exactmatch_omim.sssom.tsv.gz", "OMIM:", 0),
    ("mondo_exactmatch_orphanet.sssom.tsv.gz", "Orphanet:", 1),
]:
    with gzip.open(f"{src}/{name}", "rt", encoding="utf-8") as f:
        header = None
        for line in f:
            if line.startswith("#"):
                m = re.search(r"mondo/releases/(\d{4}-\d{2}-\d{2})/", line)
                if m:
                    releases.add(m.group(1))
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            row = dict(zip(header, cols))
            if row["predicate_id"] != "skos:exactMatch":
                continue
            obj = row["object_id"]
            if not obj.startswith(prefix) or not row["subject_id"].startswith("MONDO:"):
                continue
            obj = "ORPHA:" + obj[len(prefix):] if ns == 1 else obj
            groups.setdefault(row["subject_id"], (set(), set()))[ns].add(obj)

if len(releases) != 1:
    sys.exit(f"expected one MONDO release in the mapping sets, found {sorted(releases)}")
release = releases.pop()


def key(i):
    return int(i.split(":")[1])


with gzip.GzipFile(out, "wb", mtime=0) as raw:
    w = lambda s: raw.write(s.encode("utf-8"))
    w("# MONDO exact matches (skos:exactMatch) between MONDO, OMIM and Orphanet diseases\n")
    w(f"# source: monarch-initiative/mondo release {release}, mappings/mondo_exactmatch_omim.sssom.tsv and mondo_exactmatch_orphanet.sssom.tsv (CC0 1.0)\n")
    w("# derived by scripts/mondo-equivalents.py\n")
    w("mondo\tomim\torpha\n")
    for m in sorted(groups, key=key):
        omim, orpha = groups[m]
        w(f"{m}\t{','.join(sorted(omim, key=key))}\t{','.join(sorted(orpha, key=key))}\n")

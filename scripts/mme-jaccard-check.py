#!/usr/bin/env python3
"""Second method for docs/mme.md: leave-one-out gene-partner ranking of the MME benchmark
patients by the Jaccard index of their observed terms' ancestor sets (hp.obo is_a closure,
alt_ids mapped). Ties count at the worst rank. Prints queries, top-1, MRR, MAP."""
import collections, gzip, json, os, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bench = os.path.join(root, "..", "shared", "data", "mme-apis", "testing", "benchmark_patients.json")
if not os.path.exists(bench):
    print("skipped: ../shared/data/mme-apis is not present")
    sys.exit(0)
parents, alt, cur = collections.defaultdict(list), {}, None
for line in gzip.open(os.path.join(root, "data/hpo/2025-01-16/hp.obo.gz"), "rt"):
    line = line.strip()
    if line == "[Term]":
        cur = None
    elif line.startswith("id: "):
        cur = line[4:]
    elif line.startswith("is_a: ") and cur:
        parents[cur].append(line[6:16])
    elif line.startswith("alt_id: ") and cur:
        alt[line[8:]] = cur
memo = {}
def ancestors(t):
    if t not in memo:
        s = {t}
        for p in parents.get(t, []):
            s |= ancestors(p)
        memo[t] = s
    return memo[t]
pats = json.load(open(bench))
clo = []
for p in pats:
    s = set()
    for f in p.get("features", []):
        if f.get("observed", "yes") == "yes":
            s |= ancestors(alt.get(f["id"], f["id"]))
    clo.append(s)
genes = [set(g["gene"]["id"] for g in p.get("genomicFeatures", [])) for p in pats]
top1 = rr = 0.0
aps = []
for i in range(len(pats)):
    others = [j for j in range(len(pats)) if j != i]
    partners = [j for j in others if genes[i] & genes[j]]
    if not partners:
        continue
    sc = {j: len(clo[i] & clo[j]) / len(clo[i] | clo[j]) for j in others}
    rank = {j: sum(1 for k in others if sc[k] >= sc[j]) for j in others}
    best = min(rank[j] for j in partners)
    top1 += best == 1
    rr += 1 / best
    aps.append(sum(sum(1 for q in partners if rank[q] <= rank[p]) / rank[p] for p in partners) / len(partners))
n = len(aps)
print(f"queries {n}  top-1 {top1 / n:.3f}  MRR {rr / n:.3f}  MAP {sum(aps) / n:.3f}")

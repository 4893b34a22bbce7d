#!/usr/bin/env python3
"""Derives crates/odyssey-variant/data/gene-aliases.tsv.gz: the gene symbols, other than the
knowledge base's own, by which gene models and VCF annotations may name a knowledge-base gene
(previous symbols and aliases of NCBI Gene, as packaged in Bioconductor's org.Hs.eg.db 3.16.0,
NCBI Gene 2022-09-12, Artistic-2.0), each resolved to an NCBI Gene id or marked ambiguous.

Knowledge-base genes: NCBI Gene id and symbol of data/hpo/2025-01-16/genes_to_phenotype.txt.gz
(the embedded knowledge base's source). A symbol S is listed when it is an alias or the NCBI
symbol of a knowledge-base gene and not itself a knowledge-base symbol. Resolution, in HGNC's
order (approved symbol first, then previous symbols and aliases):
  * S is the NCBI symbol of exactly one gene: that gene. Listed only when that gene is a
    knowledge-base gene (otherwise S names another gene and stays as it is).
  * otherwise S is an alias of exactly one gene: that gene.
  * otherwise (an alias of several genes, or the NCBI symbol of several): ambiguous, listed with
    every candidate. Odyssey uses such a symbol only when exactly one candidate lies on the
    chromosome of the gene model naming it (TAZ on X: TAFAZZIN, not WWTR1 on 3); otherwise it
    links no gene and is reported.

Output: comment lines (#) with the source and licence, then `symbol<TAB>candidates`, sorted by
symbol, the candidates comma-separated as `ncbi_gene_id:symbol:chromosomes` (the knowledge
base's symbol for its genes, else NCBI's; chromosomes `|`-separated, empty when NCBI does not
place the gene): one candidate when the symbol resolves to that gene, several when it is
ambiguous. Gzip without a timestamp, so that the file is reproducible.

usage: scripts/gene-aliases.py [ORGDB_GENES_TSV_GZ] [G2P_TSV_GZ] [OUT]
(defaults ../shared/data/genes/org.Hs.eg.db-3.16.0/genes.tsv.gz,
data/hpo/2025-01-16/genes_to_phenotype.txt.gz, crates/odyssey-variant/data/gene-aliases.tsv.gz)
"""
import collections
import gzip
import io
import sys

orgdb = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/genes/org.Hs.eg.db-3.16.0/genes.tsv.gz"
g2p = sys.argv[2] if len(sys.argv) > 2 else "data/hpo/2025-01-16/genes_to_phenotype.txt.gz"
out = sys.argv[3] if len(sys.argv) > 3 else "crates/odyssey-variant/data/gene-aliases.tsv.gz"

kb = {}
with gzip.open(g2p, "rt", encoding="utf-8") as f:
    header = next(f).rstrip("\n").split("\t")
    assert header[:2] == ["ncbi_gene_id", "gene_symbol"], header
    for line in f:
        cols = line.rstrip("\n").split("\t")
        kb[int(cols[0])] = cols[1]
kb_symbols = set(kb.values())

ncbi_symbol = {}
chroms = {}
by_symbol = collections.defaultdict(set)
by_alias = collections.defaultdict(set)
with gzip.open(orgdb, "rt", encoding="utf-8") as f:
    header = next(f).rstrip("\n").split("\t")
    assert header[0] == "entrez_id" and header[1] == "symbol" and header[8] == "aliases", header
    for line in f:
        cols = line.rstrip("\n").split("\t")
        gid = int(cols[0])
        ncbi_symbol[gid] = cols[1]
        chroms[gid] = "|".join(c for c in cols[4].split(",") if c and c != "Un")
        by_symbol[cols[1]].add(gid)
        for a in cols[8].split("|"):
            if a and a != cols[1]:
                by_alias[a].add(gid)

missing = sorted(g for g in kb if g not in ncbi_symbol)
if missing:
    sys.exit(f"knowledge-base genes missing from {orgdb}: {missing[:10]}")

names = set()
for gid in kb:
    names.add(ncbi_symbol[gid])
for a, ids in by_alias.items():
    if any(g in kb for g in ids):
        names.add(a)
names -= kb_symbols


def label(g):
    return f"{g}:{kb.get(g, ncbi_symbol[g])}:{chroms[g]}"


rows = []
counts = collections.Counter()
for s in sorted(names):
    owners = by_symbol.get(s, set())
    if len(owners) == 1:
        (g,) = owners
        if g in kb:
            rows.append(f"{s}\t{label(g)}")
            counts["ncbi_symbol"] += 1
        else:
            counts["other_gene"] += 1
        continue
    cands = owners | by_alias.get(s, set())
    if len(cands) == 1:
        (g,) = cands
        rows.append(f"{s}\t{label(g)}")
        counts["alias"] += 1
    else:
        rows.append(f"{s}\t" + ",".join(label(g) for g in sorted(cands)))
        if sum(1 for g in cands if g in kb) > 0 and len({chroms[g] for g in cands}) == len(cands):
            counts["ambiguous_apart"] += 1
        counts["ambiguous"] += 1

text = io.StringIO()
text.write("# Gene symbols other than the knowledge base's by which gene models may name its genes,\n")
text.write("# symbol<TAB>candidates, each id:symbol:chromosomes (NCBI Gene id; | between chromosomes): one when the\n")
text.write("# symbol resolves to that gene, several when ambiguous (used only when one lies on the model's chromosome).\n")
text.write("# Derived by scripts/gene-aliases.py from org.Hs.eg.db 3.16.0 genes.tsv (Bioconductor,\n")
text.write("# NCBI Gene 2022-09-12; Debian package r-bioc-org.hs.eg.db; Artistic-2.0, see\n")
text.write("# LICENSE-org.Hs.eg.db.txt) for the genes of HPO 2025-01-16 genes_to_phenotype.txt.\n")
text.write(f"# {len(kb)} knowledge-base genes; {counts['ncbi_symbol']} NCBI symbols differing from the knowledge base's,\n")
text.write(f"# {counts['alias']} unique previous symbols or aliases, {counts['ambiguous']} ambiguous.\n")
for r in rows:
    text.write(r + "\n")
data = text.getvalue().encode("utf-8")
with open(out, "wb") as f:
    with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0, compresslevel=9) as z:
        z.write(data)
print(f"{out}: {len(rows)} symbols ({dict(counts)}), {len(data)} bytes, gzip {f.tell() if False else ''}".rstrip(", gzip "))

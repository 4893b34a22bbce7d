#!/usr/bin/env python3
"""Builds examples/family/family.vcf.gz from the 1000 Genomes chr22 excerpt (GRCh37) of the
Debian package r-bioc-variantannotation (Artistic-2.0; ../shared/data/vcf/1000g-chr22).

The pedigree is fictional: three unrelated 1000 Genomes individuals stand in for a trio
(HG00096, male, as the affected son; HG00101, male, as the father; HG00097, female, as the
mother). Their genotypes are the real 1000 Genomes calls, so background variants do not
follow Mendel's laws; the two spiked MLC1 variants do:

  22:50512732 G>GT  MLC1 exon 8 (NM_015166.4 c.627dup region): 1-bp insertion, frameshift;
                    child 0/1, mother 0/1, father 0/0
  22:50518416 C>CA  MLC1 exon 5 (c.354 region): 1-bp insertion, frameshift;
                    child 0/1, father 0/1, mother 0/0

The REF bases are those of 1000 Genomes records at the same positions. The variants are
invented for the example (compound heterozygous, one allele from each parent), not taken
from a patient. A ##contig line with the GRCh37 length of chromosome 22 is added.

Usage: python3 make_family_vcf.py ../../../shared/data/vcf/1000g-chr22/chr22.vcf.gz family.vcf.gz
"""
import gzip
import sys

SAMPLES = ["HG00096", "HG00101", "HG00097"]  # child, father, mother
SPIKES = [
    # pos, ref, alt, child, father, mother
    (50512732, "G", "GT", "0/1", "0/0", "0/1"),
    (50518416, "C", "CA", "0/1", "0/1", "0/0"),
]


def main(src, dst):
    out = []
    spikes = sorted(SPIKES)
    with gzip.open(src, "rt") as f:
        for line in f:
            if line.startswith("##"):
                if line.startswith("##fileformat"):
                    out.append(line)
                    out.append("##contig=<ID=22,length=51304566,assembly=GRCh37>\n")
                    out.append("##odyssey_example=<Description=\"Fictional trio of 1000 Genomes samples with two spiked MLC1 frameshift insertions; see make_family_vcf.py\">\n")
                    continue
                out.append(line)
                continue
            cols = line.rstrip("\n").split("\t")
            if line.startswith("#CHROM"):
                idx = [cols.index(s) for s in SAMPLES]
                out.append("\t".join(cols[:9] + SAMPLES) + "\n")
                continue
            pos = int(cols[1])
            while spikes and spikes[0][0] <= pos:
                p, ref, alt, c, fa, mo = spikes.pop(0)
                gl = {"0/0": "0.000:-0.00,-5.00,-10.00", "0/1": "1.000:-5.00,-0.00,-5.00"}
                out.append("\t".join(["22", str(p), ".", ref, alt, "100", "PASS", "SPIKED_EXAMPLE", "GT:DS:GL",
                                      c + ":" + gl[c], fa + ":" + gl[fa], mo + ":" + gl[mo]]) + "\n")
            out.append("\t".join(cols[:9] + [cols[i] for i in idx]) + "\n")
    header_end = max(i for i, l in enumerate(out) if l.startswith("##"))
    out.insert(header_end + 1, "##INFO=<ID=SPIKED_EXAMPLE,Number=0,Type=Flag,Description=\"Variant added for the Odyssey example\">\n")
    with gzip.open(dst, "wt") as g:
        g.writelines(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

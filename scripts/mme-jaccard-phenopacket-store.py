#!/usr/bin/env python3
"""Second method for docs/mme.md: the phenopacket-store partner ranking of
examples/mme_phenopacket_store.rs (one query per gene, candidates from other publications)
scored by the Jaccard index of the observed terms ancestor sets. Ties at the worst rank."""
import collections, gzip, json, os, csv
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
store = os.path.join(root, '..', 'shared', 'data', 'phenopacket-store')
if not os.path.isdir(store):
    print('skipped: ../shared/data/phenopacket-store is not present'); raise SystemExit(0)
parents, alt, cur = collections.defaultdict(list), {}, None
obsrep={}
for line in gzip.open(root+'/data/hpo/2025-01-16/hp.obo.gz','rt'):
    line=line.strip()
    if line=='[Term]': cur=None
    elif line.startswith('id: '): cur=line[4:]
    elif line.startswith('is_a: ') and cur: parents[cur].append(line[6:16])
    elif line.startswith('alt_id: ') and cur: alt[line[8:]]=cur
    elif line.startswith('replaced_by: ') and cur: obsrep[cur]=line[13:23]
memo={}
def anc(t):
    if t not in memo:
        s={t}
        for p in parents.get(t,[]): s|=anc(p)
        memo[t]=s
    return memo[t]
rows=list(csv.DictReader(open(store+'/cases.tsv'),delimiter='\t'))
rows=[r for r in rows if r['gene_symbol'] and r['pmid']]
clo=[]
for r in rows:
    p=json.load(open(store+'/'+r['file']))
    s=set()
    for f in p.get('phenotypicFeatures',[]):
        if f.get('excluded') or f.get('negated'): continue
        t=f['type']['id']; t=alt.get(t,obsrep.get(t,t))
        s|=anc(t)
    s.discard('HP:0000001'); 
    clo.append(frozenset(s))
first={}
for i,r in enumerate(rows):
    if clo[i]: first.setdefault(r['gene_symbol'],i)
top1=top10=0; rr=0; n=0
for g,q in sorted(first.items()):
    cands=[c for c in range(len(rows)) if c!=q and rows[c]['pmid']!=rows[q]['pmid'] and clo[c]]
    parts=[c for c in cands if rows[c]['gene_symbol']==g]
    if not parts: continue
    n+=1
    cq=clo[q]
    sc={c:len(cq&clo[c])/len(cq|clo[c]) for c in cands}
    best=max(sc[c] for c in parts)
    rank=sum(1 for c in cands if sc[c]>=best)
    top1+=rank==1; top10+=rank<=10; rr+=1/rank
print(n, 'top1 %.3f top10 %.3f MRR %.3f'%(top1/n, top10/n, rr/n))

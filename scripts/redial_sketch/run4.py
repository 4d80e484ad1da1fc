from words import *
import csv
TT={}
for row in csv.DictReader(open('../shared/data/redial/movies_with_mentions.csv')):
    t=re.sub(r'\(\d{4}\)\s*$','',row['movieName']).lower()
    TT[row['movieId']]=set(w for w in re.findall(r"[a-z0-9]+",t) if w not in SW and len(w)>2 and not w.isdigit())
DF=collections.Counter(w for s in TT.values() for w in s)
INV=collections.defaultdict(list)
for i,s in TT.items():
    for w in s: INV[w].append(i)
def titlesim(ctx):
    sc=collections.Counter()
    for a in ctx['seen']:
        for w in TT.get(a,()):
            if DF[w]<=30:
                for b in INV[w]:
                    if b!=a: sc[b]+=math.log(len(TT)/DF[w])
    return sc
def fused2(ctx, wt=0.3):
    M=ctx['M']; seen=set(ctx['seen'])
    lists=[(2.0,norm(cooc_sc(M,ctx['seen']),seen)),(0.6,norm(wscore(ctx['A'],ctx['k'],ctx['j']),seen)),(0.3,norm(M[0],seen)),(wt,norm(titlesim(ctx),seen))]
    f=collections.Counter()
    for w,l in lists:
        for i,v in l.items(): f[i]+=w*v
    return [i for i,_ in sorted(f.items(), key=lambda t:(-t[1],t[0]))[:50]]
S={'fused_default':lambda c:fused(c),
   't0.15':lambda c:fused2(c,0.15),
   't0.3':lambda c:fused2(c,0.3),
   't0.6':lambda c:fused2(c,0.6),
}
r=evaluate2(S); boot(r,list(S))

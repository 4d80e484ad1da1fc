from words import *
def roles(k,j):
    r={}
    for s,ids in T[k][:j]:
        for i in ids:
            r.setdefault(i,s)
    return r
def wcooc(ctx, ws=1.0, wr=1.0, recency=1.0, fill=True):
    M=ctx['M']; seen=ctx['seen']; ro=roles(ctx['k'],ctx['j'])
    sc=collections.Counter(); n=len(seen)
    for p,a in enumerate(seen):
        w=(ws if ro.get(a,True) else wr)*(recency**(n-1-p))
        for b,c in M[2][a].items(): sc[b]+=w*c
    l=rank(sc,set(seen),60)
    for i,_ in M[0].most_common(200):
        if len(l)>=60: break
        if i not in l and i not in seen: l.append(i)
    return l
S={'cooc':lambda c:combo(c['M'],c['seen']),
   'rec0.5':lambda c:wcooc(c,wr=0.5),
   'rec0.25':lambda c:wcooc(c,wr=0.25),
   'seek0.5':lambda c:wcooc(c,ws=0.5),
   'recency0.8':lambda c:wcooc(c,recency=0.8),
}
r=evaluate2(S); boot(r,list(S))

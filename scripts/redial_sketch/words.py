import re, math, collections
from redial import *
SW=set(open('src/retrieve/collab/stopwords.txt').read().split())|set("a an the and or of to in on for is it i you me my we this that with was be are have has do not but so at as just like".split())
TXT=[]
for d in D:
    seeker=d['initiatorWorkerId']; out=[]
    for m in d['messages']:
        s=m['senderWorkerId']==seeker
        if out and out[-1][0]==s: out[-1][1]+=' '+m['text']
        else: out.append([s,m['text']])
    TXT.append([t for s,t in out])
def cw(t):
    ws=[]
    for w in re.findall(r"[a-z0-9']+", re.sub(r'@\d+',' ',t.lower())):
        if len(w)>1 and w not in SW and w not in ws: ws.append(w)
    return ws
W=[[cw(t) for t in TXT[k]] for k in range(len(D))]
def wtrain(idx, CONTEXT=3, ALPHA=3.0):
    c=collections.defaultdict(collections.Counter); ni=collections.Counter(); nw=collections.Counter(); tot=0
    for k in idx:
        seen=set()
        for j,(s,ids) in enumerate(T[k]):
            for i in ids:
                if i in seen: continue
                seen.add(i); bag={}
                for u in range(max(0,j-CONTEXT),j):
                    if T[k][u][0]:
                        for w in W[k][u]: bag[w]=1.0
                for w in W[k][j]: bag[w]=max(bag.get(w,0),0.5)
                for w,x in bag.items(): c[w][i]+=x; nw[w]+=x
                ni[i]+=1; tot+=1
    A={}
    for w,row in c.items():
        v={i:math.log((x+ALPHA)/(nw[w]*ni[i]/tot+ALPHA)) for i,x in row.items()}
        v={i:s for i,s in v.items() if s>0}
        if v: A[w]=v
    return A
def wscore(A,k,j):
    # last 3 seeker turns before index j (inclusive of j-1)
    q={}
    ws=[1.0,0.7,0.49]; n=0
    for u in range(j-1,-1,-1):
        if T[k][u][0]:
            for w in W[k][u]: q[w]=max(q.get(w,0),ws[n])
            n+=1
            if n==3: break
    sc=collections.Counter()
    for w,x in q.items():
        for i,a in A.get(w,{}).items(): sc[i]+=x*a
    return sc
def norm(sc, excl, depth=200):
    l=sorted(((i,v) for i,v in sc.items() if i not in excl and v>0), key=lambda t:(-t[1],t[0]))[:depth]
    if not l: return {}
    top=l[0][1]; floor=0.0
    return {i:(v-floor)/(top-floor) for i,v in l}
def evaluate2(systems, folds=5, which=None):
    res=collections.defaultdict(list)
    for f in range(folds):
        tr=[k for k in range(len(T)) if k%folds!=f]
        M=train(tr); A=wtrain(tr)
        for k in range(len(T)):
            if k%folds!=f: continue
            if which is not None and k%2!=which: continue
            seen=[]
            for j,(s,ids) in enumerate(T[k]):
                fresh=[i for i in ids if i not in seen]
                if not s and fresh:
                    ctx=dict(M=M,A=A,k=k,j=j,seen=seen)
                    for name,fn in systems.items():
                        l=fn(ctx)
                        l=[i for i in l if i not in seen][:10]
                        res[name].append((k,sum(1 for i in fresh if i in l)/len(fresh)))
                seen+= fresh
    return res
def cooc_sc(M,seen):
    sc=collections.Counter()
    for a in seen:
        for b,c in M[2][a].items(): sc[b]+=c
    return sc
def fused(ctx, wr=2.0, ww=0.6, wp=0.3, relf=None):
    M=ctx['M']; seen=set(ctx['seen'])
    rel=cooc_sc(M,ctx['seen']) if relf is None else relf(ctx)
    lists=[(wr,norm(rel,seen)),(ww,norm(wscore(ctx['A'],ctx['k'],ctx['j']),seen)),(wp,norm(M[0],seen))]
    f=collections.Counter()
    for w,l in lists:
        for i,v in l.items(): f[i]+=w*v
    return [i for i,_ in sorted(f.items(), key=lambda t:(-t[1],t[0]))[:50]]

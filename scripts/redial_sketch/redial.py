# A Python sketch of the ReDial replay protocol (5 dialogue-level folds of redial_dev.jsonl,
# k % 5, movies already mentioned excluded, Recall@10 over scored recommender turns) on the
# @id mentions directly (no text understanding): co-occurrence, popularity and variants.
# Run from the repository root: python3 scripts/redial_sketch/run1.py. See docs/ARCHITECTURE.md.
import json, re, sys, collections, random, math
D=[json.loads(l) for l in open('../shared/data/redial/redial_dev.jsonl')]
MENT=re.compile(r'@(\d+)')
def turns(d):
    seeker=d['initiatorWorkerId']
    out=[]
    for m in d['messages']:
        s=m['senderWorkerId']==seeker
        ids=[]
        for x in MENT.findall(m['text']):
            if x not in ids: ids.append(x)
        if out and out[-1][0]==s:
            for x in ids:
                if x not in out[-1][1]: out[-1][1].append(x)
        else: out.append([s,ids])
    return out
T=[turns(d) for d in D]
def train(idx):
    pop=collections.Counter(); rpop=collections.Counter(); cooc=collections.defaultdict(collections.Counter); dirc=collections.defaultdict(collections.Counter)
    for k in idx:
        seen=[]
        for s,ids in T[k]:
            for i in ids:
                if i in seen: continue
                if not s:
                    rpop[i]+=1
                    for a in seen: dirc[a][i]+=1
                seen.append(i)
        for a in seen: pop[a]+=1
        for x in range(len(seen)):
            for y in range(x+1,len(seen)):
                cooc[seen[x]][seen[y]]+=1; cooc[seen[y]][seen[x]]+=1
    return pop,rpop,cooc,dirc
def rank(score, excl, k=50):
    return [i for i,_ in sorted(((i,v) for i,v in score.items() if i not in excl and v>0), key=lambda t:(-t[1],t[0]))][:k]
def evaluate(systems, folds=5):
    res=collections.defaultdict(list)
    for f in range(folds):
        tr=[k for k in range(len(T)) if k%folds!=f]
        M=train(tr)
        for k in range(len(T)):
            if k%folds!=f: continue
            seen=[]
            for s,ids in T[k]:
                fresh=[i for i in ids if i not in seen]
                if not s and fresh:
                    for name,fn in systems.items():
                        l=fn(M,seen)
                        l=[i for i in l if i not in seen][:10]
                        res[name].append((k,sum(1 for i in fresh if i in l)/len(fresh)))
                seen+= [i for i in fresh]
    return res
def combo(M,seen,wc=1.0,wp=0.0,popsrc=0,dirw=0.0,norm=None,k=60):
    pop,rpop,cooc,dirc=M
    P=rpop if popsrc else pop
    sc=collections.Counter()
    for a in seen:
        for b,c in cooc[a].items(): sc[b]+=wc*c
        if dirw:
            for b,c in dirc[a].items(): sc[b]+=dirw*c
    # pop fallback
    l=rank(sc,set(seen),60)
    if wp==0:
        pl=[i for i,_ in P.most_common(200) if i not in seen]
        for i in pl:
            if len(l)>=60: break
            if i not in l: l.append(i)
        return l
    # rrf-ish fusion by rank
    pl=[i for i,_ in P.most_common(200) if i not in seen]
    f=collections.Counter()
    for r,i in enumerate(l): f[i]+=1.0/(k+r)
    for r,i in enumerate(pl): f[i]+=wp/(k+r)
    return rank(f,set(seen),60)
def boot(res,names,B=1000):
    ds=sorted({k for k,_ in res[names[0]]})
    per={n:collections.defaultdict(list) for n in names}
    for n in names:
        for k,v in res[n]: per[n][k].append(v)
    rnd=random.Random(1)
    out={}
    for n in names:
        allv=[v for k,v in res[n]]; m=sum(allv)/len(allv)
        out[n]=m
    base=names[0]
    for n in names:
        diffs=[]
        for _ in range(B):
            samp=[rnd.choice(ds) for _ in ds]
            a=b=c=0
            for k in samp:
                a+=sum(per[n][k]); b+=sum(per[base][k]); c+=len(per[n][k])
            diffs.append((a-b)/max(c,1))
        diffs.sort()
        print(f"{n:30s} R@10 {out[n]:.4f}  diff vs {base}: {sum(diffs)/B:+.4f} [{diffs[25]:+.4f},{diffs[975]:+.4f}]")

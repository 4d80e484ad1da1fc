import csv, math, collections, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from words import *
YEAR={}
for row in csv.DictReader(open('../shared/data/redial/movies_with_mentions.csv')):
    m=re.search(r'\((\d{4})\)\s*$', row['movieName'])
    YEAR[row['movieId']]=int(m.group(1)) if m else 0
def feats(M,A,k,j,seen):
    pop,rpop,cooc,dirc=M
    excl=set(seen)
    cs=cooc_sc(M,seen)
    nseeds=collections.Counter()
    last=collections.Counter()
    for a in seen:
        for b in cooc[a]: nseeds[b]+=1
    if seen:
        for b,c in cooc[seen[-1]].items(): last[b]+=c
    dsc=collections.Counter()
    for a in seen:
        for b,c in dirc[a].items(): dsc[b]+=c
    ws=wscore(A,k,j)
    cand=set()
    for sc in (cs,ws,pop):
        cand|=set(i for i,_ in sorted(((i,v) for i,v in sc.items() if i not in excl and v>0), key=lambda t:-t[1])[:100])
    cand=sorted(cand)
    ncs=norm(cs,excl); nws=norm(ws,excl); npop=norm(pop,excl)
    ys=[YEAR.get(a,0) for a in seen if YEAR.get(a,0)]
    my=float(np.median(ys)) if ys else 0
    X=[]
    for i in cand:
        y=YEAR.get(i,0)
        X.append([ncs.get(i,0), math.log1p(cs.get(i,0)), nseeds.get(i,0)/max(1,len(seen)),
                  nws.get(i,0), math.log1p(max(ws.get(i,0),0)),
                  npop.get(i,0), math.log1p(pop.get(i,0)), math.log1p(rpop.get(i,0)),
                  (rpop.get(i,0)+1)/(pop.get(i,0)+2), math.log1p(dsc.get(i,0)), math.log1p(last.get(i,0)),
                  (y>=2015) if y else 0, abs(y-my)/20 if (y and my) else 0.5, 1.0 if not seen else 0.0])
    return cand, np.array(X,dtype=np.float32)
def examples(idx, M, A):
    Xs=[];Ys=[]
    for k in idx:
        seen=[]
        for j,(s,ids) in enumerate(T[k]):
            fresh=[i for i in ids if i not in seen]
            if not s and fresh:
                cand,X=feats(M,A,k,j,seen)
                if len(cand):
                    Xs.append(X); Ys.append(np.array([1 if i in fresh else 0 for i in cand]))
            seen+=fresh
    return np.vstack(Xs), np.concatenate(Ys)
def run(folds=5, inner=4, C=1.0):
    res=collections.defaultdict(list)
    for f in range(folds):
        tr=[k for k in range(len(T)) if k%folds!=f]
        Xs=[];Ys=[]
        for g in range(inner):
            itr=[k for n,k in enumerate(tr) if n%inner!=g]; ite=[k for n,k in enumerate(tr) if n%inner==g]
            M=train(itr); A=wtrain(itr)
            X,Y=examples(ite,M,A); Xs.append(X); Ys.append(Y)
        X=np.vstack(Xs); Y=np.concatenate(Ys)
        mu=X.mean(0); sd=X.std(0)+1e-6
        clf=LogisticRegression(C=C,max_iter=2000).fit((X-mu)/sd,Y)
        if f==0: print('coef',np.round(clf.coef_[0],2), file=sys.stderr)
        M=train(tr); A=wtrain(tr)
        for k in range(len(T)):
            if k%folds!=f: continue
            seen=[]
            for j,(s,ids) in enumerate(T[k]):
                fresh=[i for i in ids if i not in seen]
                if not s and fresh:
                    ctx=dict(M=M,A=A,k=k,j=j,seen=seen)
                    cand,Xt=feats(M,A,k,j,seen)
                    p=clf.decision_function((Xt-mu)/sd) if len(cand) else []
                    l=[cand[n] for n in np.argsort(-np.asarray(p),kind='stable')][:10]
                    systems={'cooc':combo(M,seen)[:10],'fused_default':fused(ctx)[:10],'ltr':l}
                    for name,l in systems.items():
                        l=[i for i in l if i not in seen][:10]
                        res[name].append((k,sum(1 for i in fresh if i in l)/len(fresh)))
                seen+=fresh
    return res
r=run(); boot(r,['cooc','fused_default','ltr'])

from redial import *
S={'cooc':lambda M,s:combo(M,s),
   'cooc_rpopfill':lambda M,s:combo(M,s,popsrc=1),
   'dir':lambda M,s:combo(M,s,wc=0,dirw=1),
   'dir_rpop':lambda M,s:combo(M,s,wc=0,dirw=1,popsrc=1),
   'cooc+dir_rpop':lambda M,s:combo(M,s,wc=1,dirw=1,popsrc=1),
   'pop':lambda M,s:[i for i,_ in M[0].most_common(70)],
   'rpop':lambda M,s:[i for i,_ in M[1].most_common(70)],
}
r=evaluate(S); boot(r,list(S))

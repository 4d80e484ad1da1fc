from words import *
import sys
S={'cooc':lambda c:combo(c['M'],c['seen']),
   'fused_default':lambda c:fused(c),
   'fused_noW':lambda c:fused(c,ww=0),
   'fused_w1':lambda c:fused(c,ww=1.0),
   'fused_p.6':lambda c:fused(c,wp=0.6),
   'fused_p.15':lambda c:fused(c,wp=0.15),
}
r=evaluate2(S); boot(r,list(S))

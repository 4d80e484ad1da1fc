"""Brute-force dense top-k baseline in numpy, for `reco bench retrieval`.

Usage: python3 dense_numpy.py VECTORS.f32 QUERIES.f32 DIM K REPEATS
Both files are raw little-endian float32, row-major. Prints one JSON line:
{"p50_ms": ..., "mean_ms": ..., "top": [[row ids of query 0 best first], ...]}.
"""

import json
import sys
import time

import numpy as np


def main() -> None:
    vec_path, q_path, dim, k, repeats = sys.argv[1:6]
    dim, k, repeats = int(dim), int(k), int(repeats)
    m = np.fromfile(vec_path, dtype="<f4").reshape(-1, dim)
    qs = np.fromfile(q_path, dtype="<f4").reshape(-1, dim)
    times, tops = [], []
    for _ in range(repeats):
        for q in qs:
            t = time.perf_counter()
            s = m @ q
            idx = np.argpartition(-s, k)[:k]
            idx = idx[np.argsort(-s[idx])]
            times.append((time.perf_counter() - t) * 1e3)
            if len(tops) < len(qs):
                tops.append(idx.tolist())
    times.sort()
    print(json.dumps({"p50_ms": times[len(times) // 2], "mean_ms": sum(times) / len(times), "top": tops}))


if __name__ == "__main__":
    main()

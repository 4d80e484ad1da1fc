#!/usr/bin/env python3
"""A GGUF model of a real model's exact shape and quantization, with random weights.

Speed does not depend on the weights' values, so the GPU bundle carries only the *skeleton* of
the default model (its GGUF header: metadata, tokenizer, chat template, tensor names, shapes,
types and offsets: a few MB) instead of the 491 MB file, and the GPU machine writes the tensor
data as random, valid blocks of each tensor's own quantization type.

    gguf_random.py skeleton REAL.gguf OUT.skel      # here: keep the header, drop the weights
    gguf_random.py fill OUT.skel MODEL.gguf [--seed N]   # there: header + random tensor data
    gguf_random.py info FILE                        # architecture, shape, tensor types, sizes

Standard library only (the GPU machine's python3 has numpy, this machine's may not). Random
blocks keep every float field finite and small: f16 scales are fixed at 2^-14 (so a Q4_K
weight is at most ~0.06), norm weights are 1.0 and other float tensors small.
"""

import argparse
import json
import os
import random
import struct
import sys

# ggml type id -> (name, elements per block, bytes per block, [(offset, kind)] of float fields
# in a block that random bytes must not fill: "f16" scale or "f32" scale).
TYPES = {
    0: ("F32", 1, 4, []),
    1: ("F16", 1, 2, []),
    2: ("Q4_0", 32, 18, [(0, "f16")]),
    3: ("Q4_1", 32, 20, [(0, "f16"), (2, "f16")]),
    6: ("Q5_0", 32, 22, [(0, "f16")]),
    7: ("Q5_1", 32, 24, [(0, "f16"), (2, "f16")]),
    8: ("Q8_0", 32, 34, [(0, "f16")]),
    10: ("Q2_K", 256, 84, [(80, "f16"), (82, "f16")]),
    11: ("Q3_K", 256, 110, [(108, "f16")]),
    12: ("Q4_K", 256, 144, [(0, "f16"), (2, "f16")]),
    13: ("Q5_K", 256, 176, [(0, "f16"), (2, "f16")]),
    14: ("Q6_K", 256, 210, [(208, "f16")]),
    15: ("Q8_K", 256, 292, [(0, "f32")]),
    30: ("BF16", 1, 2, []),
}
SCALE_F16 = struct.pack("<e", 2.0**-14)  # 0x0400, the smallest normal f16
SCALE_F32 = struct.pack("<f", 2.0**-14)


class Reader:
    def __init__(self, data):
        self.b = data
        self.p = 0

    def take(self, n):
        if self.p + n > len(self.b):
            raise ValueError("truncated GGUF header")
        v = self.b[self.p : self.p + n]
        self.p += n
        return v

    def u(self, fmt):
        return struct.unpack("<" + fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self):
        return self.take(self.u("Q")).decode("utf-8", "replace")

    SCALAR = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}

    def value(self, t):
        if t == 8:
            return self.string()
        if t == 9:
            et, n = self.u("I"), self.u("Q")
            if et in self.SCALAR:
                size = struct.calcsize(self.SCALAR[et])
                raw = self.take(size * n)
                return ("array", et, n, raw if n > 64 else list(struct.unpack("<%d%s" % (n, self.SCALAR[et]), raw)))
            return ("array", et, n, [self.value(et) for _ in range(n)])
        return self.u(self.SCALAR[t])


def parse_header(data):
    """(metadata dict, tensor list, data start offset, alignment) from the file's first bytes."""
    r = Reader(data)
    if r.take(4) != b"GGUF":
        raise ValueError("not a GGUF file (bad magic)")
    version = r.u("I")
    if version not in (2, 3):
        raise ValueError(f"GGUF version {version} not supported")
    n_tensors, n_kv = r.u("Q"), r.u("Q")
    meta = {}
    for _ in range(n_kv):
        k = r.string()
        meta[k] = r.value(r.u("I"))
    tensors = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.u("Q") for _ in range(r.u("I"))]
        t, off = r.u("I"), r.u("Q")
        tensors.append({"name": name, "dims": dims, "type": t, "offset": off})
    align = meta.get("general.alignment", 32)
    start = (r.p + align - 1) // align * align
    return meta, tensors, start, align


def nbytes(t):
    if t["type"] not in TYPES:
        raise ValueError(f"tensor {t['name']}: ggml type {t['type']} not supported here")
    _, blk, size, _ = TYPES[t["type"]]
    n = 1
    for d in t["dims"]:
        n *= d
    if n % blk:
        raise ValueError(f"tensor {t['name']}: {n} elements is not a whole number of blocks")
    return n // blk * size


def elements(t):
    n = 1
    for d in t["dims"]:
        n *= d
    return n


def read_header(path, limit=64 << 20):
    with open(path, "rb") as f:
        data = f.read(limit)
    return (data,) + parse_header(data)


def random_tensor(t, rng):
    name, blk, size, fields = TYPES[t["type"]]
    n = nbytes(t)
    if name in ("F32", "F16", "BF16"):
        # Norm weights 1.0, other float tensors (biases) small: a few distinct values repeated.
        count = n // (4 if name == "F32" else 2)
        if "norm" in t["name"]:
            vals = [1.0]
        else:
            vals = [rng.uniform(-0.02, 0.02) for _ in range(251)]
        if name == "F32":
            unit = struct.pack("<%df" % len(vals), *vals)
        elif name == "F16":
            unit = struct.pack("<%de" % len(vals), *vals)
        else:
            unit = b"".join(struct.pack("<f", v)[2:] for v in vals)
        reps = -(-count // len(vals))
        return (unit * reps)[:n]
    buf = bytearray(rng.randbytes(n))
    blocks = n // size
    for off, kind in fields:
        pat = SCALE_F16 if kind == "f16" else SCALE_F32
        for i, byte in enumerate(pat):
            buf[off + i :: size] = bytes([byte]) * blocks
    return bytes(buf)


def cmd_skeleton(a):
    data, meta, tensors, start, _ = read_header(a.src)
    if start > len(data):
        raise ValueError("header larger than the read limit")
    with open(a.out, "wb") as f:
        f.write(data[:start])
    total = start + max(t["offset"] + nbytes(t) for t in tensors)
    print(json.dumps({"skeleton_bytes": start, "model_bytes": total, "tensors": len(tensors)}))


def cmd_fill(a):
    data, meta, tensors, start, align = read_header(a.skel)
    if len(data) != start:
        raise ValueError(f"{a.skel}: {len(data)} bytes, expected a skeleton of {start}")
    rng = random.Random(a.seed)
    tmp = a.out + ".part"
    with open(tmp, "wb") as f:
        f.write(data)
        pos = 0
        for t in sorted(tensors, key=lambda t: t["offset"]):
            if t["offset"] < pos:
                raise ValueError(f"tensor {t['name']} overlaps the one before it")
            f.write(b"\0" * (t["offset"] - pos))
            blob = random_tensor(t, rng)
            f.write(blob)
            pos = t["offset"] + len(blob)
        f.write(b"\0" * ((-pos) % align))
    os.replace(tmp, a.out)
    print(json.dumps({"file": a.out, "bytes": os.path.getsize(a.out), "tensors": len(tensors), "seed": a.seed}))


def describe(path):
    data, meta, tensors, start, _ = read_header(path)
    arch = meta.get("general.architecture")
    hist = {}
    for t in tensors:
        name = TYPES.get(t["type"], (str(t["type"]),))[0]
        hist[name] = hist.get(name, 0) + 1
    keys = {k.split(".", 1)[1]: v for k, v in meta.items() if k.startswith(f"{arch}.") and not isinstance(v, tuple)}
    tokens = meta.get("tokenizer.ggml.tokens")
    return {
        "architecture": arch,
        "name": meta.get("general.name"),
        "hparams": keys,
        "vocab": tokens[2] if isinstance(tokens, tuple) else None,
        "tensor_types": hist,
        "tensors": len(tensors),
        "header_bytes": start,
        "data_bytes": max(t["offset"] + nbytes(t) for t in tensors),
        "parameters": sum(elements(t) for t in tensors),
        "token_embd": next((t["dims"] for t in tensors if t["name"] == "token_embd.weight"), None),
        "tied_output": not any(t["name"] == "output.weight" for t in tensors),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("skeleton")
    s.add_argument("src")
    s.add_argument("out")
    f = sub.add_parser("fill")
    f.add_argument("skel")
    f.add_argument("out")
    f.add_argument("--seed", type=int, default=0)
    i = sub.add_parser("info")
    i.add_argument("file")
    a = p.parse_args()
    try:
        if a.cmd == "skeleton":
            cmd_skeleton(a)
        elif a.cmd == "fill":
            cmd_fill(a)
        else:
            print(json.dumps(describe(a.file), indent=1))
    except (OSError, ValueError) as e:
        sys.exit(f"gguf_random.py {a.cmd}: {e}")


if __name__ == "__main__":
    main()

"""llama.cpp baseline for `reco bench generate`: the same GGUF file and chat messages.

Usage: python3 llama_cpp_bench.py MODEL.gguf MESSAGES.json MAX_TOKENS THREADS
MESSAGES.json holds a list of runs, each a list of {"role", "content"} messages.
Prints one JSON line with load_s and, per run, prompt_tokens, prefill_s, ttft_s,
completion_tokens, decode_tok_per_s. Needs llama-cpp-python (pip install llama-cpp-python).
"""

import json
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "passive")

from llama_cpp import Llama  # noqa: E402


def main() -> None:
    model, messages_path, max_tokens, threads = sys.argv[1:5]
    runs = json.load(open(messages_path))
    t = time.perf_counter()
    llm = Llama(model_path=model, n_ctx=2048, n_threads=int(threads), verbose=False)
    load_s = time.perf_counter() - t
    out = []
    for messages in runs:
        llm.reset()
        t = time.perf_counter()
        r = llm.create_chat_completion(messages=messages, max_tokens=1, temperature=0.0)
        prefill_s = time.perf_counter() - t
        prompt_tokens = r["usage"]["prompt_tokens"]
        llm.reset()
        t = time.perf_counter()
        first = None
        n = 0
        for chunk in llm.create_chat_completion(messages=messages, max_tokens=int(max_tokens), temperature=0.0, stream=True):
            if chunk["choices"][0]["delta"].get("content"):
                n += 1
                if first is None:
                    first = time.perf_counter()
        end = time.perf_counter()
        decode = (end - first) if first else 0.0
        out.append({
            "prompt_tokens": prompt_tokens,
            "prefill_s": prefill_s,
            "ttft_s": (first - t) if first else None,
            "completion_tokens": n,
            "decode_tok_per_s": (n - 1) / decode if decode > 0 else 0.0,
        })
    print(json.dumps({"load_s": load_s, "runs": out}))


if __name__ == "__main__":
    main()

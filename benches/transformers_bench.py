"""PyTorch / transformers anchor for `reco bench gpu`: the same architecture as reco's GGUF model
(shape read from its header), random weights in bf16 (float32 on the CPU), the same prompt
lengths and the same number of generated tokens at batch 1, greedy.

Usage: python3 transformers_bench.py MODEL.gguf RUNS_JSON [--max-tokens N] [--device cuda|cpu]
                                      [--repeats N] [--compile-s S]
RUNS_JSON is a JSON list of {"name", "prompt_tokens"}. Prints one JSON object:
{"device", "torch", "transformers", "dtype", "config", "variants": {"eager": {"load_s", "runs":
[{"name", "prompt_tokens", "ttft_ms", "decode_tok_per_s", "completion_tokens"}]}, "compiled": ...}}.
"compiled" (a static KV cache, with which generate() compiles its decoding step with
torch.compile "reduce-overhead", i.e. CUDA graphs, on a GPU) runs only with --compile-s > 0 and
is abandoned, with a note, when it takes longer than that.

Speed does not depend on the weights, so no weights are loaded: the anchor needs only torch and
transformers (both on the GPU machines). Time to first token is generate() with the prompt up
to the first new token; decode speed is the tokens after the first over the time after it.
"""

import argparse
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "gpu"))
import gguf_random  # noqa: E402  (the GGUF header reader; standard library only)


def hf_config(path):
    """transformers config kwargs of the GGUF model's architecture and shape."""
    d = gguf_random.describe(path)
    arch, h = d["architecture"], d["hparams"]
    kinds = {"qwen2": "qwen2", "llama": "llama", "qwen3": "qwen3", "mistral": "mistral"}
    if arch not in kinds:
        raise ValueError(f"architecture {arch!r} has no anchor mapping")
    vocab = d["vocab"] or (d["token_embd"][1] if d["token_embd"] else None)
    heads = h["attention.head_count"]
    cfg = {
        "model_type": kinds[arch],
        "vocab_size": vocab,
        "hidden_size": h["embedding_length"],
        "intermediate_size": h["feed_forward_length"],
        "num_hidden_layers": h["block_count"],
        "num_attention_heads": heads,
        "num_key_value_heads": h.get("attention.head_count_kv", heads),
        "max_position_embeddings": min(h.get("context_length", 4096), 32768),
        "rms_norm_eps": h.get("attention.layer_norm_rms_epsilon", 1e-6),
        "tie_word_embeddings": d["tied_output"],
    }
    if "attention.key_length" in h:
        cfg["head_dim"] = h["attention.key_length"]
    return cfg, d["parameters"]


class Stamps:
    """A generate() streamer that notes when each new token reaches the host."""

    def __init__(self):
        self.times = []
        self.prompt_seen = False

    def put(self, value):
        if not self.prompt_seen:
            self.prompt_seen = True
            return
        _ = value.tolist()  # waits for the token (device to host)
        self.times.append(time.perf_counter())

    def end(self):
        pass


def time_runs(torch, model, runs, max_tokens, repeats, device, vocab):
    out = []
    for run in runs:
        n = int(run["prompt_tokens"])
        samples = []
        for i in range(repeats + 1):  # the first is a warm-up for this length
            ids = torch.randint(0, vocab, (1, n), device=device)
            s = Stamps()
            if device == "cuda":
                torch.cuda.synchronize()
            t = time.perf_counter()
            model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                max_new_tokens=max_tokens,
                min_new_tokens=max_tokens,
                do_sample=False,
                pad_token_id=0,
                streamer=s,
            )
            if i == 0 or not s.times:
                continue
            ttft = (s.times[0] - t) * 1e3
            decode = (len(s.times) - 1) / (s.times[-1] - s.times[0]) if len(s.times) > 1 else 0.0
            samples.append((ttft, decode, len(s.times)))
        samples.sort(key=lambda x: x[1])
        mid = samples[len(samples) // 2]
        out.append({
            "name": run["name"],
            "prompt_tokens": n,
            "ttft_ms": sorted(x[0] for x in samples)[len(samples) // 2],
            "decode_tok_per_s": mid[1],
            "completion_tokens": mid[2],
        })
    return out


class Timeout(Exception):
    pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("runs")
    p.add_argument("--max-tokens", type=int, default=128)
    p.add_argument("--device", default="cuda")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--compile-s", type=int, default=0)
    a = p.parse_args()
    runs = json.loads(a.runs)
    cfg_kwargs, gguf_parameters = hf_config(a.model)

    import torch
    import transformers

    device = "cuda" if a.device == "cuda" else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("torch sees no CUDA device")
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    report = {
        "device": torch.cuda.get_device_name(0) if device == "cuda" else "cpu",
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "dtype": str(dtype).replace("torch.", ""),
        "config": cfg_kwargs,
        "variants": {},
    }
    kw = dict(cfg_kwargs)
    config = transformers.AutoConfig.for_model(kw.pop("model_type"), **kw)
    torch.manual_seed(0)
    t = time.perf_counter()
    with torch.device(device):
        torch.set_default_dtype(dtype)
        model = transformers.AutoModelForCausalLM.from_config(config)
        torch.set_default_dtype(torch.float32)
    model.eval()
    load_s = time.perf_counter() - t
    report["parameters"] = sum(p.numel() for p in model.parameters())
    report["gguf_parameters"] = gguf_parameters
    vocab = cfg_kwargs["vocab_size"]
    with torch.inference_mode():
        report["variants"]["eager"] = {
            "load_s": load_s,
            "runs": time_runs(torch, model, runs, a.max_tokens, a.repeats, device, vocab),
        }
        if a.compile_s > 0:
            def alarm(*_):
                raise Timeout()

            signal.signal(signal.SIGALRM, alarm)
            signal.alarm(a.compile_s)
            try:
                # A static KV cache makes generate() compile the decoding step itself
                # (torch.compile, "reduce-overhead": CUDA graphs) on a GPU: transformers' fast path.
                model.generation_config.cache_implementation = "static"
                t = time.perf_counter()
                result = time_runs(torch, model, runs, a.max_tokens, a.repeats, device, vocab)
                report["variants"]["compiled"] = {"load_s": time.perf_counter() - t, "runs": result}
            except Timeout:
                report["variants"]["compiled"] = {"error": f"not done within {a.compile_s} s"}
            except Exception as e:  # a failed variant must not lose the eager numbers
                report["variants"]["compiled"] = {"error": f"{type(e).__name__}: {e}"[:500]}
            finally:
                signal.alarm(0)
    print(json.dumps(report))


if __name__ == "__main__":
    main()

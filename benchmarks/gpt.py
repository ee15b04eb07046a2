"""Benchmark of lesson 04: parity, training speed and quality, GPT vs. n-gram, KV-cache speed-up.

    .venv/bin/python benchmarks/gpt.py                 # the lesson's recipe (about 3 minutes idle)
    .venv/bin/python benchmarks/gpt.py --minutes 30    # also a larger model trained for 30 minutes

Prints one JSON object on its last line. Validation figures are nats per character on the
4 held-out plays, newlines included, for both the GPT and the n-grams. With ``--minutes``
the larger model's loss-vs-seconds curve (on a fixed 80,000-character sample of the
held-out plays, the n-grams scored on the same sample) is written to ``--out`` as it
goes, and ``crossover_seconds`` is the training time at which the GPT first beats the
best n-gram on that sample (null if it never does).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch

from aigc_course.config import get_device, seed_everything
from aigc_course.data import load_play, shakespeare_play_names
from aigc_course.per_char import nats_per_char
from aigc_course.gpt.parity import max_logit_difference
from aigc_course.gpt.recipes import LONG, SMALL, long_training, shakespeare_data, small_training, train_shakespeare_gpt
from aigc_course.sampling import generate
from _common import MachineLoad, write_json


def valid_sample(chars_per_play: int = 20_000) -> str:
    """The first ``chars_per_play`` characters (whole lines) of each held-out play, concatenated."""
    parts = []
    for name in shakespeare_play_names("valid"):
        text = load_play(name)
        cut = text.rfind("\n", 0, chars_per_play) + 1
        parts.append(text[:cut])
    return "".join(parts)


def ngram_baselines(orders, texts: dict[str, str]) -> dict[str, dict[int, float]]:
    """Modified Kneser–Ney character n-grams of each order, scored on each named text (nats/char)."""
    from aigc_course.ngram import NGramLM, char_sentences

    sentences = char_sentences(shakespeare_data().train_text)
    scores: dict[str, dict[int, float]] = {name: {} for name in texts}
    for order in orders:
        lm = NGramLM(order, smoothing="mkn").fit(sentences)
        for name, text in texts.items():
            scores[name][order] = nats_per_char(lm, text)
        print(f"  {order}-gram: " + ", ".join(f"{n} {s[order]:.4f}" for n, s in scores.items()), file=sys.stderr)
        del lm
    return scores


def kv_cache_speedup(model, new_tokens: int = 256, repeats: int = 3) -> tuple[float, float, float]:
    """Median seconds to generate ``new_tokens`` without and with the KV cache, and their ratio."""
    prompt = torch.zeros(1, 1, dtype=torch.long, device=next(model.parameters()).device)
    timings = {True: [], False: []}
    for _ in range(repeats):
        for cache in (False, True):
            started = time.perf_counter()
            generate(model, prompt, new_tokens, do_sample=True, use_cache=cache,
                     generator=torch.Generator(device=prompt.device).manual_seed(0))
            timings[cache].append(time.perf_counter() - started)
    without, with_cache = statistics.median(timings[False]), statistics.median(timings[True])
    return without, with_cache, without / with_cache


def long_run(minutes: float, out: Path, best_ngram_sample: float, ngram_sample_scores: dict, device) -> dict:
    """Train :data:`LONG` for ``minutes``; evaluate on the held-out sample as it goes; save the curve."""
    data = shakespeare_data()
    sample = valid_sample()
    curve = {"seconds": [], "cpu_seconds": [], "steps": [], "tokens": [], "val_nats_per_char": [], "load_average": []}
    cpu_start = time.process_time()
    started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load_at_start = os.getloadavg()

    def payload(model, history, final=None):
        crossing = next((s for s, v in zip(curve["seconds"], curve["val_nats_per_char"]) if v < best_ngram_sample),
                        None)
        return {
            "what": "validation loss of a character GPT against training seconds, vs. the best character n-gram",
            "model": LONG.to_dict(), "training": {k: v for k, v in long_training(minutes).to_dict().items()},
            "params": model.num_parameters(), "device": str(device), "torch_threads": torch.get_num_threads(),
            "started_utc": started_at, "load_average_at_start": load_at_start, "load_average_now": os.getloadavg(),
            "valid_sample_chars": len(sample), "ngram_sample_nats_per_char": ngram_sample_scores,
            "best_ngram_sample_nats_per_char": best_ngram_sample, "crossover_seconds": crossing,
            "curve": curve, "final": final,
        }

    cpu_at_eval: list[float] = []

    def record(history):
        cpu_at_eval.append(time.process_time())  # CPU time of training so far (+ earlier evaluations)
        loss = nats_per_char(model, sample, data.tokenizer, batch_size=16)
        curve["seconds"].append(round(history.val_seconds[-1], 2))
        curve["cpu_seconds"].append(round(cpu_at_eval[-1] - cpu_start, 1))
        curve["load_average"].append(round(os.getloadavg()[0], 2))
        curve["steps"].append(history.val_steps[-1])
        curve["tokens"].append(history.val_steps[-1] * long_training(minutes).batch_size * LONG.n_positions)
        curve["val_nats_per_char"].append(round(loss, 5))
        print(f"  long run: {history.val_seconds[-1]:7.1f} s, step {history.val_steps[-1]}, "
              f"sample {loss:.4f} nats/char (best n-gram {best_ngram_sample:.4f})", file=sys.stderr, flush=True)
        write_json(out, payload(model, history))

    seed_everything(0)
    from aigc_course.gpt import GPT, train

    model = GPT(LONG).to(device)
    history = train(model, data.train_ids, data.valid_ids, long_training(minutes), progress=False, callback=record)
    full = nats_per_char(model, data.valid_text, data.tokenizer, batch_size=16)
    result = payload(model, history, final={"train_seconds": history.train_seconds, "steps": history.steps[-1],
                                            "val_nats_per_char_all_valid_plays": full})
    write_json(out, result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=0.0, help="also train the larger model for this long")
    parser.add_argument("--orders", default="5,6,7,8", help="n-gram orders to compare with (comma separated)")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parents[1] / "aigc_course" / "data" / "lesson04_long_run.json")
    parser.add_argument("--skip-small", action="store_true", help="only the long run (with --minutes)")
    args = parser.parse_args()
    device = get_device()
    orders = [int(o) for o in args.orders.split(",")]
    load = MachineLoad()
    result: dict = {"device": str(device), "torch_threads": torch.get_num_threads()}

    result["parity_max_abs_logit_diff"] = max_logit_difference()
    data = shakespeare_data()
    texts = {"valid": data.valid_text}
    if args.minutes > 0:
        texts["sample"] = valid_sample()
    print("fitting n-grams...", file=sys.stderr)
    ngrams = ngram_baselines(orders, texts)
    best_order = min(ngrams["valid"], key=ngrams["valid"].get)
    result["ngram_val_nats_per_char"] = ngrams["valid"]
    result["best_ngram_order"] = best_order
    result["best_ngram_val_nats_per_char"] = ngrams["valid"][best_order]

    if not args.skip_small:
        model, history = train_shakespeare_gpt(SMALL, small_training(), progress=False)
        result["params"] = model.num_parameters()
        result["train_steps"] = history.steps[-1]
        result["train_seconds"] = history.train_seconds
        result["train_tokens_per_second"] = history.tokens_seen / history.train_seconds
        started = time.perf_counter()
        result["val_nats_per_char"] = nats_per_char(model, data.valid_text, data.tokenizer)
        result["eval_seconds"] = time.perf_counter() - started
        result["val_curve"] = {"seconds": [round(s, 2) for s in history.val_seconds],
                               "loss": [round(v, 4) for v in history.val_loss]}
        # 256 new tokens need a window longer than SMALL's 64; speed does not depend on the weights
        from dataclasses import replace

        from aigc_course.gpt import GPT

        wide = GPT(replace(SMALL, n_positions=320)).to(device).eval()
        without, with_cache, speedup = kv_cache_speedup(wide)
        result.update(generate_256_seconds_no_cache=without, generate_256_seconds_kv_cache=with_cache,
                      kv_cache_speedup=speedup)

    if args.minutes > 0:
        best_sample = min(ngrams["sample"].values())
        long_result = long_run(args.minutes, args.out, best_sample, ngrams["sample"], device)
        result["long_run"] = {k: long_result[k] for k in ("params", "crossover_seconds", "best_ngram_sample_nats_per_char")}
        result["long_run"]["final"] = long_result["final"]
        result["long_run"]["curve"] = long_result["curve"]
        result["crossover_seconds"] = long_result["crossover_seconds"]
    result["load_average"] = load.record()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

"""Benchmark of the neural-LM lesson: an MLP and a GRU language model against the n-grams, per CPU second.

    .venv/bin/python benchmarks/neural_lm.py                       # MLP 60 s, GRU 180 s (about 6 minutes idle)
    .venv/bin/python benchmarks/neural_lm.py --gru-seconds 1800 --curve aigc_course/data/neural_lm_long_run.json

Prints one JSON object on its last line. Every loss is in nats per character on the 4
held-out plays scored in full, newlines included, the convention of lessons 02 and 04:

- ``unigram_val_nats_per_char`` and ``ngram_val_nats_per_char`` (modified Kneser–Ney
  character n-grams by order, built on all 34 training plays); ``best_ngram_order`` and
  ``best_ngram_val_nats_per_char``;
- ``mlp_val_nats_per_char``, ``train_seconds_mlp``, ``steps_mlp``, ``params_mlp``: the MLP
  (the last 8 characters) after ``--mlp-seconds`` of training, scored in windows of 64
  characters sliding by 56 (each character sees its full 8-character context);
- ``rnn_val_nats_per_char``, ``train_seconds_rnn``, ``steps_rnn``, ``params_rnn``: the GRU after
  ``--gru-seconds``, scored in windows of 128 (its training length) sliding by 64 (each
  character sees at least 64 characters);
- ``rnn_minutes_to_beat_best_ngram``: with ``--curve``, the training minutes after which
  the GRU's score on the held-out plays first falls below the best n-gram's (null if it
  never does); the curve is written to that file as the run goes;
- ``load_average``: the machine's 1-minute load before and after, and its CPU count (timings on a busy
  machine are inflated; the losses then are too, since the budgets are in seconds).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

import torch

from aigc_course.config import fast_or, seed_everything
from aigc_course.gpt.recipes import shakespeare_data
from aigc_course.neural_lm import train
from aigc_course.per_char import nats_per_char
from aigc_course.neural_lm.recipes import (GRU_LEARNING_RATE, MLP_BLOCK, MLP_LEARNING_RATE, RNN_BLOCK, make_gru,
                                           make_mlp, timed_training)
from _common import MachineLoad, write_json


def unigram_nats_per_char(train_text: str, valid_text: str) -> float:
    """Add-one unigram over the training alphabet, every held-out character scored (newlines included)."""
    counts = Counter(train_text)
    total = sum(counts.values()) + len(counts)
    return -sum(math.log((counts[c] + 1) / total) for c in valid_text) / len(valid_text)


def ngram_scores(orders: list[int], train_text: str, valid_text: str) -> dict[int, float]:
    from aigc_course.ngram import NGramLM, char_sentences

    highest = NGramLM(max(orders), smoothing="mkn").fit(char_sentences(train_text))  # one count for every order
    scores = {}
    for order in orders:
        scores[order] = nats_per_char(highest.lower_order(order), valid_text)
        print(f"  {order}-gram: {scores[order]:.4f}", file=sys.stderr, flush=True)
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mlp-seconds", type=float, default=60.0)
    parser.add_argument("--gru-seconds", type=float, default=180.0)
    parser.add_argument("--curve", type=Path, default=None,
                        help="write the GRU's full held-out score after every evaluation to this JSON file")
    args = parser.parse_args()
    load = MachineLoad()
    data = shakespeare_data()
    vocab = len(data.tokenizer)
    valid_text = data.valid_text[:fast_or(None, 20_000)]
    result: dict = {"valid_chars": len(valid_text), "torch_threads": torch.get_num_threads()}
    result["unigram_val_nats_per_char"] = round(unigram_nats_per_char(data.train_text, valid_text), 4)
    orders = fast_or([3, 5, 7, 8], [3])
    ngrams = ngram_scores(orders, data.train_text[:fast_or(None, 500_000)], valid_text)
    best = min(ngrams, key=ngrams.get)
    result.update(ngram_val_nats_per_char={str(o): round(v, 4) for o, v in ngrams.items()}, best_ngram_order=best,
                  best_ngram_val_nats_per_char=round(ngrams[best], 4))

    for name, make, block, lr, seconds, window, stride in (
            ("mlp", make_mlp, MLP_BLOCK, MLP_LEARNING_RATE, args.mlp_seconds, MLP_BLOCK, MLP_BLOCK - 8),
            ("rnn", make_gru, RNN_BLOCK, GRU_LEARNING_RATE, args.gru_seconds, RNN_BLOCK, RNN_BLOCK // 2)):
        seed_everything(0)
        model = make(vocab)
        curve = {"seconds": [], "val_nats_per_char": []}

        def record(history, model=model, curve=curve, window=window, stride=stride):
            curve["seconds"].append(round(history.val_seconds[-1], 1))
            curve["val_nats_per_char"].append(round(nats_per_char(model, valid_text, data.tokenizer, window=window,
                                                                  stride=stride, batch_size=64), 4))
            print(f"  {name}: {curve['seconds'][-1]:7.1f} s, {curve['val_nats_per_char'][-1]:.4f}", file=sys.stderr,
                  flush=True)
            write_json(args.curve, {"model": name, "params": model.num_parameters(), "curve": curve,
                                    "best_ngram_val_nats_per_char": ngrams[best], "best_ngram_order": best})

        track = args.curve is not None and name == "rnn"
        history = train(model, data.train_ids, data.valid_ids, timed_training(seconds, block, lr), progress=False,
                        callback=record if track else None)
        score = curve["val_nats_per_char"][-1] if track else nats_per_char(
            model, valid_text, data.tokenizer, window=window, stride=stride, batch_size=64)
        result.update({f"{name}_val_nats_per_char": round(score, 4), f"train_seconds_{name}": round(
            history.train_seconds, 1), f"steps_{name}": history.steps[-1], f"params_{name}": model.num_parameters()})
        if track:
            below = [s for s, v in zip(curve["seconds"], curve["val_nats_per_char"]) if v < ngrams[best]]
            result["rnn_minutes_to_beat_best_ngram"] = round(below[0] / 60, 2) if below else None
    result["load_average"] = load.record()
    print(json.dumps(result))


if __name__ == "__main__":
    main()

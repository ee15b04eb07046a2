"""Benchmark of aigc_course.ngram: speed (fit, scoring, vs. nltk.lm) and quality (held-out perplexity).

Run: ``.venv/bin/python benchmarks/ngram.py`` (about 2-4 minutes on 2 cores; AIGC_FAST=1
shrinks it). The last line printed is one JSON object:

- ``train_tokens``: predictions in the word-level training text (words + one ``</s>`` per line);
- ``fit_seconds_5gram_mkn``: median wall time to fit the 5-gram modified-KN word model on
  all Shakespeare training lines (already tokenised), over several runs, and
  ``fit_cpu_seconds_5gram_mkn`` the CPU time of the same fits (close to the wall time of an
  idle machine: the counting is single-threaded);
- ``score_tokens_per_second``: scoring the held-out plays with that model;
- ``heldout_ppl_word``: held-out perplexity per word (``</s>`` counted) by order 1-5;
- ``heldout_nats_per_char_char_model``: character models (modified KN) by order, in
  nats per character, newlines included (the convention of ``nats_per_char``);
- ``nltk_fit_score_seconds`` / ``ours_fit_score_seconds`` / ``speedup_vs_nltk``: fitting a
  trigram ``nltk.lm.KneserNeyInterpolated`` on a subset and scoring held-out lines with it,
  against our interpolated KN on the same lines, measured in the same run (each library
  with its own padding conventions; nltk's perplexity is reported too — it is infinite
  whenever a held-out word is unseen, a known nltk issue);
- ``kenlm_relative_ppl_difference``: KenLM scoring our exported trigram ARPA vs. us;
- ``load_average``: the machine's 1-minute load before and after, and its CPU count (timings on a busy
  machine are inflated).
"""

from __future__ import annotations

import json
import math
import statistics
import tempfile
import time
from pathlib import Path

from aigc_course.config import fast_or
from aigc_course.data import load_shakespeare
from aigc_course.ngram import NGramLM, char_sentences, write_arpa
from aigc_course.per_char import nats_per_char
from aigc_course.text import word_tokenize
from _common import MachineLoad


def _timed(fn, repeats: int) -> tuple[float, float, object]:
    """Median wall-clock seconds, median CPU seconds of this process, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus), result


def _nltk_fit_score(train, valid, order: int) -> tuple[float, float, float]:
    from nltk.lm import KneserNeyInterpolated
    from nltk.lm.preprocessing import pad_both_ends, padded_everygram_pipeline
    from nltk.util import ngrams

    start, start_cpu = time.perf_counter(), time.process_time()
    lm = KneserNeyInterpolated(order)
    text, vocab = padded_everygram_pipeline(order, train)
    lm.fit(text, vocab)
    total_bits, n = 0.0, 0
    for sentence in valid:
        for gram in ngrams(pad_both_ends(sentence, n=order), order):
            total_bits += lm.logscore(gram[-1], gram[:-1])
            n += 1
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    ppl = 2 ** (-total_bits / n) if math.isfinite(total_bits) else math.inf
    return seconds, cpu, ppl


def main() -> dict:
    load = MachineLoad()
    train_text, valid_text = load_shakespeare("train"), load_shakespeare("valid")
    train = [word_tokenize(line) for line in train_text.splitlines()]
    valid = [word_tokenize(line) for line in valid_text.splitlines()]
    result: dict = {"train_tokens": sum(len(s) + 1 for s in train), "train_lines": len(train),
                    "valid_tokens": sum(len(s) + 1 for s in valid)}

    # speed: the 5-gram modified-KN fit on all training words, and scoring
    fit_seconds, fit_cpu, lm5 = _timed(lambda: NGramLM(5, "mkn").fit(train), fast_or(3, 1))
    result["fit_seconds_5gram_mkn"] = round(fit_seconds, 3)
    result["fit_cpu_seconds_5gram_mkn"] = round(fit_cpu, 3)
    score_seconds, _, _ = _timed(lambda: lm5.total_logprob(valid), fast_or(5, 2))
    result["score_tokens_per_second"] = round(result["valid_tokens"] / score_seconds)

    # quality: word models by order, train and held-out
    result["heldout_ppl_word"], result["train_ppl_word"] = {}, {}
    for order in range(1, 6):
        lm = lm5 if order == 5 else NGramLM(order, "mkn").fit(train)
        result["heldout_ppl_word"][order] = round(lm.perplexity(valid), 2)
        result["train_ppl_word"][order] = round(lm.perplexity(train), 2)
    result["heldout_oov_rate_word"] = round(lm5.oov_rate(valid), 5)

    # quality: character models by order (nats per character, newlines included)
    result["heldout_nats_per_char_char_model"] = {}
    chars = char_sentences(train_text)
    for order in range(1, fast_or(9, 5)):
        lm = NGramLM(order, "mkn").fit(chars)
        result["heldout_nats_per_char_char_model"][order] = round(nats_per_char(lm, valid_text), 4)

    # speed vs. nltk.lm on the same subset (trigram interpolated KN)
    sub_train, sub_valid = train[: fast_or(2000, 300)], valid[: fast_or(100, 20)]
    nltk_seconds, nltk_cpu, nltk_ppl = _nltk_fit_score(sub_train, sub_valid, 3)
    ours_seconds, ours_cpu, ours_ppl = _timed(lambda: NGramLM(3, "kn").fit(sub_train).perplexity(sub_valid), 5)
    result.update(nltk_subset_train_lines=len(sub_train), nltk_subset_valid_lines=len(sub_valid),
                  nltk_fit_score_seconds=round(nltk_seconds, 3), ours_fit_score_seconds=round(ours_seconds, 4),
                  speedup_vs_nltk=round(nltk_seconds / ours_seconds, 1),
                  speedup_vs_nltk_cpu=round(nltk_cpu / max(ours_cpu, 1e-6), 1),
                  nltk_subset_ppl=nltk_ppl if math.isfinite(nltk_ppl) else "inf",
                  ours_subset_ppl=round(ours_ppl, 2))

    # KenLM reads our ARPA file and scores the held-out plays identically
    try:
        import kenlm
    except ImportError:
        result["kenlm_relative_ppl_difference"] = "kenlm not installed"
    else:
        lm3 = NGramLM(3, "mkn").fit(train)
        with tempfile.TemporaryDirectory() as tmp:
            model = kenlm.Model(str(write_arpa(lm3, Path(tmp) / "words3.arpa")))
        nats = sum(model.score(" ".join(s), bos=True, eos=True) for s in valid) * math.log(10)
        ppl_kenlm = math.exp(-nats / result["valid_tokens"])
        result["kenlm_relative_ppl_difference"] = abs(ppl_kenlm / lm3.perplexity(valid) - 1)
    result["load_average"] = load.record()
    return result


if __name__ == "__main__":
    figures = main()
    print(json.dumps(figures))

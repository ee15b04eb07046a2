"""Benchmark of aigc_course.career: speed of the tools a learner waits on, and the risk figures.

Run: ``.venv/bin/python benchmarks/career.py`` (about a minute on 2 cores; AIGC_FAST=1
shrinks it). The last line printed is one JSON object:

- ``scores_microseconds`` / ``plan_milliseconds`` / ``markdown_milliseconds``: median wall
  time to score, plan and export the worked example (content editor);
- ``save_milliseconds`` / ``load_milliseconds``: one atomic save (temporary file, fsync,
  ``os.replace``, backup) and one load of the answers file;
- ``form_refresh_seconds``: median time for the interactive form to redraw after a change
  (the target is under 1 s);
- ``index_build_seconds``: hashing every 24-character window of the training plays
  (``train_chars`` characters) into a :class:`VerbatimIndex`;
- ``copy_measure_seconds`` / ``naive_copy_measure_seconds`` / ``speedup_vs_naive``: measuring
  the copied share of a ``sample_chars``-character text with the index, against the plain
  loop (``window in training_text`` for every window) on the same text, same run; the two
  results must agree (``copy_results_agree``);
- ``copied_share``: share of characters inside verbatim copies of >= 24 characters, for
  held-out real Shakespeare and for unsmoothed/smoothed character n-grams trained on the
  first ``ngram_train_chars`` characters of the training plays;
- ``detector_auc``: likelihood-based detection of the smoothed 8-gram's own lines vs.
  held-out lines, by sampling temperature;
- ``glove_z_nurse_minus_engineer``: the gender-axis gap in GloVe (z-scores);
- ``load_average``: the machine's 1-minute load before and after, and its CPU count (timings on a busy
  machine are inflated).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import statistics
import sys
import tempfile
import time

import matplotlib

matplotlib.use("Agg")

from aigc_course.career import AnswerStore, content_editor, exposure_scores, make_plan, to_markdown
from aigc_course.career.authenticity import detection_auc, score_lines
from aigc_course.career.bias import gender_projections
from aigc_course.career.memorisation import VerbatimIndex
from aigc_course.config import fast_or
from aigc_course.data import load_shakespeare
from aigc_course.ngram import NGramLM, char_sentences, generate_lines
from aigc_course.per_char import nats_per_char
from _common import MachineLoad, median_seconds

SPAN = 24


def _naive_copied_fraction(generated: str, training: str, span: int) -> float:
    copied = [False] * len(generated)
    for s in range(len(generated) - span + 1):
        if generated[s:s + span] in training:
            copied[s:s + span] = [True] * span
    return sum(copied) / len(generated)


def _sample(lm: NGramLM, n_lines: int, seed: int, temperature: float = 1.0) -> str:
    lines = generate_lines(lm, n_lines, seed=seed, max_tokens=100, temperature=temperature)
    return "\n".join("".join(line) for line in lines)


def main() -> dict:
    load = MachineLoad()
    out: dict = {}
    profile = content_editor()
    out["scores_microseconds"] = median_seconds(lambda: [exposure_scores(profile) for _ in range(100)], 5)[0] * 1e4
    out["plan_milliseconds"] = median_seconds(lambda: make_plan(profile), 7)[0] * 1e3
    out["markdown_milliseconds"] = median_seconds(lambda: to_markdown(profile), 7)[0] * 1e3
    with tempfile.TemporaryDirectory() as folder:
        store = AnswerStore(folder)
        out["save_milliseconds"] = median_seconds(lambda: store.save(profile), 7)[0] * 1e3
        out["load_milliseconds"] = median_seconds(store.load, 7)[0] * 1e3
        from aigc_course.widgets.career import CareerForm

        times = []
        with contextlib.redirect_stdout(io.StringIO()):  # outside a kernel the form's output goes to stdout
            form = CareerForm(profile, store=store)
            slider = form.skills["communication"]
            for value in (1, 2, 3, 4, 5):
                start = time.perf_counter()
                slider.value = value  # each change redraws scores and both charts
                times.append(time.perf_counter() - start)
        out["form_refresh_seconds"] = statistics.median(times)
    print("tools timed", file=sys.stderr)

    train_all = load_shakespeare("train")
    valid = load_shakespeare("valid")
    out["train_chars"] = len(train_all)
    out["index_build_seconds"], index_all = median_seconds(lambda: VerbatimIndex(train_all, SPAN), fast_or(3, 1))
    sample = valid[: fast_or(3000, 1000)]
    out["sample_chars"] = len(sample)
    fast_time, fast_result = median_seconds(lambda: index_all.copied_fraction(sample), 5)
    naive_time, naive_result = median_seconds(lambda: _naive_copied_fraction(sample, train_all, SPAN), 1)
    out["copy_measure_seconds"], out["naive_copy_measure_seconds"] = fast_time, naive_time
    out["speedup_vs_naive"] = naive_time / fast_time
    out["copy_results_agree"] = abs(fast_result - naive_result) < 1e-12
    print("index timed", file=sys.stderr)

    train = train_all[: fast_or(300_000, 120_000)]
    out["ngram_train_chars"] = len(train)
    index = VerbatimIndex(train, SPAN)
    sentences = char_sentences(train)
    copied = {"held-out plays": index.copied_fraction(valid[:3000])}
    models = {}
    for order, smoothing in [(4, "mle"), (8, "mle"), (12, "mle"), (16, "mle"), (8, "mkn")]:
        models[(order, smoothing)] = lm = NGramLM(order, smoothing=smoothing).fit(sentences)
        copied[f"{order}-gram {smoothing}"] = index.copied_fraction(_sample(lm, fast_or(60, 20), seed=0))
    out["copied_share"] = copied
    judge = models[(8, "mkn")]
    human = [line for line in valid.splitlines() if len(line) >= 20][: fast_or(120, 30)]
    human_scores = score_lines(lambda line: nats_per_char(judge, line + "\n"), human)
    aucs = {}
    for temperature in (0.7, 1.0, 1.3):
        lines = [l for l in _sample(judge, fast_or(120, 30), 1, temperature).splitlines() if len(l) >= 20]
        scores = score_lines(lambda line: nats_per_char(judge, line + "\n"), lines)
        aucs[str(temperature)] = detection_auc(scores, human_scores)
    out["detector_auc"] = aucs
    by_word = {p.word: p for p in gender_projections()}
    out["glove_z_nurse_minus_engineer"] = by_word["nurse"].z - by_word["engineer"].z
    out["load_average"] = load.record()
    return out


if __name__ == "__main__":
    result = main()
    print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in result.items()}))

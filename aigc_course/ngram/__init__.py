"""N-gram language models: counts, smoothing, perplexity, generation and ARPA files.

>>> from aigc_course.ngram import NGramLM
>>> lm = NGramLM(order=3, smoothing="mkn").fit([["to", "be", "or", "not", "to", "be"]])
>>> lm.perplexity([["to", "be"]]) > 1
True

Modules (one idea each): :mod:`.vocab` (ids and ``<s>``/``</s>``/``<unk>``),
:mod:`.counts` (integer-key counting with numpy), :mod:`.smoothing` (MLE, add-k,
Kneser-Ney, modified Kneser-Ney), :mod:`.model` (:class:`NGramLM`: fitting and
scoring), :mod:`.generate` (:func:`sample_tokens`: temperature, top-k), :mod:`.arpa`
(:func:`write_arpa`, :func:`read_arpa`), :mod:`.charlevel` (the character-level
convention, by which :func:`aigc_course.per_char.nats_per_char` scores any course
model), :mod:`.plots` (next-token charts, perplexity vs. order). Dependencies run one
way: the model knows nothing of sampling or files, and the modules that do need it.

Conventions, compared with the two reference toolkits:

- Like KenLM, a sentence is padded with *one* ``<s>`` and one ``</s>``; ``</s>`` is
  scored and ``<s>`` never is; out-of-vocabulary words are scored as ``<unk>``. Our
  modified Kneser-Ney is lmplz's estimator (adjusted counts, three discounts per order
  from counts-of-counts, interpolation with the uniform distribution over every token
  but ``<s>``), and the ARPA files we write load in KenLM and score identically.
- nltk.lm pads with n-1 ``<s>`` and n-1 ``</s>``, counts ``<s>`` in its vocabulary,
  reports base-2 logs and gives 0 for an unseen MLE context (we back off to the longest
  seen suffix). Fed the same n-grams, our MLE and add-k probabilities equal nltk's to
  1e-12 (``tests/test_ngram_parity.py`` shows how). Its ``KneserNeyInterpolated`` is a
  different estimator (one fixed discount, 0.1 by default) and is not compared.
- Logarithms are natural (nats) everywhere in the Python API; ARPA files hold log10.

Limits, checked before any work starts: ``order`` <= ``MAX_ORDER`` (20), at most
``MAX_NEW_TOKENS`` (100,000) tokens per generated sentence, ``MAX_LINES`` sentences and
``MAX_GENERATED_TOKENS`` tokens per :func:`generate_lines` call, add-k's ``k`` <= ``MAX_K``.
"""

from .arpa import read_arpa, write_arpa
from .charlevel import char_logprobs, char_sentences, corpus_nats_per_char
from .counts import MAX_ORDER, NGramCounts, NGramTable
from .generate import (MAX_GENERATED_TOKENS, MAX_LINES, MAX_NEW_TOKENS, generate_lines, reshape_distribution,
                       sample_tokens)
from .model import MAX_K, NGramLM, NotFittedError
from .smoothing import SMOOTHINGS, adjusted_counts, estimate_discounts
from .vocab import BOS, EOS, UNK, NGramVocab

__all__ = [
    "NGramLM", "NotFittedError", "SMOOTHINGS", "BOS", "EOS", "UNK",
    "char_sentences", "char_logprobs", "corpus_nats_per_char",
    "generate_lines", "reshape_distribution", "sample_tokens",
    "read_arpa", "write_arpa",
    "NGramCounts", "NGramTable", "NGramVocab", "adjusted_counts", "estimate_discounts",
    "MAX_ORDER", "MAX_NEW_TOKENS", "MAX_LINES", "MAX_GENERATED_TOKENS", "MAX_K",
]

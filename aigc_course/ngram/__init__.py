"""N-gram language models: counts, smoothing, perplexity, generation and ARPA files.

>>> from aigc_course.ngram import NGramLM, char_sentences, nats_per_char
>>> lm = NGramLM(order=3, smoothing="mkn").fit([["to", "be", "or", "not", "to", "be"]])
>>> lm.perplexity([["to", "be"]]) > 1
True

Modules (one idea each): :mod:`.vocab` (ids and ``<s>``/``</s>``/``<unk>``),
:mod:`.counts` (integer-key counting with numpy), :mod:`.smoothing` (MLE, add-k,
Kneser-Ney, modified Kneser-Ney), :mod:`.model` (:class:`NGramLM`), :mod:`.generate`
(temperature, top-k), :mod:`.arpa` (ARPA export/import), :mod:`.charlevel`
(the character-level convention and per-character figures).
"""

from .arpa import read_arpa, write_arpa
from .charlevel import bits, char_sentences, corpus_nats_per_char, nats_per_char
from .counts import NGramCounts, NGramTable
from .generate import generate_lines, reshape_distribution, sample_tokens
from .model import NGramLM, NotFittedError
from .smoothing import SMOOTHINGS, adjusted_counts, estimate_discounts
from .vocab import BOS, EOS, UNK, NGramVocab

__all__ = [
    "NGramLM", "NotFittedError", "SMOOTHINGS", "BOS", "EOS", "UNK",
    "char_sentences", "nats_per_char", "corpus_nats_per_char", "bits",
    "generate_lines", "reshape_distribution", "sample_tokens",
    "read_arpa", "write_arpa",
    "NGramCounts", "NGramTable", "NGramVocab", "adjusted_counts", "estimate_discounts",
]

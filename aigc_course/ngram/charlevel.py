"""Character-level conventions shared with the GPT lesson, and per-character figures.

A text is modelled line by line: each line is one "sentence" whose tokens are its
characters, and the newline that ends it is the model's ``</s>``. So the number of
predictions equals the number of characters *including* newlines (for a text that
ends with a newline), and

    nats_per_char(lm, text) = -(sum of ln P over every character and every </s>) / len(text)

(:func:`aigc_course.per_char.nats_per_char`, built on :func:`char_logprobs`) is
directly comparable with a character-level neural model's cross-entropy loss on the
same text (which predicts each character, newlines included).

Per-character figures also let models with *different* tokenisations be compared
(e.g. Chinese characters vs. jieba words): the total nats of a corpus divided by its
number of characters does not depend on how the text was cut into tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..language import tr
from ..validate import check_int_compat, check_str
from .model import check_fitted

if TYPE_CHECKING:
    from .model import NGramLM


def char_sentences(text: str) -> list[list[str]]:
    """One sentence per line of ``text``, each the list of that line's characters.

    A final newline does not start an extra empty sentence: ``"ab\\nc\\n"`` gives
    ``[["a", "b"], ["c"]]``. Empty lines give empty sentences (they still predict ``</s>``).
    """
    check_str(text, "text")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [list(line) for line in lines]


def corpus_nats_per_char(lm: "NGramLM", sentences: Sequence[Sequence[str]], n_chars: int) -> float:
    """Total nats of ``sentences`` (every token and every ``</s>``) divided by ``n_chars``.

    Use it to compare models with different tokenisations of the same text: pass the
    text's length in characters, counting one character per sentence end.
    """
    check_fitted(lm)
    n_chars = check_int_compat(n_chars, "n_chars", minimum=1)
    total, _ = lm.total_logprob(sentences)
    return -total / n_chars


def char_logprobs(lm: "NGramLM", text: str) -> np.ndarray:
    """ln P, in nats, of every prediction a character model makes on ``text``: a float64 array.

    One entry per character of each line and one per line end (the line's ``</s>``): a
    text that ends with a newline has exactly ``len(text)`` entries, one that does not has
    one more. :func:`aigc_course.per_char.nats_per_char` divides their negated sum by ``len(text)``.
    """
    check_fitted(lm)
    check_str(text, "text")
    if not text:
        raise ValueError(tr("text is empty: nothing to score", "text 为空：没有可以评分的内容"))
    tokens, offsets = lm.vocab._encode_text(text)  # = encode_corpus(char_sentences(text)), faster
    return lm._stream_logprob(tokens, offsets)[offsets > 0]

"""The n-gram model's vocabulary: tokens <-> integer ids, with three special tokens.

Conventions (the same as KenLM's):

- ``<s>`` marks the start of a sentence. It is only ever a *context*: it is never
  predicted, so its probability is 0 and it is never scored.
- ``</s>`` marks the end of a sentence. It *is* predicted, so every sentence of n
  tokens contributes n + 1 predictions (its words and its ``</s>``).
- ``<unk>`` stands for every token not seen in training (out-of-vocabulary, OOV).

Ids are fixed: ``<unk>`` = 0, ``<s>`` = 1, ``</s>`` = 2, then the training tokens in
sorted order, so the same corpus always gives the same ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from itertools import chain

import numpy as np

from ..validate import check_token_lists, check_tokens

UNK, BOS, EOS = "<unk>", "<s>", "</s>"
UNK_ID, BOS_ID, EOS_ID = 0, 1, 2
SPECIALS = (UNK, BOS, EOS)


def check_sentences(sentences: object, name: str = "sentences") -> list[list[str]]:
    """Validate a corpus given as an iterable of token sequences and return it as a list of lists.

    Raises ``TypeError`` for a plain string (a common slip: pass ``[tokens, ...]``, or
    :func:`~aigc_course.ngram.char_sentences` for characters), for a sentence that is a
    string or not a sequence of strings, and ``ValueError`` for ``<s>``/``</s>`` inside a sentence.
    """
    if isinstance(sentences, (str, bytes)):
        raise TypeError(
            f"{name} must be an iterable of token lists, got a plain string {sentences[:30]!r}; "
            "tokenise first (e.g. [word_tokenize(line) for line in text.splitlines()]) "
            "or use char_sentences(text) for a character model"
        )
    out = check_token_lists(sentences, name)
    for i, sentence in enumerate(out):
        if BOS in sentence or EOS in sentence:
            raise ValueError(
                f"{name}[{i}] contains '<s>' or '</s>'; sentence boundaries are added by the model, "
                "pass the sentence's tokens only"
            )
    return out


class _Index(dict):
    """A token -> id dict whose missing tokens map to ``<unk>``."""

    def __missing__(self, token: str) -> int:
        return UNK_ID


class NGramVocab:
    """Token <-> id mapping with ``<unk>``, ``<s>`` and ``</s>`` at ids 0, 1, 2."""

    def __init__(self, tokens: Sequence[str]):
        tokens = check_tokens(tokens, "tokens")
        if tuple(tokens[:3]) != SPECIALS:
            raise ValueError(f"tokens must start with {SPECIALS}, got {tuple(tokens[:3])}")
        self.tokens: list[str] = tokens
        self.index: dict[str, int] = _Index((t, i) for i, t in enumerate(tokens))
        if len(self.index) != len(tokens):
            raise ValueError("tokens must be distinct")

    @classmethod
    def from_sentences(cls, sentences: Sequence[Sequence[str]]) -> "NGramVocab":
        """Every token seen in ``sentences`` (lists of str tokens; no minimum count), after the three specials."""
        return cls._from_checked(check_sentences(sentences))

    @classmethod
    def _from_checked(cls, sentences: list[list[str]]) -> "NGramVocab":
        """:meth:`from_sentences` for a corpus that :func:`check_sentences` already accepted."""
        seen = set(chain.from_iterable(sentences))
        seen.discard(UNK)
        return cls(list(SPECIALS) + sorted(seen))

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self.index

    def ids(self, tokens: Iterable[str]) -> list[int]:
        """Ids of ``tokens`` (a list of str); unknown tokens become ``<unk>`` (id 0)."""
        get = self.index.get
        return [get(t, UNK_ID) for t in check_tokens(tokens, "tokens")]

    def encode_corpus(self, sentences: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Lay a corpus out as one stream ``<s> w1 .. wn </s> <s> ...``.

        Returns ``(tokens, offsets)``, two int64 arrays of the same length: the id at
        each position and its position inside its sentence (``<s>`` has offset 0). An
        n-gram ending at position i lies inside one sentence iff ``offsets[i] >= n - 1``.
        """
        return self._encode(check_sentences(sentences))

    @cached_property
    def _characters(self) -> tuple[np.ndarray, np.ndarray]:
        """(sorted code points, their ids) of the tokens that are single characters."""
        chars = sorted((ord(t), i) for i, t in enumerate(self.tokens) if len(t) == 1)
        return (np.array([c for c, _ in chars], dtype=np.int64).reshape(-1),
                np.array([i for _, i in chars], dtype=np.int64).reshape(-1))

    def _encode_text(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`encode_corpus` of ``char_sentences(text)`` (one sentence per line, a token per
        character), computed on the code points with numpy instead of a list per line."""
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        if not len(codes) or codes[-1] != ord("\n"):
            codes = np.append(codes, ord("\n"))  # the last line ends like the others
        known, ids = self._characters
        at = np.minimum(np.searchsorted(known, codes), max(len(known) - 1, 0))
        words = np.where(known[at] == codes, ids[at], UNK_ID) if len(known) else np.full(len(codes), UNK_ID)
        newline = codes == ord("\n")
        words[newline] = EOS_ID
        line = np.cumsum(newline) - newline  # the line of each code point
        tokens = np.empty(len(codes) + int(newline.sum()), dtype=np.int64)
        position = np.arange(len(codes)) + line + 1  # one <s> before each line shifts the rest
        tokens[position] = words
        is_word = np.ones(len(tokens), dtype=bool)
        is_word[position] = False
        tokens[is_word] = BOS_ID
        starts = np.flatnonzero(is_word)
        offsets = np.arange(len(tokens), dtype=np.int64) - np.repeat(starts, np.diff(np.append(starts, len(tokens))))
        return tokens, offsets

    def _encode(self, sentences: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`encode_corpus` for a corpus that :func:`check_sentences` already accepted."""
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences)) + 2
        words = np.fromiter(map(self.index.__getitem__, chain.from_iterable(sentences)), dtype=np.int64,
                            count=int(lengths.sum()) - 2 * len(sentences))
        starts = np.cumsum(lengths) - lengths
        tokens = np.empty(int(lengths.sum()), dtype=np.int64)
        is_word = np.ones(len(tokens), dtype=bool)
        is_word[starts] = False
        is_word[starts + lengths - 1] = False
        tokens[starts] = BOS_ID
        tokens[starts + lengths - 1] = EOS_ID
        tokens[is_word] = words
        offsets = np.arange(len(tokens), dtype=np.int64) - np.repeat(starts, lengths)
        return tokens, offsets

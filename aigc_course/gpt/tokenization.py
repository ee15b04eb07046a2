"""Byte-level BPE: what GPT-2's tokenizer does to text, and training a small one ourselves.

GPT-2 first turns text into UTF-8 **bytes** (so no character is ever unknown), then
repeatedly merges the most frequent adjacent pair into a new token (50,000 merges
learned on English web text). English words become one or two tokens; a Chinese
character is 3 UTF-8 bytes and rarely merged, so Chinese costs many more tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..validate import check_int, check_str

#: Largest BPE vocabulary :func:`train_byte_bpe` trains (GPT-2 has 50,257 tokens).
MAX_BPE_VOCAB = 1_000_000

if TYPE_CHECKING:
    from tokenizers import Tokenizer


@dataclass(frozen=True)
class TokenCount:
    """How one text is cut: characters, UTF-8 bytes and tokens (and the tokens themselves)."""

    text: str
    chars: int
    utf8_bytes: int
    tokens: int
    pieces: list[str]

    @property
    def chars_per_token(self) -> float:
        return self.chars / self.tokens


def count_tokens(tokenizer, text: str) -> TokenCount:
    """Cut ``text`` with a ``transformers`` or ``tokenizers`` tokenizer and count characters, bytes, tokens.

    ``pieces`` are the tokens decoded one at a time: a token holding part of a
    character's bytes decodes to the replacement character "�".
    """
    text = _check_text(text)
    ids = _encode(tokenizer, text)
    pieces = [tokenizer.decode([i]) for i in ids]
    return TokenCount(text, len(text), len(text.encode("utf-8")), len(ids), pieces)


def train_byte_bpe(text: str, vocab_size: int = 2000, min_frequency: int = 2) -> "Tokenizer":
    """Train a GPT-2 style byte-level BPE on ``text`` with the ``tokenizers`` library (a few seconds).

    ``vocab_size`` counts the 256 byte tokens plus the learned merges (257 .. :data:`MAX_BPE_VOCAB`);
    a pair is merged only if it occurs at least ``min_frequency`` (>= 1) times.
    """
    text = _check_text(text)
    vocab_size = check_int(vocab_size, "vocab_size", minimum=257, maximum=MAX_BPE_VOCAB)
    min_frequency = check_int(min_frequency, "min_frequency", minimum=1)
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, min_frequency=min_frequency, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    lines = text.splitlines(keepends=True)
    tokenizer.train_from_iterator((lines[i:i + 1000] for i in range(0, len(lines), 1000)), trainer=trainer)
    return tokenizer


def chars_per_token(tokenizer, text: str) -> float:
    """Average characters per token of ``text`` (higher = shorter sequences for the model)."""
    text = _check_text(text)
    ids = _encode(tokenizer, text)
    if not ids:
        raise ValueError(f"the tokenizer turned text ({text[:40]!r}...) into no tokens at all")
    return len(text) / len(ids)


def _check_text(text: object) -> str:
    text = check_str(text, "text")
    if not text:
        raise ValueError("text must be a non-empty str")
    return text


def _encode(tokenizer, text: str) -> list[int]:
    """Token ids of ``text`` from a ``transformers`` tokenizer or a ``tokenizers.Tokenizer``."""
    if not (hasattr(tokenizer, "encode") and hasattr(tokenizer, "decode") and hasattr(tokenizer, "get_vocab")):
        raise TypeError(f"tokenizer must be a transformers or tokenizers tokenizer, got {type(tokenizer).__name__}")
    encoded = tokenizer.encode(text)
    return list(encoded.ids) if hasattr(encoded, "ids") else list(encoded)

"""A character tokenizer: one token per character, so losses are directly in nats per character.

Character-level modelling is what makes the GPT vs. n-gram comparison of this lesson
honest: both models predict the same units (every character, newlines included) of
the same held-out text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

import torch

VOCAB_FILE = "char_vocab.json"


class CharTokenizer:
    """Maps each character of a fixed alphabet to an id (sorted by code point) and back."""

    def __init__(self, chars: Iterable[str]) -> None:
        alphabet = sorted(set(chars))
        if not alphabet:
            raise ValueError("chars is empty: the tokenizer needs at least one character")
        bad = [c for c in alphabet if not isinstance(c, str) or len(c) != 1]
        if bad:
            raise ValueError(f"chars must be single characters, got {bad[:5]!r}")
        self.chars: list[str] = alphabet
        self.index: dict[str, int] = {c: i for i, c in enumerate(alphabet)}

    @classmethod
    def from_text(cls, text: str) -> "CharTokenizer":
        """The alphabet of ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        return cls(set(text))

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharTokenizer({len(self)} characters)"

    def encode(self, text: str) -> list[int]:
        """``"to be"`` -> a list of ids, one per character. Unknown characters raise ``ValueError``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        try:
            return [self.index[c] for c in text]
        except KeyError as missing:
            raise ValueError(f"character {missing.args[0]!r} is not in this tokenizer's alphabet of "
                             f"{len(self)} characters") from None

    def encode_tensor(self, text: str) -> torch.Tensor:
        """Like :meth:`encode`, as an int64 tensor of shape ``(len(text),)``."""
        return torch.tensor(self.encode(text), dtype=torch.long)

    def decode(self, ids) -> str:
        """Ids (list or 1-D tensor) -> text."""
        if isinstance(ids, torch.Tensor):
            ids = ids.tolist()
        try:
            return "".join(self.chars[i] for i in ids)
        except (IndexError, TypeError):
            raise ValueError(f"ids must be ints in [0, {len(self)}), got {list(ids)[:10]!r}...") from None

    def save(self, folder: str | os.PathLike) -> Path:
        """Write ``char_vocab.json`` into ``folder`` (atomically) and return its path."""
        path = Path(folder) / VOCAB_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"chars": self.chars}, ensure_ascii=False, indent=0), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, folder: str | os.PathLike) -> "CharTokenizer":
        """Read ``char_vocab.json`` from ``folder``."""
        path = Path(folder) / VOCAB_FILE
        if not path.is_file():
            raise FileNotFoundError(f"{path} does not exist: is {folder} a character-level model folder?")
        return cls(json.loads(path.read_text(encoding="utf-8"))["chars"])

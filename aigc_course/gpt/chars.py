"""A character tokenizer: one token per character, so losses are directly in nats per character.

Character-level modelling is what makes the GPT vs. n-gram comparison of this lesson
honest: both models predict the same units (every character, newlines included) of
the same held-out text.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable, Sequence

import torch

from ..io import write_atomically
from ..language import tr
from ..validate import check_path, check_str, check_token_ids

VOCAB_FILE = "char_vocab.json"


class CharTokenizer:
    """Maps each character of a fixed alphabet to an id (sorted by code point) and back.

    ``tokens[i]`` is the character of id ``i`` and ``index[char]`` its id, as in every
    vocabulary of the course.
    """

    def __init__(self, chars: Iterable[str]) -> None:
        if not isinstance(chars, Iterable):
            kind = type(chars).__name__
            raise TypeError(tr(f"chars must be an iterable of single characters (e.g. a str), got {kind}",
                               f"chars 必须是由单个字符组成的可迭代对象（例如一个 str），却得到了 {kind}"))
        chars = list(chars)
        bad = [c for c in chars if not isinstance(c, str) or len(c) != 1]
        if bad:
            raise ValueError(tr(f"chars must be single characters (str of length 1), got {bad[:5]!r}",
                                f"chars 必须是单个字符（长度为 1 的 str），却得到了 {bad[:5]!r}"))
        alphabet = sorted(set(chars))
        if not alphabet:
            raise ValueError(tr("chars is empty: the tokenizer needs at least one character",
                                "chars 为空：分词器至少需要一个字符"))
        self.tokens: list[str] = alphabet
        self.index: dict[str, int] = {c: i for i, c in enumerate(alphabet)}

    @classmethod
    def from_text(cls, text: str) -> "CharTokenizer":
        """The alphabet of ``text`` (a non-empty str)."""
        text = check_str(text, "text")
        if not text:
            raise ValueError(tr("text is empty: the tokenizer needs at least one character",
                                "text 为空：分词器至少需要一个字符"))
        return cls(set(text))

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        return f"CharTokenizer({len(self)} characters)"

    def encode(self, text: str) -> list[int]:
        """``"to be"`` -> a list of ids, one per character. Unknown characters raise ``ValueError``."""
        text = check_str(text, "text")
        try:
            return [self.index[c] for c in text]
        except KeyError as missing:
            position = text.index(missing.args[0])
            raise ValueError(tr(f"character {missing.args[0]!r} (text[{position}]) is not in this tokenizer's "
                                f"alphabet of {len(self)} characters",
                                f"字符 {missing.args[0]!r}（text[{position}]）不在这个分词器的 {len(self)} 个字符之中"
                                )) from None

    def encode_tensor(self, text: str) -> torch.Tensor:
        """Like :meth:`encode`, as an int64 tensor of shape ``(len(text),)``."""
        return torch.tensor(self.encode(text), dtype=torch.long)

    def decode(self, ids: "Sequence[int] | torch.Tensor") -> str:
        """Ids (a sequence of ints, or a 1-D integer tensor/array), each in ``[0, len(self))`` -> text."""
        if hasattr(ids, "dtype") and hasattr(ids, "tolist"):  # a tensor or an array
            if ids.ndim != 1:
                raise ValueError(tr(f"ids must be 1-D, got shape {tuple(ids.shape)}; decode one row at a time",
                                    f"ids 必须是一维的，却得到了形状 {tuple(ids.shape)}；请一次解码一行"))
            check_token_ids(ids, "ids", len(self))
            ids = ids.tolist()
        elif not isinstance(ids, (list, tuple, range)):  # a set or a dict would have no order
            raise TypeError(tr(f"ids must be a list of int ids or a 1-D integer tensor, got {type(ids).__name__}",
                               f"ids 必须是由 int 编号组成的 list 或一维整数张量，却得到了 {type(ids).__name__}"))
        else:
            check_token_ids(ids, "ids", len(self))
        return "".join([self.tokens[i] for i in ids])

    def save(self, folder: str | os.PathLike) -> Path:
        """Write ``char_vocab.json`` into ``folder`` (atomically) and return its path."""
        path = check_path(folder, "folder") / VOCAB_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps({"chars": self.tokens}, ensure_ascii=False, indent=0).encode("utf-8"))
        return path

    @classmethod
    def load(cls, folder: str | os.PathLike) -> "CharTokenizer":
        """Read ``char_vocab.json`` from ``folder``; a damaged file raises ``ValueError`` naming it."""
        path = check_path(folder, "folder") / VOCAB_FILE
        if not path.is_file():
            raise FileNotFoundError(tr(f"{path} does not exist: is {folder} a character-level model folder?",
                                       f"{path} 不存在：{folder} 是字符级模型的文件夹吗？"))
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(tr(f"{path} is damaged: not a UTF-8 JSON file ({error})",
                                f"{path} 已损坏：不是 UTF-8 编码的 JSON 文件（{error}）")) from None
        chars = content.get("chars") if isinstance(content, dict) else None
        if not isinstance(chars, list) or not chars:
            raise ValueError(tr(f"{path} is damaged: expected an object with a non-empty list \"chars\", "
                                f"got {str(content)[:60]!r}",
                                f"{path} 已损坏：应是含非空列表 \"chars\" 的对象，却得到了 {str(content)[:60]!r}"))
        try:
            tokenizer = cls(chars)
        except ValueError as error:
            raise ValueError(tr(f"{path} is damaged: {error}", f"{path} 已损坏：{error}")) from None
        if tokenizer.tokens != chars:  # re-sorting would silently give every character another id
            raise ValueError(tr(f"{path} is damaged: \"chars\" must be distinct characters in sorted order",
                                f"{path} 已损坏：\"chars\" 必须是互不相同、按顺序排列的字符"))
        return tokenizer
"""Nats per character: the one yardstick every language model of the course is measured by.

An n-gram (lesson 02), a bigram table or an MLP (lesson 03) and a GPT (lesson 04) cut
text into different pieces, but each of them predicts every character of a held-out
text, newlines included. The average loss of those predictions, in nats per character,
therefore compares any two of them on the same text:

>>> from aigc_course.ngram import NGramLM, char_sentences
>>> lm = NGramLM(2).fit(char_sentences("abab\\nba\\n"))
>>> round(nats_per_char(lm, "ab\\n"), 4), round(bits_per_char(nats_per_char(lm, "ab\\n")), 4)
(0.9419, 1.3588)

The n-gram side follows the convention of :mod:`aigc_course.ngram.charlevel` (each line
end is the model's ``</s>``); the neural side reads the text in sliding windows, as
:func:`aigc_course.neural_lm.evaluate.token_losses` describes, after one ``"\\n"`` of
context for the first character. Divide by ln 2 (:func:`bits_per_char`) for bits.
"""

from __future__ import annotations

import math

from .language import tr
from .ngram.charlevel import char_logprobs
from .ngram.model import NGramLM
from .validate import check_float, check_str

__all__ = ["nats_per_char", "bits_per_char"]


def nats_per_char(model: object, text: str, tokenizer: object = None, *, window: int | None = None,
                  stride: int | None = None, batch_size: int = 32, progress: bool = False) -> float:
    """Average loss of ``model`` on ``text`` in **nats per character** (every character, newlines included).

    ``model``: a fitted character-level :class:`~aigc_course.ngram.NGramLM`, or a neural
    language model of :mod:`aigc_course.neural_lm` or :mod:`aigc_course.gpt` with its
    ``tokenizer`` (a :class:`~aigc_course.gpt.chars.CharTokenizer`). ``window``, ``stride``,
    ``batch_size`` and ``progress`` are the neural model's reading options (see
    :func:`~aigc_course.neural_lm.evaluate.token_losses`); an n-gram reads the whole text
    at once, so it takes no tokenizer, window or stride.
    """
    text = check_str(text, "text")
    if not text:
        raise ValueError(tr("text is empty: nothing to score", "text 为空：没有可以评分的内容"))
    if isinstance(model, NGramLM):
        given = [name for name, value in (("tokenizer", tokenizer), ("window", window), ("stride", stride))
                 if value is not None]
        if given:
            raise ValueError(tr(f"{', '.join(given)} must be left out for an NGramLM: it has its own vocabulary "
                                "and reads the whole text at once",
                                f"NGramLM 不接受 {', '.join(given)}：它有自己的词表，并且一次读完整段文本"))
        return -float(char_logprobs(model, text).sum()) / len(text)
    import torch

    if not isinstance(model, torch.nn.Module):
        raise TypeError(tr(f"model must be an NGramLM or a neural language model (a torch.nn.Module), "
                           f"got {type(model).__name__}",
                           f"model 必须是 NGramLM 或神经语言模型（torch.nn.Module），却得到了 {type(model).__name__}"))
    if not hasattr(tokenizer, "encode_tensor"):
        raise TypeError(tr(f"tokenizer must be the model's CharTokenizer (with encode_tensor), "
                           f"got {type(tokenizer).__name__}",
                           f"tokenizer 必须是该模型的 CharTokenizer（带有 encode_tensor），却得到了 {type(tokenizer).__name__}"))
    from .neural_lm.evaluate import token_losses

    ids = tokenizer.encode_tensor("\n" + text)
    losses = token_losses(model, ids, stride=stride, batch_size=batch_size, progress=progress, window=window)
    return float(losses.mean())


def bits_per_char(nats: float) -> float:
    """Convert nats to bits (divide by ln 2); an infinite loss stays infinite, NaN is refused."""
    return check_float(nats, "nats", allow_inf=True) / math.log(2)

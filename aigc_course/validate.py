"""Small checks for the package's public boundary, written once and used everywhere.

Every public function checks its arguments here before any work starts, so that a
mistake gets a ``TypeError`` (wrong kind of value) or ``ValueError`` (right kind, not
allowed) that names the parameter, shows the bad value and says what is allowed,
instead of a silently wrong result, a hang, or an error from deep inside NumPy/PyTorch.

Conventions:

- ``bool`` is never accepted where a number is expected (``True`` is an ``int`` in Python,
  but ``steps=True`` is always a mistake). NumPy integers and floats are accepted.
- Floats must be finite unless the caller says otherwise: ``x < lo or x > hi`` lets NaN
  through, so NaN and infinity are rejected explicitly.
- Counts have an upper bound chosen by the caller (``maximum=``): a size of ``10**12``
  would hang or exhaust memory, so it is refused before any work starts.
- A ``str`` is refused where a sequence of tokens is expected: iterating over it would
  silently treat every character as a token.

Every checker returns the value in a plain Python type, so callers write
``steps = check_int(steps, "steps", minimum=1, maximum=MAX_STEPS)``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from .language import space_after, space_before, tr

__all__ = [
    "check_choice",
    "check_finite_tensor",
    "check_float",
    "check_int",
    "check_optional_int",
    "check_probability",
    "check_str",
    "check_token_ids",
    "check_tokens",
]

T = TypeVar("T")


def _show(value: object) -> str:
    """A short repr of a bad value for an error message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


#: Chinese names for the kinds of file that callers pass to :func:`read_text_file` as ``what``.
_FILE_KINDS_ZH = {
    "file": "文件",
    "ARPA file": "ARPA 文件",
    "vocabulary file": "词表文件",
    "analogy file": "类比文件",
}


def _range_text_zh(minimum: float | None, maximum: float | None, noun: str) -> str:
    """Chinese for "``noun`` in the range": ``1 到 10 之间的 int``, ``>= 1 的 int``, ..."""
    if minimum is not None and maximum is not None:
        return (f"{minimum:,} 到 {maximum:,} 之间的 {noun}" if isinstance(minimum, int)
                else f"[{minimum}, {maximum}] 内的 {noun}")
    if minimum is not None:
        return f">= {minimum} 的 {noun}"
    if maximum is not None:
        return f"<= {maximum:,} 的 {noun}" if isinstance(maximum, int) else f"<= {maximum} 的 {noun}"
    return noun


def _range_text(minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f"between {minimum:,} and {maximum:,}" if isinstance(minimum, int) else f"in [{minimum}, {maximum}]"
    if minimum is not None:
        return f">= {minimum}"
    if maximum is not None:
        return f"<= {maximum:,}" if isinstance(maximum, int) else f"<= {maximum}"
    return "any value"


def check_int(value: object, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an ``int`` in ``[minimum, maximum]`` (either bound may be ``None``).

    Raises ``TypeError`` for a non-integer (``bool`` and ``float`` included: ``2.0`` is
    refused, since a size that arrives as a float usually is a bug) and ``ValueError``
    out of range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(tr(f"{name} must be an int, got {type(value).__name__} {_show(value)}",
                           f"{name}{space_after(name)}必须是 int，却得到了 {type(value).__name__} {_show(value)}"))
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(tr(f"{name} must be an int {_range_text(minimum, maximum)}, got {value:,}",
                            f"{name}{space_after(name)}必须是 {_range_text_zh(minimum, maximum, 'int')}，却得到了 {value:,}"))
    return value


def check_optional_int(value: object, name: str, *, minimum: int | None = None,
                       maximum: int | None = None) -> int | None:
    """Like :func:`check_int`, but ``None`` passes through unchanged."""
    return None if value is None else check_int(value, name, minimum=minimum, maximum=maximum)


def check_float(value: object, name: str, *, minimum: float | None = None, maximum: float | None = None,
                exclusive_minimum: bool = False, exclusive_maximum: bool = False,
                allow_inf: bool = False) -> float:
    """``value`` as a finite ``float`` within the given bounds (ints are accepted).

    ``exclusive_minimum=True`` makes the lower bound strict (``> minimum``), likewise for
    the maximum. NaN is always refused; infinity only passes with ``allow_inf=True``
    (and only if the bounds allow it).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(tr(f"{name} must be a number, got {type(value).__name__} {_show(value)}",
                           f"{name}{space_after(name)}必须是一个数，却得到了 {type(value).__name__} {_show(value)}"))
    value = float(value)
    if math.isnan(value):
        raise ValueError(tr(f"{name} must be a number, got NaN", f"{name}{space_after(name)}必须是一个数，却得到了 NaN"))
    if math.isinf(value) and not allow_inf:
        raise ValueError(tr(f"{name} must be finite, got {value}", f"{name}{space_after(name)}必须是有限值，却得到了 {value}"))
    low_bad = minimum is not None and (value <= minimum if exclusive_minimum else value < minimum)
    high_bad = maximum is not None and (value >= maximum if exclusive_maximum else value > maximum)
    if low_bad or high_bad:
        low = "" if minimum is None else f"{'>' if exclusive_minimum else '>='} {minimum}"
        high = "" if maximum is None else f"{'<' if exclusive_maximum else '<='} {maximum}"
        allowed = " and ".join(part for part in (low, high) if part)
        raise ValueError(tr(f"{name} must be {allowed}, got {value}",
                            f"{name}{space_after(name)}必须满足 {' 且 '.join(part for part in (low, high) if part)}，"
                            f"却得到了 {value}"))
    return value


def check_probability(value: object, name: str, *, allow_zero: bool = True, allow_one: bool = True) -> float:
    """``value`` as a float in [0, 1] (ends excluded on request)."""
    return check_float(value, name, minimum=0.0, maximum=1.0,
                       exclusive_minimum=not allow_zero, exclusive_maximum=not allow_one)


def check_str(value: object, name: str, *, allow_empty: bool = True) -> str:
    """``value`` as a ``str``; ``allow_empty=False`` also refuses ``""`` and white space only."""
    if not isinstance(value, str):
        raise TypeError(tr(f"{name} must be a str, got {type(value).__name__} {_show(value)}",
                           f"{name}{space_after(name)}必须是 str，却得到了 {type(value).__name__} {_show(value)}"))
    if not allow_empty and not value.strip():
        raise ValueError(tr(f"{name} must be a non-empty str, got {value!r}",
                            f"{name}{space_after(name)}必须是非空的 str，却得到了 {value!r}"))
    return value


def check_choice(value: T, name: str, allowed: Iterable[T]) -> T:
    """``value`` if it is one of ``allowed`` (compared with ``==``), else ``ValueError``."""
    allowed = tuple(allowed)
    try:
        ok = value in allowed
    except TypeError:  # unhashable or incomparable
        ok = False
    if isinstance(value, bool) and not any(isinstance(a, bool) for a in allowed):
        ok = False
    if not ok:
        raise ValueError(tr(f"{name} must be one of {', '.join(map(repr, allowed))}; got {_show(value)}",
                            f"{name}{space_after(name)}只能取 {', '.join(map(repr, allowed))} 之一，却得到了 {_show(value)}"))
    return value


def check_tokens(value: object, name: str = "tokens", *, allow_empty: bool = True) -> list[str]:
    """``value`` as a list of ``str`` tokens.

    A plain ``str`` is refused with a hint (iterating over it would make every character a
    token), as is any item that is not a ``str``.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(tr(f"{name} must be a sequence of str tokens, not a single {type(value).__name__} "
                           f"({_show(value)}); split it first, e.g. {name}=text.split()",
                           f"{name}{space_after(name)}必须是由 str 词元组成的序列，而不是单个 {type(value).__name__}"
                           f"（{_show(value)}）；请先切分，例如 {name}=text.split()"))
    if not isinstance(value, Iterable):
        raise TypeError(tr(f"{name} must be a sequence of str tokens, got {type(value).__name__}",
                           f"{name}{space_after(name)}必须是由 str 词元组成的序列，却得到了 {type(value).__name__}"))
    tokens = list(value)
    for position, token in enumerate(tokens):
        if not isinstance(token, str):
            raise TypeError(tr(f"{name}[{position}] must be a str token, got {type(token).__name__} {_show(token)}",
                               f"{name}[{position}] 必须是 str 词元，却得到了 {type(token).__name__} {_show(token)}"))
    if not allow_empty and not tokens:
        raise ValueError(tr(f"{name} must hold at least one token, got none",
                            f"{name}{space_after(name)}至少要有一个词元，却是空的"))
    return tokens


def check_token_ids(ids: Any, name: str, vocab_size: int) -> "Sequence[int] | Any":
    """Check that every id in ``ids`` (a list of ints, or an integer tensor/array) is in ``[0, vocab_size)``.

    Returns ``ids`` unchanged. Raises ``TypeError`` for non-integer ids and ``ValueError``
    naming the first id outside the vocabulary (which would otherwise reach
    ``torch.nn.Embedding`` as an ``IndexError``, or silently index from the end).
    """
    if hasattr(ids, "dtype") and hasattr(ids, "min"):  # a tensor or an array
        kind = str(ids.dtype)
        if "int" not in kind or "bool" in kind:
            raise TypeError(tr(f"{name} must hold integer token ids, got dtype {kind}",
                               f"{name}{space_after(name)}必须由整数词元 id 组成，却得到了 dtype {kind}"))
        size = ids.numel() if hasattr(ids, "numel") else ids.size
        if size == 0:
            return ids
        low, high = int(ids.min()), int(ids.max())
        if low < 0 or high >= vocab_size:
            bad = low if low < 0 else high
            raise ValueError(tr(f"{name} holds token id {bad}, outside the vocabulary [0, {vocab_size})",
                                f"{name}{space_after(name)}含有词元 id {bad}，超出了词表范围 [0, {vocab_size})"))
        return ids
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise TypeError(tr(f"{name} must be a sequence of int token ids, got {type(ids).__name__}",
                           f"{name}{space_after(name)}必须是由 int 词元 id 组成的序列，却得到了 {type(ids).__name__}"))
    for position, token_id in enumerate(ids):
        if isinstance(token_id, bool) or not isinstance(token_id, numbers.Integral):
            raise TypeError(tr(f"{name}[{position}] must be an int token id, got {type(token_id).__name__} "
                               f"{_show(token_id)}",
                               f"{name}[{position}] 必须是 int 词元 id，却得到了 {type(token_id).__name__} "
                               f"{_show(token_id)}"))
        if not 0 <= token_id < vocab_size:
            raise ValueError(tr(f"{name}[{position}] = {token_id} is outside the vocabulary [0, {vocab_size})",
                                f"{name}[{position}] = {token_id} 超出了词表范围 [0, {vocab_size})"))
    return ids


def check_finite_tensor(x: Any, name: str) -> Any:
    """Refuse a floating tensor that holds NaN or infinity (it would train to NaN silently)."""
    import torch

    if not isinstance(x, torch.Tensor):
        raise TypeError(tr(f"{name} must be a torch.Tensor, got {type(x).__name__}",
                           f"{name}{space_after(name)}必须是 torch.Tensor，却得到了 {type(x).__name__}"))
    if x.is_floating_point() and x.numel() and not bool(torch.isfinite(x).all()):
        bad = int((~torch.isfinite(x)).sum())
        raise ValueError(tr(f"{name} holds {bad:,} NaN or infinite values; clean the data first",
                            f"{name}{space_after(name)}含有 {bad:,} 个 NaN 或无穷大的值；请先清洗数据"))
    return x


def check_bool(value: object, name: str) -> bool:
    """``value`` as a ``bool``; NumPy booleans pass, anything else (``0``, ``"no"``, ``None``) is a ``TypeError``.

    A flag such as ``progress="False"`` would otherwise be truthy and silently mean ``True``.
    """
    kind = type(value)
    if isinstance(value, bool) or (kind.__module__ == "numpy" and kind.__name__ in ("bool", "bool_")):  # NumPy 2 / 1
        return bool(value)
    raise TypeError(tr(f"{name} must be True or False, got {type(value).__name__} {_show(value)}",
                       f"{name}{space_after(name)}必须是 True 或 False，却得到了 {type(value).__name__} {_show(value)}"))


class IntTypeError(TypeError, ValueError):
    """A non-integer where an int is expected, raised by :func:`check_int_compat`.

    It is a ``TypeError`` like every wrong-type error here, and also a ``ValueError``, so
    code written when such a parameter raised ``ValueError`` for every bad value still catches it.
    """


def check_int_compat(value: object, name: str, *, minimum: int | None = None, maximum: int | None = None,
                     allow_none: bool = False) -> int | None:
    """:func:`check_int` (or :func:`check_optional_int` with ``allow_none=True``) for a parameter
    whose earlier check raised ``ValueError`` for a wrong type too: a non-integer raises
    :class:`IntTypeError`, caught by both ``except TypeError`` and ``except ValueError``."""
    if allow_none and value is None:
        return None
    try:
        return check_int(value, name, minimum=minimum, maximum=maximum)
    except TypeError as error:
        raise IntTypeError(str(error)) from None


def check_token_lists(value: object, name: str = "sentences") -> list[list[str]]:
    """``value`` as a list of token lists (a corpus of sentences, each a sequence of ``str``).

    A plain ``str`` is refused, and so is a list of ``str`` (each sentence would be read as
    its characters): pass ``[line.split() for line in lines]``. Sentences that already are
    lists of ``str`` are returned as they are (not copied); others are converted to lists.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(tr(f"{name} must be a sequence of token lists, not a single {type(value).__name__} "
                           f"({_show(value)}); split it into sentences of tokens first",
                           f"{name}{space_after(name)}必须是由词元列表组成的序列，而不是单个 {type(value).__name__}"
                           f"（{_show(value)}）；请先把它切分成一个个由词元组成的句子"))
    if not isinstance(value, Iterable):
        raise TypeError(tr(f"{name} must be a sequence of token lists, got {type(value).__name__}",
                           f"{name}{space_after(name)}必须是由词元列表组成的序列，却得到了 {type(value).__name__}"))
    out = []
    for position, sentence in enumerate(value):
        if isinstance(sentence, (str, bytes)):
            raise TypeError(tr(f"{name}[{position}] must be a sequence of str tokens, not a single "
                               f"{type(sentence).__name__} ({_show(sentence)}); a corpus is a list of token "
                               f"lists, e.g. [line.split() for line in lines]",
                               f"{name}[{position}] 必须是由 str 词元组成的序列，而不是单个 "
                               f"{type(sentence).__name__}（{_show(sentence)}）；语料是由词元列表组成的列表，"
                               f"例如 [line.split() for line in lines]"))
        if isinstance(sentence, list) and set(map(type, sentence)) <= {str}:  # the common case, checked fast
            out.append(sentence)
        else:
            out.append(check_tokens(sentence, f"{name}[{position}]"))
    return out


def check_path(value: object, name: str = "path") -> "Path":
    """``value`` (a ``str`` or ``os.PathLike``, not empty) as a :class:`pathlib.Path`."""
    import os
    from pathlib import Path

    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(tr(f"{name} must be a str or os.PathLike file path, got {type(value).__name__} {_show(value)}",
                           f"{name}{space_after(name)}必须是 str 或 os.PathLike 形式的文件路径，却得到了 "
                           f"{type(value).__name__} {_show(value)}"))
    if isinstance(value, str) and not value.strip():
        raise ValueError(tr(f"{name} must be a file path, got {value!r}",
                            f"{name}{space_after(name)}必须是文件路径，却得到了 {value!r}"))
    return Path(value)


def read_text_file(path: object, name: str = "path", *, what: str = "file") -> str:
    """The UTF-8 text of the file at ``path``; every failure names the file and says what is wrong.

    ``FileNotFoundError`` when there is no such file (or it is a folder), ``ValueError`` when
    its bytes are not UTF-8 text (a binary or damaged file). ``what`` names the kind of file
    in the messages, e.g. ``what="ARPA file"``.
    """
    path = check_path(path, name)
    if not path.is_file():
        kind = _FILE_KINDS_ZH.get(what, what)
        raise FileNotFoundError(tr(f"no {what} at {path}" + (" (it is a folder)" if path.is_dir() else ""),
                                   f"{path} 处没有{space_before(kind)}{kind}" + ("（那是一个文件夹）" if path.is_dir() else "")))
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[error.start:error.start + 1]
        kind = _FILE_KINDS_ZH.get(what, what)
        raise ValueError(tr(f"{path} is not a UTF-8 text {what}: byte {error.start:,} is {bad!r} ({error.reason}); "
                            "the file is damaged or of another kind",
                            f"{path} 不是 UTF-8 编码的{space_before(kind)}{kind}："
                            f"偏移 {error.start:,} 处的字节是 {bad!r}（{error.reason}）；"
                            "文件已损坏，或者不是这类文件")) from None


def check_float_batch(x: object, name: str, item_shape: tuple[int, ...]) -> Any:
    """``x`` if it is a floating tensor of shape ``(N, *item_shape)``; shape and dtype only, no pass over the values.

    Cheap enough for every forward call of a model (e.g. ``item_shape=(1, 28, 28)`` for digit
    images, ``(z_dim,)`` for latent codes). Use :func:`check_finite_tensor` for NaN at a boundary.
    """
    import torch

    shown = f"(N, {', '.join(map(str, item_shape))})"
    if not isinstance(x, torch.Tensor):
        raise TypeError(tr(f"{name} must be a torch.Tensor of shape {shown}, got {type(x).__name__}",
                           f"{name}{space_after(name)}必须是形状为 {shown} 的 torch.Tensor，却得到了 {type(x).__name__}"))
    if x.dim() != 1 + len(item_shape) or tuple(x.shape[1:]) != tuple(item_shape):
        raise ValueError(tr(f"{name} must have shape {shown}, got {tuple(x.shape)}",
                            f"{name}{space_after(name)}的形状必须是 {shown}，却得到了 {tuple(x.shape)}"))
    if not x.is_floating_point():
        raise TypeError(tr(f"{name} must be a float tensor, got dtype {x.dtype}",
                           f"{name}{space_after(name)}必须是浮点张量，却得到了 dtype {x.dtype}"))
    return x

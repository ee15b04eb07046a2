"""Word vectors: pretrained GloVe, and a skip-gram (Word2Vec) model trained here.

- :class:`WordVectors` wraps any word list + matrix: cosine :meth:`~WordVectors.similarity`,
  :meth:`~WordVectors.most_similar` neighbours and :meth:`~WordVectors.analogy`
  ("man is to king as woman is to ?", answered by king - man + woman).
- :func:`glove_vectors` gives the real GloVe 6B 50-d vectors (400,000 lower-cased
  words, Pennington, Socher & Manning 2014) from :func:`aigc_course.data.load_glove`.
- :class:`SkipGram` and :func:`train_skipgram` implement Word2Vec's skip-gram with
  negative sampling and subsampling of frequent words (Mikolov et al. 2013), in PyTorch.
- :func:`load_analogies` reads the course's own analogy set
  (``aigc_course/data/lesson01_analogies.txt``) and :func:`analogy_accuracy` scores vectors on it.

How the two methods differ: Word2Vec *predicts* the words around each word, one
window at a time, by gradient descent; GloVe first *counts* how often every pair of
words co-occurs in the whole corpus and then fits vectors whose dot products match
the logarithms of those counts.
"""

from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

import numpy as np

from .resources import data_path, package_data_dir
from .text import Vocab, _token_list
from .validate import (check_bool, check_float, check_int, check_int_compat, check_path, check_str, check_token_ids,
                       read_text_file)

if TYPE_CHECKING:
    import torch

__all__ = [
    "WordVectors", "glove_vectors", "Analogy", "load_analogies", "analogy_accuracy", "AnalogyScore",
    "SkipGram", "SkipGramResult", "train_skipgram", "keep_probabilities", "negative_distribution",
    "skipgram_pairs", "ANALOGIES_PATH", "MAX_DIM", "MAX_WINDOW", "MAX_NEGATIVES", "MAX_EPOCHS", "MAX_BATCH_SIZE",
    "MAX_EMBEDDING_VALUES", "MAX_TRAINING_PAIRS",
]

#: The course's analogy set: "a b c d" lines meaning a : b :: c : d, grouped by "# category" lines
#: (the copy inside the package; :func:`load_analogies` reads it through ``AIGC_DATA`` when that is set).
ANALOGIES_PATH = package_data_dir() / "lesson01_analogies.txt"

# Upper bounds of the skip-gram's sizes: far above anything the lesson needs, low enough that a
# typo (an extra zero or three) is refused before it exhausts memory or runs for days.
#: Largest vector size (GloVe's largest is 300).
MAX_DIM = 4096
#: Largest context window, words on each side (word2vec's default is 5).
MAX_WINDOW = 50
#: Most negative samples per pair (word2vec recommends 5 to 20).
MAX_NEGATIVES = 100
#: Most passes over the corpus.
MAX_EPOCHS = 100
#: Largest batch, in (center, context) pairs.
MAX_BATCH_SIZE = 1_000_000
#: Most numbers in one embedding table (vocabulary size x dim): 1 GB of float32.
MAX_EMBEDDING_VALUES = 250_000_000
#: Most (center, context) pairs over all epochs, estimated before they are drawn (16 bytes each).
MAX_TRAINING_PAIRS = 200_000_000


# --------------------------------------------------------------------------------------
# Word vectors: neighbours, similarity, analogies
# --------------------------------------------------------------------------------------

class WordVectors:
    """A word list and its vectors: ``vectors[i]`` (float32, shape ``(V, d)``) belongs to ``words[i]``.

    Similarities are cosines, in [-1, 1]. Queries are exact-match (GloVe's words are
    lower case, so look up ``"king"``, not ``"King"``).
    """

    def __init__(self, words: Sequence[str], vectors: "np.ndarray"):
        words = _token_list(words, "words")
        vectors = _float_array(vectors, "vectors")
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(f"vectors must have shape (len(words), d) = ({len(words)}, d), got {vectors.shape}")
        if not words or vectors.shape[1] == 0:
            raise ValueError(f"need at least one word and one dimension, got vectors of shape {vectors.shape}")
        if not np.isfinite(vectors).all():
            raise ValueError(f"vectors holds {int((~np.isfinite(vectors)).sum()):,} NaN or infinite values")
        self.words: list[str] = words
        self.index: dict[str, int] = {w: i for i, w in enumerate(self.words)}
        if len(self.index) != len(self.words):
            raise ValueError("words must not repeat")
        self.vectors = vectors
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self.unit = vectors / np.maximum(norms, 1e-12)  # rows of length 1: dot product = cosine

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        return f"WordVectors({len(self)} words x {self.dim} dims)"

    @property
    def dim(self) -> int:
        return self.vectors.shape[1]

    def _id(self, word: str, name: str = "word") -> int:
        check_str(word, name)
        if word not in self.index:
            hint = " (the vocabulary is lower case)" if word.lower() in self.index else ""
            raise KeyError(f"{name} {word!r} is not in the vocabulary of {len(self)} words{hint}")
        return self.index[word]

    def vector(self, word: str) -> "np.ndarray":
        """The raw vector of ``word``, shape ``(d,)``."""
        return self.vectors[self._id(word)]

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words, in [-1, 1]."""
        return float(self.unit[self._id(a, "a")] @ self.unit[self._id(b, "b")])

    def most_similar(self, query: "str | np.ndarray", k: int = 10, exclude: Iterable[str] = ()) -> list[tuple[str, float]]:
        """The ``k`` words with the highest cosine to ``query`` (a word or a vector), best first.

        A word query never returns itself; words in ``exclude`` (a list of words) are
        skipped too. ``k`` >= 1; a ``k`` above the vocabulary size returns every word.
        Raises ``KeyError`` naming the word when it is unknown.
        """
        k = check_int_compat(k, "k", minimum=1)
        skip = {self._id(w, "exclude word") for w in _token_list(exclude, "exclude")}
        if isinstance(query, str):
            skip.add(self._id(query))
            direction = self.unit[self.index[query]]
        else:
            direction = _float_array(query, "query vector")
            if direction.shape != (self.dim,):
                raise ValueError(f"query vector must have shape ({self.dim},), got {direction.shape}")
            norm = float(np.linalg.norm(direction))
            if not math.isfinite(norm) or norm == 0:
                raise ValueError(f"query vector must be finite and not all zeros (a zero vector has no direction), "
                                 f"got norm {norm}")
            direction = direction / norm
        scores = self.unit @ direction
        take = min(k + len(skip), len(scores))
        top = np.argpartition(-scores, take - 1)[:take]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.words[i], float(scores[i])) for i in top if i not in skip][:k]

    def analogy(self, a: str, b: str, c: str, k: int = 1) -> list[tuple[str, float]]:
        """"``a`` is to ``b`` as ``c`` is to ?": the words nearest to b - a + c (3CosAdd).

        ``analogy("man", "king", "woman")`` -> ``[("queen", 0.86)]`` with GloVe. The
        three question words are excluded from the answers, as in Mikolov et al. (2013).
        """
        ua, ub, uc = (self.unit[self._id(w, n)] for w, n in ((a, "a"), (b, "b"), (c, "c")))
        return self.most_similar(ub - ua + uc, k=k, exclude=(a, b, c))

    def subset(self, words: Iterable[str]) -> "WordVectors":
        """Only the given words (a list, in that order), e.g. to compare two models on shared words."""
        ids = [self._id(w) for w in _token_list(words, "words")]
        return WordVectors([self.words[i] for i in ids], self.vectors[ids])


def glove_vectors(max_words: int | None = None) -> WordVectors:
    """Pretrained GloVe 6B 50-d as :class:`WordVectors`; ``max_words`` keeps the most frequent words.

    GloVe's list is sorted by corpus frequency, so ``max_words=50_000`` keeps the
    50,000 commonest words (faster searches, fewer rare-word surprises). Loading all
    400,000 takes about 1 s and 80 MB. ``max_words`` is None (all) or >= 1; more than
    400,000 means all.
    """
    return _glove_vectors(check_int_compat(max_words, "max_words", minimum=1, allow_none=True))


@functools.lru_cache(maxsize=4)
def _glove_vectors(max_words: int | None) -> WordVectors:
    from .data import load_glove

    glove = load_glove()
    n = len(glove) if max_words is None else min(max_words, len(glove))
    return WordVectors(glove.words[:n], np.asarray(glove.vectors[:n], dtype=np.float32))


def _float_array(value: object, name: str, dtype: type = np.float32) -> "np.ndarray":
    """``value`` as a float array, or a ``TypeError`` naming ``name`` when it holds no numbers."""
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__} {value!r:.40}")
    try:
        array = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {type(value).__name__}") from None
    return array


# --------------------------------------------------------------------------------------
# The course's analogy set
# --------------------------------------------------------------------------------------

class Analogy(NamedTuple):
    """``a : b :: c : d`` in ``category`` (e.g. man : king :: woman : queen, "gender")."""

    category: str
    a: str
    b: str
    c: str
    d: str


def load_analogies(path: str | Path | None = None) -> list[Analogy]:
    """Read analogies: ``# category: NAME`` lines start a group, then lines ``a b c d``.

    ``path=None`` reads the course's set (:data:`ANALOGIES_PATH`, or its copy in ``AIGC_DATA``). A line that is not four
    words, a missing file or one that is not UTF-8 text raises an error naming the file.
    """
    path = check_path(path) if path is not None else data_path("lesson01_analogies.txt")
    category, out = "", []
    for number, raw in enumerate(read_text_file(path, what="analogy file").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line[1:].strip().lower().startswith("category:"):
                category = line.split(":", 1)[1].strip()
            continue
        parts = line.split()
        if len(parts) != 4 or not category:
            raise ValueError(f"{path}:{number}: expected 4 words after a '# category:' line, got {line!r}")
        out.append(Analogy(category, *parts))
    return out


@dataclass
class AnalogyScore:
    """Top-1 accuracy on the analogies whose four words are all in the vocabulary."""

    accuracy: float            # correct / covered (nan if nothing is covered)
    correct: int
    covered: int               # analogies with all four words known
    total: int
    by_category: dict[str, tuple[int, int]] = field(default_factory=dict)  # category -> (correct, covered)

    @property
    def accuracy_all(self) -> float:
        """Correct / total, counting every uncovered analogy as wrong."""
        return self.correct / self.total if self.total else float("nan")


def analogy_accuracy(vectors: WordVectors, analogies: Sequence[Analogy]) -> AnalogyScore:
    """Score 3CosAdd analogies: right when the nearest word to b - a + c is d.

    ``analogies`` is a list of :class:`Analogy` (or 5-tuples of str: category, a, b, c, d),
    as :func:`load_analogies` returns.
    """
    if not isinstance(vectors, WordVectors):
        raise TypeError(f"vectors must be a WordVectors, got {type(vectors).__name__}")
    if isinstance(analogies, (str, bytes)) or not isinstance(analogies, Iterable):
        raise TypeError(f"analogies must be a list of Analogy, got {type(analogies).__name__}")
    analogies = [_analogy(q, i) for i, q in enumerate(analogies)]
    if not analogies:
        raise ValueError("analogies must not be empty")
    correct = covered = 0
    by_category: dict[str, list[int]] = {}
    for q in analogies:
        tally = by_category.setdefault(q.category, [0, 0])
        if not all(w in vectors for w in (q.a, q.b, q.c, q.d)):
            continue
        covered += 1
        tally[1] += 1
        if vectors.analogy(q.a, q.b, q.c, k=1)[0][0] == q.d:
            correct += 1
            tally[0] += 1
    return AnalogyScore(correct / covered if covered else float("nan"), correct, covered, len(analogies),
                        {k: (v[0], v[1]) for k, v in by_category.items()})


def _analogy(item: object, position: int) -> Analogy:
    """One question of :func:`analogy_accuracy` as an :class:`Analogy` (five str: category, a, b, c, d)."""
    if not isinstance(item, tuple) or len(item) != 5 or not all(isinstance(w, str) for w in item):
        raise TypeError(f"analogies[{position}] must be an Analogy(category, a, b, c, d) of five str, "
                        f"got {type(item).__name__} {item!r:.60}")
    return item if isinstance(item, Analogy) else Analogy(*item)


# --------------------------------------------------------------------------------------
# Skip-gram with negative sampling
# --------------------------------------------------------------------------------------

def keep_probabilities(counts: "np.ndarray", threshold: float = 1e-3) -> "np.ndarray":
    """Word2Vec's subsampling: the chance of keeping each occurrence of a word.

    With f the word's share of the corpus and t = ``threshold``, keep with probability
    min(1, (sqrt(f / t) + 1) · t / f) (the formula of the word2vec C code). Words
    rarer than about t are always kept; "the", "and", "I" lose most occurrences.
    ``counts``: one count per word, shape ``(V,)``, >= 0 with a positive sum; ``threshold`` in (0, 1].
    """
    threshold = check_float(threshold, "threshold", minimum=0.0, maximum=1.0, exclusive_minimum=True)
    counts = _word_counts(counts)
    f = counts / counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = (np.sqrt(f / threshold) + 1.0) * threshold / f
    return np.where(counts > 0, np.minimum(keep, 1.0), 0.0)


def negative_distribution(counts: "np.ndarray", power: float = 0.75) -> "np.ndarray":
    """Noise distribution for negative samples: counts ** 0.75, normalised (Mikolov et al. 2013).

    ``counts``: shape ``(V,)``, >= 0 with a positive sum; ``power`` in [0, 10] (0 gives the
    uniform distribution over the words seen, 1 their frequencies). Returns shape ``(V,)``, sums to 1.
    """
    power = check_float(power, "power", minimum=0.0, maximum=10.0)
    counts = _word_counts(counts)
    weights = np.where(counts > 0, counts ** power, 0.0)
    return weights / weights.sum()


def _word_counts(counts: object) -> "np.ndarray":
    """One count per word as a float64 array of shape ``(V,)``: finite, >= 0, with a positive sum."""
    array = _float_array(counts, "counts", np.float64)
    if array.ndim != 1 or not len(array):
        raise ValueError(f"counts must be a non-empty 1-D array (one count per word), got shape {array.shape}")
    if not np.isfinite(array).all() or (array < 0).any() or array.sum() <= 0:
        raise ValueError("counts must be finite and >= 0, with a positive sum")
    return array


def skipgram_pairs(ids: "np.ndarray", window: int, rng: "np.random.Generator") -> tuple["np.ndarray", "np.ndarray"]:
    """All (center, context) id pairs of a token stream, with word2vec's shrinking window.

    Each position draws its own window size b uniformly from 1..``window`` (so near
    neighbours count more often than far ones) and pairs with the b words on each side.
    ``ids``: 1-D integer array of token ids; ``window`` in 1..``MAX_WINDOW``; ``rng`` a
    ``numpy.random.Generator``. Returns two int64 arrays of equal length.
    """
    window = check_int_compat(window, "window", minimum=1, maximum=MAX_WINDOW)
    if not callable(getattr(rng, "integers", None)):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    if isinstance(ids, (str, bytes)):
        raise TypeError(f"ids must be a 1-D array of int token ids, got {type(ids).__name__}")
    ids = np.asarray(ids)
    if ids.size == 0:
        ids = ids.astype(np.int64)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must be a 1-D array of int token ids, got shape {ids.shape} and dtype {ids.dtype}")
    ids = ids.astype(np.int64, copy=False)
    spans = rng.integers(1, window + 1, size=len(ids))
    centers, contexts = [], []
    for offset in range(1, window + 1):
        if offset >= len(ids):
            break
        left = spans[:-offset] >= offset           # position i sees i + offset
        right = spans[offset:] >= offset           # position i + offset sees i
        centers += [ids[:-offset][left], ids[offset:][right]]
        contexts += [ids[offset:][left], ids[:-offset][right]]
    if not centers:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(centers), np.concatenate(contexts)


@functools.lru_cache(maxsize=None)
def _torch_module():
    import torch
    from torch import nn

    class SkipGram(nn.Module):
        """Two embedding tables: one for a word as the center, one for it as a context.

        The score of a (center, context) pair is the dot product of their vectors; the
        loss pushes σ(score) to 1 for real pairs and to 0 for ``negatives`` random ones:

            loss = -log σ(u_c · v_o) - Σ_k log σ(-u_c · v_k)        (nats per pair)
        """

        def __init__(self, vocab_size: int, dim: int, sparse: bool = False):
            super().__init__()
            vocab_size = check_int_compat(vocab_size, "vocab_size", minimum=1, maximum=MAX_EMBEDDING_VALUES)
            dim = check_int_compat(dim, "dim", minimum=1, maximum=MAX_DIM)
            if vocab_size * dim > MAX_EMBEDDING_VALUES:
                raise ValueError(f"vocab_size x dim = {vocab_size:,} x {dim:,} is more than MAX_EMBEDDING_VALUES = "
                                 f"{MAX_EMBEDDING_VALUES:,} numbers per table: use a smaller vocabulary or dim")
            sparse = check_bool(sparse, "sparse")
            self.center = nn.Embedding(vocab_size, dim, sparse=sparse)
            self.context = nn.Embedding(vocab_size, dim, sparse=sparse)
            nn.init.uniform_(self.center.weight, -0.5 / dim, 0.5 / dim)  # word2vec's initialisation
            nn.init.zeros_(self.context.weight)

        def forward(self, center: "torch.Tensor", context: "torch.Tensor", negative: "torch.Tensor") -> "torch.Tensor":
            """center, context: (B,) ids; negative: (B, K) ids. Returns the mean loss, a scalar."""
            _check_batch(center, context, negative, self.center.num_embeddings)
            u = self.center(center)                                   # (B, d)
            positive = (u * self.context(context)).sum(-1)            # (B,)
            negative_scores = torch.einsum("bd,bkd->bk", u, self.context(negative))  # (B, K)
            loss = -nn.functional.logsigmoid(positive) - nn.functional.logsigmoid(-negative_scores).sum(-1)
            return loss.mean()

    return SkipGram


def _check_batch(center: "torch.Tensor", context: "torch.Tensor", negative: "torch.Tensor", vocab_size: int) -> None:
    """Shapes (B,), (B,), (B, K) and every id in ``[0, vocab_size)``, checked before the embedding lookups."""
    import torch

    for name, ids in (("center", center), ("context", context), ("negative", negative)):
        if not isinstance(ids, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor of token ids, got {type(ids).__name__}")
        check_token_ids(ids, name, vocab_size)
    if center.ndim != 1 or context.shape != center.shape or negative.ndim != 2 or negative.shape[0] != len(center):
        raise ValueError(f"center and context must have shape (B,) and negative (B, K), got {tuple(center.shape)}, "
                         f"{tuple(context.shape)} and {tuple(negative.shape)}")


def __getattr__(name: str):
    if name == "SkipGram":  # defined lazily so that importing this module does not import torch
        return _torch_module()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class SkipGramResult:
    """A trained skip-gram: the model, its vocabulary, and how training went."""

    model: "torch.nn.Module"
    vocab: Vocab                      # ids of the model's rows; <unk> (id 0) is never trained
    losses: list[float]               # mean loss per logged step (every ``log_every`` batches), nats per pair
    steps: list[int]                  # batch number of each logged loss
    seconds: float                    # wall-clock time: vocabulary, pairs and training
    cpu_seconds: float                # CPU time of this process meanwhile (about the wall time on an idle machine)
    words: int                        # corpus tokens in the vocabulary (before subsampling), per epoch
    pairs: int                        # (center, context) pairs trained on, all epochs

    def word_vectors(self) -> WordVectors:
        """The center vectors of every vocabulary word (``<unk>`` left out)."""
        weights = self.model.center.weight.detach().cpu().numpy()
        return WordVectors(self.vocab.tokens[1:], weights[1:])


def train_skipgram(tokens: Sequence[str], *, dim: int = 50, window: int = 5, negatives: int = 5,
                   min_count: int = 5, subsample: float | None = 1e-3, epochs: int = 1,
                   batch_size: int = 4096, lr: float = 0.01, seed: int = 0, log_every: int = 10,
                   threads: int | None = 1, progress: bool = True) -> SkipGramResult:
    """Train Word2Vec's skip-gram with negative sampling on a list of tokens.

    Steps: keep words seen at least ``min_count`` times (others are dropped, not
    mapped to ``<unk>``); each epoch, drop frequent words at random
    (:func:`keep_probabilities`, ``subsample=None`` keeps all), pair every word with
    its neighbours (:func:`skipgram_pairs`), shuffle, and for each batch draw
    ``negatives`` noise words per pair from :func:`negative_distribution`. Adam with a
    learning rate decaying linearly to 0. Same ``seed``, same vectors (on one machine).

    ``threads=1`` (default) runs PyTorch on one thread while training, then restores
    the previous setting: these small gather-and-dot batches gain nothing from more
    threads, and on a busy machine extra threads made training up to 10x slower.
    ``threads=None`` keeps PyTorch's own setting.

    Allowed values: ``dim`` 1..``MAX_DIM``, ``window`` 1..``MAX_WINDOW``, ``negatives``
    1..``MAX_NEGATIVES``, ``epochs`` 1..``MAX_EPOCHS``, ``batch_size`` 1..``MAX_BATCH_SIZE``,
    ``min_count`` and ``log_every`` >= 1, ``subsample`` None or in (0, 1], ``lr`` in (0, 10],
    ``seed`` in [0, 2**32), ``threads`` None or 1..1024. A run whose pairs would exceed
    ``MAX_TRAINING_PAIRS`` (estimated as words x (window + 1) x epochs) is refused before it starts.
    """
    import torch

    tokens = _token_list(tokens)
    dim = check_int_compat(dim, "dim", minimum=1, maximum=MAX_DIM)
    window = check_int_compat(window, "window", minimum=1, maximum=MAX_WINDOW)
    negatives = check_int_compat(negatives, "negatives", minimum=1)
    negatives = check_int_compat(negatives, "negatives", maximum=MAX_NEGATIVES)
    min_count = check_int_compat(min_count, "min_count", minimum=1)
    epochs = check_int_compat(epochs, "epochs", minimum=1, maximum=MAX_EPOCHS)
    batch_size = check_int_compat(batch_size, "batch_size", minimum=1, maximum=MAX_BATCH_SIZE)
    log_every = check_int_compat(log_every, "log_every", minimum=1)
    seed = check_int(seed, "seed", minimum=0, maximum=2**32 - 1)
    if subsample is not None:
        subsample = check_float(subsample, "subsample", minimum=0.0, maximum=1.0, exclusive_minimum=True)
    lr = check_float(lr, "lr", minimum=0.0, maximum=10.0, exclusive_minimum=True)
    progress = check_bool(progress, "progress")
    threads = check_int_compat(threads, "threads", minimum=1, maximum=1024, allow_none=True)
    if threads is not None:
        previous_threads = torch.get_num_threads()
        torch.set_num_threads(threads)
    try:
        return _train(tokens, dim, window, negatives, min_count, subsample, epochs, batch_size, lr, seed,
                      log_every, progress)
    finally:
        if threads is not None:
            torch.set_num_threads(previous_threads)


def _train(tokens, dim, window, negatives, min_count, subsample, epochs, batch_size, lr, seed, log_every, progress):
    import torch
    from tqdm.auto import tqdm

    from .config import seed_everything

    start, cpu_start = time.perf_counter(), time.process_time()
    vocab = Vocab.build(tokens, min_freq=min_count)
    if len(vocab) < 3:
        raise ValueError(f"only {len(vocab) - 1} word(s) occur at least min_count={min_count} times: "
                         "give more text or lower min_count")
    ids = np.asarray([i for i in vocab.encode(tokens) if i != 0], dtype=np.int64)  # rare words dropped
    estimate = len(ids) * (window + 1) * epochs  # the mean window is (window + 1) / 2 words on each side
    if estimate > MAX_TRAINING_PAIRS:
        raise ValueError(f"about {estimate:,} training pairs ({len(ids):,} words x (window + 1) x {epochs} epochs) "
                         f"is more than MAX_TRAINING_PAIRS = {MAX_TRAINING_PAIRS:,}: use less text, a smaller "
                         "window or fewer epochs")
    counts = np.bincount(ids, minlength=len(vocab)).astype(np.float64)
    keep = keep_probabilities(counts, subsample) if subsample is not None else None
    noise = torch.from_numpy(negative_distribution(counts)).float()

    generator = seed_everything(seed)
    rng = np.random.default_rng(seed)
    model = _torch_module()(len(vocab), dim)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)

    epoch_pairs = []  # pairs are drawn per epoch: a fresh subsample and fresh windows each time
    for _ in range(epochs):
        stream = ids[rng.random(len(ids)) < keep[ids]] if keep is not None else ids
        center, context = skipgram_pairs(stream, window, rng)
        order = rng.permutation(len(center))
        epoch_pairs.append((torch.from_numpy(center[order]), torch.from_numpy(context[order])))
    total_batches = sum(math.ceil(len(c) / batch_size) for c, _ in epoch_pairs)
    if total_batches == 0:
        raise ValueError("no training pairs: the text is too short")
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: max(0.0, 1.0 - step / total_batches))

    losses, steps, running, step = [], [], 0.0, 0
    bar = tqdm(total=total_batches, desc="skip-gram", unit="batch", disable=not progress, mininterval=0.5)
    for center_all, context_all in epoch_pairs:
        for lo in range(0, len(center_all), batch_size):
            center, context = center_all[lo: lo + batch_size], context_all[lo: lo + batch_size]
            negative = torch.multinomial(noise, len(center) * negatives, replacement=True,
                                         generator=generator).view(len(center), negatives)
            loss = model(center, context, negative)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            running += loss.item()
            step += 1
            if step % log_every == 0 or step == total_batches:
                logged = step % log_every or log_every
                losses.append(running / logged)
                steps.append(step)
                running = 0.0
                bar.set_postfix(loss=f"{losses[-1]:.3f}", refresh=False)
            bar.update(1)
    bar.close()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    model.eval()
    return SkipGramResult(model, vocab, losses, steps, seconds, cpu_seconds, int(len(ids)),
                          int(sum(len(c) for c, _ in epoch_pairs)))

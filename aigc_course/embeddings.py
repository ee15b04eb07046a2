"""Word vectors: pretrained GloVe, and a skip-gram (Word2Vec) model trained here.

- :class:`WordVectors` wraps any word list + matrix: cosine :meth:`~WordVectors.similarity`,
  :meth:`~WordVectors.most_similar` neighbours and :meth:`~WordVectors.analogy`
  ("man is to king as woman is to ?", answered by king - man + woman).
- :func:`glove_vectors` gives the real GloVe 6B 50-d vectors (400,000 lower-cased
  words, Pennington, Socher & Manning 2014) from :func:`aigc_course.data.load_glove`.
- :class:`SkipGram` and :func:`train_skipgram` implement Word2Vec's skip-gram with
  negative sampling and subsampling of frequent words (Mikolov et al. 2013), in PyTorch.
- :func:`load_analogies` reads the course's own analogy set
  (``data/lesson01_analogies.txt``) and :func:`analogy_accuracy` scores vectors on it.

How the two methods differ: Word2Vec *predicts* the words around each word, one
window at a time, by gradient descent; GloVe first *counts* how often every pair of
words co-occurs in the whole corpus and then fits vectors whose dot products match
the logarithms of those counts.
"""

from __future__ import annotations

import functools
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, NamedTuple, Sequence

import numpy as np

from .text import Vocab

if TYPE_CHECKING:
    import torch

__all__ = [
    "WordVectors", "glove_vectors", "Analogy", "load_analogies", "analogy_accuracy", "AnalogyScore",
    "SkipGram", "SkipGramResult", "train_skipgram", "keep_probabilities", "negative_distribution",
    "skipgram_pairs", "ANALOGIES_PATH",
]

#: The course's analogy set: "a b c d" lines meaning a : b :: c : d, grouped by "# category" lines.
ANALOGIES_PATH = Path(__file__).resolve().parents[1] / "data" / "lesson01_analogies.txt"


def _positive_int(value: object, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return value


# --------------------------------------------------------------------------------------
# Word vectors: neighbours, similarity, analogies
# --------------------------------------------------------------------------------------

class WordVectors:
    """A word list and its vectors: ``vectors[i]`` (float32, shape ``(V, d)``) belongs to ``words[i]``.

    Similarities are cosines, in [-1, 1]. Queries are exact-match (GloVe's words are
    lower case, so look up ``"king"``, not ``"King"``).
    """

    def __init__(self, words: Sequence[str], vectors: "np.ndarray"):
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(f"vectors must have shape (len(words), d) = ({len(words)}, d), got {vectors.shape}")
        self.words: list[str] = list(words)
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
        if not isinstance(word, str):
            raise TypeError(f"{name} must be a str, got {type(word).__name__}")
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

        A word query never returns itself; words in ``exclude`` are skipped too.
        Raises ``KeyError`` naming the word when it is unknown.
        """
        _positive_int(k, "k")
        skip = {self._id(w, "exclude word") for w in exclude}
        if isinstance(query, str):
            skip.add(self._id(query))
            direction = self.unit[self.index[query]]
        else:
            direction = np.asarray(query, dtype=np.float32)
            if direction.shape != (self.dim,):
                raise ValueError(f"query vector must have shape ({self.dim},), got {direction.shape}")
            direction = direction / max(float(np.linalg.norm(direction)), 1e-12)
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
        """Only the given words (in that order), e.g. to compare two models on shared words."""
        ids = [self._id(w) for w in words]
        return WordVectors([self.words[i] for i in ids], self.vectors[ids])


@functools.lru_cache(maxsize=4)
def glove_vectors(max_words: int | None = None) -> WordVectors:
    """Pretrained GloVe 6B 50-d as :class:`WordVectors`; ``max_words`` keeps the most frequent words.

    GloVe's list is sorted by corpus frequency, so ``max_words=50_000`` keeps the
    50,000 commonest words (faster searches, fewer rare-word surprises). Loading all
    400,000 takes about 1 s and 80 MB.
    """
    from .data import load_glove

    glove = load_glove()
    n = len(glove) if max_words is None else min(_positive_int(max_words, "max_words"), len(glove))
    return WordVectors(glove.words[:n], np.asarray(glove.vectors[:n], dtype=np.float32))


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
    """Read analogies: ``# category: NAME`` lines start a group, then lines ``a b c d``."""
    path = Path(path) if path is not None else ANALOGIES_PATH
    category, out = "", []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
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
    """Score 3CosAdd analogies: right when the nearest word to b - a + c is d."""
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


# --------------------------------------------------------------------------------------
# Skip-gram with negative sampling
# --------------------------------------------------------------------------------------

def keep_probabilities(counts: "np.ndarray", threshold: float = 1e-3) -> "np.ndarray":
    """Word2Vec's subsampling: the chance of keeping each occurrence of a word.

    With f the word's share of the corpus and t = ``threshold``, keep with probability
    min(1, (sqrt(f / t) + 1) · t / f) (the formula of the word2vec C code). Words
    rarer than about t are always kept; "the", "and", "I" lose most occurrences.
    """
    if not threshold > 0:
        raise ValueError(f"threshold must be > 0, got {threshold!r}")
    counts = np.asarray(counts, dtype=np.float64)
    f = counts / counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = (np.sqrt(f / threshold) + 1.0) * threshold / f
    return np.where(counts > 0, np.minimum(keep, 1.0), 0.0)


def negative_distribution(counts: "np.ndarray", power: float = 0.75) -> "np.ndarray":
    """Noise distribution for negative samples: counts ** 0.75, normalised (Mikolov et al. 2013)."""
    weights = np.asarray(counts, dtype=np.float64) ** power
    return weights / weights.sum()


def skipgram_pairs(ids: "np.ndarray", window: int, rng: "np.random.Generator") -> tuple["np.ndarray", "np.ndarray"]:
    """All (center, context) id pairs of a token stream, with word2vec's shrinking window.

    Each position draws its own window size b uniformly from 1..``window`` (so near
    neighbours count more often than far ones) and pairs with the b words on each side.
    Returns two int64 arrays of equal length.
    """
    _positive_int(window, "window")
    ids = np.asarray(ids, dtype=np.int64)
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
            _positive_int(vocab_size, "vocab_size")
            _positive_int(dim, "dim")
            self.center = nn.Embedding(vocab_size, dim, sparse=sparse)
            self.context = nn.Embedding(vocab_size, dim, sparse=sparse)
            nn.init.uniform_(self.center.weight, -0.5 / dim, 0.5 / dim)  # word2vec's initialisation
            nn.init.zeros_(self.context.weight)

        def forward(self, center: "torch.Tensor", context: "torch.Tensor", negative: "torch.Tensor") -> "torch.Tensor":
            """center, context: (B,) ids; negative: (B, K) ids. Returns the mean loss, a scalar."""
            u = self.center(center)                                   # (B, d)
            positive = (u * self.context(context)).sum(-1)            # (B,)
            negative_scores = torch.einsum("bd,bkd->bk", u, self.context(negative))  # (B, K)
            loss = -nn.functional.logsigmoid(positive) - nn.functional.logsigmoid(-negative_scores).sum(-1)
            return loss.mean()

    return SkipGram


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
        return WordVectors(self.vocab.itos[1:], weights[1:])


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
    """
    import torch

    if isinstance(tokens, str):
        raise TypeError("tokens must be a list of str, not one str (tokenise the text first)")
    tokens = list(tokens)
    if not all(isinstance(t, str) for t in tokens):
        raise TypeError("tokens must be a list of str")
    for value, name in ((dim, "dim"), (window, "window"), (negatives, "negatives"), (min_count, "min_count"),
                        (epochs, "epochs"), (batch_size, "batch_size"), (log_every, "log_every")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be an int >= 1, got {value!r}")
    if subsample is not None and not (isinstance(subsample, (int, float)) and subsample > 0):
        raise ValueError(f"subsample must be None or a number > 0, got {subsample!r}")
    if not (isinstance(lr, (int, float)) and lr > 0):
        raise ValueError(f"lr must be a number > 0, got {lr!r}")
    if threads is not None:
        _positive_int(threads, "threads")
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

"""Counting n-grams with integer keys and ``np.unique`` instead of dicts of tuples.

The trick: an n-gram ``w1 .. wn`` is stored as one int64 *key*

    key = index_of(w1 .. w(n-1) in the (n-1)-gram table) * V + id(wn)

where V is the vocabulary size. The order-1 table is the vocabulary itself (index =
token id). Each order's table is the sorted array of distinct keys, so

- counting is ``np.unique(keys, return_counts=True)`` over every position of the corpus,
- an n-gram's *prefix* (its context) is ``key // V`` and its last token ``key % V``,
- looking an n-gram up is one ``np.searchsorted``,
- all n-grams that continue a context c are the contiguous block of keys in
  ``[c * V, (c + 1) * V)``.

Keys stay small: they are below (number of distinct (n-1)-grams) x V, about 10^11 for
a million-word corpus, far from the int64 limit of 9.2 x 10^18.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..validate import check_int, check_token_ids
from .vocab import BOS_ID

#: The highest n-gram order: beyond about 10 a model mostly memorises its corpus, and every
#: order adds a table as large as the corpus.
MAX_ORDER = 20
#: The largest vocabulary (the order-1 table alone takes 8 bytes per token type).
MAX_VOCAB_SIZE = 50_000_000


@dataclass
class NGramTable:
    """The distinct n-grams of orders 1..order, as sorted int64 keys (see module docstring).

    ``keys[m - 1]`` holds the order-m table. Order 1 is the whole vocabulary
    (``keys[0] = arange(V)``), so a unigram's index is its token id.
    """

    order: int
    vocab_size: int
    keys: list[np.ndarray] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.order = check_int(self.order, "order", minimum=1, maximum=MAX_ORDER)
        self.vocab_size = check_int(self.vocab_size, "vocab_size", minimum=1, maximum=MAX_VOCAB_SIZE)
        if not isinstance(self.keys, list):
            raise TypeError(f"keys must be a list of int64 arrays, one per order, got {type(self.keys).__name__}")
        if not self.keys:
            self.keys = [np.arange(self.vocab_size, dtype=np.int64)]

    def size(self, m: int) -> int:
        """Number of distinct m-grams stored."""
        check_int(m, "m", minimum=1, maximum=len(self.keys))
        return len(self.keys[m - 1])

    def prefix(self, m: int) -> np.ndarray:
        """For each m-gram (m >= 2): index of its first m-1 tokens in the order-(m-1) table."""
        check_int(m, "m", minimum=2, maximum=len(self.keys))
        return self.keys[m - 1] // self.vocab_size

    def last(self, m: int, rows: slice = slice(None)) -> np.ndarray:
        """For each m-gram (or only those in ``rows``, e.g. a :meth:`continuations` block): id of its last token.

        Slicing first keeps a look-up of one context's block from touching the whole table.
        """
        check_int(m, "m", minimum=1, maximum=len(self.keys))
        if not isinstance(rows, slice):
            raise TypeError(f"rows must be a slice of the order-{m} table, got {type(rows).__name__}")
        return self.keys[m - 1][rows] % self.vocab_size

    def find(self, m: int, context_index: np.ndarray, token: np.ndarray) -> np.ndarray:
        """Index of the m-gram (context, token) in the order-m table, or -1 where absent.

        ``context_index`` (int64, any shape) indexes the order-(m-1) table; entries < 0
        mean "no such context" and give -1.
        """
        check_int(m, "m", minimum=1, maximum=len(self.keys))
        context_index, token = _int_array(context_index, "context_index"), _int_array(token, "token")
        table = self.keys[m - 1]
        key = context_index * self.vocab_size + token
        pos = np.searchsorted(table, key)
        pos_clipped = np.minimum(pos, max(len(table) - 1, 0))
        hit = (context_index >= 0) & (pos < len(table))
        if len(table):
            hit &= table[pos_clipped] == key
        return np.where(hit, pos, -1)

    def continuations(self, m: int, context_index: int) -> slice:
        """The block of order-m entries whose prefix is ``context_index`` (a slice of the table)."""
        check_int(m, "m", minimum=1, maximum=len(self.keys))
        context_index = check_int(context_index, "context_index")
        table = self.keys[m - 1]
        lo = np.searchsorted(table, context_index * self.vocab_size)
        hi = np.searchsorted(table, (context_index + 1) * self.vocab_size)
        return slice(int(lo), int(hi))

    def lookup(self, tokens: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
        """For every position i of a stream, the index of the m-gram *ending* at i, per order.

        ``tokens``/``offsets`` as from :meth:`NGramVocab.encode_corpus`. Returns a list
        whose element m-1 is an int64 array (len = len(tokens)) with -1 where the m-gram
        crosses a sentence start (``offsets[i] < m - 1``) or was never seen.
        """
        tokens, offsets = _check_stream(tokens, offsets, self.vocab_size)
        found = [tokens.astype(np.int64)]
        for m in range(2, self.order + 1):
            context = np.full(len(tokens), -1, dtype=np.int64)
            context[1:] = found[-1][:-1]
            context[offsets < m - 1] = -1
            found.append(self.find(m, context, tokens))
        return found

    def token_matrix(self, m: int) -> np.ndarray:
        """The token ids of every order-m entry, shape (size(m), m)."""
        check_int(m, "m", minimum=1, maximum=len(self.keys))
        columns = [self.last(m)]
        index = self.prefix(m) if m > 1 else None
        for k in range(m - 1, 0, -1):
            columns.append(self.last(k)[index])
            index = self.prefix(k)[index] if k > 1 else None
        return np.stack(columns[::-1], axis=1)


def _sorted_with_order(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(np.sort(keys), an argsort of keys)``, from one plain sort where possible.

    ``np.argsort`` of millions of int64 keys is about ten times slower than ``np.sort``
    (which uses SIMD). When a key's offset from the smallest key and its position fit in
    63 bits together, each is packed as ``offset << bits | position`` and one ``np.sort``
    gives both the sorted keys and where they came from.
    """
    n = len(keys)
    position_bits = max(1, (n - 1).bit_length())
    low = int(keys.min()) if n else 0
    if n == 0 or (int(keys.max()) - low).bit_length() + position_bits > 63:
        order = np.argsort(keys)
        return keys[order], order
    packed = (keys - low) << position_bits
    packed |= np.arange(n, dtype=np.int64)
    packed.sort()
    order = packed & ((1 << position_bits) - 1)
    packed >>= position_bits
    packed += low
    return packed, order


def _unique(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Like ``np.unique(keys, return_index=True, return_inverse=True, return_counts=True)``
    for int64 ``keys``, but faster (see :func:`_sorted_with_order`); the index returned is
    *some* occurrence of each key, not necessarily the first."""
    ordered, order = _sorted_with_order(keys)
    new_group = np.empty(len(keys), dtype=bool)
    new_group[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new_group[1:])
    starts = np.flatnonzero(new_group)
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(new_group) - 1
    count = np.diff(np.append(starts, len(keys))).astype(np.int64)
    return ordered[starts], order[starts], inverse, count


@dataclass
class NGramCounts:
    """Raw counts of every n-gram of orders 1..order in a corpus, plus the links between orders.

    For the order-m table (m = 1..order), aligned with ``table.keys[m - 1]``:

    - ``counts[m-1]``: how often the m-gram occurs (for m = 1, ``counts[0][<s>]`` is the
      number of sentences and unseen vocabulary entries such as ``<unk>`` have 0);
    - ``suffix[m-1]`` (m >= 2): index of the m-gram's last m-1 tokens in the order-(m-1) table;
    - ``starts_with_bos[m-1]``: whether the m-gram begins with ``<s>`` (no word can precede
      it, which matters for Kneser-Ney's continuation counts).
    """

    table: NGramTable
    counts: list[np.ndarray]
    suffix: list[np.ndarray | None]
    starts_with_bos: list[np.ndarray]
    n_sentences: int

    @property
    def order(self) -> int:
        return self.table.order

    @classmethod
    def from_stream(cls, tokens: np.ndarray, offsets: np.ndarray, order: int, vocab_size: int) -> "NGramCounts":
        """Count all n-grams (orders 1..order) of an encoded corpus (see ``encode_corpus``)."""
        order = check_int(order, "order", minimum=1, maximum=MAX_ORDER)
        vocab_size = check_int(vocab_size, "vocab_size", minimum=3, maximum=MAX_VOCAB_SIZE)
        tokens, offsets = _check_stream(tokens, offsets, vocab_size)
        if vocab_size * (len(tokens) + vocab_size) >= 2**63:  # keys < (#distinct (m-1)-grams) * V
            raise ValueError(f"corpus too large for int64 n-gram keys: {len(tokens)} tokens, vocab {vocab_size}")
        table = NGramTable(order, vocab_size)
        counts = [np.bincount(tokens, minlength=vocab_size).astype(np.int64)]
        suffix: list[np.ndarray | None] = [None]
        starts_with_bos = [np.arange(vocab_size) == BOS_ID]
        at = tokens.astype(np.int64)  # index of the (m-1)-gram ending at each position
        for m in range(2, order + 1):
            valid = np.flatnonzero(offsets >= m - 1)  # positions where an m-gram fits in the sentence
            keys = at[valid - 1] * vocab_size + tokens[valid]
            unique, where, inverse, count = _unique(keys)
            table.keys.append(unique)
            counts.append(count)
            first_pos = valid[where]
            suffix.append(at[first_pos])  # the (m-1)-gram ending at the same position = last m-1 tokens
            starts_with_bos.append(offsets[first_pos] == m - 1)
            at_next = np.full(len(tokens), -1, dtype=np.int64)
            at_next[valid] = inverse.reshape(-1)
            at = at_next
        return cls(table, counts, suffix, starts_with_bos, int(counts[0][BOS_ID]))

    def truncated(self, order: int) -> "NGramCounts":
        """The counts of orders 1..``order`` only, sharing the arrays (no copy).

        The count of an m-gram does not depend on the highest order counted, so an
        order-m model can be estimated from these without counting the corpus again.
        """
        order = check_int(order, "order", minimum=1, maximum=self.order)
        table = NGramTable(order, self.table.vocab_size, self.table.keys[:order])
        return NGramCounts(table, self.counts[:order], self.suffix[:order], self.starts_with_bos[:order],
                           self.n_sentences)

    def context_totals(self, m: int) -> np.ndarray:
        """For each (m-1)-gram c: the number of m-gram tokens that continue it, c(c .)."""
        check_int(m, "m", minimum=1, maximum=self.order)
        if m == 1:
            total = self.counts[0].sum() - self.counts[0][BOS_ID]
            return np.array([total], dtype=np.int64)
        return np.bincount(self.table.prefix(m), weights=self.counts[m - 1], minlength=self.table.size(m - 1)).astype(np.int64)


def _check_stream(tokens: object, offsets: object, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
    """``tokens`` and ``offsets`` as from :meth:`NGramVocab.encode_corpus`: 1-D int arrays of one length,
    ids in ``[0, vocab_size)`` and offsets >= 0."""
    tokens, offsets = np.asarray(tokens), np.asarray(offsets)
    for name, array in (("tokens", tokens), ("offsets", offsets)):
        if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
            raise TypeError(f"{name} must be a 1-D int array (see NGramVocab.encode_corpus), "
                            f"got shape {array.shape} and dtype {array.dtype}")
    if len(tokens) != len(offsets):
        raise ValueError(f"tokens and offsets must have the same length, got {len(tokens):,} and {len(offsets):,}")
    tokens, offsets = tokens.astype(np.int64, copy=False), offsets.astype(np.int64, copy=False)
    check_token_ids(tokens, "tokens", vocab_size)
    if len(offsets) and offsets.min() < 0:
        raise ValueError(f"offsets must be >= 0 (positions inside a sentence), got {int(offsets.min())}")
    return tokens, offsets


def _int_array(value: object, name: str) -> np.ndarray:
    """``value`` as an int64 array (any shape); ``TypeError`` naming ``name`` for anything but integers."""
    array = np.asarray(value)
    if array.size == 0:
        return array.astype(np.int64)
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"{name} must be an int or an array of ints, got {type(value).__name__} of dtype {array.dtype}")
    return array.astype(np.int64, copy=False)

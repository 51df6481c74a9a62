"""Finite sets of contexts (token sequences) over a vocabulary, with readable labels.

A :class:`ContextSet` is an ordered list of contexts (tuples of token ids in
``0 .. V-1``).  It becomes a catkit object through :attr:`ContextSet.wire`,
whose element labels are strings: the concatenated token labels when every
vocabulary label is one character (``"abca"``), else the labels joined by
spaces; the empty context is ``""``.

>>> from catkit import Wire
>>> C = ContextSet.all(Wire(["a", "b"]), 2)
>>> len(C), C.labels
(7, ('', 'a', 'b', 'aa', 'ab', 'ba', 'bb'))
>>> C.index("ba"), C[5]
(5, (1, 0))
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any, cast

import numpy as np

from catkit.objects import Wire
from catkit.sources.probs import SourceError

__all__ = ["ContextSet", "vocab_wire", "context_label", "parse_context"]


def vocab_wire(vocab: Wire | int | Sequence[Hashable]) -> Wire:
    """A vocabulary wire: an int ``V`` gets the labels ``a, b, c, ...`` (up to 26), else ``0 .. V-1``.

    >>> vocab_wire(3), vocab_wire(["x", "y"])
    (Wire(['a', 'b', 'c'], name='vocab'), Wire(['x', 'y'], name='vocab'))
    """
    if isinstance(vocab, Wire):
        return vocab
    if isinstance(vocab, int) and not isinstance(vocab, bool):
        if vocab <= 0:
            raise SourceError(f"a vocabulary needs at least one token, got size {vocab}")
        labels = [chr(ord("a") + i) for i in range(vocab)] if vocab <= 26 else [str(i) for i in range(vocab)]
        return Wire(labels, name="vocab")
    return Wire(list(cast("Sequence[Hashable]", vocab)), name="vocab")


def _single_chars(vocab: Wire) -> bool:
    return all(isinstance(x, str) and len(x) == 1 for x in vocab.elements())


def context_label(ctx: Sequence[int], vocab: Wire) -> str:
    """The label of a context: concatenated one-character labels, else space-separated labels.

    >>> context_label((0, 1, 1), vocab_wire(2)), context_label((3, 12), vocab_wire(30))
    ('abb', '3 12')
    """
    labels = [str(vocab.label(int(t))) for t in ctx]
    return "".join(labels) if _single_chars(vocab) else " ".join(labels)


def parse_context(ctx: Any, vocab: Wire) -> tuple[int, ...]:
    """Token ids of a context given as a label string, a sequence of labels, or a sequence of ids.

    >>> V = vocab_wire(3)
    >>> parse_context("cab", V), parse_context(["c", "a"], V), parse_context((2, 0), V)
    ((2, 0, 1), (2, 0), (2, 0))
    >>> parse_context("abz", V)
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: context 'abz': token 'z' is not in the vocabulary ['a', 'b', 'c']
    """
    if isinstance(ctx, np.ndarray) and ctx.dtype.kind in "iu" and ctx.ndim == 1:
        ids = ctx.tolist()  # token ids: one bounds check for the whole array
        if not ids or (min(ids) >= 0 and max(ids) < vocab.size):
            return tuple(ids)
    if isinstance(ctx, str):
        items: list[Any] = list(ctx) if _single_chars(vocab) else ctx.split()
    elif isinstance(ctx, np.ndarray) or type(ctx).__module__.startswith("torch"):
        items = [int(t) for t in ctx.tolist()]
    else:
        items = list(ctx)
    out = []
    labels = vocab.labels
    index = _label_index(vocab)
    for t in items:
        if isinstance(t, (int, np.integer)) and not isinstance(t, bool) and 0 <= int(t) < vocab.size and not (
            labels is not None and isinstance(t, str)
        ):
            out.append(int(t))
            continue
        try:
            out.append(index[t])
        except (KeyError, TypeError):
            shown = list(labels) if labels is not None else f"ids 0..{vocab.size - 1}"
            raise SourceError(f"context {ctx!r}: token {t!r} is not in the vocabulary {shown}") from None
    return tuple(out)


@lru_cache(maxsize=64)
def _label_index(vocab: Wire) -> dict[Hashable, int]:
    """Label → token id (wires are immutable, so one dict per vocabulary serves every parse)."""
    return {x: i for i, x in enumerate(vocab.labels)} if vocab.labels is not None else {}


class ContextSet(Sequence[tuple[int, ...]]):
    """An ordered, duplicate-free finite set of contexts over a vocabulary.

    Build one with :meth:`all` (every context of length ``min_length .. max_length``),
    :meth:`of_length`, or from a list of contexts (label strings, label lists or id tuples).

    >>> C = ContextSet(["ab", "b", ""], 2)
    >>> C.labels, C.max_length, C.lengths
    (('ab', 'b', ''), 2, (0, 1, 2))
    >>> ContextSet(["a", "a"], 2)
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: context 'a' appears twice in the context set
    """

    def __init__(self, contexts: Iterable[Any], vocab: Wire | int | Sequence[Hashable], *, name: str = "contexts") -> None:
        self.vocab = vocab_wire(vocab)
        self.name = name
        ctxs = [parse_context(c, self.vocab) for c in contexts]
        index: dict[tuple[int, ...], int] = {}
        for i, c in enumerate(ctxs):
            if c in index:
                raise SourceError(f"context {context_label(c, self.vocab)!r} appears twice in the context set")
            index[c] = i
        self._ctxs, self._index = ctxs, index
        self._wire: Wire | None = None
        self._groups: list[tuple[int, np.ndarray, np.ndarray]] | None = None
        self._complete_up_to: tuple[int, int] | None = None

    @classmethod
    def all(cls, vocab: Wire | int | Sequence[Hashable], max_length: int, min_length: int = 0) -> ContextSet:
        """Every context of length ``min_length .. max_length``, shortest first, then lexicographic.

        >>> ContextSet.all(2, 2, min_length=2).labels
        ('aa', 'ab', 'ba', 'bb')
        """
        V = vocab_wire(vocab)
        if not (isinstance(max_length, int) and isinstance(min_length, int) and 0 <= min_length <= max_length):
            raise SourceError(f"need 0 <= min_length <= max_length, got min_length={min_length}, max_length={max_length}")
        # fast path: the id arrays directly (row-major digits), tuples from them; no parsing, no duplicates possible
        out = cls((), V)
        groups, start = [], 0
        for n in range(min_length, max_length + 1):
            count = V.size**n
            idx = np.arange(count, dtype=np.int64)
            ids = (idx[:, None] // (V.size ** np.arange(n - 1, -1, -1, dtype=np.int64))[None, :]) % V.size
            pos = np.arange(start, start + count, dtype=np.int64)
            pos.flags.writeable = ids.flags.writeable = False  # shared by groups(copy=False)
            groups.append((n, pos, ids))
            out._ctxs.extend(map(tuple, ids.tolist()))
            start += count
        out._index = dict(zip(out._ctxs, range(len(out._ctxs))))
        out._groups = groups
        out._complete_up_to = (min_length, max_length)
        return out

    @classmethod
    def of_length(cls, vocab: Wire | int | Sequence[Hashable], length: int) -> ContextSet:
        """Every context of exactly ``length`` tokens.

        >>> len(ContextSet.of_length(3, 4))
        81
        """
        return cls.all(vocab, length, length)

    # ------------------------------------------------------------------ sequence protocol
    def __len__(self) -> int:
        return len(self._ctxs)

    def __getitem__(self, i):  # type: ignore[override]
        return self._ctxs[i]

    def __iter__(self) -> Iterator[tuple[int, ...]]:
        return iter(self._ctxs)

    def __contains__(self, ctx: object) -> bool:
        try:
            return parse_context(ctx, self.vocab) in self._index
        except SourceError:
            return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContextSet) and self.vocab == other.vocab and self._ctxs == other._ctxs

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        shown = ", ".join(repr(x) for x in self.labels[:6]) + (", …" if len(self) > 6 else "")
        return f"ContextSet([{shown}], {len(self)} contexts over {self.vocab})"

    def index(self, ctx: Any) -> int:  # type: ignore[override]
        """Position of a context (label string, labels or ids).

        >>> ContextSet.all(2, 1).index("b")
        2
        """
        c = parse_context(ctx, self.vocab)
        try:
            return self._index[c]
        except KeyError:
            raise SourceError(f"context {context_label(c, self.vocab)!r} is not in {self!r}") from None

    # ------------------------------------------------------------------ views
    @property
    def labels(self) -> tuple[str, ...]:
        """The context labels, in order.

        >>> ContextSet([(1, 0)], 2).labels
        ('ba',)
        """
        return tuple(context_label(c, self.vocab) for c in self._ctxs)

    @property
    def wire(self) -> Wire:
        """The contexts as a catkit wire (labels as in :attr:`labels`, named after the set).

        >>> ContextSet.all(2, 1).wire
        Wire(['', 'a', 'b'], name='contexts')
        """
        if self._wire is None:
            self._wire = Wire(list(self.labels), name=self.name)
        return self._wire

    @property
    def lengths(self) -> tuple[int, ...]:
        """The distinct context lengths, increasing.

        >>> ContextSet(["ab", "a"], 2).lengths
        (1, 2)
        """
        return tuple(n for n, _, _ in self._cached_groups())

    @property
    def max_length(self) -> int:
        """The longest context's length (0 for an empty set).

        >>> ContextSet.all(3, 4).max_length
        4
        """
        return max(self.lengths, default=0)

    @property
    def complete(self) -> tuple[int, int] | None:
        """``(min_length, max_length)`` when this set is exactly :meth:`all` of those lengths, else ``None``.

        >>> ContextSet.all(2, 3, 1).complete, ContextSet(["a"], 2).complete
        ((1, 3), None)
        """
        return self._complete_up_to

    def groups(self, copy: bool = True) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """``(length, positions, ids)`` per length: the contexts of that length as an int64 array ``(n, length)``
        (``copy=False``: the set's own read-only arrays, without copying them).

        >>> g = ContextSet(["ab", "b", "ba"], 2).groups()
        >>> {n: pos.tolist() for n, pos, ids in g}, {n: ids.shape for n, pos, ids in g}
        ({1: [1], 2: [0, 2]}, {1: (1, 1), 2: (2, 2)})
        >>> ContextSet(["ab"], 2).groups(copy=False)[0][2].flags.writeable
        False
        """
        cached = self._cached_groups()
        return [(n, pos.copy(), ids.copy()) for n, pos, ids in cached] if copy else list(cached)

    def _cached_groups(self) -> list[tuple[int, np.ndarray, np.ndarray]]:
        if self._groups is not None:
            return self._groups
        by: dict[int, list[int]] = {}
        for i, c in enumerate(self._ctxs):
            by.setdefault(len(c), []).append(i)
        out = []
        for n in sorted(by):
            pos = np.asarray(by[n], dtype=np.int64)
            ids = np.asarray([self._ctxs[i] for i in by[n]], dtype=np.int64).reshape(len(pos), n)
            pos.flags.writeable = ids.flags.writeable = False  # shared by groups(copy=False)
            out.append((n, pos, ids))
        self._groups = out
        return out

"""Finite objects: wires (finite sets) and objects (tuples of wires).

A :class:`Wire` is a finite set given by its size, optionally with element
labels and a name.  An :class:`Obj` is a tuple of wires; the monoidal unit
``I`` is the empty tuple and ``X @ Y`` concatenates.  The monoidal structure is
*strict*: ``(X @ Y) @ Z`` and ``X @ (Y @ Z)`` are the same tuple (Mac Lane's
strictification theorem says nothing is lost).

>>> X, Y = Wire(2), Wire(["a", "b", "c"], name="Y")
>>> X @ Y
Wire(2) @ Wire(['a', 'b', 'c'], name='Y')
>>> (X @ Y).sizes, (X @ Y).size
((2, 3), 6)
>>> (X @ I) == Obj(X) and ((X @ Y) @ X) == (X @ (Y @ X))
True
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable, Iterator, Sequence
from numbers import Integral
from typing import Any

from catkit.errors import CatkitError

__all__ = ["Wire", "Obj", "I", "as_obj", "ObjLike"]


class ObjError(CatkitError, ValueError):
    """An object or wire was given bad data (negative size, duplicate labels, unknown element)."""


class Wire:
    """A finite set: a size, optional element labels and an optional name.

    Two wires are equal when their sizes, labels and names are equal.

    >>> Wire(3)
    Wire(3)
    >>> Wire(["rain", "sun"], name="weather").labels
    ('rain', 'sun')
    >>> Wire(2).elements()
    (0, 1)
    >>> Wire(["x", "y"]).index("y")
    1
    >>> Wire([["a"], "b"])
    Traceback (most recent call last):
    ...
    catkit.objects.ObjError: wire labels must be hashable (str, int, tuple, ...); ['a'] is a list
    """

    __slots__ = ("_size", "_labels", "_name", "_hash")

    def __init__(self, size: int | Sequence[Hashable], name: str | None = None) -> None:
        if isinstance(size, bool) or not isinstance(size, (int, Sequence)) or isinstance(size, str):
            raise ObjError(f"a wire needs a size (int >= 0) or a list of labels, got {size!r}")
        labels: tuple[Hashable, ...] | None
        if isinstance(size, int):
            if size < 0:
                raise ObjError(f"a wire's size must be >= 0, got {size}")
            n, labels = size, None
        else:
            labels = tuple(size)
            n = len(labels)
            for x in labels:
                try:
                    hash(x)
                except TypeError:
                    raise ObjError(f"wire labels must be hashable (str, int, tuple, ...); {str(x)[:40]} is a {type(x).__name__}") from None
            if len(set(labels)) != n:
                dup = next(x for x in labels if labels.count(x) > 1)
                raise ObjError(f"wire labels must be distinct; {dup!r} appears twice in {list(labels)!r}")
        if name is not None and not isinstance(name, str):
            raise ObjError(f"a wire's name must be a string, got {name!r}")
        self._size, self._labels, self._name = n, labels, name
        self._hash = hash((n, labels, name))

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt by the constructor: the cached hash is per process (string hashes are salted)
        return (Wire, (self._size if self._labels is None else self._labels, self._name))

    @property
    def size(self) -> int:
        """Number of elements.

        >>> Wire(4).size
        4
        """
        return self._size

    @property
    def labels(self) -> tuple[Hashable, ...] | None:
        """Element labels, or ``None`` when the elements are just ``0 .. size-1``.

        >>> Wire(2).labels is None
        True
        """
        return self._labels

    @property
    def name(self) -> str | None:
        """Optional name shown in reprs and errors.

        >>> Wire(2, name="coin").name
        'coin'
        """
        return self._name

    def elements(self) -> tuple[Hashable, ...]:
        """The elements: the labels if any, else ``0 .. size-1``.

        >>> Wire(["h", "t"]).elements()
        ('h', 't')
        """
        return self._labels if self._labels is not None else tuple(range(self._size))

    def label(self, i: int) -> Hashable:
        """The label of the ``i``-th element (``i`` itself when unlabelled).

        >>> Wire(["h", "t"]).label(1), Wire(2).label(1)
        ('t', 1)
        """
        return self._labels[i] if self._labels is not None else i

    def index(self, x: Hashable) -> int:
        """Position of element ``x`` (a label, or an index for unlabelled wires).

        >>> Wire(["h", "t"]).index("t")
        1
        """
        if self._labels is not None:
            try:
                return self._labels.index(x)
            except ValueError:
                raise ObjError(f"{x!r} is not an element of {self!r}") from None
        if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < self._size:
            raise ObjError(f"{x!r} is not an element of {self!r} (elements are 0..{self._size - 1})")
        return x

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Wire):
            return NotImplemented
        return self._size == other._size and self._labels == other._labels and self._name == other._name

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        base = repr(list(self._labels)) if self._labels is not None else str(self._size)
        return f"Wire({base}, name={self._name!r})" if self._name is not None else f"Wire({base})"

    def __matmul__(self, other: ObjLike) -> Obj:
        return Obj(self) @ other

    def __rmatmul__(self, other: ObjLike) -> Obj:
        return as_obj(other) @ Obj(self)


class Obj(tuple):
    """An object of FinStoch: a tuple of wires. ``Obj()`` is the unit ``I``.

    >>> X = Obj(Wire(2), Wire(3))
    >>> X, len(X), X.size
    (Wire(2) @ Wire(3), 2, 6)
    >>> I, I.size
    (I, 1)
    >>> list(Obj(Wire(2), Wire(["a", "b"])).elements())
    [(0, 'a'), (0, 'b'), (1, 'a'), (1, 'b')]
    """

    __slots__ = ()

    def __new__(cls, *wires: Wire) -> Obj:
        for w in wires:
            if not isinstance(w, Wire):
                raise ObjError(f"an Obj is a tuple of Wires; got {w!r}")
        return super().__new__(cls, wires)

    def __getnewargs__(self) -> tuple[Wire, ...]:
        """The wires, as ``Obj(*wires)`` takes them (pickling and copying rebuild an object through ``__new__``).

        >>> import pickle
        >>> X = Wire(2) @ Wire(["a", "b"], name="y")
        >>> pickle.loads(pickle.dumps(X)) == X
        True
        """
        return tuple(self)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Sizes of the wires, i.e. the array shape of this side of a kernel.

        >>> (Wire(2) @ Wire(3)).sizes
        (2, 3)
        """
        return tuple(w.size for w in self)

    @property
    def size(self) -> int:
        """Number of elements of the product set (1 for ``I``).

        >>> (Wire(2) @ Wire(3)).size
        6
        """
        n = 1
        for w in self:
            n *= w.size
        return n

    def position(self, key: int | str) -> int:
        """The position of a wire given by its position or by its name (a ``str``).

        >>> X = Wire(2, name="rain") @ Wire(3, name="wind")
        >>> X.position("wind"), X.position(0)
        (1, 0)
        >>> X.position("snow")
        Traceback (most recent call last):
        ...
        catkit.objects.ObjError: no wire of Wire(2, name='rain') @ Wire(3, name='wind') is named 'snow' (names: ['rain', 'wind'])
        """
        if isinstance(key, str):
            found = [j for j, w in enumerate(self) if w.name == key]
            if len(found) == 1:
                return found[0]
            names = [w.name for w in self]
            if found:
                raise ObjError(f"{len(found)} wires of {self!r} are named {key!r} (positions {found}): give a position")
            raise ObjError(f"no wire of {self!r} is named {key!r} (names: {names})")
        if isinstance(key, bool) or not isinstance(key, Integral) or not 0 <= key < len(self):
            raise ObjError(f"wire position {key!r} is not one of the {len(self)} wires of {self!r} (give 0..{len(self) - 1} or a wire name)")
        return int(key)

    def positions(self, *keys: int | str | Iterable[int | str], distinct: bool = False) -> list[int]:
        """The positions of the wires ``keys`` name, in order: each key a position, a wire name, or a list of them.

        With ``distinct=True`` a wire named twice is an error (a marginal may copy a wire; a split may not).

        >>> X = Wire(2, name="x") @ Wire(3, name="y") @ Wire(2)
        >>> X.positions("y"), X.positions(2, "x"), X.positions([1, "x"], 1)
        ([1], [2, 0], [1, 0, 1])
        >>> X.positions([1, "y"], distinct=True)
        Traceback (most recent call last):
        ...
        catkit.objects.ObjError: the wire at position 1 is named twice
        """
        flat: list[Any] = []
        for k in keys:
            if getattr(k, "ndim", None) == 0:  # a 0-d array is one key
                flat.append(k.item())  # type: ignore[union-attr]
            elif isinstance(k, Iterable) and not isinstance(k, (str, bytes)):
                flat.extend(k)
            else:  # a position, a name, or one bad key (named in the error)
                flat.append(k)
        out = [self.position(x) for x in flat]
        if distinct and len(set(out)) != len(out):
            twice = next(p for p in out if out.count(p) > 1)
            raise ObjError(f"the wire at position {twice} is named twice")
        return out

    def elements(self) -> Iterator[tuple[Hashable, ...]]:
        """Elements of the product set in row-major order (first wire most significant).

        >>> list((Wire(2) @ Wire(2)).elements())
        [(0, 0), (0, 1), (1, 0), (1, 1)]
        """
        return itertools.product(*(w.elements() for w in self))

    def label(self, flat: int) -> tuple[Hashable, ...]:
        """The element at a flat (row-major) index.

        >>> (Wire(2) @ Wire(["a", "b"])).label(3)
        (1, 'b')
        """
        out = []
        for w in reversed(self):
            flat, r = divmod(flat, w.size) if w.size else (flat, 0)
            out.append(w.label(r))
        return tuple(reversed(out))

    def flat_index(self, element: Any) -> int:
        """Flat (row-major) index of an element given as a tuple (or a bare value for one wire).

        (``Obj.index`` is still ``tuple.index``: the position of a wire.)

        >>> (Wire(2) @ Wire(["a", "b"])).flat_index((1, "a"))
        2
        >>> Obj(Wire(["a", "b"])).flat_index("b")
        1
        """
        if len(self) == 1 and not (isinstance(element, tuple) and len(element) == 1):
            element = (element,)
        if not isinstance(element, tuple) or len(element) != len(self):
            raise ObjError(f"{element!r} is not an element of {self} (expected a tuple of {len(self)} entries)")
        flat = 0
        for w, x in zip(self, element):
            flat = flat * w.size + w.index(x)
        return flat

    def __matmul__(self, other: ObjLike) -> Obj:  # type: ignore[override]
        return Obj(*self, *as_obj(other))

    def __rmatmul__(self, other: ObjLike) -> Obj:
        return Obj(*as_obj(other), *self)

    def __add__(self, other: object) -> Obj:  # type: ignore[override]
        if isinstance(other, (Obj, Wire)):
            return self @ other
        return NotImplemented

    def __getitem__(self, i):  # type: ignore[override]
        r = super().__getitem__(i)
        return Obj(*r) if isinstance(i, slice) else r

    def __repr__(self) -> str:
        if not self:
            return "I"
        if len(self) == 1:
            return f"Obj({self[0]!r})"
        return " @ ".join(repr(w) for w in self)

    def __str__(self) -> str:
        return repr(self[0]) if len(self) == 1 else repr(self)


#: The monoidal unit: the empty tuple of wires (a one-element set).
I = Obj()

ObjLike = Obj | Wire | int | Iterable[Wire | int]


def as_obj(x: ObjLike) -> Obj:
    """Coerce a wire, an int (a wire of that size) or an iterable of those to an :class:`Obj`.

    >>> as_obj(2), as_obj((2, Wire(3))), as_obj(())
    (Obj(Wire(2)), Wire(2) @ Wire(3), I)
    """
    if isinstance(x, Obj):
        return x
    if isinstance(x, Wire):
        return Obj(x)
    if isinstance(x, int) and not isinstance(x, bool):
        return Obj(Wire(x))
    if isinstance(x, Iterable) and not isinstance(x, str):
        return Obj(*(w if isinstance(w, Wire) else Wire(w) for w in x))
    raise ObjError(f"cannot make an object (tuple of wires) from {x!r}")

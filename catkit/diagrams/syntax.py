"""Free syntax: typed wires, boxes, ``>>``, ``@`` and the copy-discard structure.

A :class:`Ty` is a tuple of :class:`Atom` (a named wire type, optionally with the
size a semantics functor uses).  A :class:`Diagram` is a list of *layers*
``(offset, box)``: the box acts on the wires ``offset .. offset + len(box.dom)``
and the other wires pass by.  ``>>`` concatenates layers, ``@`` puts the second
diagram's layers after the first's, shifted right (the interchange law makes the
order irrelevant up to equality).  Values are immutable; ``==`` is *syntactic*
(same layers); equality in the free categories is :meth:`Diagram.equals`.

>>> X, Y = Ty("X"), Ty("Y")
>>> f = Box("f", X, Y)
>>> d = f >> Copy(Y)
>>> d
Box('f', Ty('X'), Ty('Y')) >> Copy(Ty('Y'))
>>> d.dom, d.cod
(Ty('X'), Ty('Y', 'Y'))
>>> eval(repr(d)) == d
True
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from catkit.category import Morphism
from catkit.errors import CatkitError, ImmutableError

__all__ = [
    "Atom",
    "Ty",
    "TyLike",
    "as_ty",
    "Diagram",
    "Box",
    "Wiring",
    "Id",
    "Copy",
    "Discard",
    "Swap",
    "Permutation",
    "DiagramTypeError",
    "DiagramValueError",
]


class DiagramTypeError(CatkitError, TypeError):
    """Two diagrams do not fit together (the message names both sides), or a
    value is not a type or diagram where one is needed.

    >>> try:
    ...     Box("f", Ty("X"), Ty("Y")) >> Box("g", Ty("Z"), Ty("X"))
    ... except DiagramTypeError as e:
    ...     print(e)
    cannot compose f >> g: the codomain of f is Ty('Y') but the domain of g is Ty('Z')
    """


class DiagramValueError(CatkitError, ValueError):
    """A diagram constructor got a bad value (a negative size, a bad permutation, a bad offset).

    >>> try:
    ...     Permutation(Ty("X", "Y"), [0, 0])
    ... except DiagramValueError as e:
    ...     print(e)
    [0, 0] is not a permutation of the 2 wires of Ty('X', 'Y')
    """


class Atom:
    """A generating wire type: a name and an optional size (the number of
    elements a semantics functor gives it by default).

    >>> Atom("X"), Atom("X", 2)
    (Atom('X'), Atom('X', 2))
    >>> Atom("X") == Atom("X", 2)
    False
    """

    __slots__ = ("name", "size", "_hash")

    name: str
    size: int | None
    _hash: int

    def __init__(self, name: str, size: int | None = None) -> None:
        if not isinstance(name, str) or not name:
            raise DiagramValueError(f"a wire type needs a non-empty string name, got {name!r}")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
            raise DiagramValueError(f"the size of wire type {name!r} must be an int >= 0, got {size!r}")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "size", size)
        object.__setattr__(self, "_hash", hash((name, size)))

    def __setattr__(self, key: str, value: Any) -> None:
        raise ImmutableError("Atom is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Atom, (self.name, self.size))  # the cached hash is per process: rebuilt, not copied

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Atom):
            return NotImplemented
        return self.name == other.name and self.size == other.size

    def __hash__(self) -> int:
        return self._hash

    def __lt__(self, other: Atom) -> bool:
        return (self.name, self.size or -1) < (other.name, other.size or -1)

    def __repr__(self) -> str:
        return f"Atom({self.name!r})" if self.size is None else f"Atom({self.name!r}, {self.size})"

    def __str__(self) -> str:
        return self.name


class Ty(tuple):
    """A wire type: a tuple of atoms.  ``Ty()`` is the monoidal unit, ``X @ Y``
    concatenates (strictly: ``(X @ Y) @ Z == X @ (Y @ Z)``).

    >>> Ty("X", "Y"), Ty("X", size=2), Ty()
    (Ty('X', 'Y'), Ty('X', size=2), Ty())
    >>> Ty("X") @ Ty("Y", size=3)
    Ty('X') @ Ty('Y', size=3)
    >>> len(Ty("X") @ Ty()), Ty("X", "Y")[1]
    (1, Atom('Y'))
    """

    __slots__ = ()

    def __new__(cls, *atoms: str | Atom, size: int | None = None) -> Ty:
        out = []
        for a in atoms:
            if isinstance(a, Atom):
                if size is not None:
                    raise DiagramValueError("size= applies to atoms given by name, not to Atom values")
                out.append(a)
            elif isinstance(a, str):
                out.append(Atom(a, size))
            else:
                raise DiagramTypeError(f"a Ty is made of names (str) or Atoms, got {a!r}")
        return super().__new__(cls, out)

    def __getnewargs__(self) -> tuple[Atom, ...]:
        return tuple(self)  # pickling rebuilds a Ty through __new__, which takes the atoms one by one

    @property
    def sizes(self) -> tuple[int | None, ...]:
        """The atoms' sizes (``None`` where unset).

        >>> Ty("X", "Y", size=2).sizes
        (2, 2)
        """
        return tuple(a.size for a in self)

    def __matmul__(self, other: Any) -> Any:  # type: ignore[override]
        if isinstance(other, Ty):
            return Ty(*self, *other)
        if isinstance(other, Diagram):
            return Id(self) @ other
        return NotImplemented

    def __add__(self, other: object) -> Ty:  # type: ignore[override]
        return self @ other if isinstance(other, Ty) else NotImplemented

    def __getitem__(self, i: Any) -> Any:  # type: ignore[override]
        r = super().__getitem__(i)
        return Ty(*r) if isinstance(i, slice) else r

    def __repr__(self) -> str:
        if not self:
            return "Ty()"
        sizes = {a.size for a in self}
        if len(sizes) == 1:
            (s,) = sizes
            names = ", ".join(repr(a.name) for a in self)
            return f"Ty({names})" if s is None else f"Ty({names}, size={s})"
        return " @ ".join(repr(Ty(a)) for a in self)

    def __str__(self) -> str:
        return " @ ".join(a.name for a in self) if self else "I"


TyLike = Ty | Atom | str | Iterable[Atom | str]


def as_ty(x: TyLike) -> Ty:
    """Coerce a name, an atom or an iterable of those to a :class:`Ty`.

    >>> as_ty("X"), as_ty(("X", Atom("Y", 2))), as_ty(())
    (Ty('X'), Ty('X') @ Ty('Y', size=2), Ty())
    """
    if isinstance(x, Ty):
        return x
    if isinstance(x, (str, Atom)):
        return Ty(x)
    if isinstance(x, Iterable):
        return Ty(*x)
    raise DiagramTypeError(f"cannot make a wire type from {x!r}")


_setattr = object.__setattr__
_new_object = object.__new__


class Diagram(Morphism):
    """A string diagram ``dom → cod``: a sequence of layers ``(offset, box)``.

    Build diagrams from :class:`Box`, :func:`Id`, :class:`Copy`, :class:`Discard`,
    :class:`Swap`, :class:`Permutation` with ``>>`` (then) and ``@`` (tensor);
    a :class:`Ty` on either side of ``@`` stands for its identity.

    >>> X = Ty("X")
    >>> f, g = Box("f", X, X), Box("g", X, X)
    >>> d = f @ g
    >>> d.layers
    ((0, Box('f', Ty('X'), Ty('X'))), (1, Box('g', Ty('X'), Ty('X'))))
    >>> d
    Box('f', Ty('X'), Ty('X')) @ Id(Ty('X')) >> Id(Ty('X')) @ Box('g', Ty('X'), Ty('X'))
    >>> len(d), d.boxes == (f, g)
    (2, True)
    >>> (X @ f).dom == X @ X
    True

    The class is the free Markov category (see :mod:`catkit.category`): ``Diagram.id``, ``copy``,
    ``discard`` and ``swap`` build its structure.

    >>> Diagram.copy(X) >> (Diagram.discard(X) @ Diagram.id(X))
    Copy(Ty('X')) >> Discard(Ty('X')) @ Id(Ty('X'))
    """

    __slots__ = ("dom", "cod", "_layers", "_left", "_right", "_hash")

    dom: Ty
    cod: Ty
    _layers: tuple[tuple[int, Box], ...] | None
    _left: Diagram | None  # ``>>`` keeps its two operands; the layers are joined when first read
    _right: Diagram | None
    _hash: int | None
    #: the monoidal unit, the empty type
    unit: ClassVar[Ty] = Ty()

    def __init__(self, dom: TyLike, cod: TyLike, layers: Sequence[tuple[int, Box]] = ()) -> None:
        dom_t, cod_t = as_ty(dom), as_ty(cod)
        wires = dom_t
        for i, layer in enumerate(layers):
            if not (isinstance(layer, tuple) and len(layer) == 2 and isinstance(layer[1], Box)):
                raise DiagramTypeError(f"layer {i} must be a pair (offset, Box), got {layer!r}")
            o, box = layer
            k = len(box.dom)
            if isinstance(o, bool) or not isinstance(o, int) or not 0 <= o <= len(wires) - k:
                raise DiagramValueError(f"layer {i}: offset {o!r} does not place {box.name} ({box.dom}) on {len(wires)} wires")
            if wires[o : o + k] != box.dom:
                raise DiagramTypeError(f"layer {i}: {box.name} expects {box.dom!r} but the wires there are {wires[o:o + k]!r}")
            wires = wires[:o] @ box.cod @ wires[o + k :]
        if wires != cod_t:
            raise DiagramTypeError(f"the layers end on {wires!r}, not on the codomain {cod_t!r}")
        self._set(dom_t, cod_t, tuple(layers))

    def _set(self, dom: Ty, cod: Ty, layers: tuple[tuple[int, Box], ...] | None, left: Diagram | None = None,
             right: Diagram | None = None) -> None:
        _setattr(self, "dom", dom)
        _setattr(self, "cod", cod)
        _setattr(self, "_layers", layers)
        _setattr(self, "_left", left)
        _setattr(self, "_right", right)
        _setattr(self, "_hash", None)

    @classmethod
    def _new(cls, dom: Ty, cod: Ty, layers: tuple[tuple[int, Box], ...] | None, left: Diagram | None = None,
             right: Diagram | None = None) -> Diagram:
        d = _new_object(Diagram)
        d._set(dom, cod, layers, left, right)
        return d

    @property
    def layers(self) -> tuple[tuple[int, Box], ...]:
        """The layers ``(offset, box)``, in order (a tuple).

        >>> (Box("f", "X", "Y") >> Box("g", "Y", "Z")).layers[1]
        (0, Box('g', Ty('Y'), Ty('Z')))
        """
        layers = self._layers
        if layers is None:  # join the operands of a chain of >> once, left to right, without recursion
            out: list[tuple[int, Box]] = []
            stack: list[Diagram] = [self]
            while stack:
                d = stack.pop()
                if d._layers is not None:
                    out.extend(d._layers)
                else:
                    assert d._left is not None and d._right is not None
                    stack += (d._right, d._left)
            layers = tuple(out)
            _setattr(self, "_layers", layers)
            _setattr(self, "_left", None)
            _setattr(self, "_right", None)
        return layers

    def __setattr__(self, key: str, value: Any) -> None:
        raise ImmutableError("diagrams are immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickling (and ``copy``): the object first, then its slots, so that a box's layers may refer to the box
        itself; a chain built by ``>>`` is flattened first (no recursion on its depth), and the cached hash is
        left out (it is per process).

        >>> import pickle
        >>> d = Box("f", "X", "Y") >> Copy(Ty("Y"))
        >>> pickle.loads(pickle.dumps(d)) == d
        True
        """
        self.layers  # noqa: B018 (materialises a chain of >>)
        state = {k: getattr(self, k) for c in type(self).__mro__ for k in getattr(c, "__slots__", ()) if hasattr(self, k)}
        state.update(getattr(self, "__dict__", {}))  # a subclass without __slots__ keeps its attributes
        state["_hash"] = None
        return (_new_object, (type(self),), state)

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            _setattr(self, k, v)

    # ------------------------------------------------------------------ operators
    def then(self, other: Diagram) -> Diagram:
        """Sequential composition, ``self >> other``.

        >>> Box("f", "X", "Y").then(Box("g", "Y", "Z")).cod
        Ty('Z')
        """
        if not isinstance(other, Diagram):
            raise DiagramTypeError(f"cannot compose a diagram with {other!r}")
        if self.cod != other.dom:
            raise DiagramTypeError(
                f"cannot compose {_short(self)} >> {_short(other)}: the codomain of {_short(self)} is {self.cod!r} "
                f"but the domain of {_short(other)} is {other.dom!r}"
            )
        # the layers are joined when first read: a chain built by repeated >> costs linear time, not quadratic
        return Diagram._new(self.dom, other.cod, None, self, other)

    def tensor(self, other: Diagram | Ty) -> Diagram:
        """Parallel composition, ``self @ other`` (a :class:`Ty` means its identity).

        >>> Box("f", "X", "Y").tensor(Ty("Z")).cod
        Ty('Y', 'Z')
        """
        if isinstance(other, Ty):
            other = Id(other)
        if not isinstance(other, Diagram):
            raise DiagramTypeError(f"cannot tensor a diagram with {other!r}")
        shift = len(self.cod)
        return Diagram._new(
            self.dom @ other.dom, self.cod @ other.cod, self.layers + tuple((o + shift, b) for o, b in other.layers)
        )

    def __rmatmul__(self, other: Ty) -> Diagram:
        if not isinstance(other, Ty):
            return NotImplemented
        return Id(other).tensor(self)

    # ------------------------------------------------------------------ the category's structure
    @classmethod
    def id(cls, x: TyLike = ()) -> Diagram:
        """The identity on ``x`` (:func:`Id`).

        >>> Diagram.id(Ty("X"))
        Id(Ty('X'))
        """
        return Id(x)

    @classmethod
    def copy(cls, x: TyLike, n: int = 2) -> Diagram:
        """Copy ``x → x^{⊗n}`` (:class:`Copy`).

        >>> Diagram.copy(Ty("X"), 3).cod
        Ty('X', 'X', 'X')
        """
        return Copy(x, n)

    @classmethod
    def discard(cls, x: TyLike) -> Diagram:
        """Discard ``x → I`` (:class:`Discard`).

        >>> Diagram.discard(Ty("X")).cod
        Ty()
        """
        return Discard(x)

    @classmethod
    def swap(cls, x: TyLike, y: TyLike) -> Diagram:
        """The symmetry ``x @ y → y @ x`` (:class:`Swap`).

        >>> Diagram.swap(Ty("X"), Ty("Y")).cod
        Ty('Y', 'X')
        """
        return Swap(x, y)

    # ------------------------------------------------------------------ inspection
    @property
    def boxes(self) -> tuple[Box, ...]:
        """The boxes of the layers, in order (structural boxes included).

        >>> tuple(b.name for b in (Box("f", "X", "Y") >> Copy(Ty("Y"))).boxes)
        ('f', 'copy')
        """
        return tuple(b for _, b in self.layers)

    def __len__(self) -> int:
        return len(self.layers)

    def wires(self) -> list[Ty]:
        """The wire types between layers: ``wires()[i]`` is what layer ``i`` acts on
        (the last entry is the codomain).

        >>> (Box("f", "X", "Y") @ Ty("Z")).wires()
        [Ty('X', 'Z'), Ty('Y', 'Z')]
        """
        out, w = [self.dom], self.dom
        for o, b in self.layers:
            w = w[:o] @ b.cod @ w[o + len(b.dom) :]
            out.append(w)
        return out

    # ------------------------------------------------------------------ equality
    def equals(self, other: Diagram, theory: str = "markov") -> bool:
        """Equality in a free category: ``"smc"`` (symmetric monoidal), ``"cd"``
        (copy-discard, gs-monoidal) or ``"markov"``; see :mod:`catkit.diagrams.equality`.

        >>> f = Box("f", "X", "Y")
        >>> (f >> Discard(Ty("Y"))).equals(Discard(Ty("X"))), (f >> Discard(Ty("Y"))).equals(Discard(Ty("X")), "cd")
        (True, False)
        """
        from catkit.diagrams.equality import equal

        return equal(self, other, theory)

    def normal_form(self, theory: str = "markov") -> Any:
        """The hypergraph normal form in that free category (see :mod:`catkit.diagrams.hypergraph`).

        >>> print(Box("f", "X", "Y").normal_form())
        inputs: x0: X
        e0 = f(x0) : Y
        outputs: e0.0
        """
        from catkit.diagrams.equality import normal_form

        return normal_form(self, theory)

    def draw(self, path: str | None = None, **options: Any) -> Any:
        """Draw with matplotlib; see :func:`catkit.diagrams.drawing.draw`.

        >>> fig = Box("f", "X", "Y").draw()
        >>> type(fig).__name__
        'Figure'
        """
        from catkit.diagrams.drawing import draw

        return draw(self, path, **options)

    def to_tikz(self, **options: Any) -> str:
        """TikZ code for the drawing, for papers and notes; see :func:`catkit.diagrams.tikz.to_tikz`.

        >>> Box("f", "X", "Y").to_tikz().count("rectangle")
        1
        """
        from catkit.diagrams.tikz import to_tikz

        return to_tikz(self, **options)

    def _key(self) -> tuple[Any, ...]:
        return (self.dom, self.cod, tuple((o, b.key) for o, b in self.layers))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Diagram):
            return NotImplemented
        if self is other:
            return True
        return (
            self.dom == other.dom
            and self.cod == other.cod
            and len(self.layers) == len(other.layers)
            and all(o1 == o2 and b1.key == b2.key for (o1, b1), (o2, b2) in zip(self.layers, other.layers))
        )

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            h = hash(self._key())
            object.__setattr__(self, "_hash", h)
        return h

    # ------------------------------------------------------------------ display
    def _text(self, ident: str, fmt: Any) -> str:
        """Layers as ``ident(left) @ box @ ident(right)`` joined by ``>>`` (``fmt``: repr or str)."""
        if not self.layers:
            return f"{ident}({fmt(self.dom)})"
        parts = []
        for w, (o, b) in zip(self.wires(), self.layers):
            left, right = w[:o], w[o + len(b.dom) :]
            items = ([f"{ident}({fmt(left)})"] if left else []) + [fmt(b)] + ([f"{ident}({fmt(right)})"] if right else [])
            parts.append(" @ ".join(items))
        return " >> ".join(parts)

    def __repr__(self) -> str:
        return self._text("Id", repr)

    def __str__(self) -> str:
        return self._text("id", str)

    def _repr_png_(self) -> bytes:  # pragma: no cover - exercised by notebooks
        import io

        import matplotlib.pyplot as plt

        fig = self.draw()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        plt.close(fig)
        return buf.getvalue()


def _short(d: Diagram) -> str:
    s = str(d)
    return s if len(s) <= 60 else s[:57] + "..."


class Box(Diagram):
    """A generator ``name: dom → cod`` (a diagram with one layer).

    Two boxes are the same generator when their names, domains and codomains agree.

    >>> f = Box("f", Ty("X"), Ty("Y") @ Ty("Z"))
    >>> f, f.name
    (Box('f', Ty('X'), Ty('Y', 'Z')), 'f')
    >>> f == Box("f", "X", ("Y", "Z")), f == Box("f", "X", "Y")
    (True, False)
    """

    __slots__ = ("name", "key")

    name: str
    key: tuple[Any, ...]

    def __init__(self, name: str, dom: TyLike, cod: TyLike) -> None:
        if not isinstance(name, str) or not name:
            raise DiagramValueError(f"a box needs a non-empty string name, got {name!r}")
        self._init_box(name, as_ty(dom), as_ty(cod), ("box", name))

    def _init_box(self, name: str, dom: Ty, cod: Ty, kind: tuple[Any, ...]) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "key", (*kind, dom, cod))
        self._set(dom, cod, ((0, self),))

    @property
    def is_structural(self) -> bool:
        """True for copy, discard, swap and permutations (pure wiring), False for generators.

        >>> Box("f", "X", "Y").is_structural, Copy(Ty("X")).is_structural
        (False, True)
        """
        return False

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Box):
            return self.key == other.key
        return Diagram.__eq__(self, other)

    def __hash__(self) -> int:
        return Diagram.__hash__(self)

    def __repr__(self) -> str:
        return f"Box({self.name!r}, {self.dom!r}, {self.cod!r})"

    def __str__(self) -> str:
        return self.name


class Wiring(Box):
    """A structural box: output wire ``j`` is input wire ``wiring[j]``.  Inputs used
    twice are copied, inputs never used are discarded (so every copy-discard
    structure is a wiring).  Use the named subclasses.

    >>> Copy(Ty("X", "Y")).wiring, Discard(Ty("X")).wiring, Swap(Ty("X"), Ty("Y")).wiring
    ((0, 1, 0, 1), (), (1, 0))
    """

    __slots__ = ("wiring",)

    wiring: tuple[int, ...]

    def _init_wiring(self, name: str, dom: Ty, wiring: Sequence[int], args: tuple[Any, ...]) -> None:
        object.__setattr__(self, "wiring", tuple(wiring))
        self._init_box(name, dom, Ty(*(dom[j] for j in wiring)), ("wiring", name, self.wiring))

    @property
    def is_structural(self) -> bool:
        """Always True: a wiring is structure, never a generator.

        >>> Swap(Ty("X"), Ty("Y")).is_structural
        True
        """
        return True

    @property
    def is_permutation(self) -> bool:
        """True when no wire is copied or discarded (a symmetry).

        >>> Swap(Ty("X"), Ty("Y")).is_permutation, Copy(Ty("X")).is_permutation
        (True, False)
        """
        return sorted(self.wiring) == list(range(len(self.dom)))


class Copy(Wiring):
    """Copy ``X → X^{@n}`` (``n = 0`` is discard, ``n = 1`` the identity); on
    several atoms the output is ``X @ X``, matching :meth:`catkit.Kernel.copy`.

    >>> Copy(Ty("X")).cod, Copy(Ty("X"), 3).cod, Copy(Ty("X", "Y")).cod
    (Ty('X', 'X'), Ty('X', 'X', 'X'), Ty('X', 'Y', 'X', 'Y'))
    """

    __slots__ = ("n",)

    n: int

    def __init__(self, x: TyLike, n: int = 2) -> None:
        x = as_ty(x)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise DiagramValueError(f"copy needs n >= 0, got {n!r}")
        object.__setattr__(self, "n", n)
        self._init_wiring("copy", x, [j for _ in range(n) for j in range(len(x))], (n,))

    def __repr__(self) -> str:
        return f"Copy({self.dom!r})" if self.n == 2 else f"Copy({self.dom!r}, {self.n})"

    def __str__(self) -> str:
        return f"copy({self.dom})" if self.n == 2 else f"copy({self.dom}, {self.n})"


class Discard(Wiring):
    """Discard ``X → Ty()``.

    >>> Discard(Ty("X", "Y")).cod
    Ty()
    """

    __slots__ = ()

    def __init__(self, x: TyLike) -> None:
        self._init_wiring("discard", as_ty(x), (), ())

    def __repr__(self) -> str:
        return f"Discard({self.dom!r})"

    def __str__(self) -> str:
        return f"discard({self.dom})"


class Permutation(Wiring):
    """The wire permutation whose output wire ``j`` is input wire ``perm[j]``
    (as :meth:`catkit.Kernel.permutation`).

    >>> Permutation(Ty("X", "Y", "Z"), [2, 0, 1]).cod
    Ty('Z', 'X', 'Y')
    """

    __slots__ = ()

    def __init__(self, x: TyLike, perm: Sequence[int]) -> None:
        x = as_ty(x)
        perm = list(perm)
        if sorted(perm) != list(range(len(x))) or not all(isinstance(j, int) for j in perm):
            raise DiagramValueError(f"{perm} is not a permutation of the {len(x)} wires of {x!r}")
        self._init_wiring("permutation", x, perm, (perm,))

    def __repr__(self) -> str:
        return f"Permutation({self.dom!r}, {list(self.wiring)})"

    def __str__(self) -> str:
        return f"permutation({self.dom}, {list(self.wiring)})"


class Swap(Permutation):
    """The symmetry ``X @ Y → Y @ X``.

    >>> Swap(Ty("X"), Ty("Y", "Z")).cod
    Ty('Y', 'Z', 'X')
    """

    __slots__ = ("left", "right")

    left: Ty
    right: Ty

    def __init__(self, x: TyLike, y: TyLike) -> None:
        x, y = as_ty(x), as_ty(y)
        object.__setattr__(self, "left", x)
        object.__setattr__(self, "right", y)
        self._init_wiring("swap", x @ y, [*range(len(x), len(x) + len(y)), *range(len(x))], ())
        # a swap is the same structure as the equal permutation: keep keys comparable
        object.__setattr__(self, "key", ("wiring", "permutation", self.wiring, self.dom, self.cod))

    def __repr__(self) -> str:
        return f"Swap({self.left!r}, {self.right!r})"

    def __str__(self) -> str:
        return f"swap({self.left}, {self.right})"


Diagram._then_with, Diagram._tensor_with = (Diagram,), (Diagram, Ty)


def Id(x: TyLike = ()) -> Diagram:  # noqa: N802 - a constructor, spelled as in DisCoPy
    """The identity diagram on ``x`` (no layers).

    >>> Id(Ty("X")), len(Id(Ty("X"))), Id()
    (Id(Ty('X')), 0, Id(Ty()))
    """
    x = as_ty(x)
    return Diagram._new(x, x, ())

"""DisCoPy 1.2 ⇄ catkit string diagrams (``discopy.markov`` and ``discopy.symmetric``).

Each DisCoPy box becomes one catkit layer and back: ``Box`` ↔ :class:`~catkit.diagrams.Box`,
``Copy(x, n)`` ↔ :class:`~catkit.diagrams.Copy`, ``Discard`` ↔ :class:`~catkit.diagrams.Discard`,
``Swap`` ↔ :class:`~catkit.diagrams.Swap`.  catkit's wirings on several wires (a copy of ``X @ Y``,
a permutation of three wires) have no single DisCoPy box: they become DisCoPy copies and discards
of single wires followed by adjacent swaps, the same morphism of the free category.

>>> from discopy import markov
>>> X, Y = markov.Ty("X"), markov.Ty("Y")
>>> f = markov.Box("f", X, Y)
>>> d = from_discopy(f >> markov.Discard(Y))
>>> d
Box('f', Ty('X'), Ty('Y')) >> Discard(Ty('Y'))
>>> d.equals(from_discopy(markov.Discard(X)))          # equal in the free Markov category
True
>>> to_discopy(d) == f >> markov.Discard(Y)
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catkit.diagrams.syntax import Atom, Box, Copy, Diagram, Discard, Swap, Ty, Wiring
from catkit.interop._common import require
from catkit.interop.errors import InteropError, InteropTypeError

__all__ = ["from_discopy", "to_discopy"]

_CATEGORIES = ("markov", "symmetric")


def from_discopy(diagram: Any, sizes: Mapping[str, int] | None = None) -> Diagram:
    """The catkit :class:`~catkit.diagrams.Diagram` of a DisCoPy diagram (``discopy.markov``,
    ``discopy.symmetric`` or ``discopy.monoidal``).

    Args:
        diagram: a DisCoPy diagram or box made of boxes, copies, discards, swaps and identities.
        sizes: the size of each wire type by name (DisCoPy types carry only names); catkit atoms
            without a size otherwise.

    Raises:
        InteropError: for a part catkit's Markov categories do not have (``Merge``, traces, daggers,
            formal sums, boxes carrying ``data``): the message names it.

    >>> from discopy import markov
    >>> X = markov.Ty("X")
    >>> from_discopy(markov.Copy(X) >> markov.Box("f", X, X) @ X, sizes={"X": 2})
    Copy(Ty('X', size=2)) >> Box('f', Ty('X', size=2), Ty('X', size=2)) @ Id(Ty('X', size=2))
    """
    monoidal = require("discopy.monoidal", "discopy")
    if not isinstance(diagram, monoidal.Diagram):
        raise InteropTypeError(f"from_discopy needs a DisCoPy diagram, got {type(diagram).__name__}")
    sizes = dict(sizes or {})
    symmetric, markov = require("discopy.symmetric", "discopy"), require("discopy.markov", "discopy")
    layers: list[tuple[int, Box]] = []
    for i, layer in enumerate(diagram.inside):
        parts = layer.boxes_or_types  # (types, box, types, box, ..., types)
        offset = len(parts[0])
        for k in range(1, len(parts), 2):
            box = _box_from(parts[k], sizes, symmetric, markov, i)
            layers.append((offset, box))
            offset += len(box.cod) + len(parts[k + 1])
    return Diagram(_ty_from(diagram.dom, sizes), _ty_from(diagram.cod, sizes), layers)


def _ty_from(t: Any, sizes: Mapping[str, int]) -> Ty:
    atoms = []
    for ob in t.inside:
        name = getattr(ob, "name", None)
        if not isinstance(name, str) or not name:
            raise InteropError(f"the DisCoPy type {t} has the object {ob!r}, whose name is not a non-empty string")
        atoms.append(Atom(name, sizes.get(name)))
    return Ty(*atoms)


def _box_from(b: Any, sizes: Mapping[str, int], symmetric: Any, markov: Any, layer: int) -> Box:
    kind = type(b).__name__
    where = f"layer {layer}: {b!r}"
    if getattr(b, "is_dagger", False) and not isinstance(b, symmetric.Swap):
        raise InteropError(f"{where} is a dagger; catkit's Markov categories have no daggers")
    if isinstance(b, markov.Discard):
        return Discard(_ty_from(b.dom, sizes))
    if isinstance(b, markov.Copy):
        return Copy(_ty_from(b.dom, sizes), len(b.cod))
    if isinstance(b, symmetric.Swap):
        return Swap(_ty_from(b.left, sizes), _ty_from(b.right, sizes))
    if type(b).__module__.startswith("discopy.") and kind != "Box":
        raise InteropError(f"{where} is a DisCoPy {kind}, which catkit's Markov categories do not have "
                           "(only boxes, copies, discards and swaps convert)")
    if getattr(b, "data", None) is not None:
        raise InteropError(f"{where} carries data={b.data!r}; catkit boxes are named generators only (name, dom, cod)")
    name = b.name
    if not isinstance(name, str) or not name:
        raise InteropError(f"{where} has no string name")
    return Box(name, _ty_from(b.dom, sizes), _ty_from(b.cod, sizes))


def to_discopy(diagram: Diagram, category: str = "markov") -> Any:
    """The DisCoPy diagram (``discopy.markov`` or, without copies and discards, ``discopy.symmetric``)
    of a catkit diagram.

    DisCoPy types carry names only: pass the sizes back to :func:`from_discopy` (``sizes=``).
    ``from_discopy(to_discopy(d))`` equals ``d`` layer for layer when every copy, discard and swap of ``d``
    acts on single wires (as in diagrams built from DisCoPy), and in the free category otherwise.

    Raises:
        InteropError: a wire name used with two sizes, or copies/discards asked for in ``"symmetric"``.

    >>> from catkit.diagrams import Box, Copy, Permutation, Ty
    >>> X, Y = Ty("X"), Ty("Y")
    >>> to_discopy(Box("f", X, Y) >> Copy(Y))
    markov.Diagram(inside=(...Layer(...Ty(), markov.Box('f', ...), ...Ty()), ...Layer(...Ty(), markov.Copy(...), ...Ty())), ...)
    >>> print(to_discopy(Permutation(X @ Y @ X, [2, 0, 1]), "symmetric"))
    X @ Swap(Y, X) >> Swap(X, X) @ Y
    """
    if not isinstance(diagram, Diagram):
        raise InteropTypeError(f"to_discopy needs a catkit Diagram, got {type(diagram).__name__}")
    if category not in _CATEGORIES:
        raise InteropError(f"category must be one of {_CATEGORIES}, got {category!r}")
    M = require(f"discopy.{category}", "discopy")
    monoidal = require("discopy.monoidal", "discopy")
    seen: dict[str, int | None] = {}
    for a in [*diagram.dom, *(x for _, b in diagram.layers for x in (*b.dom, *b.cod))]:
        if seen.setdefault(a.name, a.size) != a.size:
            raise InteropError(f"the wire type {a.name!r} has sizes {seen[a.name]} and {a.size} in one diagram; "
                               "DisCoPy types are names only, so rename one")

    types: dict[tuple[str, ...], Any] = {}  # DisCoPy types are slow to build: one per distinct tuple of names

    def ty(atoms: Any) -> Any:
        names = tuple(a.name for a in atoms)
        t = types.get(names)
        if t is None:
            t = types[names] = M.Ty(*names)
        return t

    wires = list(diagram.dom)
    layers = []
    made: dict[tuple[Any, ...], list[tuple[int, Any, int, list[Atom]]]] = {}  # and so are boxes: one per generator
    for o, b in diagram.layers:
        pieces = made.get(b.key)
        if pieces is None:
            pieces = made[b.key] = _pieces(b, M, category, ty)
        for lo, piece, dom_len, cod in pieces:
            at = o + lo
            layers.append(monoidal.Layer(ty(wires[:at]), piece, ty(wires[at + dom_len:])))
            wires[at:at + dom_len] = cod
    return M.Diagram(tuple(layers), ty(diagram.dom), ty(diagram.cod))


def _pieces(b: Box, M: Any, category: str, ty: Any) -> list[tuple[int, Any, int, list[Atom]]]:
    """DisCoPy boxes for one catkit box: ``(offset in b's domain, box, its domain length, its codomain atoms)``."""
    if not isinstance(b, Wiring):
        return [(0, M.Box(b.name, ty(b.dom), ty(b.cod)), len(b.dom), list(b.cod))]
    atoms, w = list(b.dom), list(b.wiring)
    counts = [w.count(i) for i in range(len(atoms))]
    if category == "symmetric" and counts != [1] * len(atoms):
        raise InteropError(f"{b} copies or discards wires: discopy.symmetric has no copy; use category='markov'")
    out: list[tuple[int, Any, int, list[Atom]]] = []
    pos = 0
    for a, c in zip(atoms, counts):  # copies and discards of single wires, left to right
        if c != 1 or (isinstance(b, Copy) and len(atoms) == 1):  # keep Copy(X, 1) a box, as in DisCoPy
            out.append((pos, M.Discard(ty([a])) if c == 0 else M.Copy(ty([a]), c), 1, [a] * c))
        pos += c
    cur = [i for i, c in enumerate(counts) for _ in range(c)]  # which input each wire now carries
    for k, want in enumerate(w):  # adjacent swaps into the wiring's order (bubble the first match down)
        j = cur.index(want, k)
        while j > k:
            left, right = atoms[cur[j - 1]], atoms[cur[j]]
            out.append((j - 1, M.Swap(ty([left]), ty([right])), 2, [right, left]))
            cur[j - 1], cur[j] = cur[j], cur[j - 1]
            j -= 1
    return out

"""The semantics functor: diagrams to kernels, by one tensor contraction.

A :class:`Functor` sends each wire type (atom) to a finite :class:`~catkit.Wire`
and each box to a :class:`~catkit.Kernel` of matching sizes; it sends a
diagram to the kernel obtained by contracting the diagram's hypergraph as a
tensor network (vertices are indices, boxes are tensors, copy is a repeated
index, discard a summed index).  The contraction follows the diagram's layers when
no intermediate grows past the largest box tensor or the result and its arithmetic
is cheap, and an opt_einsum path otherwise; it is compiled once per diagram and cached.

Each backend contracts in its own terms (:meth:`~catkit.backends.base.Backend.contract`):
exact stays exact — exact kernels are contracted as integer tensors (each
kernel scaled by the lcm of its denominators; int64 when a bound proves it
safe, Python integers otherwise) and divided once at the end; numpy, torch
and sympy kernels are contracted in their own arrays.

>>> from catkit import Kernel, Wire
>>> from catkit.diagrams import Box, Copy, Discard, Ty
>>> X = Ty("X")
>>> coin, flip = Box("coin", Ty(), X), Box("flip", X, X)
>>> F = Functor({coin: Kernel.state(["1/3", "2/3"]), flip: Kernel([[0, 1], [1, 0]])})
>>> F(coin >> flip).matrix.tolist()
[[Fraction(2, 3), Fraction(1, 3)]]
>>> print(F(coin >> Copy(X) >> (X @ flip)))
Kernel I → Wire(2) @ Wire(2)  [exact, FinStoch]
   0,0  0,1  1,0  1,1
·    0  1/3  2/3    0
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from functools import reduce
from typing import Any

from catkit.backends import Backend, get_backend
from catkit.diagrams.contraction import Contraction
from catkit.diagrams.hypergraph import Hypergraph
from catkit.diagrams.syntax import Atom, Box, Diagram, DiagramTypeError, Ty, Wiring, as_ty
from catkit.errors import BackendMismatchError, CatkitError
from catkit.kernel import Kernel
from catkit.models import FINSET, Model
from catkit.objects import Obj, Wire

__all__ = ["Functor", "SemanticsError", "evaluate", "random_kernel", "random_functor"]

_CACHE_SIZE = 256


class SemanticsError(CatkitError, ValueError):
    """A functor cannot interpret a box or a wire type (missing, or of the wrong size).

    >>> try:
    ...     Functor({})(Box("f", "X", "Y"))
    ... except SemanticsError as e:
    ...     print(e)
    the functor has no kernel for the box f: X → Y
    """


class _Plan:
    """A compiled contraction of a diagram's hypergraph: vertices are indices."""

    __slots__ = ("edges", "run", "deltas", "ones", "sizes")

    def __init__(self, hg: Hypergraph, sizes: list[int]) -> None:
        self.edges, self.sizes = hg.edges, sizes
        operands = [(*e.inputs, *e.outputs) for e in hg.edges]
        size = dict(enumerate(sizes))
        seen, out = set(hg.inputs), list(hg.inputs)
        self.deltas: list[int] = []  # identity matrices (v, fresh): an output wire that is an input or repeated
        for v in hg.outputs:
            if v in seen:
                fresh = len(size)
                size[fresh] = sizes[v]
                operands.append((v, fresh))
                self.deltas.append(sizes[v])
                out.append(fresh)
            else:
                seen.add(v)
                out.append(v)
        used = {x for o in operands for x in o}
        lonely = [v for v in hg.inputs if v not in used]  # discarded inputs: a vector of ones each
        operands += [(v,) for v in lonely]
        self.ones = [sizes[v] for v in lonely]
        self.run = Contraction(operands, out, size) if operands else None


class Functor:
    """A semantics for diagrams: atoms to wires, boxes to kernels.

    ``ar`` maps boxes (or box names) to kernels, or is a function ``Box -> Kernel``.
    ``ob`` maps atoms (or atom names) to wires or sizes; an atom missing there
    gets ``Wire(atom.size)`` if it has a size, else the wire of the first box
    kernel that uses it.  Kernels whose wires have the right sizes but other
    names or labels are relabelled to the functor's wires.  ``backend`` converts
    every kernel first (e.g. ``"numpy"`` to evaluate exact kernels in floats).

    >>> from catkit import Kernel, Wire
    >>> F = Functor({"f": Kernel([["1/2", "1/2"], [0, 1]])}, ob={"X": Wire(["a", "b"])})
    >>> F(Ty("X"))
    Obj(Wire(['a', 'b']))
    >>> F(Box("f", "X", "X"))["b", "b"]
    Fraction(1, 1)
    """

    def __init__(
        self, ar: Mapping[Box | str, Kernel] | Callable[[Box], Kernel], ob: Mapping[Atom | str, Wire | int] | None = None,
        *, backend: str | Backend | None = None,
    ) -> None:
        self._ar = ar
        self._ob: dict[Atom | str, Wire] = {}
        for k, w in (ob or {}).items():
            self._ob[k] = w if isinstance(w, Wire) else Wire(w)
        self._backend = get_backend(backend) if backend is not None else None
        self._kernels: dict[Any, Kernel] = {}
        self._plans: dict[Any, _Plan] = {}
        self._prepared: dict[Diagram, tuple[_Plan, Obj, Obj, Backend, Model, Any]] = {}
        self._arrays: dict[Any, Any] = {}
        self._wires: dict[Atom, Wire] = {}  # lookups only: ob never changes an answer once given
        self._objs: dict[Ty, Obj] = {}

    # ------------------------------------------------------------------ objects
    def wire(self, atom: Atom) -> Wire:
        """The wire an atom is sent to.

        >>> Functor({}).wire(Atom("X", 3))
        Wire(3)
        """
        w = self._wires.get(atom)
        if w is not None:
            return w
        w = self._ob.get(atom) or self._ob.get(atom.name)
        if w is None:
            if atom.size is None:
                raise SemanticsError(f"the functor has no wire for the type {atom.name}: give it in ob= or give the atom a size")
            w = Wire(atom.size)
        self._wires[atom] = w
        return w

    def obj(self, ty: Ty) -> Obj:
        """The object a wire type is sent to.

        >>> Functor({}, ob={"X": 2})(Ty("X", "X"))
        Wire(2) @ Wire(2)
        """
        ty = as_ty(ty)
        o = self._objs.get(ty)
        if o is None:
            o = self._objs[ty] = Obj(*(self.wire(a) for a in ty))
        return o

    # ------------------------------------------------------------------ boxes
    def kernel(self, box: Box) -> Kernel:
        """The kernel of one box (structural boxes: the projection kernels).

        >>> from catkit.diagrams import Copy
        >>> Functor({}, ob={"X": 2})(Copy(Ty("X"))).as_function()
        {0: (0, 0), 1: (1, 1)}
        """
        k = self._kernels.get(box.key)
        if k is not None:
            return k
        if isinstance(box, Wiring):
            k = Kernel.projection(self.obj(box.dom), box.wiring, backend=self._backend)
        else:
            k = self._lookup(box)
            wants = []
            for side, ty, obj in (("domain", box.dom, k.dom), ("codomain", box.cod, k.cod)):
                self._learn(ty, obj)
                want = self.obj(ty)
                if want != obj and want.sizes != obj.sizes:
                    raise SemanticsError(
                        f"the kernel for {box.name}: {box.dom} → {box.cod} has {side} {obj} but the functor sends {ty} to {want}"
                    )
                wants.append(want)
            if k.dom != wants[0] or k.cod != wants[1]:
                k = k.relabel(*wants)
            if self._backend is not None and k.backend is not self._backend:
                k = k.to(self._backend)
        self._kernels[box.key] = k
        return k

    def _lookup(self, box: Box) -> Kernel:
        ar = self._ar
        if callable(ar) and not isinstance(ar, Mapping):
            k: Kernel | None = ar(box)
        else:
            k = ar.get(box) if box in ar else ar.get(box.name)
        if k is None:
            raise SemanticsError(f"the functor has no kernel for the box {box.name}: {box.dom} → {box.cod}")
        if not isinstance(k, Kernel):
            raise SemanticsError(f"the functor sends {box.name} to {k!r}, which is not a Kernel")
        return k

    def _learn(self, ty: Ty, obj: Obj) -> None:
        if len(ty) != len(obj):
            raise SemanticsError(f"the type {ty} has {len(ty)} wires but the kernel's object {obj} has {len(obj)}")
        for a, w in zip(ty, obj):
            if a.size is None and a not in self._ob and a.name not in self._ob:
                self._ob[a] = w

    # ------------------------------------------------------------------ diagrams
    def __call__(self, x: Diagram | Ty) -> Any:
        if isinstance(x, Ty):
            return self.obj(x)
        if not isinstance(x, Diagram):
            raise DiagramTypeError(f"a functor applies to diagrams and types, not {x!r}")
        return self.evaluate(x)

    def evaluate(self, d: Diagram, method: str = "einsum") -> Kernel:
        """The kernel of ``d``: ``method="einsum"`` (one contraction, the default) or
        ``"layers"`` (layer by layer with kernel ``>>`` and ``@``; a reference).

        >>> from catkit import Kernel
        >>> from catkit.diagrams import Copy, Discard
        >>> F = Functor({"p": Kernel.state(["1/4", "3/4"])})
        >>> d = Box("p", (), "X") >> Copy(Ty("X")) >> (Ty("X") @ Discard(Ty("X")))
        >>> F.evaluate(d) == F.evaluate(d, "layers") == F(Box("p", (), "X"))
        True
        """
        if method == "layers":
            return self._layers(d)
        if method != "einsum":
            raise SemanticsError(f"unknown method {method!r}; use 'einsum' or 'layers'")
        return self._einsum(d)

    def _layers(self, d: Diagram) -> Kernel:
        for b in d.boxes:
            if not isinstance(b, Wiring):
                self.kernel(b)  # learns wire sizes from the kernels
        acc = Kernel.id(self.obj(d.dom), backend=self._backend)
        for w, (o, b) in zip(d.wires(), d.layers):
            left, right = self.obj(w[:o]), self.obj(w[o + len(b.dom) :])
            acc = acc >> (Kernel.id(left) @ self.kernel(b) @ Kernel.id(right))
        return acc

    def _plan(self, d: Diagram) -> _Plan:
        plan = self._plans.get(d)
        if plan is None:
            hg = Hypergraph.from_diagram(d, "cd")
            for e in hg.edges:
                self.kernel(e.box)  # learns wire sizes from the kernels
            plan = _Plan(hg, [self.wire(a).size for a in hg.types])
            if len(self._plans) >= _CACHE_SIZE:
                self._plans.pop(next(iter(self._plans)))
            self._plans[d] = plan
        return plan

    def _einsum(self, d: Diagram) -> Kernel:
        prep = self._prepared.get(d)
        if prep is None:  # the kernels of a diagram never change: its operands are gathered once
            prep = self._prepare(d)
            if len(self._prepared) >= _CACHE_SIZE:
                self._prepared.pop(next(iter(self._prepared)))
            self._prepared[d] = prep
        plan, dom, cod, backend, model, inputs = prep
        # composites and tensors of valid kernels are valid (as for Kernel >> and @): no second validation
        return Kernel.from_storage(dom, cod, backend.contract(plan.run, inputs, dom.size, cod.size), backend, model)

    def _prepare(self, d: Diagram) -> tuple[_Plan, Obj, Obj, Backend, Model, Any]:
        """The plan of ``d`` with everything its evaluation needs: objects, backend, model and the backend's inputs."""
        plan = self._plan(d)
        dom, cod = self.obj(d.dom), self.obj(d.cod)
        kernels = [self.kernel(e.box) for e in plan.edges]
        backend = self._common_backend(kernels, plan)
        model = reduce(lambda m, k: m.join(k.model), kernels, FINSET)
        like = next((k for k in kernels if k.backend is backend), None)
        tag = backend.describe(like.storage) if like is not None else backend.name
        operands = [self._operand(e.box, k, tag, like) for e, k in zip(plan.edges, kernels)]
        inputs = backend.contraction_inputs(operands, plan.deltas, plan.ones, (*plan.sizes, *plan.deltas),
                                            like.storage if like is not None else None)
        return plan, dom, cod, backend, model, inputs

    def _operand(self, box: Box, k: Kernel, tag: str, like: Kernel | None) -> Any:
        """The kernel of ``box`` as its backend's contraction operand (one axis per wire), on the backend of
        ``like`` (structural kernels adapt), cached per box and backend placement ``tag``."""
        key = (box.key, tag)
        op = self._arrays.get(key)
        if op is None:
            if like is not None and k.backend is not like.backend:
                k = _adapt(k, like)
            op = self._arrays[key] = k.backend.contraction_operand(k.storage, k.shape)
        return op

    def _common_backend(self, kernels: list[Kernel], plan: _Plan) -> Backend:
        if self._backend is not None:
            return self._backend
        chosen: tuple[Backend, str] | None = None
        for k, e in zip(kernels, plan.edges):
            if k.generic:
                continue
            if chosen is None:
                chosen = (k.backend, e.box.name)
            elif k.backend is not chosen[0]:
                raise BackendMismatchError(
                    f"the kernels of {chosen[1]} ({chosen[0].name}) and {e.box.name} ({k.backend.name}) live on different "
                    "backends; convert them, or give the functor backend="
                )
        return chosen[0] if chosen is not None else get_backend("exact")

    def __repr__(self) -> str:
        return f"<Functor on {len(self._kernels)} boxes>"


def _adapt(k: Kernel, like: Kernel) -> Kernel:
    """A structural (generic) kernel on ``like``'s backend and placement (device and dtype for torch)."""
    return k.to(like.backend, **like.backend.placement(like.storage))


def evaluate(diagram: Diagram, ar: Mapping[Box | str, Kernel] | Callable[[Box], Kernel],
             ob: Mapping[Atom | str, Wire | int] | None = None, *, backend: str | Backend | None = None) -> Kernel:
    """One-shot ``Functor(ar, ob, backend=backend)(diagram)``.

    >>> from catkit import Kernel
    >>> from catkit.diagrams import Discard
    >>> evaluate(Box("f", "X", "X") >> Discard(Ty("X")), {"f": Kernel([["1/2", "1/2"], [1, 0]])}) == Kernel.discard(2)
    True
    """
    return Functor(ar, ob, backend=backend)(diagram)


def random_kernel(box: Box, sizes: Mapping[str, int], seed: int | random.Random | None = 0, max_weight: int = 3) -> Kernel:
    """A random exact FinStoch kernel for ``box``: each row is integer weights in
    ``0..max_weight`` (not all zero) over their sum, so zeros (and deterministic rows) occur.

    >>> k = random_kernel(Box("f", "X", "Y"), {"X": 2, "Y": 3}, seed=1)
    >>> k.dom, k.cod, k.backend.name
    (Obj(Wire(2)), Obj(Wire(3)), 'exact')
    """
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    dom = [sizes[a.name] for a in box.dom]
    cod = [sizes[a.name] for a in box.cod]
    rows = []
    for _ in range(math.prod(dom)):
        w = [rng.randint(0, max_weight) for _ in range(math.prod(cod))]
        if not any(w):
            w[rng.randrange(len(w))] = 1
        rows.append([Fraction(x, sum(w)) for x in w])
    return Kernel(rows, Obj(*map(Wire, dom)), Obj(*map(Wire, cod)))


def random_functor(boxes: Iterable[Box], sizes: Mapping[str, int], seed: int | random.Random | None = 0) -> Functor:
    """A functor sending each generator to a :func:`random_kernel` (a random exact interpretation).

    >>> from catkit.diagrams import Discard
    >>> f = Box("f", "X", "X")
    >>> F = random_functor([f], {"X": 2}, seed=3)
    >>> F(f >> Discard(Ty("X"))) == F(Discard(Ty("X")))
    True
    """
    rng = seed if isinstance(seed, random.Random) else random.Random(seed)
    ob: dict[Atom | str, Wire | int] = {k: v for k, v in sizes.items()}
    return Functor({b: random_kernel(b, sizes, rng) for b in boxes if not b.is_structural}, ob=ob)

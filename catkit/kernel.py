"""Kernel: the morphism of FinStoch (and of its counter-models).

A kernel ``f: X → Y`` between finite objects stores ``f(y|x)`` with one array
axis per wire, shape ``X.sizes + Y.sizes``; rows (fixing ``x``) sum to 1.
``f >> g`` is "f then g", ``f @ g`` the tensor product.  Kernels are
immutable; every operation returns a new one; exact kernels stay exact.

>>> from catkit import Kernel, Wire
>>> coin = Kernel.state(["1/2", "1/2"])
>>> flip = Kernel([[0, 1], [1, 0]])
>>> coin >> flip == coin
True
>>> bias = Kernel([["1/3", "2/3"], ["3/4", "1/4"]])
>>> print(bias)
Kernel Wire(2) → Wire(2)  [exact, FinStoch]
     0    1
0  1/3  2/3
1  3/4  1/4
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np

from catkit import display, indexmaps
from catkit.backends import Backend, get_backend, infer_backend, native_backend
from catkit.category import Morphism
from catkit.errors import (
    BackendMismatchError,
    KernelValueError,
    NotAKernelError,
    NotDeterministicError,
    ObjectMismatchError,
)
from catkit.limits import SMALL_ALLOCATION, check_entries
from catkit.models import FINSET, Model, get_model
from catkit.objects import I, Obj, ObjError, ObjLike, Wire, as_obj

__all__ = ["Kernel"]

_EXACT = get_backend("exact")


class Kernel(Morphism):
    """A finite Markov kernel ``dom → cod`` (see the module docstring).

    Construct from nested lists or arrays, either the flattened ``|dom| × |cod|``
    matrix or an array of shape ``dom.sizes + cod.sizes``.  A 1-D list is a state
    ``I → cod``.  The backend is inferred (ints, Fractions, ``"p/q"`` strings:
    exact; floats: numpy; sympy expressions: sympy; tensors: torch) or named.

    >>> Kernel([[0.2, 0.8]]).backend.name
    'numpy'
    >>> Kernel(["1/4", "3/4"]).dom
    I
    >>> Kernel([[1, 0], [0, 1]], dom=Wire(["a", "b"]), cod=Wire(["a", "b"])).as_function()
    {'a': 'a', 'b': 'b'}
    >>> Kernel([[0.5, -0.5]])
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: row 0 of a kernel Wire(1) → Wire(2) has a negative entry (FinStoch): entries [0.5, -0.5]
    """

    # _mm: storage matrix (None until needed for structural kernels, which keep
    # only _idx, the function as an index map: copy of a 6561-element object
    # would otherwise be a 6561 × 43M matrix)
    __slots__ = ("_dom", "_cod", "_mm", "_b", "_model", "_generic", "_idx")
    _dom: Obj
    _cod: Obj
    _mm: Any
    _b: Backend
    _model: Model
    _generic: bool
    _idx: np.ndarray | None
    #: the monoidal unit (the class is its own category, see :mod:`catkit.category`)
    unit: ClassVar[Obj] = I
    _methods_are_operators = True  # then/tensor answer NotImplemented for a non-kernel: they are >> and @

    # ------------------------------------------------------------------ construction
    def __init__(
        self,
        data: Any,
        dom: ObjLike | None = None,
        cod: ObjLike | None = None,
        *,
        backend: str | Backend | None = None,
        model: str | Model = "finstoch",
        tol: float | None = None,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        if isinstance(data, Kernel):
            raise KernelValueError("Kernel(...) got a Kernel; use kernel.to(backend) or kernel.as_model(model)")
        _check_tol(tol)
        shape = _shape_of(data)
        b = get_backend(backend) if backend is not None else infer_backend(data)
        dom_o, cod_o = _objects_for(shape, dom, cod)
        rows, cols = dom_o.size, cod_o.size
        check_entries(rows, cols, b.entry_bytes(), lambda: f"a kernel {dom_o} → {cod_o}")
        if shape not in ((rows, cols), dom_o.sizes + cod_o.sizes) and not (len(shape) == 1 and rows == 1 and shape == (cols,)):
            raise KernelValueError(
                f"data of shape {shape} does not fit a kernel {dom_o} → {cod_o}: expected {(rows, cols)} "
                f"or {dom_o.sizes + cod_o.sizes}"
            )
        flat = _reshape2d(data, rows, cols)
        m = b.from_entries(flat, device=device, dtype=dtype)
        self._dom, self._cod, self._mm, self._b, self._model, self._generic, self._idx = (
            dom_o, cod_o, m, b, get_model(model), False, None)
        _validate(self, tol)

    @classmethod
    def _new(cls, dom: Obj, cod: Obj, m: Any, b: Backend, model: Model, generic: bool = False,
             idx: np.ndarray | None = None) -> Kernel:
        k = object.__new__(cls)
        k._dom, k._cod, k._mm, k._b, k._model, k._generic, k._idx = dom, cod, m, b, model, generic, idx
        return k

    @classmethod
    def from_storage(cls, dom: Obj, cod: Obj, matrix: Any, backend: Backend, model: Model) -> Kernel:
        """A kernel on ``matrix`` (``backend``'s storage), not validated again: only for results valid for
        ``model`` by construction, e.g. a functor's contraction of valid kernels; anything else goes through
        the constructor, which validates.

        >>> f = Kernel([["1/2", "1/2"]])
        >>> Kernel.from_storage(f.dom, f.cod, f.storage, f.backend, f.model) == f
        True
        """
        return cls._new(dom, cod, matrix, backend, model)

    @classmethod
    def _structural(cls, dom: Obj, cod: Obj, idx: np.ndarray) -> Kernel:
        indexmaps.check_index_range(dom, cod)
        idx.flags.writeable = False
        return cls._new(dom, cod, None, _EXACT, FINSET, True, idx)

    @property
    def _m(self) -> Any:
        m = self._mm
        if m is None:
            assert self._idx is not None  # only structural kernels are stored lazily
            check_entries(self._dom.size, self._cod.size, self._b.entry_bytes(), lambda: f"the matrix of {self._dom} → {self._cod}")
            m = self._mm = self._b.onehot(self._idx, self._cod.size)
        return m

    @classmethod
    def from_matrix(
        cls, matrix: Any, dom: ObjLike, cod: ObjLike, *, backend: str | Backend, model: str | Model = "finstoch",
        tol: float | None = None,
    ) -> Kernel:
        """From a backend-native 2-D matrix (or compute array), validated.

        The kernel keeps a copy (or the matrix itself when nothing can change it, e.g. a read-only numpy
        array that owns its memory): changing the caller's array afterwards does not change the kernel.

        >>> a = np.array([[0.5, 0.5]])
        >>> k = Kernel.from_matrix(a, I, Wire(2), backend="numpy")
        >>> a[0, 0] = 0.0
        >>> k.cod, k.matrix.tolist()
        (Obj(Wire(2)), [[0.5, 0.5]])
        """
        _check_tol(tol)
        b = get_backend(backend)
        m = b.adopt(matrix) if b.native(matrix) else b.from_compute(matrix)
        dom_o, cod_o = as_obj(dom), as_obj(cod)
        if b.shape(m) != (dom_o.size, cod_o.size):
            raise KernelValueError(f"a {b.shape(m)} matrix does not fit a kernel {dom_o} → {cod_o}")
        k = cls._new(dom_o, cod_o, m, b, get_model(model))
        _validate(k, tol)
        return k

    @classmethod
    def from_function(
        cls, fn: Callable[..., Any], dom: ObjLike, cod: ObjLike, *, backend: str | Backend | None = None
    ) -> Kernel:
        """The deterministic kernel of a function on elements (labels if the wires have them).

        ``fn`` receives one argument per domain wire and returns a codomain element
        (a tuple when the codomain has several wires).

        >>> parity = Kernel.from_function(lambda a, b: (a + b) % 2, Wire(2) @ Wire(2), Wire(2))
        >>> parity.as_function()[(1, 1)]
        0
        >>> Kernel.from_function(lambda x: 5, Wire(2), Wire(3))
        Traceback (most recent call last):
        ...
        catkit.objects.ObjError: 5 is not an element of Wire(3) (elements are 0..2)
        """
        dom_o, cod_o = as_obj(dom), as_obj(cod)
        return cls._deterministic(dom_o, cod_o, indexmaps.function_map(fn, dom_o, cod_o), backend)

    @classmethod
    def from_indices(
        cls, indices: Sequence[int] | np.ndarray, dom: ObjLike, cod: ObjLike, *, backend: str | Backend | None = None
    ) -> Kernel:
        """The deterministic kernel sending the ``i``-th element of ``dom`` (flat, row-major) to the
        ``indices[i]``-th element of ``cod``: the fast way to build large encoders and relabellings.

        Without a backend the kernel is kept as its index map (composition gathers instead of multiplying).

        >>> enc = Kernel.from_indices([0, 1, 1, 0], Wire(2) @ Wire(2), Wire(["even", "odd"]))
        >>> enc.as_function()[(1, 0)]
        'odd'
        >>> Kernel.from_indices([0, 2], Wire(2), Wire(2))
        Traceback (most recent call last):
        ...
        catkit.errors.KernelValueError: index 2 at domain element 1 is outside the codomain Wire(2) (size 2)
        """
        dom_o, cod_o = as_obj(dom), as_obj(cod)
        return cls._deterministic(dom_o, cod_o, indexmaps.checked_indices(indices, dom_o, cod_o), backend)

    @classmethod
    def _deterministic(cls, dom: Obj, cod: Obj, idx: np.ndarray, backend: str | Backend | None) -> Kernel:
        if dom.size and not cod.size:
            raise KernelValueError(f"there is no function from the non-empty {dom} to the empty {cod}")
        if backend is None:
            return cls._structural(dom, cod, idx)
        b = get_backend(backend)
        return cls._new(dom, cod, b.onehot(idx, cod.size), b, FINSET, False)

    @classmethod
    def id(cls, X: ObjLike, *, backend: str | Backend | None = None) -> Kernel:
        """Identity ``X → X``.

        >>> Kernel.id(Wire(2)).matrix.tolist()
        [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]]
        """
        X = as_obj(X)
        return cls._deterministic(X, X, np.arange(X.size), backend)

    @classmethod
    def copy(cls, X: ObjLike, n: int = 2, *, backend: str | Backend | None = None) -> Kernel:
        """Copy ``X → X^{⊗n}`` (``n = 0`` is discard, ``n = 1`` the identity).

        For several wires this is ``(copy_X1 @ copy_X2) >> (id @ swap @ id)``, i.e. the
        output is ``X @ X``, not wire-wise interleaved.

        >>> Kernel.copy(Wire(2)).as_function()
        {0: (0, 0), 1: (1, 1)}
        """
        X = as_obj(X)
        idx = indexmaps.copy_map(X, n)
        return cls._deterministic(X, Obj(*(tuple(X) * n)), idx, backend)

    @classmethod
    def discard(cls, X: ObjLike, *, backend: str | Backend | None = None) -> Kernel:
        """Discard ``X → I`` (the column of ones).

        >>> Kernel.discard(Wire(3)).matrix.shape
        (3, 1)
        """
        X = as_obj(X)
        return cls._deterministic(X, I, np.zeros(X.size, dtype=np.int64), backend)

    @classmethod
    def swap(cls, X: ObjLike, Y: ObjLike, *, backend: str | Backend | None = None) -> Kernel:
        """Symmetry ``X @ Y → Y @ X``.

        >>> Kernel.swap(Wire(2), Wire(3)).cod
        Wire(3) @ Wire(2)
        """
        X, Y = as_obj(X), as_obj(Y)
        return cls.permutation(X @ Y, [*range(len(X), len(X) + len(Y)), *range(len(X))], backend=backend)

    @classmethod
    def permutation(cls, X: ObjLike, perm: Sequence[int], *, backend: str | Backend | None = None) -> Kernel:
        """The wire permutation ``X → X'`` whose output wire ``j`` is input wire ``perm[j]``.

        >>> P = Kernel.permutation(Wire(2) @ Wire(3) @ Wire(4), [2, 0, 1])
        >>> P.cod.sizes, P.as_function()[(1, 2, 3)]
        ((4, 2, 3), (3, 1, 2))
        """
        X = as_obj(X)
        perm = list(perm)
        if sorted(perm) != list(range(len(X))):
            raise KernelValueError(f"{perm} is not a permutation of the {len(X)} wires of {X}")
        return cls.projection(X, perm, backend=backend)

    @classmethod
    def projection(cls, X: ObjLike, keep: Sequence[int], *, backend: str | Backend | None = None) -> Kernel:
        """The deterministic map ``X → X[keep[0]] @ X[keep[1]] @ ...`` (wires may repeat or be dropped).

        Dropped wires are discarded, repeated wires copied, so every structural
        kernel is a projection.

        >>> Kernel.projection(Wire(2) @ Wire(3), [1]).cod
        Obj(Wire(3))
        """
        X, keep = as_obj(X), list(keep)
        idx = indexmaps.projection_map(X, keep)
        return cls._deterministic(X, Obj(*(X[j] for j in keep)), idx, backend)

    @classmethod
    def point(cls, X: ObjLike, x: Hashable, *, backend: str | Backend | None = None) -> Kernel:
        """The deterministic state ``I → X`` at the element ``x``.

        >>> Kernel.point(Wire(["h", "t"]), "t").matrix.tolist()
        [[Fraction(0, 1), Fraction(1, 1)]]
        """
        X = as_obj(X)
        return cls._deterministic(I, X, np.array([X.flat_index(x)], dtype=np.int64), backend)

    @classmethod
    def state(cls, p: Any, X: ObjLike | None = None, **kwargs: Any) -> Kernel:
        """A state (distribution) ``I → X``; ``X`` defaults to one wire of ``len(p)``.

        >>> Kernel.state(["1/3", "2/3"], Wire(["a", "b"]))["b"]
        Fraction(2, 3)
        """
        return cls(p, I, X, **kwargs)

    @classmethod
    def uniform(cls, X: ObjLike, dom: ObjLike = I, *, backend: str | Backend = "exact", model: str | Model = "finstoch",
                tol: float | None = None, **kwargs: Any) -> Kernel:
        """The constant kernel ``dom → X`` with the uniform distribution on ``X`` (a state by default).

        >>> Kernel.uniform(Wire(4)).matrix.tolist()[0][0]
        Fraction(1, 4)
        """
        X, D = as_obj(X), as_obj(dom)
        if X.size == 0:
            raise KernelValueError(f"there is no uniform distribution on the empty {X}")
        b = get_backend(backend)
        _check_tol(tol)  # before allocating
        check_entries(D.size, X.size, b.entry_bytes(), lambda: f"the uniform kernel {D} → {X}")
        k = cls._new(D, X, b.full(D.size, X.size, Fraction(1, X.size), **kwargs), b, get_model(model))
        _validate(k, tol)
        return k

    # ------------------------------------------------------------------ properties
    @property
    def dom(self) -> Obj:
        """Domain (a tuple of wires).

        >>> Kernel([[1, 0]]).dom
        Obj(Wire(1))
        """
        return self._dom

    @property
    def cod(self) -> Obj:
        """Codomain (a tuple of wires).

        >>> Kernel([[1, 0]]).cod
        Obj(Wire(2))
        """
        return self._cod

    @property
    def backend(self) -> Backend:
        """The backend storing the entries.

        >>> Kernel([[1, 0]]).backend.name
        'exact'
        """
        return self._b

    @property
    def model(self) -> Model:
        """The category this kernel is validated for (FinStoch unless said otherwise).

        >>> Kernel([[2, -1]], model="signed").model.name
        'signed FinStoch'
        """
        return self._model

    @property
    def indices(self) -> np.ndarray | None:
        """The index map of a structural kernel (copy, swap, projections, ``from_indices``: row ``i`` is the
        point mass at ``indices[i]``), read-only; ``None`` for a kernel that stores its matrix.

        >>> Kernel.swap(Wire(2), Wire(2)).indices.tolist(), Kernel([[1, 0]]).indices
        ([0, 2, 1, 3], None)
        """
        return self._idx

    @property
    def generic(self) -> bool:
        """True for structural kernels made without a backend: they adapt to the other operand's backend.

        >>> Kernel.copy(Wire(2)).generic, Kernel([[1, 0]]).generic
        (True, False)
        """
        return self._generic

    @property
    def storage(self) -> Any:
        """The backend-native 2-D matrix (a :class:`~catkit.backends.RatMatrix` for exact kernels).

        >>> type(Kernel([[1, 0]]).storage).__name__
        'RatMatrix'
        """
        return self._m

    @property
    def matrix(self) -> Any:
        """The flattened 2-D view ``|dom| × |cod|`` (numpy object array of Fractions for exact
        kernels, of expressions for sympy, a read-only float64 array for numpy, a tensor for torch).

        >>> Kernel([["1/2", "1/2"]]).matrix
        array([[Fraction(1, 2), Fraction(1, 2)]], dtype=object)
        """
        return self._b.compute(self._m)

    @property
    def array(self) -> Any:
        """The entries with one axis per wire: shape ``dom.sizes + cod.sizes``.

        >>> Kernel.copy(Wire(2)).array.shape
        (2, 2, 2)
        """
        return self.matrix.reshape(self._dom.sizes + self._cod.sizes)

    # numpy / torch interop: the flattened |dom| × |cod| matrix (kernel.array has one axis per wire)
    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(kernel)``: the ``|dom| × |cod|`` matrix, never rounded behind your back (exact entries
        as Fractions unless ``dtype=float``; float storage shared read-only; see :meth:`Backend.as_numpy
        <catkit.backends.Backend.as_numpy>`).

        >>> k = Kernel([["1/3", "2/3"], [1, 0]])
        >>> np.asarray(k)
        array([[Fraction(1, 3), Fraction(2, 3)],
               [Fraction(1, 1), Fraction(0, 1)]], dtype=object)
        >>> np.asarray(k, dtype=float).round(4).tolist(), np.asarray(Kernel([[0.25, 0.75]])).flags.writeable
        ([[0.3333, 0.6667], [1.0, 0.0]], False)
        """
        return self._b.as_numpy(self._m, dtype, copy)

    def __dlpack__(self, **kwargs: Any) -> Any:
        """``torch.as_tensor(kernel)`` (and ``np.from_dlpack``) for float kernels: a torch kernel's own tensor,
        detached (shared, as :attr:`matrix`: do not write into it), a copy for numpy.  Exact and sympy kernels
        refuse, as a tensor would round them: ``torch.as_tensor(np.asarray(k, dtype=float))`` says so.

        >>> import torch
        >>> k = Kernel([[0.25, 0.75]], backend="torch", dtype=torch.float64)
        >>> t = torch.as_tensor(k)
        >>> t.dtype, t.shape, t.data_ptr() == k.matrix.data_ptr()
        (torch.float64, torch.Size([1, 2]), True)
        """
        return self._b.dlpack(self._m, **kwargs)

    def __dlpack_device__(self) -> tuple[int, int]:
        """The DLPack device of :meth:`__dlpack__` (the CPU unless a torch kernel lives elsewhere).

        >>> Kernel([[0.5, 0.5]]).__dlpack_device__()
        (1, 0)
        """
        return self._b.dlpack_device(self._m)

    @property
    def shape(self) -> tuple[int, ...]:
        """``dom.sizes + cod.sizes``.

        >>> Kernel.swap(Wire(2), Wire(3)).shape
        (2, 3, 3, 2)
        """
        return self._dom.sizes + self._cod.sizes

    def __getitem__(self, key: Any) -> Any:
        """The entry ``f(y|x)`` at ``f[x, y]`` (elements or labels; ``f[y]`` for states).

        >>> f = Kernel([["1/3", "2/3"]], dom=Wire(["a"]), cod=Wire(["u", "v"]))
        >>> f["a", "v"]
        Fraction(2, 3)
        """
        if not self._dom:
            x, y = (), key
        else:
            if not (isinstance(key, tuple) and len(key) == 2):
                raise KernelValueError(f"index a kernel as f[x, y] with x in {self._dom} and y in {self._cod}")
            x, y = key
        i, j = self._dom.flat_index(x), self._cod.flat_index(y)
        m = self._b.take(self._m, np.array([i]), np.array([j]))
        return self._b.tolist(m)[0][0]

    def __call__(self, *x: Hashable) -> Kernel:
        """The distribution at input ``x``: the state ``point(x) >> self``.

        An input on several wires is a tuple, given with or without its parentheses
        (``f(1, "a")`` is ``f((1, "a"))``); a state takes no input (``p()`` is ``p``).

        >>> Kernel([["1/3", "2/3"], [1, 0]])(1).matrix.tolist()
        [[Fraction(1, 1), Fraction(0, 1)]]
        >>> f = Kernel.from_function(lambda a, b: int(a == 1 and b == "v"), Wire(2) @ Wire(["u", "v"]), Wire(2))
        >>> f(1, "v") == f((1, "v")) == Kernel.point(Wire(2), 1)
        True
        >>> f(1)
        Traceback (most recent call last):
        ...
        catkit.objects.ObjError: 1 is not an element of Wire(2) @ Wire(['u', 'v']) (expected a tuple of 2 entries)
        """
        if len(x) == 1:
            element: Hashable = x[0]
        elif len(x) == len(self._dom) or (len(self._dom) == 1 and x in self._dom[0].elements()):
            element = x  # several wires, or one wire whose elements are tuples
        else:
            raise ObjError(f"a kernel {self._dom} → {self._cod} takes one element of {self._dom}, got the {len(x)} values {x!r}")
        return Kernel.point(self._dom, element) >> self

    # ------------------------------------------------------------------ operations
    def then(self, other: Kernel) -> Kernel:
        """Composition in diagrammatic order, ``self >> other``: ``(f >> g)(z|x) = Σ_y f(y|x) g(z|y)``.

        >>> (Kernel.copy(Wire(2)) >> Kernel.discard(Wire(2) @ Wire(2))) == Kernel.discard(Wire(2))
        True
        """
        if not isinstance(other, Kernel):
            return NotImplemented
        cod, dom = self._cod, other._dom
        if cod is not dom and cod != dom:
            raise ObjectMismatchError(
                f"cannot compose: the codomain of the first kernel, {cod}, is not the domain of the second, {dom}"
            )
        model = self._model if self._model is other._model else self._model.join(other._model)
        # structural kernels act by reindexing: a row gather before, a column scatter after
        if other._idx is not None:
            if self._idx is not None:
                return Kernel._structural(self._dom, other._cod, other._idx[self._idx])
            return Kernel._new(self._dom, other._cod, self._b.pushforward(self._mm, other._idx, other._cod.size),
                               self._b, model)
        if self._idx is not None:
            return Kernel._new(self._dom, other._cod, other._b.take(other._mm, self._idx, None), other._b, model)
        be = self._b
        if be is other._b:  # the common case, inlined: small products are dominated by Python overhead
            a, b = self._mm, other._mm  # neither is structural (handled above): both matrices are stored
            why = None if be.always_compatible else be.compatible(a, b)
            if why is not None:
                raise BackendMismatchError(f"cannot combine kernels on different backends: {why}")
            generic = self._generic and other._generic
        else:
            a, b, be, generic = _align(self, other)
        if self._dom.size * other._cod.size * be.entry_bytes(a) >= SMALL_ALLOCATION:
            check_entries(self._dom.size, other._cod.size, be.entry_bytes(a), f"the composite {self._dom} → {other._cod}")
        return Kernel._new(self._dom, other._cod, be.matmul(a, b), be, model, generic)

    def tensor(self, other: Kernel) -> Kernel:
        """Tensor product, ``self @ other``: ``(f @ g)(y, y'|x, x') = f(y|x) g(y'|x')``.

        >>> (Kernel.point(Wire(2), 1) @ Kernel.point(Wire(3), 0)).as_function()
        {(): (1, 0)}
        """
        if not isinstance(other, Kernel):
            return NotImplemented
        if self._idx is not None and other._idx is not None:
            indexmaps.check_index_range(self._dom @ other._dom, self._cod @ other._cod)
            idx = (self._idx[:, None] * other._cod.size + other._idx[None, :]).reshape(-1)
            return Kernel._structural(self._dom @ other._dom, self._cod @ other._cod, idx)
        a, b, be, generic = _align(self, other)
        model = self._model if self._model is other._model else self._model.join(other._model)
        check_entries(self._dom.size * other._dom.size, self._cod.size * other._cod.size, be.entry_bytes(a),
                      lambda: f"the tensor product {self._dom @ other._dom} → {self._cod @ other._cod}")
        return Kernel._new(self._dom @ other._dom, self._cod @ other._cod, be.kron(a, b), be, model, generic)

    def marginal(self, *keep: int | str | Sequence[int | str]) -> Kernel:
        """Keep the output wires at the given positions or with the given names (in that order), discarding the rest.

        ``f.marginal(0)`` on ``f: A → X @ Y`` is ``f >> (id_X @ discard_Y)``.  Wires may repeat (copies).

        >>> joint = Kernel.state([["1/2", 0], ["1/4", "1/4"]], Wire(2, name="x") @ Wire(2, name="y"))
        >>> joint.marginal(1).matrix.tolist()
        [[Fraction(3, 4), Fraction(1, 4)]]
        >>> joint.marginal("y") == joint.marginal(1), joint.marginal("y", "x") == joint.marginal([1, 0])
        (True, True)
        """
        try:
            pos = self._cod.positions(*keep)
        except ObjError as e:
            raise KernelValueError(str(e)) from None
        if self._idx is not None or len(set(pos)) != len(pos):  # structural kernels gather; copies need the projection
            return self >> Kernel.projection(self._cod, pos)
        if pos == list(range(len(self._cod))):
            return self
        cod = Obj(*(self._cod[j] for j in pos))
        return Kernel._new(self._dom, cod, self._b.marginal(self._m, self._cod.sizes, pos), self._b, self._model, self._generic)

    def permute(self, perm: Sequence[int]) -> Kernel:
        """Reorder the output wires: output wire ``j`` of the result is wire ``perm[j]`` of ``self``.

        >>> Kernel.state([[1, 0], [0, 0]], Wire(2) @ Wire(2)).permute([1, 0]).cod
        Wire(2) @ Wire(2)
        """
        return self >> Kernel.permutation(self._cod, perm)

    def is_deterministic(self, tol: float = 0.0) -> bool:
        """Whether every row is a point mass (FinStoch's deterministic morphisms, B1).

        ``tol`` allows float entries within ``tol`` of 0 or 1.

        >>> Kernel.copy(Wire(2)).is_deterministic(), Kernel([["1/2", "1/2"]]).is_deterministic()
        (True, False)
        """
        return self._first_nondeterministic_row(tol) is None

    def _first_nondeterministic_row(self, tol: float) -> int | None:
        if self._idx is not None:
            return None
        bad = np.flatnonzero(~self._b.deterministic_rows(self._m, tol))
        return int(bad[0]) if bad.size else None

    def as_function(self, tol: float = 0.0) -> dict[Any, Any]:
        """The function of a deterministic kernel, as a dict from domain to codomain elements.

        Single wires map bare elements; several wires (or none) map tuples.

        >>> Kernel.swap(Wire(2), Wire(["a", "b"])).as_function()[(1, "a")]
        ('a', 1)
        """
        bad = self._first_nondeterministic_row(tol)
        if bad is not None:
            row = self._b.tolist(self._b.take(self._m, np.array([bad]), None))[0]
            raise NotDeterministicError(f"the kernel is not deterministic: row {bad} is {[self._b.fmt(x) for x in row]}")
        if self._idx is not None:
            return indexmaps.as_dict(self._idx, self._dom, self._cod)
        M = self._b.to_numpy(self._m)
        return indexmaps.as_dict(np.argmax(M, axis=1) if M.size else np.zeros(M.shape[0], dtype=np.int64), self._dom, self._cod)

    # ------------------------------------------------------------------ conversion
    def to(self, backend: str | Backend, *, device: Any = None, dtype: Any = None) -> Kernel:
        """The same kernel on another backend.  Exact → float is allowed when asked for
        (it is this call); float → exact is refused (no silent rationalisation).

        >>> Kernel([["1/4", "3/4"]]).to("numpy").matrix.tolist()
        [[0.25, 0.75]]
        >>> Kernel([[0.25, 0.75]]).to("exact")
        Traceback (most recent call last):
        ...
        catkit.errors.BackendMismatchError: cannot convert a numpy kernel to exact: floats are never rationalised silently; ...
        """
        b = get_backend(backend)
        if self._idx is not None:  # structural: the index map becomes a 0/1 matrix of the target backend
            if b is self._b:
                return self
            return Kernel._new(self._dom, self._cod, b.onehot(self._idx, self._cod.size, device=device, dtype=dtype),
                               b, self._model)
        m = b.convert(self._m, self._b, device=device, dtype=dtype)
        return self if m is self._m else Kernel._new(self._dom, self._cod, m, b, self._model, False)

    def as_model(self, model: str | Model, tol: float | None = None) -> Kernel:
        """The same entries regarded in another model (validated there).

        >>> Kernel([[1, 0]]).as_model("finset").model.name
        'FinSet'
        """
        k = Kernel._new(self._dom, self._cod, self._mm, self._b, get_model(model), self._generic, self._idx)
        _validate(k, tol)  # tol checked first
        return k

    def relabel(self, dom: ObjLike | None = None, cod: ObjLike | None = None) -> Kernel:
        """The same matrix with other wires of the same sizes (e.g. to add labels or names).

        >>> Kernel([[1, 0]]).relabel(cod=Wire(["no", "yes"])).cod
        Obj(Wire(['no', 'yes']))
        """
        d = self._dom if dom is None else as_obj(dom)
        c = self._cod if cod is None else as_obj(cod)
        if d.size != self._dom.size or c.size != self._cod.size:
            raise ObjectMismatchError(f"cannot relabel {self._dom} → {self._cod} as {d} → {c}: sizes differ")
        return Kernel._new(d, c, self._mm, self._b, self._model, self._generic, self._idx)

    def subs(self, mapping: dict[Any, Any] | None = None, **values: Any) -> Kernel:
        """Substitute values for the symbols of a sympy kernel (the result stays sympy;
        ``.to("exact")`` when every entry became a rational).

        >>> import sympy as sp
        >>> p = sp.Symbol("p")
        >>> Kernel.state([p, 1 - p]).subs({p: sp.Rational(1, 3)}).to("exact").matrix.tolist()
        [[Fraction(1, 3), Fraction(2, 3)]]
        """
        if not self._b.symbolic:
            raise KernelValueError(f"subs needs a sympy kernel, this one is {self._b.name}")
        k = Kernel._new(self._dom, self._cod, self._b.subs(self._m, {**dict(mapping or {}), **values}), self._b, self._model)  # type: ignore[attr-defined]
        _validate(k, None)
        return k

    def simplify(self) -> Kernel:
        """Entrywise simplification of a sympy kernel (other kernels are returned as they are).

        >>> import sympy as sp
        >>> p = sp.Symbol("p")
        >>> Kernel.state([p * (1 - p) + p**2, 1 - p]).simplify().matrix.tolist()
        [[p, 1 - p]]
        """
        if not self._b.symbolic:
            return self
        return Kernel._new(self._dom, self._cod, self._b.simplify(self._m), self._b, self._model)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ comparison
    def __reduce__(self) -> tuple[Any, ...]:
        # unpickled arrays come back writeable: the storage and index map are made read-only again
        return (_unpickled, (type(self), self._dom, self._cod, self._mm, self._b, self._model, self._generic, self._idx))

    def __eq__(self, other: object) -> bool:
        """Exact equality: same objects, same backend, equal entries (bitwise for floats;
        symbolic entries are simplified first).  Use :meth:`allclose` for floats.

        >>> Kernel([[1, 0]]) == Kernel([["1", "0"]]), Kernel([[1.0, 0.0]]) == Kernel([[1, 0]])
        (True, False)
        """
        if not isinstance(other, Kernel):
            return NotImplemented
        if self._dom != other._dom or self._cod != other._cod:
            return False
        if self._idx is not None and other._idx is not None:
            return bool(np.array_equal(self._idx, other._idx))
        try:
            a, b, be, _ = _align(self, other)
        except BackendMismatchError:
            return False
        return be.equal(a, b)

    __hash__ = None  # type: ignore[assignment]

    def allclose(self, other: Kernel, tol: float) -> bool:
        """Entrywise ``|f(y|x) - g(y|x)| <= tol`` (same objects and backend required).

        >>> Kernel([[0.1 + 0.2, 0.7]]).allclose(Kernel([[0.3, 0.7]]), tol=1e-12)
        True
        """
        if not isinstance(other, Kernel):
            raise NotAKernelError(f"allclose compares two kernels, got {type(other).__name__}")
        if self._dom != other._dom or self._cod != other._cod:
            return False
        if self._idx is not None and other._idx is not None:
            return bool(np.array_equal(self._idx, other._idx))
        a, b, be, _ = _align(self, other)
        return be.allclose(a, b, tol)

    # ------------------------------------------------------------------ display (catkit.display)
    def table(self, max_rows: int = 32, max_cols: int = 16) -> str:
        """A readable table: one row per input, one column per output (labels shown).

        >>> print(Kernel([["1/2", "1/2"]], cod=Wire(["h", "t"])).table())
        Kernel Wire(1) → Wire(['h', 't'])  [exact, FinStoch]
             h    t
        0  1/2  1/2
        """
        return display.text_table(self, max_rows, max_cols)

    __str__ = table
    __repr__ = display.kernel_repr
    _repr_html_ = display.html_table  # notebooks: an HTML table, exact entries as fractions
    _repr_latex_ = display.latex_array


# ---------------------------------------------------------------------- helpers
def _unpickled(cls: type[Kernel], dom: Obj, cod: Obj, m: Any, b: Backend, model: Model, generic: bool,
               idx: np.ndarray | None) -> Kernel:
    if idx is not None:
        idx.setflags(write=False)
    return cls._new(dom, cod, None if m is None else b.readonly(m), b, model, generic, idx)


def _align(f: Kernel, g: Kernel) -> tuple[Any, Any, Backend, bool]:
    """Bring two kernels to one backend: structural (generic) kernels adapt; others must match."""
    bf, bg = f._b, g._b
    if bf is bg:
        fm, gm = f._m, g._m
        why = bf.compatible(fm, gm)
        if why is not None:
            raise BackendMismatchError(f"cannot combine kernels on different backends: {why}")
        return fm, gm, bf, f._generic and g._generic
    if f._generic and not g._generic:
        return _adapt(f, g), g._m, bg, False
    if g._generic and not f._generic:
        return f._m, _adapt(g, f), bf, False
    m = bg.embed(f._m, bf)  # e.g. exact rationals into sympy expressions, losslessly
    if m is not None:
        return m, g._m, bg, False
    m = bf.embed(g._m, bg)
    if m is not None:
        return f._m, m, bf, False
    raise BackendMismatchError(
        f"cannot combine kernels on different backends: {bf.describe(f._m)} vs {bg.describe(g._m)}; "
        "convert one with .to(backend)"
    )


def _adapt(structural: Kernel, like: Kernel) -> Any:
    assert structural._idx is not None
    return like._b.onehot(structural._idx, structural._cod.size, like._m)


def _check_tol(tol: Any) -> None:
    """A tolerance is ``None`` (the dtype's default) or a finite real number >= 0."""
    if tol is None:
        return
    if isinstance(tol, bool) or not isinstance(tol, (int, float, Fraction, np.integer, np.floating)):
        raise KernelValueError(f"tol must be a number >= 0 (or None for the dtype's default), got {tol!r}")
    if not (tol >= 0) or not np.isfinite(float(tol)):
        raise KernelValueError(f"tol must be a finite number >= 0 (or None for the dtype's default), got {tol!r}")


def _validate(k: Kernel, tol: float | None) -> None:
    _check_tol(tol)
    mdl = k._model
    v = k._b.violation(k._m, nonneg=mdl.nonneg, rowsum=mdl.rowsum, zero_one=mdl.zero_one, tol=tol)
    if v is None:
        return
    row = k._b.tolist(k._b.take(k._m, np.array([v.row]), np.arange(min(k._cod.size, 13))))[0]
    shown = row if len(row) <= 12 else row[:12]
    entries = "[" + ", ".join(k._b.fmt(x) for x in shown) + (", …" if k._cod.size > 12 else "") + "]"
    where = f"row {v.row}" if len(k._dom) == 0 or k._dom.label(v.row) == (v.row,) else f"row {v.row} ({_fmt_el(k._dom.label(v.row))})"
    raise KernelValueError(f"{where} of a kernel {k._dom} → {k._cod} {v.reason} ({mdl.name}): entries {entries}")


def _fmt_el(x: tuple[Any, ...]) -> str:
    return f"input {x[0]!r}" if len(x) == 1 else f"input {x!r}"


def _shape_of(data: Any) -> tuple[int, ...]:
    if hasattr(data, "shape") and (not isinstance(data, np.ndarray) or data.dtype != object):
        return tuple(int(s) for s in data.shape)
    try:
        arr = np.asarray(data, dtype=object)
    except ValueError as e:
        raise KernelValueError(f"kernel data must be a rectangular table: {e}") from None
    if arr.dtype == object and arr.ndim and any(isinstance(x, (list, tuple)) for x in arr.flat):
        raise KernelValueError("kernel data must be a rectangular table: rows have different lengths")
    return arr.shape


def _objects_for(shape: tuple[int, ...], dom: ObjLike | None, cod: ObjLike | None) -> tuple[Obj, Obj]:
    if dom is not None and cod is not None:
        return as_obj(dom), as_obj(cod)
    if len(shape) == 1:
        return (as_obj(dom) if dom is not None else I), (as_obj(cod) if cod is not None else Obj(Wire(shape[0])))
    if len(shape) == 2:
        d = as_obj(dom) if dom is not None else Obj(Wire(shape[0]))
        c = as_obj(cod) if cod is not None else Obj(Wire(shape[1]))
        return d, c
    raise KernelValueError(f"data of shape {shape} needs dom= and cod= to say which axes are inputs and outputs")


def _reshape2d(data: Any, rows: int, cols: int) -> Any:
    owner = native_backend(data)
    if owner is not None:
        return owner.as_table(data, rows, cols)
    if isinstance(data, np.ndarray) and data.dtype != object:
        return data.reshape(rows, cols)
    arr = np.asarray(data, dtype=object)
    return arr.reshape(rows, cols)


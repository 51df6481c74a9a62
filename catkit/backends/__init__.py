"""Backends: one storage and arithmetic per module, chosen by name.

========  ===============================================  ==========
name      entries                                          comparison
========  ===============================================  ==========
exact     rationals, arbitrary precision (:mod:`.exact`)   ``==``
sympy     symbolic expressions (:mod:`.symbolic`)          simplify, ``==``
numpy     float64 (:mod:`.numpy_float`)                    ``allclose(tol)``
torch     any float dtype, any device (:mod:`.torch_backend`)  ``allclose(tol)``
========  ===============================================  ==========

>>> get_backend("exact").name, get_backend("float").name
('exact', 'numpy')
>>> infer_backend([[1, 0]]).name, infer_backend([[0.5, 0.5]]).name
('exact', 'numpy')

A backend is one module (a :class:`Backend` subclass with its :class:`~catkit.backends.ops.Ops`) plus one
call to :func:`register_backend`; nothing outside this package asks for a backend by name
(docs/backends.md: how to add one).
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational
from typing import Any

import numpy as np

from catkit.backends.base import Backend, Violation
from catkit.backends.exact import ExactBackend, RatMatrix
from catkit.backends.numpy_float import NumpyBackend
from catkit.backends.ops import Ops
from catkit.backends.symbolic import SympyBackend
from catkit.backends.torch_backend import TorchBackend
from catkit.errors import CatkitError, KernelValueError

__all__ = ["Backend", "Ops", "Violation", "get_backend", "infer_backend", "register_backend", "unregister_backend",
           "native_backend", "BACKENDS", "RatMatrix"]

BACKENDS: dict[str, Backend] = {}
_ALIASES: dict[str, str] = {}
_BUILTIN = ("exact", "sympy", "numpy", "torch")


class UnknownBackendError(CatkitError, ValueError):
    """A backend name that catkit does not know."""


def register_backend(backend: Backend, aliases: tuple[str, ...] = ()) -> Backend:
    """Make ``backend`` available under its name (and ``aliases``): ``Kernel(..., backend=name)``, ``kernel.to(name)``
    and every layer above then use it.  Returns it.

    >>> class Float64Again(NumpyBackend):
    ...     name = "float64-again"
    >>> b = register_backend(Float64Again())
    >>> from catkit import Kernel
    >>> Kernel([[0.5, 0.5]], backend="float64-again").backend is b
    True
    >>> unregister_backend("float64-again")
    >>> register_backend(NumpyBackend())
    Traceback (most recent call last):
    ...
    catkit.backends.UnknownBackendError: a backend named 'numpy' is already registered
    """
    for key in (backend.name, *aliases):
        if key in BACKENDS or key in _ALIASES:
            raise UnknownBackendError(f"a backend named {key!r} is already registered")
    BACKENDS[backend.name] = backend
    for a in aliases:
        _ALIASES[a] = backend.name
    return backend


def unregister_backend(name: str) -> None:
    """Remove a backend added by :func:`register_backend` (with its aliases); catkit's own four stay.

    >>> unregister_backend("exact")
    Traceback (most recent call last):
    ...
    catkit.backends.UnknownBackendError: the built-in backend 'exact' cannot be removed
    """
    if name in _BUILTIN:
        raise UnknownBackendError(f"the built-in backend {name!r} cannot be removed")
    if name not in BACKENDS:
        raise UnknownBackendError(f"no backend named {name!r} is registered")
    del BACKENDS[name]
    for a in [a for a, n in _ALIASES.items() if n == name]:
        del _ALIASES[a]


register_backend(ExactBackend(), ("rational", "fraction"))
register_backend(SympyBackend(), ("symbolic",))
register_backend(NumpyBackend(), ("float", "float64"))
register_backend(TorchBackend())


def native_backend(data: Any) -> Backend | None:
    """The registered backend whose own storage type ``data`` is (:meth:`Backend.native`), if any.

    >>> native_backend(np.eye(2)).name, native_backend([[1.0]])
    ('numpy', None)
    """
    for b in BACKENDS.values():
        if b.native(data):
            return b
    return None


def get_backend(name: str | Backend) -> Backend:
    """The backend of that name (``exact``, ``sympy``, ``numpy``/``float``, ``torch``).

    >>> get_backend("torch").name
    'torch'
    >>> get_backend("cupy")
    Traceback (most recent call last):
    ...
    catkit.backends.UnknownBackendError: unknown backend 'cupy'; choose one of exact, sympy, numpy, torch ...
    """
    if isinstance(name, Backend):
        return name
    key = _ALIASES.get(name, name)
    try:
        return BACKENDS[key]
    except KeyError:
        raise UnknownBackendError(
            f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)} (aliases: {', '.join(_ALIASES)})"
        ) from None


def _kind(x: Any) -> str:
    if isinstance(x, (bool, np.bool_, int, np.integer)):
        return "int"  # exact, and also exactly representable as a float
    if isinstance(x, (Fraction, str)) or (
        isinstance(x, Rational) and not isinstance(x, float)
    ):
        return "exact"
    if isinstance(x, (float, np.floating)):
        return "numpy"
    mod = type(x).__module__
    if mod.startswith("sympy"):
        if getattr(x, "is_Integer", False):
            return "int"
        return "exact" if getattr(x, "is_Rational", False) else "sympy"
    if mod.startswith("flint"):
        return "exact"
    raise KernelValueError(f"cannot use {x!r} ({type(x).__name__}) as a kernel entry")


def infer_backend(data: Any) -> Backend:
    """The backend that keeps ``data`` as it is: ints/Fractions/strings → exact,
    floats → numpy, sympy expressions → sympy, torch tensors → torch.

    Python ints go with either (``[[0.5, 0.5], [1, 0]]`` is a float kernel); mixing
    exact rationals and floats is an error rather than a silent conversion.

    >>> infer_backend([["1/2", "1/2"]]).name
    'exact'
    >>> infer_backend([[Fraction(1, 2), 0.5]])
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: entries mix exact values (e.g. Fraction(1, 2)) and floats (e.g. 0.5): pass backend=...
    """
    owner = native_backend(data)
    if owner is not None:
        return owner
    if isinstance(data, np.ndarray) and data.dtype != object:
        return BACKENDS["numpy"] if data.dtype.kind in "fc" else BACKENDS["exact"]
    flat = np.asarray(data, dtype=object).ravel()
    seen: dict[str, Any] = {}
    for x in flat:
        seen.setdefault(_kind(x), x)
    if "numpy" in seen and ("exact" in seen or "sympy" in seen):
        ex = seen.get("exact", seen.get("sympy"))
        raise KernelValueError(
            f"entries mix exact values (e.g. {ex!r}) and floats (e.g. {seen['numpy']!r}): "
            "pass backend='exact' or backend='numpy' with values of that kind"
        )
    if "sympy" in seen:
        return BACKENDS["sympy"]
    if "numpy" in seen:
        return BACKENDS["numpy"]
    return BACKENDS["exact"]

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
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational
from typing import Any

import numpy as np

from catkit.backends.base import Backend, Violation
from catkit.backends.exact import ExactBackend, RatMatrix
from catkit.backends.numpy_float import NumpyBackend
from catkit.backends.symbolic import SympyBackend
from catkit.backends.torch_backend import TorchBackend
from catkit.errors import CatkitError, KernelValueError

__all__ = ["Backend", "Violation", "get_backend", "infer_backend", "BACKENDS", "RatMatrix"]

BACKENDS: dict[str, Backend] = {
    "exact": ExactBackend(),
    "sympy": SympyBackend(),
    "numpy": NumpyBackend(),
    "torch": TorchBackend(),
}
_ALIASES = {"float": "numpy", "float64": "numpy", "rational": "exact", "fraction": "exact", "symbolic": "sympy"}


class UnknownBackendError(CatkitError, ValueError):
    """A backend name that catkit does not know."""


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
    if isinstance(data, RatMatrix):
        return BACKENDS["exact"]
    if type(data).__module__.startswith("torch"):
        return BACKENDS["torch"]
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

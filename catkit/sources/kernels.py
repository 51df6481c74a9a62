"""A source's laws as catkit kernels on the backend asked for.

The laws of an exact source are computed as integers over one denominator per row
(:mod:`catkit.sources.forward`); :func:`ratio_kernel` turns them into a kernel without ever
rounding them (exact or sympy), or rounds each entry once for a float backend.  :func:`law_kernel`
does the same for a matrix of exact or float entries.  ``backend=None`` means exact for exact
entries and numpy otherwise; ``"torch"`` takes a ``device`` and a ``dtype`` (default float64).

>>> import numpy as np
>>> from catkit.objects import I, Wire
>>> ratio_kernel(np.array([[1, 2]]), np.array([3]), I, Wire(2)).matrix.tolist()
[[Fraction(1, 3), Fraction(2, 3)]]
>>> law_kernel(np.array([[0.25, 0.75]]), I, Wire(2)).backend.name
'numpy'
"""

from __future__ import annotations

from typing import Any

import numpy as np

from catkit.backends.exact import RatMatrix
from catkit.kernel import Kernel
from catkit.sources.forward import ratios_to_float
from catkit.sources.probs import SourceError, to_float

__all__ = ["law_kernel", "ratio_kernel", "normalise_rows"]

_EXACT = ("exact", "rational", "fraction")
_SYMBOLIC = ("sympy", "symbolic")


def law_kernel(M: np.ndarray, dom: Any, cod: Any, backend: str | None = None, device: Any = None, dtype: Any = None) -> Kernel:
    """The kernel with matrix ``M`` (exact object entries or float64) on ``backend``; float entries refuse an
    exact backend.

    >>> from catkit.objects import I, Wire
    >>> law_kernel(np.array([[0.5, 0.5]]), I, Wire(2), "exact")
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: this source has float parameters; its laws cannot be given on the exact backend
    """
    exact = M.dtype == object
    name = backend or ("exact" if exact else "numpy")
    if name in _EXACT + _SYMBOLIC:
        if not exact:
            raise SourceError(f"this source has float parameters; its laws cannot be given on the {name} backend")
        k = Kernel(M, dom, cod, backend="exact")
        return k if name in _EXACT else k.to("sympy")
    Mf = to_float(M)
    if name == "torch":
        import torch

        t = torch.as_tensor(Mf, dtype=dtype or torch.float64, device=device)
        return Kernel.from_matrix(t, dom, cod, backend="torch")
    return Kernel.from_matrix(Mf, dom, cod, backend=name)


def ratio_kernel(
    num: np.ndarray, den: np.ndarray, dom: Any, cod: Any, backend: str | None = None, device: Any = None, dtype: Any = None
) -> Kernel:
    """The kernel whose row ``i`` is ``num[i] / den[i]`` (integers, exact); a row with ``den 0`` (a context of
    probability 0) is uniform.

    >>> from catkit.objects import Wire
    >>> ratio_kernel(np.array([[1, 3], [0, 0]]), np.array([4, 0]), Wire(2), Wire(2), "numpy").matrix.tolist()
    [[0.25, 0.75], [0.5, 0.5]]
    """
    zero = den == 0
    if bool(np.any(zero)):
        num, den = np.array(num), np.array(den)
        num[zero] = 1
        den[zero] = num.shape[1]
    name = backend or "exact"
    if name in _EXACT + _SYMBOLIC:
        k = Kernel.from_matrix(RatMatrix(num, den), dom, cod, backend="exact")
        return k if name in _EXACT else k.to("sympy")
    return law_kernel(ratios_to_float(num, den), dom, cod, backend, device, dtype)


def normalise_rows(A: np.ndarray, fallback: int) -> np.ndarray:
    """Float rows divided by their sums; rows of sum 0 become uniform over ``fallback`` entries.

    >>> normalise_rows(np.array([[1.0, 3.0], [0.0, 0.0]]), 2).tolist()
    [[0.25, 0.75], [0.5, 0.5]]
    """
    Z = A.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = A / Z[:, None]
    out[Z <= 0] = 1.0 / fallback
    return out

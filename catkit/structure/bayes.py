"""Bayesian inversion ([B6][stmt-b6]; Cho & Jacobs 2019, Bayesian inversion; Fritz 2020 §11–13).

For ``f: X → Y`` and a prior ``p: I → X``, the Bayesian inverse ``f†: Y → X`` is

    f†(x|y) = p(x) f(y|x) / q(y),   q = p >> f,

characterised by ``p >> ⟨id, f⟩ = q >> ⟨f†, id⟩`` (both sides the joint law of
``(x, y)``, the right one with its wires swapped).  It is unique only
``q``-almost surely: **documented choice**, rows with ``q(y) = 0`` are the
prior ``p`` (no evidence, no update) unless ``fill=`` gives a kernel ``Y → X``.

>>> from catkit import Kernel, Wire
>>> disease = Wire(["ill", "well"], name="D")
>>> test = Wire(["+", "-"], name="T")
>>> prior = Kernel.state(["1/100", "99/100"], disease)
>>> f = Kernel([["9/10", "1/10"], ["1/20", "19/20"]], disease, test)
>>> bayes_invert(f, prior)["+", "ill"]
Fraction(2, 13)
"""

from __future__ import annotations

from collections.abc import Hashable

from catkit.kernel import Kernel
from catkit.structure._arrays import build, compute, result_model, same_backend
from catkit.structure.errors import NoConditionalError, StructureError

__all__ = ["bayes_invert", "posterior"]


def _check_prior(f: Kernel, prior: Kernel) -> None:
    if prior.dom:
        raise StructureError(f"a prior is a state I → {f.dom}; got a kernel {prior.dom} → {prior.cod}")
    if prior.cod != f.dom:
        raise StructureError(f"the prior is a state on {prior.cod}, but the kernel's domain is {f.dom}")


def bayes_invert(f: Kernel, prior: Kernel, *, fill: Kernel | None = None, strict: bool = True, tol: float = 0.0) -> Kernel:
    """The Bayesian inverse ``f†: Y → X`` of ``f: X → Y`` with respect to ``prior: I → X``.

    Rows with ``q(y) = 0`` (``|q(y)| <= tol`` for floats) are the prior, or the rows of
    ``fill: Y → X``.  Exact and symbolic kernels give exact inverses; floats are
    vectorised (a handful of array passes, no Python loop).  A float observation of positive
    probability too small for the number type (``q(y)`` underflows or is subnormal) is not
    ``q(y) = 0`` when ``tol = 0``: numpy and torch (every dtype) compute its row apart, without
    the underflow (``Ops.bayes_inverse`` of each backend).  In signed FinStoch
    an inverse may not exist (``q(y) = 0`` while ``p(x) f(y|x) != 0``):
    ``strict=True`` raises :class:`~catkit.structure.errors.NoConditionalError`.

    >>> from catkit import Kernel, Wire
    >>> f = Kernel([[1, 0], ["1/2", "1/2"]])
    >>> print(bayes_invert(f, Kernel.state(["1/2", "1/2"])))
    Kernel Wire(2) → Wire(2)  [exact, FinStoch]
         0    1
    0  2/3  1/3
    1    0    1
    >>> bayes_invert(f, Kernel.state(["1/3", "1/3", "1/3"]))
    Traceback (most recent call last):
    ...
    catkit.structure.errors.StructureError: the prior is a state on Wire(3), but the kernel's domain is Wire(2)
    """
    _check_prior(f, prior)
    if fill is not None and (fill.dom != f.cod or fill.cod != f.dom):
        raise StructureError(f"fill must be a kernel {f.cod} → {f.dom} (the inverse's type), got {fill.dom} → {fill.cod}")
    b = same_backend(f, prior, *([fill] if fill is not None else []))
    F = compute(f, b).reshape(f.dom.size, f.cod.size)
    P = compute(prior, b, like=F).reshape(-1)
    signed = not (f.model.nonneg and prior.model.nonneg)
    ops = b.ops
    D, zero = ops.bayes_inverse(F, P, tol, signed=signed)
    if strict and signed and bool((zero[None, :] & ~ops.zero_mask(P[:, None] * F, tol)).any()):
        raise NoConditionalError(
            "no Bayesian inverse: q(y) = p >> f is 0 at some y where p(x) f(y|x) is not (signed kernels); strict=False gives the formula"
        )
    if bool(zero.any()):
        Fill = P[None, :] if fill is None else compute(fill, b, like=F).reshape(f.cod.size, f.dom.size)
        D = ops.where(zero[:, None], Fill, D)
    return build(D, f.cod, f.dom, b, result_model(f, prior, *([fill] if fill is not None else [])))


def posterior(f: Kernel, prior: Kernel, observed: Hashable) -> Kernel:
    """The posterior state ``f†(·|y)`` after observing ``y`` (an element of ``f``'s codomain).

    >>> from catkit import Kernel, Wire
    >>> f = Kernel([["9/10", "1/10"], ["1/20", "19/20"]], Wire(["ill", "well"]), Wire(["+", "-"]))
    >>> posterior(f, Kernel.state(["1/100", "99/100"], Wire(["ill", "well"])), "+").matrix.tolist()[0]
    [Fraction(2, 13), Fraction(11, 13)]
    """
    return bayes_invert(f, prior)(observed)

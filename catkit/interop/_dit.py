"""dit ⇄ catkit states: a ``dit.Distribution`` is a state ``I → X₁ ⊗ … ⊗ Xₙ`` on named wires.

dit's random-variable names become wire names, its alphabets wire labels (sorted, as dit keeps them).
dit stores floats unless its probabilities are sympy expressions; sympy rationals give an exact state,
other expressions a sympy state, floats a numpy state (or, with ``backend="exact"``, the nearest
fractions, checked).

>>> import dit
>>> d = dit.Distribution(["00", "01", "11"], [0.5, 0.25, 0.25])
>>> d.set_rv_names("XY")
>>> k = from_dit(d, backend="exact")
>>> print(k)
Kernel I → Wire(['0', '1'], name='X') @ Wire(['0', '1'], name='Y')  [exact, FinStoch]
   0,0  0,1  1,0  1,1
·  1/2  1/4    0  1/4
>>> to_dit(k).get_rv_names(), to_dit(k).is_symbolic()
(('X', 'Y'), True)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from catkit.interop._common import rationals, require, wire_for
from catkit.interop.errors import InteropError, InteropTypeError
from catkit.kernel import Kernel
from catkit.objects import I, Obj

__all__ = ["from_dit", "to_dit"]


def _element(outcome: Any, alphabet: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    if isinstance(outcome, tuple):
        return outcome
    if len(alphabet) == 1 and outcome in alphabet[0]:  # a scalar outcome (e.g. a word) of one variable
        return (outcome,)
    return tuple(outcome)  # a string of one character per variable


def from_dit(distribution: Any, *, backend: str | None = None, max_denominator: int = 10**6) -> Kernel:
    """The state ``I → X₁ ⊗ … ⊗ Xₙ`` of a ``dit.Distribution`` (one wire per random variable).

    Args:
        distribution: a ``dit.Distribution`` (log-probabilities are converted to linear ones first).
        backend: ``None`` picks exact for sympy rationals, sympy for other expressions, numpy for floats;
            ``"exact"`` on floats recovers fractions with denominators up to ``max_denominator`` (checked).

    >>> import dit, sympy
    >>> d = dit.Distribution([("a", "x"), ("b", "y")], [sympy.Rational(1, 3), sympy.Rational(2, 3)])
    >>> from_dit(d)["b", "y"], from_dit(d).backend.name
    (Fraction(2, 3), 'exact')
    >>> from_dit(dit.Distribution(["0", "1"], [0.2, 0.8])).backend.name
    'numpy'
    """
    dit = require("dit")
    if not isinstance(distribution, dit.Distribution):
        raise InteropTypeError(f"from_dit needs a dit.Distribution, got {type(distribution).__name__}")
    if backend not in (None, "numpy", "exact", "sympy", "torch"):
        raise InteropError(f"backend must be None, 'numpy', 'exact', 'sympy' or 'torch', got {backend!r}")
    d = distribution.copy(base="linear") if distribution.is_log() else distribution
    names = d.get_rv_names()
    alphabet = tuple(tuple(a) for a in d.alphabet)
    cod = Obj(*(wire_for(a, None if names is None else str(names[i])) for i, a in enumerate(alphabet)))
    probs = list(d.pmf)
    if d.is_symbolic():
        if backend in (None, "exact") and all(getattr(p, "is_Rational", False) for p in probs):
            probs, backend = [Fraction(int(p.p), int(p.q)) for p in probs], "exact"
        elif backend is None:
            backend = "sympy"
    elif backend == "exact":
        probs = rationals(probs, max_denominator=max_denominator, what="the distribution")
    zero: Any = Fraction(0) if backend == "exact" else 0 if backend == "sympy" else 0.0
    flat = [zero] * cod.size
    for outcome, p in zip(d.outcomes, probs):
        flat[cod.flat_index(_element(outcome, alphabet))] = p if backend in ("exact", "sympy") else float(p)
    return Kernel(flat, I, cod, backend=backend)


def to_dit(kernel: Kernel) -> Any:
    """The ``dit.Distribution`` of a state (a kernel from ``I``): one random variable per wire, outcomes the
    wires' elements (labels, or ``0 .. k-1``), names the wires' names when every wire has a distinct one.

    Exact and sympy states give a symbolic dit distribution (sympy rationals: still exact); float states
    a float one.  Outcomes of probability 0 are left out, as dit does, but the alphabets keep them.

    >>> from catkit import Kernel, Wire
    >>> d = to_dit(Kernel.state(["1/3", "2/3"], Wire(["h", "t"], name="coin")))
    >>> d.get_rv_names(), d.outcomes, [str(p) for p in d.pmf]
    (('coin',), (('h',), ('t',)), ['1/3', '2/3'])
    >>> to_dit(Kernel([[1, 0], [0, 1]]))
    Traceback (most recent call last):
    ...
    catkit.interop.errors.InteropTypeError: to_dit needs a state (a kernel from I), got a kernel Wire(2) → Wire(2); ...
    """
    dit = require("dit")
    if not isinstance(kernel, Kernel):
        raise InteropTypeError(f"to_dit needs a catkit Kernel, got {type(kernel).__name__}")
    if kernel.dom:
        raise InteropTypeError(f"to_dit needs a state (a kernel from I), got a kernel {kernel.dom} → {kernel.cod}; "
                               "compose a state first (state >> kernel) or take one row (kernel(x))")
    if not kernel.cod:
        raise InteropError("the state has no wires; a dit distribution needs at least one random variable")
    row = kernel.matrix[0]
    if kernel.backend.name == "exact":
        sympy = require("sympy")
        pmf: list[Any] = [sympy.Rational(p.numerator, p.denominator) for p in row]
    elif kernel.backend.symbolic:
        pmf = list(row)
    else:
        pmf = [float(p) for p in (row.tolist() if hasattr(row, "tolist") else row)]
    d = dit.Distribution(list(kernel.cod.elements()), pmf, base="linear")
    names = [w.name for w in kernel.cod]
    if all(names) and len(set(names)) == len(names):
        d.set_rv_names(names)
    return d

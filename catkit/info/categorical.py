"""Categorical entropy and mutual information of any divergence (Perrone, arXiv 2212.11719).

For a divergence ``D`` and a kernel ``f: A → X``:

* **categorical entropy** ``H_D(f) = D(f >> copy_X, copy_A >> (f @ f))`` — how far ``f`` is from
  being deterministic (``f >> copy = copy >> (f @ f)`` holds exactly for deterministic ``f``).
  Row by row this is ``D(δ_p, p ⊗ p)`` with ``δ_p`` the law of ``(x, x)``, ``x ~ p``.  It is
  computed in closed form, in ``O(|A|·|X|)`` without building the ``|X|²``-sized laws:
  KL gives Shannon entropy, TV the Gini–Simpson index ``1 − Σ p²`` (exact), Rényi-α the
  Rényi entropy of order ``2 − α``, Hellinger ``s(1 − Σ p^{3/2})``, χ² ``|supp p| − 1``.
  ``method="definition"`` evaluates the defining formula literally (quadratic memory: a reference).
* **categorical mutual information** ``I_D(ψ) = D(ψ, ψ_L @ ψ_R)`` for ``ψ: A → L @ R``: the divergence
  of a joint law from the product of its marginals (KL gives Shannon mutual information).

Both are row-wise; ``prior=`` gives the averaged form ``D_p`` and ``sup=True`` the worst case.

>>> from catkit import Kernel
>>> from catkit.info.divergences import KL, TotalVariation, Renyi
>>> p = Kernel.state(["1/2", "1/4", "1/4"])
>>> categorical_entropy(p, KL()), categorical_entropy(p, TotalVariation())
(3*log(2)/2, Fraction(5, 8))
>>> categorical_entropy(p, KL(), method="definition")
3*log(2)/2
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from catkit.info.divergences import KL, Divergence
from catkit.info.entropy import finish_scalar, joint_kernel, wire_positions
from catkit.info.rows import DistributionError, ParameterError, as_kernel, as_rows, finish, state_weights
from catkit.kernel import Kernel

__all__ = ["categorical_entropy", "categorical_mutual_information"]


def _reduce(D: Divergence, r: Any, v: Any, prior: Any, sup: bool, who: str) -> Any:
    if prior is not None and sup:
        raise ParameterError(f"{who}: give either prior= (the averaged form) or sup=True (the worst case), not both")
    if prior is not None:
        w = state_weights(prior, r.dom, r.n, r.ops, who, like=r.data)
        return finish_scalar(r, D.combine(r.ops, w, v), D.rational)
    if sup:
        return finish_scalar(r, r.ops.max(v), D.rational)
    return finish(r, v, D.rational)


def categorical_entropy(
    f: Any, divergence: Divergence | None = None, *, prior: Any = None, sup: bool = False, method: str = "closed"
) -> Any:
    """``H_D(f) = D(f >> copy, copy >> (f @ f))`` row-wise (KL by default), see the module docstring.

    >>> from catkit import Kernel
    >>> from catkit.info.divergences import Renyi
    >>> f = Kernel([["1/2", "1/2"], [1, 0]])
    >>> categorical_entropy(f).tolist(), categorical_entropy(f, prior=Kernel.state(["1/2", "1/2"]))
    ([log(2), 0], log(2)/2)
    >>> categorical_entropy(f, Renyi(2), sup=True)
    log(2)
    """
    D = divergence if divergence is not None else KL()
    if not isinstance(D, Divergence):
        raise ParameterError(f"categorical_entropy: {D!r} is not a Divergence (e.g. catkit.info.KL())")
    if method == "closed":
        r = as_rows(f, "f")
        v = D.categorical_rows(r.ops, r.data)
    elif method == "definition":
        k = as_kernel(f, "f")
        lhs = k >> Kernel.copy(k.cod)
        rhs = Kernel.copy(k.dom) >> (k @ k)
        rl, rr = as_rows(lhs, "f >> copy"), as_rows(rhs, "copy >> (f @ f)")
        r = as_rows(k, "f")
        v = D.rows(rl.ops, rl.data, rr.data)
    else:
        raise ParameterError(f"method must be 'closed' or 'definition', got {method!r}")
    return _reduce(D, r, v, prior, sup, "categorical_entropy")


def categorical_mutual_information(
    psi: Kernel,
    divergence: Divergence | None = None,
    left: int | Iterable[int] = 0,
    right: int | Iterable[int] | None = None,
    *,
    prior: Any = None,
    sup: bool = False,
) -> Any:
    """``I_D(ψ) = D(ψ, ψ_L @ ψ_R)`` for the output wires ``left`` and ``right`` (default: the rest),
    row-wise (KL by default: Shannon mutual information).

    >>> from catkit import Kernel, Wire
    >>> from catkit.info.divergences import TotalVariation
    >>> psi = Kernel.state([["1/2", 0], [0, "1/2"]], Wire(2) @ Wire(2))
    >>> categorical_mutual_information(psi), categorical_mutual_information(psi, TotalVariation())
    (log(2), Fraction(1, 2))
    """
    D = divergence if divergence is not None else KL()
    psi = joint_kernel(psi, "categorical_mutual_information")
    lft = wire_positions(psi, left, "left")
    rgt = wire_positions(psi, right, "right") if right is not None else [j for j in range(len(psi.cod)) if j not in lft]
    if not lft or not rgt or set(lft) & set(rgt):
        raise DistributionError(f"categorical_mutual_information: left {lft} and right {rgt} must be non-empty and disjoint")
    joint = as_rows(psi.marginal(lft + rgt), "psi")
    a, b = as_rows(psi.marginal(lft), "psi"), as_rows(psi.marginal(rgt), "psi")
    A, B = a.data, b.data
    product = (A[:, :, None] * B[:, None, :]).reshape(A.shape[0], A.shape[1] * B.shape[1])
    v = D.rows(joint.ops, joint.data, product)
    return _reduce(D, joint, v, prior, sup, "categorical_mutual_information")


"""Random applications of the axioms of the free categories (and random non-axioms).

Each rewrite replaces a few layers by an equal sequence of layers, in the free
symmetric monoidal category (interchange, swap-swap, naturality of the
symmetry), the free copy-discard category (also counit, cocommutativity,
coassociativity of copy) or the free Markov category (also: a box whose
outputs are all discarded may be added).  Used to test the equality deciders:
a rewritten diagram must stay equal; a :func:`mutate` d one must not.

>>> from catkit.diagrams import equal, random_diagram
>>> d = random_diagram(10, seed=0)
>>> e = random_rewrite(d, steps=20, theory="markov", seed=1)
>>> e != d, equal(d, e, "markov")
(True, True)
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import cast

from catkit.diagrams.generate import as_rng, random_signature
from catkit.diagrams.hypergraph import Hypergraph, check_theory
from catkit.diagrams.syntax import Box, Copy, Diagram, Discard, Permutation, Swap, Ty, Wiring

__all__ = ["AXIOMS", "rewrite_step", "random_rewrite", "mutate"]

Layers = list[tuple[int, Box]]
Rule = Callable[[Diagram, random.Random, list[Box]], "Layers | None"]


def _interchange(d: Diagram, rng: random.Random, sig: list[Box]) -> Layers | None:
    """Swap two adjacent layers acting on disjoint wires."""
    L = list(d.layers)
    cands = []
    for i in range(len(L) - 1):
        (o1, b1), (o2, b2) = L[i], L[i + 1]
        if o2 + len(b2.dom) <= o1:
            cands.append((i, [(o2, b2), (o1 + len(b2.cod) - len(b2.dom), b1)]))
        elif o2 >= o1 + len(b1.cod):
            cands.append((i, [(o2 - len(b1.cod) + len(b1.dom), b2), (o1, b1)]))
    if not cands:
        return None
    i, new = rng.choice(cands)
    return L[:i] + new + L[i + 2 :]


def _position(d: Diagram, rng: random.Random, min_width: int) -> tuple[int, Ty] | None:
    ws = d.wires()
    cands = [i for i, w in enumerate(ws) if len(w) >= min_width]
    if not cands:
        return None
    i = rng.choice(cands)
    return i, ws[i]


def _swap_swap(d: Diagram, rng: random.Random, sig: list[Box]) -> Layers | None:
    """Insert swap >> swap (= id) on two adjacent wires."""
    pos = _position(d, rng, 2)
    if pos is None:
        return None
    i, w = pos
    p = rng.randrange(len(w) - 1)
    a, b = w[p : p + 1], w[p + 1 : p + 2]
    L = list(d.layers)
    return L[:i] + [(p, Swap(a, b)), (p, Swap(b, a))] + L[i:]


def _naturality(d: Diagram, rng: random.Random, sig: list[Box]) -> Layers | None:
    """Move a box elsewhere by conjugating with permutations (naturality of the symmetry)."""
    L = list(d.layers)
    if not L:
        return None
    i = rng.randrange(len(L))
    o, b = L[i]
    w = d.wires()[i]
    k, m = len(b.dom), len(b.cod)
    rest = [j for j in range(len(w)) if not o <= j < o + k]
    q = rng.randrange(len(rest) + 1)
    before = rest[:q] + list(range(o, o + k)) + rest[q:]
    # after the moved box the wires are rest[:q] + outs + rest[q:]; put the outputs back at o
    n_out = len(rest) + m
    moved = list(range(n_out))
    outs = moved[q : q + m]
    others = moved[:q] + moved[q + m :]
    after = others[:o] + outs + others[o:]
    w2 = Ty(*(w[j] for j in before))
    w3 = w2[:q] @ b.cod @ w2[q + k :]
    return L[:i] + [(0, Permutation(w, before)), (q, b), (0, Permutation(w3, after))] + L[i + 1 :]


def _one_wire(d: Diagram, rng: random.Random) -> tuple[int, int, Ty] | None:
    """A random stage ``i``, wire position ``p`` there and its type."""
    pos = _position(d, rng, 1)
    if pos is None:
        return None
    i, w = pos
    p = rng.randrange(len(w))
    return i, p, w[p : p + 1]


def _counit(d: Diagram, rng: random.Random, sig: list[Box]) -> Layers | None:
    """Insert copy >> (id @ discard) or copy >> (discard @ id) (= id) on a wire."""
    at = _one_wire(d, rng)
    if at is None:
        return None
    i, p, a = at
    L = list(d.layers)
    return L[:i] + [(p, Copy(a)), (p + rng.randrange(2), Discard(a))] + L[i:]


def _cocommutativity(d: Diagram, rng: random.Random, sig: list[Box]) -> Layers | None:
    """copy >> swap = copy."""
    L = list(d.layers)
    cands = [i for i, (_, b) in enumerate(L) if isinstance(b, Copy) and b.n == 2 and len(b.dom) == 1]
    if not cands:
        return None
    i = rng.choice(cands)
    o, b = L[i]
    return L[: i + 1] + [(o, Swap(b.dom, b.dom))] + L[i + 1 :]


def _coassociativity(d: Diagram, rng: random.Random, sig: list[Box]) -> Layers | None:
    """copy_n = copy >> (copy_{n-1} @ id) = copy >> (id @ copy_{n-1}) (and copy_2 = copy_3 >> (id @ id @ discard))."""
    L = list(d.layers)
    cands = [i for i, (_, b) in enumerate(L) if isinstance(b, Copy) and b.n >= 2 and len(b.dom) == 1]
    if not cands:
        return None
    i = rng.choice(cands)
    o, b = L[i][0], cast(Copy, L[i][1])
    a = b.dom
    if b.n == 2 and rng.random() < 0.5:
        new = [(o, Copy(a, 3)), (o + rng.randrange(3), Discard(a))]
    else:
        new = [(o, Copy(a)), (o + rng.randrange(2), Copy(a, b.n - 1))]
    return L[:i] + new + L[i + 1 :]


def _dead_branch(d: Diagram, rng: random.Random, sig: list[Box]) -> Layers | None:
    """Copy a wire, apply a box to the copy and discard its outputs (Markov: = id)."""
    at = _one_wire(d, rng)
    if at is None:
        return None
    i, p, a = at
    boxes = [b for b in sig if b.dom == a] or [Box("h", a, a)]
    b = rng.choice(boxes)
    L = list(d.layers)
    return L[:i] + [(p, Copy(a)), (p + 1, b), (p + 1, Discard(b.cod))] + L[i:]


def _discarded_state(d: Diagram, rng: random.Random, sig: list[Box]) -> Layers | None:
    """Add a state whose output is discarded (Markov: = the empty diagram)."""
    states = [b for b in sig if not b.dom] or [Box("s", Ty(), Ty("X"))]
    b = rng.choice(states)
    L = list(d.layers)
    i = rng.randrange(len(L) + 1)
    w = d.wires()[i]
    p = rng.randrange(len(w) + 1)
    return L[:i] + [(p, b), (p, Discard(b.cod))] + L[i:]


#: The rules of each free category (each theory also uses the rules of the ones before it).
AXIOMS: dict[str, tuple[Rule, ...]] = {
    "smc": (_interchange, _swap_swap, _naturality),
    "cd": (_counit, _cocommutativity, _coassociativity),
    "markov": (_dead_branch, _discarded_state),
}


def _rules(theory: str) -> tuple[Rule, ...]:
    t = check_theory(theory)
    order = ("smc", "cd", "markov")
    return tuple(r for k in order[: order.index(t) + 1] for r in AXIOMS[k])


def rewrite_step(d: Diagram, rng: random.Random, theory: str = "markov", signature: list[Box] | None = None) -> Diagram:
    """Apply one random axiom of ``theory`` somewhere in ``d`` (``d`` itself when none applies).

    >>> from catkit.diagrams import Box, equal
    >>> f = Box("f", "X", "X")
    >>> g = rewrite_step(f >> f, random.Random(0), "cd")
    >>> equal(g, f >> f, "cd")
    True
    """
    if signature is None:
        signature = random_signature(0, tuple(sorted({a.name for w in d.wires() for a in w})) or ("X",))
    sig = signature
    rules = list(_rules(theory))
    rng.shuffle(rules)
    for rule in rules:
        layers = rule(d, rng, sig)
        if layers is not None:
            return Diagram(d.dom, d.cod, layers)
    return d


def random_rewrite(d: Diagram, steps: int = 10, theory: str = "markov", seed: int | random.Random | None = 0,
                   signature: list[Box] | None = None) -> Diagram:
    """``steps`` random axiom applications; the result is equal to ``d`` in ``theory``.

    >>> from catkit.diagrams import equal, random_diagram
    >>> d = random_diagram(8, seed=3)
    >>> equal(random_rewrite(d, 15, "smc", seed=4), d, "smc")
    True
    """
    rng = as_rng(seed)
    for _ in range(steps):
        d = rewrite_step(d, rng, theory, signature)
    return d


def mutate(d: Diagram, seed: int | random.Random | None = 0, theory: str = "markov") -> Diagram | None:
    """Rename one generator box that survives in ``theory``'s normal form to a fresh
    name: the result is never equal to ``d`` there (``None`` if there is no such box).

    >>> from catkit.diagrams import Box, equal
    >>> f = Box("f", "X", "X")
    >>> equal(mutate(f >> f), f >> f)
    False
    """
    rng = as_rng(seed)
    hg = Hypergraph.from_diagram(d, theory)
    live = hg.live_edges() if check_theory(theory) == "markov" else [True] * len(hg.edges)
    smc = check_theory(theory) == "smc"
    gen_layers = [i for i, (_, b) in enumerate(d.layers) if not isinstance(b, Wiring) or (smc and not b.is_permutation)]
    cands = [i for i, alive in zip(gen_layers, live) if alive and not isinstance(d.layers[i][1], Wiring)]
    if not cands:
        return None
    i = rng.choice(cands)
    o, b = d.layers[i]
    L = list(d.layers)
    L[i] = (o, Box(b.name + "'", b.dom, b.cod))
    return Diagram(d.dom, d.cod, L)

"""Random signatures and random diagrams (for property tests and benchmarks).

>>> d = random_diagram(20, seed=1)
>>> sum(not b.is_structural for b in d.boxes)
20
>>> random_diagram(20, seed=1) == d
True
"""

from __future__ import annotations

import random

from catkit.diagrams.syntax import Atom, Box, Copy, Diagram, Discard, Swap, Ty

__all__ = ["random_signature", "random_diagram", "as_rng"]


def as_rng(seed: int | random.Random | None) -> random.Random:
    """A :class:`random.Random` from a seed (or the generator itself).

    >>> as_rng(3).random() == as_rng(3).random()
    True
    """
    return seed if isinstance(seed, random.Random) else random.Random(seed)


def random_signature(seed: int | random.Random | None = 0, atoms: tuple[str, ...] = ("X", "Y"), n: int = 8) -> list[Box]:
    """``n`` random generators over the atoms, plus one unary box and one state per atom
    (so that some generator always applies).

    >>> tuple(str(b) for b in random_signature(0, n=2))[:4]
    ('u_X', 'p_X', 'u_Y', 'p_Y')
    """
    rng = as_rng(seed)
    sig: list[Box] = []
    for a in atoms:
        sig += [Box(f"u_{a}", Ty(a), Ty(rng.choice(atoms))), Box(f"p_{a}", Ty(), Ty(a))]
    for i in range(n):
        k_in = rng.choice((0, 1, 1, 2, 2))
        k_out = rng.choice((0, 1, 1, 1, 2, 2)) if k_in else rng.choice((1, 2))
        sig.append(Box(f"f{i}", Ty(*rng.choices(atoms, k=k_in)), Ty(*rng.choices(atoms, k=k_out))))
    return sig


def random_diagram(
    n_boxes: int, seed: int | random.Random | None = 0, *, signature: list[Box] | None = None,
    atoms: tuple[str, ...] = ("X", "Y"), max_width: int = 5, structure: bool = True,
) -> Diagram:
    """A random diagram with ``n_boxes`` generator boxes and, when ``structure``,
    copies, discards and swaps in between (each about one time in ten).

    >>> d = random_diagram(5, seed=2, structure=False)
    >>> all(not b.is_structural for b in d.boxes), len(d)
    (True, 5)
    """
    rng = as_rng(seed)
    sig = signature if signature is not None else random_signature(rng, atoms)
    dom = Ty(*rng.choices(atoms, k=rng.randint(1, 3)))
    wires: list[Atom] = list(dom)
    layers: list[tuple[int, Box]] = []
    placed = 0
    while placed < n_boxes:
        w = len(wires)
        r = rng.random() if structure else 1.0
        if r < 0.1 and 1 <= w < max_width:
            p = rng.randrange(w)
            box: Box = Copy(Ty(wires[p]))
        elif r < 0.2 and w >= 2:
            p = rng.randrange(w)
            box = Discard(Ty(wires[p]))
        elif r < 0.3 and w >= 2:
            p = rng.randrange(w - 1)
            box = Swap(Ty(wires[p]), Ty(wires[p + 1]))
        else:
            options = [
                (o, b) for b in sig for o in range(w - len(b.dom) + 1)
                if tuple(wires[o : o + len(b.dom)]) == tuple(b.dom) and (w < max_width or len(b.cod) <= len(b.dom))
            ]
            p, box = rng.choice(options)
            placed += 1
        wires[p : p + len(box.dom)] = list(box.cod)
        layers.append((p, box))
    return Diagram(dom, Ty(*wires), layers)

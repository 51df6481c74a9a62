"""Repeated >> keeps its operands and joins the layers once, in order (linear, not quadratic)."""

from __future__ import annotations

from catkit.diagrams import Box, Copy, Diagram, Ty


def test_lazy_composites_have_the_layers_of_the_eager_construction():
    X = Ty("X")
    f, g, h = Box("f", X, X), Box("g", X, X @ X), Box("h", X @ X, X)
    left = (f >> g) >> h
    right = f >> (g >> h)
    mixed = (f >> (g >> (X @ f))) >> h >> Copy(X)
    eager = Diagram(X, X @ X, [(0, f), (0, g), (1, f), (0, h), (0, Copy(X))])
    assert left.layers == right.layers == ((0, f), (0, g), (0, h))
    assert mixed.layers == eager.layers and mixed == eager and hash(mixed) == hash(eager)
    assert (mixed @ f).layers == eager.layers + ((2, f),)


def test_a_long_chain_builds_and_reads_without_recursion():
    X = Ty("X")
    boxes = [Box(f"f{i}", X, X) for i in range(50_000)]
    d = boxes[0]
    for b in boxes[1:]:
        d = d >> b
    assert len(d) == 50_000 and d.boxes[-1] is boxes[-1] and d.boxes[12_345] is boxes[12_345]
    assert (boxes[1] >> (boxes[2] >> d)).layers[:3] == ((0, boxes[1]), (0, boxes[2]), (0, boxes[0]))

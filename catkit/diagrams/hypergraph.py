"""Hypergraph normal form of a diagram (Bonchi et al.; Fritz & Liang, arXiv 2204.02284).

Wires become *vertices*, generator boxes become *hyperedges* with ordered input
and output ports, and the diagram's domain and codomain become ordered
*interface* lists.  Every vertex has exactly one source (a domain position or
one output port of one edge); it may have any number of uses:

* free symmetric monoidal: copy and discard are not structure there, so they
  stay ordinary edges (labelled ``copy``/``discard``) and every vertex is used
  exactly once;
* free copy-discard (gs-monoidal): a vertex used twice is a fork (copy), a
  vertex never used is a dangling end (discard); identical boxes on the same
  inputs stay two edges (``f >> copy`` is not ``copy >> (f @ f)``);
* free Markov: additionally every edge whose outputs are all unused is deleted,
  repeatedly (:meth:`Hypergraph.markov_prune`).

>>> from catkit.diagrams import Box, Copy, Discard, Ty
>>> X, Y = Ty("X"), Ty("Y")
>>> h = Hypergraph.from_diagram(Box("f", X, Y) >> Copy(Y), "cd")
>>> h.inputs, h.outputs, [(e.label, e.inputs, e.outputs) for e in h.edges]
((0,), (1, 1), [('f', (0,), (1,))])
"""

from __future__ import annotations

from collections.abc import Sequence

from catkit.diagrams.syntax import Atom, Box, Diagram, DiagramValueError, Ty, Wiring

__all__ = ["Edge", "Hypergraph", "THEORIES", "check_theory"]

#: The free categories catkit decides equality in.
THEORIES = ("smc", "cd", "markov")


def check_theory(theory: str) -> str:
    """Validate a theory name (``"smc"``, ``"cd"``, ``"markov"``; ``"gs"`` is an alias of ``"cd"``).

    >>> check_theory("gs")
    'cd'
    >>> check_theory("cartesian")
    Traceback (most recent call last):
    ...
    catkit.diagrams.syntax.DiagramValueError: unknown theory 'cartesian'; choose one of smc, cd, markov
    """
    t = {"gs": "cd", "gs-monoidal": "cd", "symmetric": "smc"}.get(theory, theory)
    if t not in THEORIES:
        raise DiagramValueError(f"unknown theory {theory!r}; choose one of {', '.join(THEORIES)}")
    return t


class Edge:
    """A hyperedge: the box it comes from and its input and output vertices.

    >>> from catkit.diagrams import Box
    >>> Edge(Box("f", "X", "Y"), (0,), (1,))
    Edge(f: (0,) -> (1,))
    """

    __slots__ = ("box", "inputs", "outputs")

    def __init__(self, box: Box, inputs: tuple[int, ...], outputs: tuple[int, ...]) -> None:
        self.box, self.inputs, self.outputs = box, inputs, outputs

    @property
    def label(self) -> str:
        """The box's name.

        >>> from catkit.diagrams import Box
        >>> Edge(Box("f", "X", "Y"), (0,), (1,)).label
        'f'
        """
        return self.box.name

    def __repr__(self) -> str:
        return f"Edge({self.box.name}: {self.inputs} -> {self.outputs})"


class Hypergraph:
    """A diagram as a hypergraph with ordered interfaces (see the module docstring).

    ``types[v]`` is the atom of vertex ``v``; ``source[v]`` is ``(-1, i)`` for the
    ``i``-th domain wire, else ``(edge index, port)``.  Edges are listed in a
    topological order (the order of the layers).

    >>> from catkit.diagrams import Box, Discard, Ty
    >>> h = Hypergraph.from_diagram(Box("f", "X", "Y") >> Discard(Ty("Y")), "markov")
    >>> len(h.edges), len(h.markov_prune().edges)
    (1, 0)
    """

    __slots__ = ("dom", "cod", "types", "source", "edges", "inputs", "outputs")

    def __init__(
        self, dom: Ty, cod: Ty, types: Sequence[Atom], source: Sequence[tuple[int, int]], edges: Sequence[Edge],
        inputs: Sequence[int], outputs: Sequence[int],
    ) -> None:
        self.dom, self.cod = dom, cod
        self.types, self.source = list(types), list(source)
        self.edges, self.inputs, self.outputs = list(edges), tuple(inputs), tuple(outputs)

    @classmethod
    def from_diagram(cls, diagram: Diagram, theory: str = "cd") -> Hypergraph:
        """Read a diagram layer by layer; wirings rewire, generators add an edge.

        In ``"smc"`` only permutations are wiring: copy and discard become edges.
        In ``"markov"`` the result is *not* yet pruned (see :meth:`markov_prune`).

        >>> from catkit.diagrams import Copy, Ty
        >>> len(Hypergraph.from_diagram(Copy(Ty("X")), "smc").edges), len(Hypergraph.from_diagram(Copy(Ty("X")), "cd").edges)
        (1, 0)
        """
        smc = check_theory(theory) == "smc"
        types: list[Atom] = list(diagram.dom)
        source: list[tuple[int, int]] = [(-1, i) for i in range(len(types))]
        wires = list(range(len(types)))
        edges: list[Edge] = []
        for o, box in diagram.layers:
            k = len(box.dom)
            ins = wires[o : o + k]
            if isinstance(box, Wiring) and not (smc and not box.is_permutation):
                outs = [ins[j] for j in box.wiring]
            else:
                e = len(edges)
                n0 = len(types)
                outs = list(range(n0, n0 + len(box.cod)))
                types.extend(box.cod)
                source.extend((e, j) for j in range(len(box.cod)))
                edges.append(Edge(box, tuple(ins), tuple(outs)))
            wires[o : o + k] = outs
        return cls(diagram.dom, diagram.cod, types, source, edges, range(len(diagram.dom)), wires)

    def uses(self) -> list[int]:
        """How many times each vertex is used (edge inputs and codomain positions).

        >>> from catkit.diagrams import Copy, Ty
        >>> Hypergraph.from_diagram(Copy(Ty("X"), 3)).uses()
        [3]
        """
        n = [0] * len(self.types)
        for e in self.edges:
            for v in e.inputs:
                n[v] += 1
        for v in self.outputs:
            n[v] += 1
        return n

    def live_edges(self) -> list[bool]:
        """Which edges reach the codomain (are backward reachable from the outputs).

        These are exactly the edges that survive deleting, repeatedly, every edge
        whose outputs are all unused: a surviving edge has a used output, and
        following uses forward through the finite acyclic graph ends at the codomain.

        >>> from catkit.diagrams import Box, Discard, Ty
        >>> Hypergraph.from_diagram(Box("f", "X", "Y") @ (Box("g", "X", "Y") >> Discard(Ty("Y")))).live_edges()
        [True, False]
        """
        live = [False] * len(self.edges)
        stack = [self.source[v][0] for v in self.outputs]
        while stack:
            e = stack.pop()
            if e < 0 or live[e]:
                continue
            live[e] = True
            stack.extend(self.source[v][0] for v in self.edges[e].inputs)
        return live

    def markov_prune(self) -> Hypergraph:
        """The free-Markov normal form: delete every edge whose outputs are all
        discarded, repeatedly (equivalently, keep the edges that reach the codomain).

        >>> from catkit.diagrams import Box, Copy, Discard, Ty
        >>> d = Box("f", "X", "Y") >> Copy(Ty("Y")) >> (Ty("Y") @ (Box("g", "Y", "Z") >> Discard(Ty("Z"))))
        >>> tuple(e.label for e in Hypergraph.from_diagram(d).markov_prune().edges)
        ('f',)
        """
        live = self.live_edges()
        if all(live):
            return self
        keep_v = [s[0] < 0 or live[s[0]] for s in self.source]
        new_v = [-1] * len(self.types)
        types: list[Atom] = []
        source: list[tuple[int, int]] = []
        new_e = [-1] * len(self.edges)
        count = 0
        for e, alive in enumerate(live):
            if alive:
                new_e[e] = count
                count += 1
        for v, keep in enumerate(keep_v):
            if keep:
                new_v[v] = len(types)
                types.append(self.types[v])
                s = self.source[v]
                source.append(s if s[0] < 0 else (new_e[s[0]], s[1]))
        edges = [
            Edge(e.box, tuple(new_v[v] for v in e.inputs), tuple(new_v[v] for v in e.outputs))
            for e, alive in zip(self.edges, live)
            if alive
        ]
        return Hypergraph(
            self.dom, self.cod, types, source, edges, [new_v[v] for v in self.inputs], [new_v[v] for v in self.outputs]
        )

    def __repr__(self) -> str:
        return f"<Hypergraph {self.dom} → {self.cod}: {len(self.types)} vertices, {len(self.edges)} edges>"


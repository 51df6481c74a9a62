"""Decided equality in the free symmetric monoidal, copy-discard and Markov categories.

Two diagrams are equal in the free category iff their hypergraphs (see
:mod:`catkit.diagrams.hypergraph`) are isomorphic by an isomorphism that fixes
the ordered interfaces and preserves labels and port order.  Because every
vertex has a unique source and ports are ordered, a breadth-first walk back
from the ordered codomain numbers every edge that reaches the codomain in a
way that any isomorphism must respect: comparing the resulting *canonical
form* decides that part in linear time.  In the free Markov category that is
all there is (the other edges are deleted).  In the copy-discard and symmetric
monoidal categories the edges that do not reach the codomain ("discarded
garbage", e.g. ``f >> discard``) are ordered by a structural hash of what they
compute; each connected component of the garbage is encoded separately and the
encodings are sorted.  Sinks that hash alike inside one component are tried in
every order (the least encoding is canonical); only when that would take more
than 120 orders are the garbage parts compared by networkx's (VF2) isomorphism.

>>> from catkit.diagrams import Box, Copy, Discard, Swap, Ty
>>> X, Y = Ty("X"), Ty("Y")
>>> f = Box("f", X, Y)
>>> equal(f >> Discard(Y), Discard(X), "markov"), equal(f >> Discard(Y), Discard(X), "cd")
(True, False)
>>> tuple(equal(f >> Copy(Y), Copy(X) >> (f @ f), t) for t in ("smc", "cd", "markov"))
(False, False, False)
>>> equal(Copy(X) >> Swap(X, X), Copy(X), "cd")
True
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from typing import Any

from catkit.diagrams.hypergraph import Hypergraph, check_theory
from catkit.diagrams.syntax import Diagram, DiagramTypeError

__all__ = ["equal", "normal_form", "NormalForm"]

Ref = tuple[Any, int]
_MAX_ORDERINGS = 120  # beyond this many orders of look-alike garbage sinks, fall back to VF2


class NormalForm:
    """The canonical form of a diagram's hypergraph in one free category.

    ``edges`` lists ``(box, input refs)`` in canonical order, ``outputs`` the refs
    of the codomain wires; a ref is ``(-1, i)`` for domain wire ``i`` and
    ``(k, j)`` for output port ``j`` of edge ``k``.  ``garbage`` lists the edges
    that do not reach the codomain (empty in the free Markov category), one tuple
    per connected component, with refs ``("g", k, j)`` inside a component.  ``str()`` is the readable form shown by the
    proof checker.

    >>> from catkit.diagrams import Box, Copy, Discard, Ty
    >>> d = Box("f", "X", "Y") >> Copy(Ty("Y")) >> (Ty("Y") @ (Box("g", "Y", "Z") >> Discard(Ty("Z"))))
    >>> print(normal_form(d, "cd"))
    inputs: x0: X
    e0 = f(x0) : Y
    outputs: e0.0
    discarded: g0 = g(e0.0) : Z
    >>> print(normal_form(d, "markov"))
    inputs: x0: X
    e0 = f(x0) : Y
    outputs: e0.0
    """

    __slots__ = ("theory", "dom", "cod", "edges", "outputs", "garbage", "_sinks", "_hg", "_refs")

    def __init__(self, hg: Hypergraph, theory: str) -> None:
        self.theory, self.dom, self.cod, self._hg = theory, hg.dom, hg.cod, hg
        src, edges = hg.source, hg.edges
        order: dict[int, int] = {}
        queue: deque[int] = deque()

        def visit(v: int) -> None:
            e = src[v][0]
            if e >= 0 and e not in order:
                order[e] = len(order)
                queue.append(e)

        for v in hg.outputs:
            visit(v)
        while queue:
            for v in edges[queue.popleft()].inputs:
                visit(v)

        def ref(v: int) -> Ref:
            e, j = src[v]
            return (-1, j) if e < 0 else (order[e], j)

        live = sorted(order, key=order.__getitem__)
        self.edges = tuple((edges[e].box.key, tuple(ref(v) for v in edges[e].inputs)) for e in live)
        self.outputs = tuple(ref(v) for v in hg.outputs)
        self._refs = ref
        self.garbage, self._sinks = self._order_garbage(order, ref)

    def _order_garbage(self, order: dict[int, int], ref: Any) -> tuple[tuple[Any, ...] | None, tuple[int, ...]]:
        hg = self._hg
        src, edges = hg.source, hg.edges
        dead = [e for e in range(len(edges)) if e not in order]
        if not dead:
            return (), ()
        h: dict[int, int] = {}
        used = [False] * len(src)
        for e in dead:  # edges are stored in a topological order
            ins = edges[e].inputs
            for v in ins:
                used[v] = True
            ins_h = tuple(hash((h[src[v][0]], src[v][1])) if src[v][0] in h else hash(("a", ref(v))) for v in ins)
            h[e] = hash((edges[e].box.key, ins_h))
        sinks = [e for e in dead if not any(used[v] for v in edges[e].outputs)]
        sink_hashes = tuple(sorted(h[e] for e in sinks))
        # garbage edges sharing garbage wires form components; identical components may come in
        # any order, so each is encoded on its own and the encodings are sorted
        comp = {e: e for e in dead}

        def root(e: int) -> int:
            while comp[e] != e:
                comp[e] = comp[comp[e]]
                e = comp[e]
            return e

        for e in dead:
            for v in edges[e].inputs:
                s = src[v][0]
                if s in comp:
                    comp[root(e)] = root(s)
        groups: dict[int, list[int]] = {}
        for e in sinks:
            groups.setdefault(root(e), []).append(e)
        encoded = []
        for members in groups.values():
            members.sort(key=h.__getitem__)
            ties = [list(g) for _, g in itertools.groupby(members, key=h.__getitem__)]
            if math.prod(math.factorial(len(t)) for t in ties) > _MAX_ORDERINGS:
                return None, sink_hashes  # too many candidate orders: compared by isomorphism
            # the least encoding over all orders of equal-hash sinks is canonical
            encoded.append(min((self._encode_component([e for t in choice for e in t], order, ref)
                                for choice in itertools.product(*(itertools.permutations(t) for t in ties))), key=repr))
        return tuple(sorted(encoded, key=repr)), sink_hashes

    def _encode_component(self, sinks: list[int], order: dict[int, int], ref: Any) -> tuple[Any, ...]:
        """Number a garbage component's edges by a breadth-first walk back from its ordered sinks."""
        src, edges = self._hg.source, self._hg.edges
        gid: dict[int, int] = {}
        queue: deque[int] = deque()
        for e in sinks:
            gid[e] = len(gid)
            queue.append(e)
        while queue:
            for v in edges[queue.popleft()].inputs:
                e = src[v][0]
                if e >= 0 and e not in order and e not in gid:
                    gid[e] = len(gid)
                    queue.append(e)

        def gref(v: int) -> Any:
            e, j = src[v]
            return ("g", gid[e], j) if e >= 0 and e in gid else ref(v)

        return tuple((edges[e].box.key, tuple(gref(v) for v in edges[e].inputs)) for e in sorted(gid, key=gid.__getitem__))

    # ------------------------------------------------------------------ comparison
    def same_as(self, other: NormalForm) -> bool:
        """Whether the two hypergraphs are isomorphic (the diagrams are equal).

        >>> from catkit.diagrams import Box, Copy, Discard, Ty
        >>> s = Box("s", (), "X") >> Discard(Ty("X"))
        >>> normal_form(s @ s, "cd").same_as(normal_form(s @ s, "cd"))
        True
        """
        if (self.dom, self.cod, self.edges, self.outputs) != (other.dom, other.cod, other.edges, other.outputs):
            return False
        if self._sinks != other._sinks:
            return False
        if self.garbage is not None and other.garbage is not None:
            return self.garbage == other.garbage
        if sum(1 for _ in self._dead()) != sum(1 for _ in other._dead()):
            return False
        import networkx as nx
        from networkx.algorithms import isomorphism as iso

        return nx.is_isomorphic(
            self._garbage_graph(), other._garbage_graph(),
            node_match=iso.categorical_node_match("l", None), edge_match=iso.categorical_edge_match("p", None),
        )

    def _dead(self) -> list[int]:
        live = self._hg.live_edges()
        return [e for e, x in enumerate(live) if not x]

    def _garbage_graph(self) -> Any:
        import networkx as nx

        hg, ref = self._hg, self._refs
        dead = set(self._dead())
        g = nx.DiGraph()

        def vnode(v: int) -> Any:
            e = hg.source[v][0]
            if e >= 0 and e in dead:
                g.add_node(("v", v), l="wire")
                return ("v", v)
            r = ("a", ref(v))
            g.add_node(r, l=r)
            return r

        for e in dead:
            edge = hg.edges[e]
            g.add_node(("e", e), l=edge.box.key)
            ports: dict[Any, list[Any]] = {}
            for i, v in enumerate(edge.inputs):
                ports.setdefault(vnode(v), []).append(i)
            for n, ps in ports.items():
                g.add_edge(n, ("e", e), p=tuple(ps))
            for j, v in enumerate(edge.outputs):
                g.add_edge(("e", e), vnode(v), p=(j,))
        return g

    # ------------------------------------------------------------------ display
    def __str__(self) -> str:
        def fmt(r: Any) -> str:
            if r[0] == "g":
                return f"g{r[1]}.{r[2]}"
            return f"x{r[1]}" if r[0] == -1 else f"e{r[0]}.{r[1]}"

        def edge_line(prefix: str, i: int, key: Any, ins: tuple[Any, ...]) -> str:
            name, cod = _name_of(key), key[-1]
            return f"{prefix}{i} = {name}({', '.join(fmt(r) for r in ins)}) : {cod}"

        lines = ["inputs: " + (", ".join(f"x{i}: {a}" for i, a in enumerate(self.dom)) or "none")]
        lines += [edge_line("e", i, k, ins) for i, (k, ins) in enumerate(self.edges)]
        lines.append("outputs: " + (", ".join(fmt(r) for r in self.outputs) or "none"))
        if self.garbage is None:
            lines.append(f"discarded: {len(self._dead())} edges (order ambiguous; compared by isomorphism)")
        elif self.garbage:
            parts = [edge_line("g", i, k, ins) for c in self.garbage for i, (k, ins) in enumerate(c)]
            lines += ["discarded: " + "; ".join(parts)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<NormalForm ({self.theory}) {self.dom} → {self.cod}: {len(self.edges)} live edges>"


def _name_of(key: tuple[Any, ...]) -> str:
    return str(key[1])


def normal_form(diagram: Diagram, theory: str = "markov") -> NormalForm:
    """The canonical hypergraph form of ``diagram`` in the free ``theory``
    (``"smc"``, ``"cd"`` or ``"markov"``).

    >>> from catkit.diagrams import Box, Copy, Ty
    >>> print(normal_form(Copy(Ty("X")) >> (Box("f", "X", "Y") @ Ty("X")), "cd"))
    inputs: x0: X
    e0 = f(x0) : Y
    outputs: e0.0, x0
    """
    if not isinstance(diagram, Diagram):
        raise DiagramTypeError(f"normal_form needs a Diagram, got {diagram!r}")
    t = check_theory(theory)
    hg = Hypergraph.from_diagram(diagram, t)
    if t == "markov":
        hg = hg.markov_prune()
    return NormalForm(hg, t)


def equal(left: Diagram, right: Diagram, theory: str = "markov") -> bool:
    """Whether two diagrams are equal in the free ``theory`` on their boxes.

    ``"smc"``: symmetric monoidal (copy and discard are ordinary boxes there);
    ``"cd"``: copy-discard / gs-monoidal; ``"markov"``: Markov (also deletes
    every box whose outputs are all discarded).  Diagrams of different types
    are simply unequal.

    >>> from catkit.diagrams import Box, Copy, Discard, Ty
    >>> X = Ty("X")
    >>> equal(Copy(X) >> (Copy(X) @ X), Copy(X) >> (X @ Copy(X)), "cd")
    True
    >>> equal(Copy(X) >> (Discard(X) @ X), Copy(X) >> (X @ Discard(X)), "smc")
    False
    """
    for d in (left, right):
        if not isinstance(d, Diagram):
            raise DiagramTypeError(f"equal compares two diagrams, got {d!r}")
    if left.dom != right.dom or left.cod != right.cod:
        return False
    return normal_form(left, theory).same_as(normal_form(right, theory))

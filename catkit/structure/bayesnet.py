"""Bayesian networks and d-separation (MATH.md B12; Fritz & Klingler 2023, arXiv 2207.05740).

A :class:`BayesNet` is a DAG (networkx) whose nodes carry conditional tables:
a kernel ``parents → node`` for every node that is not an input.  It compiles
to one kernel ``inputs → outputs``: the composite of its tables with copies
(``method="diagram"``, literally ``>>``/``@``/copy/discard), or the same
kernel as one product of the tables (``method="product"``, the fast default;
exact tables are multiplied as integers over a common denominator).

Parents are taken in the order of ``dag.predecessors(node)`` (the order the
edges were added), unless the table's domain wires are *named* after the
parents, in which case the names give the order.

Every d-separation ``X ⊥ Y | W`` of the DAG is an exact conditional
independence of the compiled joint (the global Markov property); the converse
holds only generically (for almost all tables).

>>> import networkx as nx
>>> from catkit import Kernel, Wire
>>> dag = nx.DiGraph([("rain", "wet"), ("sprinkler", "wet")])
>>> tables = {
...     "rain": Kernel.state(["1/5", "4/5"]),
...     "sprinkler": Kernel.state(["1/2", "1/2"]),
...     "wet": Kernel([[1, 0], ["9/10", "1/10"], ["4/5", "1/5"], [0, 1]], Wire(2) @ Wire(2), Wire(2)),
... }
>>> bn = BayesNet(dag, tables)
>>> joint = bn.joint()
>>> joint.cod
Wire(2, name='rain') @ Wire(2, name='wet') @ Wire(2, name='sprinkler')
>>> d_separated(dag, "rain", "sprinkler", []), d_separated(dag, "rain", "sprinkler", ["wet"])
(True, False)
>>> bn.independent("rain", "sprinkler"), bn.independent("rain", "sprinkler", given=["wet"])
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from functools import reduce
from typing import Any

import networkx as nx
import numpy as np

from catkit.backends import RatMatrix
from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.structure._arrays import asum, build, is_torch, result_model, transpose
from catkit.structure.errors import NetworkError
from catkit.structure.independence import independent

__all__ = ["BayesNet", "d_separated", "d_separations", "random_bayes_net"]

Node = Hashable


def _nodes(dag: nx.DiGraph, xs: Node | Iterable[Node], what: str) -> set[Node]:
    items = [xs] if isinstance(xs, (str, int)) or not isinstance(xs, Iterable) else list(xs)
    for x in items:
        if x not in dag:
            raise NetworkError(f"{what} names {x!r}, which is not a node of the graph (nodes: {list(dag.nodes)})")
    return set(items)


def _check_dag(dag: nx.DiGraph) -> None:
    if not isinstance(dag, nx.DiGraph):
        raise NetworkError(f"a Bayesian network needs a networkx.DiGraph, got {type(dag).__name__}")
    if not nx.is_directed_acyclic_graph(dag):
        cycle = [u for u, _ in nx.find_cycle(dag)]
        raise NetworkError(f"the graph has a cycle: {' → '.join(map(repr, [*cycle, cycle[0]]))}; a Bayesian network needs a DAG")


def d_separated(dag: nx.DiGraph, X: Node | Iterable[Node], Y: Node | Iterable[Node], W: Node | Iterable[Node] = ()) -> bool:
    """Whether ``X`` and ``Y`` are d-separated by ``W`` in the DAG (moralised ancestral graph criterion).

    ``X``, ``Y``, ``W``: a node or an iterable of nodes (disjoint).

    >>> import networkx as nx
    >>> chain = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> d_separated(chain, "a", "c", []), d_separated(chain, "a", "c", ["b"])
    (False, True)
    >>> d_separated(nx.DiGraph([("a", "b"), ("b", "a")]), "a", "b")
    Traceback (most recent call last):
    ...
    catkit.structure.errors.NetworkError: the graph has a cycle: 'a' → 'b' → 'a'; a Bayesian network needs a DAG
    """
    _check_dag(dag)
    xs, ys, ws = _nodes(dag, X, "X"), _nodes(dag, Y, "Y"), _nodes(dag, W, "W")
    if xs & ys or xs & ws or ys & ws:
        raise NetworkError(f"X, Y and W must be disjoint; they share {sorted(map(repr, (xs & ys) | (xs & ws) | (ys & ws)))}")
    return _separated({v: list(dag.predecessors(v)) for v in dag}, xs, ys, ws)


def _separated(parents: Mapping[Node, Sequence[Node]], xs: set[Node], ys: set[Node], ws: set[Node]) -> bool:
    """The criterion on plain dicts: the moral graph of the ancestral set of X ∪ Y ∪ W, minus W, separates X from Y."""
    keep, todo = set(), [*xs, *ys, *ws]
    while todo:
        v = todo.pop()
        if v not in keep:
            keep.add(v)
            todo.extend(parents[v])
    adj: dict[Node, set[Node]] = {v: set() for v in keep}
    for v in keep:
        ps = parents[v]
        for i, a in enumerate(ps):
            adj[a].add(v)
            adj[v].add(a)
            for b in ps[i + 1 :]:
                adj[a].add(b)
                adj[b].add(a)
    seen, todo = set(xs), list(xs)
    while todo:
        v = todo.pop()
        for u in adj[v]:
            if u in ys:
                return False
            if u not in seen and u not in ws:
                seen.add(u)
                todo.append(u)
    return True


def d_separations(dag: nx.DiGraph) -> list[tuple[Node, Node, list[Node]]]:
    """Every d-separation ``(a, b, W)`` between two single nodes ``a``, ``b`` (in node order) given a set ``W``.

    All ``2^(n-2)`` candidate sets of a pair are decided at once on bit sets (numpy), so a 16-node graph
    takes about a second; the answer itself can be huge, so graphs whose enumeration exceeds the memory
    budget (:mod:`catkit.limits`) are refused before any work.

    >>> import networkx as nx
    >>> d_separations(nx.DiGraph([("a", "b"), ("b", "c")]))
    [('a', 'c', ['b'])]
    """
    _check_dag(dag)
    nodes = list(dag.nodes)
    n = len(nodes)
    if n < 2:
        return []
    from catkit.limits import check_allocation

    m = n - 2
    if m >= 40:
        check_allocation(float("inf"), f"enumerating the 2^{m} conditioning sets of each pair of {n} nodes")
    check_allocation(n * (n - 1) // 2 * 2**m * (40 + 8 * m), f"enumerating the 2^{m} conditioning sets of each pair of {n} nodes")
    pos = {v: i for i, v in enumerate(nodes)}
    par = [sum(1 << pos[u] for u in dag.predecessors(v)) for v in nodes]
    children = [[pos[c] for c in dag.successors(v)] for v in nodes]
    order = [pos[v] for v in reversed(list(nx.topological_sort(dag)))]
    masks = np.arange(2**m, dtype=np.int64)
    out: list[tuple[Node, Node, list[Node]]] = []
    import gc

    was_enabled = gc.isenabled()
    gc.disable()  # millions of small lists, none of them cyclic: the cycle collector would only rescan them
    try:
        _enumerate(nodes, m, masks, par, children, order, out)
    finally:
        if was_enabled:
            gc.enable()
    return out


def _enumerate(nodes: list[Node], m: int, masks: np.ndarray, par: list[int], children: list[list[int]], order: list[int],
               out: list[tuple[Node, Node, list[Node]]]) -> None:
    n = len(nodes)
    for i in range(n):
        for j in range(i + 1, n):
            rest = [k for k in range(n) if k not in (i, j)]
            W = np.zeros_like(masks)
            for bit, k in enumerate(rest):
                W |= ((masks >> bit) & 1) << k
            sep = np.flatnonzero(_separated_all(W, i, j, par, children, order)).tolist()
            if not sep:
                continue
            subsets: list[list[Node]] = [[]]  # subsets[mask]: the nodes of rest at the bits of mask, in order
            for k in rest:
                subsets += [x + [nodes[k]] for x in subsets]
            a, b = nodes[i], nodes[j]
            out.extend((a, b, subsets[mask]) for mask in sep)


def _separated_all(W: np.ndarray, a: int, b: int, par: list[int], children: list[list[int]], order: list[int]) -> np.ndarray:
    """:func:`_separated` for one pair and a whole array of conditioning sets ``W`` (node bit sets)."""
    n = len(par)
    one = np.int64(1)
    anc = W | (one << a) | (one << b)
    for v in order:  # children before parents: one pass closes the ancestral set
        anc |= np.where((anc >> v) & 1, np.int64(par[v]), 0)
    nbr = []
    for v in range(n):  # moral neighbours of v inside the ancestral set
        nb = np.int64(par[v]) | np.zeros_like(anc)
        for c in children[v]:
            nb |= np.where((anc >> c) & 1, np.int64(par[c] | (1 << c)), 0)
        nbr.append(nb & ~(one << v))
    open_ = anc & ~W
    reach = np.full_like(anc, one << a)
    while True:
        new = reach
        for v in range(n):
            new = new | np.where((reach >> v) & 1, nbr[v] & open_, 0)
        if np.array_equal(new, reach):
            break
        reach = new
    return ((reach >> b) & 1) == 0


class BayesNet:
    """A DAG with a conditional table per non-input node (see the module docstring).

    ``inputs`` maps input nodes (no table, no parents) to their wires (or sizes):
    the compiled kernel then has those nodes as its domain.

    >>> import networkx as nx
    >>> from catkit import Kernel, Wire
    >>> bn = BayesNet(nx.DiGraph([("a", "b")]), {"b": Kernel([[1, 0], ["1/2", "1/2"]])}, inputs={"a": 2})
    >>> bn.joint().dom, bn.joint().cod
    (Obj(Wire(2, name='a')), Obj(Wire(2, name='b')))
    >>> BayesNet(nx.DiGraph([("a", "b")]), {"a": Kernel.state(["1/2", "1/2"]), "b": Kernel.uniform(Wire(2), Wire(3))})
    Traceback (most recent call last):
    ...
    catkit.structure.errors.NetworkError: the table of 'b' has domain Wire(3), but its parents ['a'] have sizes (2,): ...
    """

    def __init__(self, dag: nx.DiGraph, tables: Mapping[Node, Kernel], inputs: Mapping[Node, Wire | int] | None = None) -> None:
        _check_dag(dag)
        inputs = dict(inputs or {})
        self.dag = dag
        for v in [*tables, *inputs]:
            if v not in dag:
                raise NetworkError(f"{v!r} has a table or an input wire but is not a node of the graph (nodes: {list(dag.nodes)})")
        self.wires: dict[Node, Wire] = {}
        self.parents: dict[Node, list[Node]] = {}
        self.tables: dict[Node, Kernel] = {}
        for v in dag.nodes:
            if v in inputs:
                if v in tables:
                    raise NetworkError(f"{v!r} is an input and also has a table; give one or the other")
                if list(dag.predecessors(v)):
                    raise NetworkError(f"the input {v!r} has parents {list(dag.predecessors(v))}; inputs must be sources")
                w = inputs[v]
                self.wires[v] = _named(w if isinstance(w, Wire) else Wire(w), v)
            elif v not in tables:
                raise NetworkError(f"the node {v!r} has no table (and is not declared an input)")
        for v in dag.nodes:
            if v in inputs:
                continue
            t = tables[v]
            if not isinstance(t, Kernel):
                raise NetworkError(f"the table of {v!r} must be a Kernel, got {type(t).__name__}")
            if len(t.cod) != 1:
                raise NetworkError(f"the table of {v!r} must have one output wire, got {t.cod}")
            self.wires[v] = _named(t.cod[0], v)
        for v in dag.nodes:
            if v in inputs:
                continue
            t = tables[v]
            ps = list(dag.predecessors(v))
            names = [w.name for w in t.dom]
            if len(ps) > 1 and sorted(map(str, ps)) == sorted(n or "" for n in names) and len(set(names)) == len(names):
                ps = [next(p for p in ps if str(p) == n) for n in names]
            sizes = tuple(self.wires[p].size for p in ps)
            if t.dom.sizes != sizes:
                raise NetworkError(
                    f"the table of {v!r} has domain {t.dom}, but its parents {ps} have sizes {sizes}: "
                    f"a table maps the parents' values (in that order) to {v!r}"
                )
            self.parents[v] = ps
            self.tables[v] = t.relabel(dom=Obj(*(self.wires[p] for p in ps)), cod=Obj(self.wires[v]))
        self.inputs: list[Node] = [v for v in dag.nodes if v in inputs]
        kinds = {k.backend.name for k in self.tables.values() if not k.generic}
        if len(kinds) > 1:
            raise NetworkError(f"the tables mix backends {sorted(kinds)}; convert them to one with .to(...)")
        self.backend = next((k.backend for k in self.tables.values() if not k.generic), Kernel.id(Wire(1)).backend)

    def __repr__(self) -> str:
        return f"<BayesNet {len(self.dag)} nodes, inputs {self.inputs}>"

    @property
    def nodes(self) -> list[Node]:
        """Every node (inputs included) in the graph's order.

        >>> import networkx as nx
        >>> from catkit import Kernel
        >>> BayesNet(nx.DiGraph([(1, 2)]), {1: Kernel.state([1, 0]), 2: Kernel([[1, 0], [0, 1]])}).nodes
        [1, 2]
        """
        return list(self.dag.nodes)

    def _outputs(self, outputs: Iterable[Node] | None) -> list[Node]:
        outs = [v for v in self.dag.nodes if v not in self.inputs] if outputs is None else list(outputs)
        for v in outs:
            if v not in self.dag:
                raise NetworkError(f"output {v!r} is not a node of the graph (nodes: {list(self.dag.nodes)})")
            if v in self.inputs:
                raise NetworkError(f"output {v!r} is an input of the network (copy it out with Kernel.copy if you need it)")
        if len(set(outs)) != len(outs):
            raise NetworkError(f"outputs {outs} repeat a node")
        return outs

    def joint(self, outputs: Iterable[Node] | None = None, method: str = "product") -> Kernel:
        """The compiled kernel ``inputs → outputs`` (default: every non-input node, in graph order).

        ``method="diagram"`` composes the tables with copy/discard; ``"product"``
        multiplies them as arrays (same kernel, much faster).

        >>> import networkx as nx
        >>> from catkit import Kernel, Wire
        >>> bn = BayesNet(nx.DiGraph([("a", "b")]), {"a": Kernel.state(["1/3", "2/3"]), "b": Kernel([[1, 0], ["1/2", "1/2"]])})
        >>> bn.joint(["b"]).matrix.tolist()[0], bn.joint(method="diagram") == bn.joint()
        ([Fraction(2, 3), Fraction(1, 3)], True)
        """
        outs = self._outputs(outputs)
        if method == "diagram":
            return self._diagram(outs)
        if method != "product":
            raise NetworkError(f"method must be 'product' or 'diagram', got {method!r}")
        return self._product(outs)

    def _diagram(self, outs: list[Node]) -> Kernel:
        done = list(self.inputs)
        K = Kernel.id(Obj(*(self.wires[v] for v in done)))
        for v in nx.topological_sort(self.dag):
            if v in self.inputs:
                continue
            cod = K.cod
            route = Kernel.projection(cod, [*range(len(cod)), *(done.index(p) for p in self.parents[v])])
            K = K >> route >> (Kernel.id(cod) @ self.tables[v])
            done.append(v)
        return K >> Kernel.projection(K.cod, [done.index(v) for v in outs])

    def _product(self, outs: list[Node]) -> Kernel:
        axes = {v: i for i, v in enumerate(self.dag.nodes)}
        n = len(axes)
        shape = [self.wires[v].size for v in self.dag.nodes]
        b = self.backend
        exact = b.name == "exact"
        factors, den = [], 1
        for v, t in self.tables.items():
            if exact:
                arr, L = _integer_table(t)
                den *= L
            else:
                arr = t.to(b.name).matrix if t.generic else t.matrix
            fam = [*self.parents[v], v]
            arr = arr.reshape([self.wires[u].size for u in fam])
            order = sorted(range(len(fam)), key=lambda i: axes[fam[i]])
            arr = transpose(arr, order)
            full = [1] * n
            for u in fam:
                full[axes[u]] = shape[axes[u]]
            factors.append(arr.reshape(full))
        if exact:  # entries <= their table's denominator, so the product fits in den's bits (+ the sums)
            big = den.bit_length() + max(math.prod(shape), 1).bit_length() >= 62
            factors = [f.astype(object if big else np.int64) for f in factors]
        J: Any = reduce(lambda a, c: a * c, factors) if factors else np.ones(shape, dtype=np.int64)
        if tuple(J.shape) != tuple(shape):  # an input that no table reads still needs its axis
            J = J.expand(*shape) if is_torch(J) else np.array(np.broadcast_to(J, shape))
        latent = [axes[v] for v in self.dag.nodes if v not in self.inputs and v not in outs]
        J = asum(J, latent)
        remaining = [v for v in self.dag.nodes if v in self.inputs or v in outs]
        pos = {v: i for i, v in enumerate(remaining)}
        J = transpose(J, [*(pos[v] for v in self.inputs), *(pos[v] for v in outs)])
        dom = Obj(*(self.wires[v] for v in self.inputs))
        cod = Obj(*(self.wires[v] for v in outs))
        model = result_model(*self.tables.values()) if self.tables else Kernel.id(Wire(1)).model
        if exact:
            num = np.ascontiguousarray(J).reshape(dom.size, cod.size)
            dens = np.full(dom.size, den, dtype=np.int64 if num.dtype != object else object)
            return Kernel.from_matrix(RatMatrix(num, dens), dom, cod, backend="exact", model=model)
        return build(J, dom, cod, b, model)

    def independent(self, X: Node | Iterable[Node], Y: Node | Iterable[Node], given: Node | Iterable[Node] = ()) -> bool:
        """Whether the compiled joint makes ``X ⊥ Y | given`` (for every input), exactly for exact tables.

        >>> import networkx as nx
        >>> from catkit import Kernel
        >>> bn = BayesNet(nx.DiGraph([("a", "b")]), {"a": Kernel.state(["1/2", "1/2"]), "b": Kernel([[1, 0], [0, 1]])})
        >>> bn.independent("a", "b")
        False
        """
        xs, ys, ws = (sorted(_nodes(self.dag, s, what), key=self.nodes.index) for s, what in ((X, "X"), (Y, "Y"), (given, "given")))
        for v in [*xs, *ys, *ws]:
            if v in self.inputs:
                raise NetworkError(f"{v!r} is an input of the network, not an output whose independence can be asked")
        outs = [*xs, *ws, *ys]
        k = self.joint(outs)
        nx_, nw = len(xs), len(ws)
        return independent(k, range(nx_), range(nx_ + nw, len(outs)), range(nx_, nx_ + nw))


def _named(w: Wire, v: Node) -> Wire:
    if w.name is not None:
        return w
    return Wire(w.labels if w.labels is not None else w.size, name=str(v))


def _integer_table(t: Kernel) -> tuple[np.ndarray, int]:
    """Rows over one common denominator: ``t = N / L`` with an integer matrix ``N``."""
    m = t.storage if not t.generic else t.to("exact").storage
    den = [int(d) for d in m.den.tolist()]
    L = reduce(math.lcm, den, 1)
    scale = np.array([L // d for d in den], dtype=object)
    N = np.asarray(m.num, dtype=object) * scale[:, None]
    return (N.astype(np.int64) if L.bit_length() < 62 else N), L


def random_bayes_net(
    rng: np.random.Generator, n: int, *, edge_prob: float = 0.4, sizes: Sequence[int] = (2,), backend: str = "exact", max_weight: int = 6
) -> BayesNet:
    """A random network on nodes ``0..n-1`` (edges only from lower to higher numbers) with random tables.

    Exact tables have small integer weights (zeros allowed); float tables are Dirichlet(1) rows.

    >>> bn = random_bayes_net(np.random.default_rng(0), 4)
    >>> len(bn.nodes), bn.joint().cod.size
    (4, 16)
    """
    dag = nx.DiGraph()
    dag.add_nodes_from(range(n))
    dag.add_edges_from((i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < edge_prob)
    size = {v: int(rng.choice(sizes)) for v in range(n)}
    tables: dict[Node, Kernel] = {}
    for v in range(n):
        ps = list(dag.predecessors(v))
        rows = math.prod(size[p] for p in ps)
        dom = Obj(*(Wire(size[p]) for p in ps))
        if backend == "exact":
            w = rng.integers(0, max_weight + 1, size=(rows, size[v]))
            w[w.sum(axis=1) == 0, 0] = 1
            data: Any = [[f"{int(x)}/{int(r.sum())}" for x in r] for r in w]
        else:
            data = rng.dirichlet(np.ones(size[v]), size=rows)
        tables[v] = Kernel(data, dom, Wire(size[v]), backend=backend)
    return BayesNet(dag, tables)

"""Bayesian networks and d-separation ([B12][stmt-b12]; Fritz & Klingler 2023, arXiv 2207.05740).

A :class:`BayesNet` is a DAG (networkx) whose nodes carry conditional tables:
a kernel ``parents → node`` for every node that is not an input.  It compiles
to one kernel ``inputs → outputs`` (:meth:`BayesNet.joint`) and answers
posteriors by name (:meth:`BayesNet.query`), both by variable elimination: only
the tables the answer depends on are contracted, in an order that keeps the
intermediates small (exact tables as integers over a common denominator).
:meth:`BayesNet.diagram` is the network as a string diagram (tables, copies,
discards) that :meth:`BayesNet.functor` evaluates to the same joint.

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
from types import MappingProxyType
from typing import Any

import networkx as nx
import numpy as np

from catkit.backends import get_backend
from catkit.backends.exact import integer_dtype, reduced_rows
from catkit.diagrams import Atom, Box, Copy, Diagram, Discard, Id, Permutation, Ty
from catkit.diagrams.contraction import Contraction
from catkit.errors import CatkitError, ImmutableError
from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.semantics import Functor
from catkit.structure._arrays import build, compute, result_model
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

    A network is read-only, like a kernel: its attributes cannot be rebound, ``dag`` is a frozen copy of the
    graph, and ``tables``, ``parents`` and ``wires`` are read-only mappings, so answers cached between queries
    cannot go stale (build a new network to change one).

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
        dag = nx.freeze(_ordered_copy(dag))  # read-only, like everything below: answers are cached (factors, plans)
        self.dag: nx.DiGraph = dag
        for v in [*tables, *inputs]:
            if v not in dag:
                raise NetworkError(f"{v!r} has a table or an input wire but is not a node of the graph (nodes: {list(dag.nodes)})")
        wires: dict[Node, Wire] = {}
        parents: dict[Node, tuple[Node, ...]] = {}
        tables_: dict[Node, Kernel] = {}
        self.wires: Mapping[Node, Wire] = MappingProxyType(wires)
        self.parents: Mapping[Node, tuple[Node, ...]] = MappingProxyType(parents)
        self.tables: Mapping[Node, Kernel] = MappingProxyType(tables_)
        for v in dag.nodes:
            if v in inputs:
                if v in tables:
                    raise NetworkError(f"{v!r} is an input and also has a table; give one or the other")
                if list(dag.predecessors(v)):
                    raise NetworkError(f"the input {v!r} has parents {list(dag.predecessors(v))}; inputs must be sources")
                w = inputs[v]
                wires[v] = _named(w if isinstance(w, Wire) else Wire(w), v)
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
            wires[v] = _named(t.cod[0], v)
        for v in dag.nodes:
            if v in inputs:
                continue
            t = tables[v]
            ps = list(dag.predecessors(v))
            names = [w.name for w in t.dom]
            if len(ps) > 1 and sorted(map(str, ps)) == sorted(n or "" for n in names) and len(set(names)) == len(names):
                ps = [next(p for p in ps if str(p) == n) for n in names]
            sizes = tuple(wires[p].size for p in ps)
            if t.dom.sizes != sizes:
                raise NetworkError(
                    f"the table of {v!r} has domain {t.dom}, but its parents {ps} have sizes {sizes}: "
                    f"a table maps the parents' values (in that order) to {v!r}"
                )
            parents[v] = tuple(ps)
            tables_[v] = t.relabel(dom=Obj(*(wires[p] for p in ps)), cod=Obj(wires[v]))
        self.inputs: tuple[Node, ...] = tuple(v for v in dag.nodes if v in inputs)
        kinds = {k.backend.name for k in self.tables.values() if not k.generic}
        if len(kinds) > 1:
            raise NetworkError(f"the tables mix backends {sorted(kinds)}; convert them to one with .to(...)")
        self.backend = next((k.backend for k in self.tables.values() if not k.generic), Kernel.id(Wire(1)).backend)
        self._factors: dict[Node, Any] = {}  # tables as tensors over their families, made on first use
        self._plans: dict[tuple[Any, ...], _Plan] = {}  # elimination plans by (targets, evidence nodes)
        self._built = True

    #: what the cached answers depend on: not rebound once built (a subclass may add attributes of its own)
    _DATA = frozenset({"dag", "wires", "parents", "tables", "inputs", "backend", "_factors", "_plans", "_built"})

    def __setattr__(self, key: str, value: Any) -> None:
        if key in BayesNet._DATA and getattr(self, "_built", False):
            raise ImmutableError(f"a BayesNet is read-only (its answers are cached); build a new one to change {key!r}")
        object.__setattr__(self, key, value)

    def __delattr__(self, key: str) -> None:
        if key in BayesNet._DATA:
            raise ImmutableError(f"a BayesNet is read-only (its answers are cached); {key!r} cannot be deleted")
        object.__delattr__(self, key)

    def __repr__(self) -> str:
        return f"<BayesNet {len(self.dag)} nodes, inputs {list(self.inputs)}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt by the constructor from its graph and tables (the read-only views and caches are not data)
        extra = {k: v for k, v in vars(self).items() if k not in BayesNet._DATA}  # a subclass's own attributes
        return (type(self), (_ordered_copy(self.dag), dict(self.tables), {v: self.wires[v] for v in self.inputs}), extra or None)

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

    def joint(self, outputs: Iterable[Node] | None = None, method: str = "elimination") -> Kernel:
        """The compiled kernel ``inputs → outputs`` (default: every non-input node, in graph order).

        ``method="elimination"`` (the default; ``"product"`` is the same) contracts only the tables the
        outputs depend on, in an order that keeps intermediates small (variable elimination; exact
        tables as integers over a common denominator); ``"diagram"`` composes the tables with
        copy/discard (the literal string diagram; a slow reference).

        >>> import networkx as nx
        >>> from catkit import Kernel, Wire
        >>> bn = BayesNet(nx.DiGraph([("a", "b")]), {"a": Kernel.state(["1/3", "2/3"]), "b": Kernel([[1, 0], ["1/2", "1/2"]])})
        >>> bn.joint(["b"]).matrix.tolist()[0], bn.joint(method="diagram") == bn.joint()
        ([Fraction(2, 3), Fraction(1, 3)], True)
        """
        outs = self._outputs(outputs)
        if method == "diagram":
            return self._diagram(outs)
        if method not in ("elimination", "product"):
            raise NetworkError(f"method must be 'elimination' (or its old name 'product') or 'diagram', got {method!r}")
        return self._eliminate(outs, {})

    def query(self, targets: Node | Iterable[Node], evidence: Mapping[Node, Hashable] | None = None) -> Kernel:
        """The exact posterior ``P(targets | evidence)``, by variable elimination.

        ``targets``: a node or a list of nodes (the codomain wires, in that order); ``evidence``: observed
        values ``{node: value}`` (a label of the node's wire, or an index when it has no labels).  An
        input of the network given in ``evidence`` is fixed to that value; the other inputs stay the
        domain (one posterior per input value).  Only the tables the answer depends on are read: nodes
        that are neither targets, evidence nor their ancestors (barren nodes) and nodes d-separated from
        the targets by the evidence are never multiplied in.  Exact tables give exact posteriors.

        >>> import networkx as nx
        >>> from catkit import Kernel, Wire
        >>> dag = nx.DiGraph([("rain", "wet"), ("sprinkler", "wet")])
        >>> yes_no = ["yes", "no"]
        >>> bn = BayesNet(dag, {
        ...     "rain": Kernel.state(["1/5", "4/5"], Wire(yes_no)),
        ...     "sprinkler": Kernel.state(["1/2", "1/2"], Wire(yes_no)),
        ...     "wet": Kernel([[1, 0], ["9/10", "1/10"], ["4/5", "1/5"], [0, 1]], Wire(yes_no) @ Wire(yes_no), Wire(yes_no)),
        ... })
        >>> bn.query("rain", evidence={"wet": "yes"})["yes"]
        Fraction(19, 51)
        >>> bn.query("rain", evidence={"wet": "yes", "sprinkler": "no"})["yes"]  # wet without the sprinkler: it rained
        Fraction(1, 1)
        >>> bn.query("rain", evidence={"wet": "maybe"})
        Traceback (most recent call last):
        ...
        catkit.structure.errors.NetworkError: evidence wet='maybe' is not a value of the node: 'maybe' is not an element of ...
        """
        tgts = self._outputs([targets] if isinstance(targets, (str, int)) or not isinstance(targets, Iterable) else targets)
        ev: dict[Node, int] = {}
        for v, x in dict(evidence or {}).items():
            if v not in self.dag:
                raise NetworkError(f"evidence names {v!r}, which is not a node of the graph (nodes: {list(self.dag.nodes)})")
            try:
                ev[v] = self.wires[v].index(x)
            except CatkitError as e:
                raise NetworkError(f"evidence {v}={x!r} is not a value of the node: {e}") from None
        both = [v for v in tgts if v in ev]
        if both:
            raise NetworkError(f"{both} are both targets and evidence; a target's posterior given its own value is a point mass")
        return self._eliminate(tgts, ev)

    # ------------------------------------------------------------------ variable elimination
    def _eliminate(self, targets: list[Node], ev: dict[Node, int]) -> Kernel:
        """``P(targets | ev)`` (without evidence: the marginal ``inputs → targets`` itself)."""
        plan = self._plan(tuple(targets), frozenset(ev))
        exact = self.backend.integer_tensors  # row-normalised integers: eliminate over the integers
        model = result_model(*self.tables.values()) if self.tables else Kernel.id(Wire(1)).model
        results = []
        for group in plan.groups:
            ops = [self._factor(v, exact) for v in group.nodes]
            arrays = [_slice(op[0] if exact else op, [ev.get(u) for u in fam]) for op, fam in zip(ops, group.families)]
            denom = math.prod(L for _, L, _ in ops) if exact else 1
            if exact:  # nonneg tables: every intermediate (and row sum) is at most the product of the denominators
                bits = denom.bit_length() if model.nonneg else sum(b for _, _, b in ops)
                dtype = integer_dtype(bits, () if model.nonneg else group.sizes)
                arrays = [x.astype(dtype, copy=False) for x in arrays]
            res = group.run(*arrays) if group.run is not None else self._ones(exact)
            results.append((group, res, denom))
        for group, res, _ in results[1:]:  # evidence impossible where the targets do not look still leaves no posterior
            self._check_positive(res, group.outputs, ev, exact)
        group, phi, denom = results[0]
        inputs = group.outputs[: len(group.outputs) - len(targets)]  # in domain order
        shape_in = tuple(self.wires[u].size for u in inputs)
        dom, cod = Obj(*(self.wires[v] for v in plan.dom)), Obj(*(self.wires[v] for v in targets))
        spread = tuple(self.wires[u].size if u in inputs else 1 for u in plan.dom)  # broadcast over unread inputs
        phi = phi.reshape(shape_in + cod.sizes)
        if ev:
            total = self.backend.ops.asum(phi, range(len(shape_in), len(shape_in) + len(targets)), keepdims=True)
            self._check_positive(total, inputs, ev, exact)
        if exact:
            num = np.broadcast_to(np.asarray(phi).reshape(spread + cod.sizes), dom.sizes + cod.sizes).reshape(dom.size, cod.size)
            if ev:
                den: Any = np.broadcast_to(np.asarray(total).reshape(spread), dom.sizes).reshape(dom.size)
                return Kernel.from_matrix(reduced_rows(num, den.tolist()), dom, cod, backend="exact", model=model)
            return Kernel.from_matrix(reduced_rows(num, denom), dom, cod, backend="exact", model=model)
        if ev:
            phi = phi / total
            if not hasattr(phi, "reshape"):  # 0-d object arrays divide into a bare number
                phi = np.asarray(phi, dtype=object)
        phi = phi.reshape(spread + cod.sizes)
        if spread != dom.sizes:
            phi = self.backend.ops.broadcast_to(phi, dom.sizes + cod.sizes)
        return build(phi, dom, cod, self.backend, model)

    def _check_positive(self, total: Any, inputs: Sequence[Node], ev: dict[Node, int], exact: bool) -> None:
        ops = self.backend.ops
        zero = ops.host(ops.zero_mask(total))  # exact: integers, compared with 0 exactly
        if bool(zero.any()):
            seen = ", ".join(f"{v}={self.wires[v].label(i)!r}" for v, i in ev.items())
            where_ = ""
            if inputs:
                flat = np.flatnonzero(zero.reshape(-1))[0]
                point = Obj(*(self.wires[u] for u in inputs)).label(int(flat))
                where_ = " when " + ", ".join(f"{u}={x!r}" for u, x in zip(inputs, point))
            raise NetworkError(f"the evidence {seen} has probability 0{where_}: there is no posterior")

    def _plan(self, targets: tuple[Node, ...], ev: frozenset[Node]) -> _Plan:
        key = (targets, ev)
        plan = self._plans.get(key)
        if plan is None:
            plan = _Plan(self, targets, ev)
            if len(self._plans) >= _PLANS:
                self._plans.pop(next(iter(self._plans)))
            self._plans[key] = plan
        return plan

    def _ones(self, exact: bool) -> Any:
        """The empty product (no table to contract), on the tables' backend and placement."""
        if exact:
            return np.ones((), dtype=np.int64)
        b = self.backend
        return b.compute(b.eye(1, like=self._like())).reshape(())

    def _like(self) -> Any:
        t = next((k for k in self.tables.values() if not k.generic), None)
        return t.storage if t is not None else None

    def _factor(self, v: Node, exact: bool) -> Any:
        """The table of ``v`` as a tensor over ``(*parents, v)``: exact ones as ``(integers, lcm, bits)``."""
        f = self._factors.get(v)
        if f is None:
            t = self.tables[v]
            if exact:
                num, L, bits = self.backend.integer_tensor(t.storage, t.shape)
                f = (num.astype(np.int64) if num.dtype == object and bits < 62 else num, L, bits)
            else:
                f = compute(t, self.backend, like=self._like())
            self._factors[v] = f
        return f

    # ------------------------------------------------------------------ the string diagram
    def diagram(self, outputs: Iterable[Node] | None = None) -> Diagram:
        """The network as a string diagram ``inputs → outputs`` (default: every non-input node, in graph order).

        One box per node (named after it, from its parents' wires to its own), copies where a value is
        used twice, discards for what is not an output.  :meth:`functor` interprets it: evaluated, it is
        :meth:`joint`; drawn (``.draw()``), it is the picture of the network.

        >>> import networkx as nx
        >>> from catkit import Kernel
        >>> bn = BayesNet(nx.DiGraph([("a", "b")]), {"a": Kernel.state(["1/3", "2/3"]), "b": Kernel([[1, 0], ["1/2", "1/2"]])})
        >>> d = bn.diagram()
        >>> [b.name for b in d.boxes], d.cod
        (['a', 'copy', 'b'], Ty('a', 'b', size=2))
        >>> bn.functor()(d) == bn.joint()
        True
        """
        outs = self._outputs(outputs)
        atom = {v: Atom(str(v), self.wires[v].size) for v in self.dag.nodes}
        names = [a.name for a in atom.values()]
        if len(set(names)) != len(names):
            raise NetworkError(f"two nodes have the same name as a string ({sorted(n for n in names if names.count(n) > 1)[0]!r}): "
                               "a diagram names its wires by str(node)")

        def ty(vs: Iterable[Node]) -> Ty:
            return Ty(*(atom[v] for v in vs))
        uses = {v: self.dag.out_degree(v) + (v in outs) for v in self.dag.nodes}
        live: list[tuple[Node, int]] = [(v, 0) for v in self.inputs]  # one token per wire: (node, copy number)
        d: Diagram = Id(ty(v for v, _ in live))

        def wires(ws: list[tuple[Node, int]]) -> Ty:
            return ty(v for v, _ in ws)

        for v in [u for u in self.inputs if not uses[u]]:  # inputs nothing reads
            i = live.index((v, 0))
            d = d >> (wires(live[:i]) @ Discard(ty([v])) @ wires(live[i + 1 :]))
            del live[i]
        for v in nx.topological_sort(self.dag):
            if v in self.inputs:
                continue
            taken = []
            for p in self.parents[v]:  # copy what is read again, then bring the parents' wires to the right end
                i = next(k for k, (u, _) in enumerate(live) if u == p)
                uses[p] -= 1
                if uses[p]:
                    d = d >> (wires(live[:i]) @ Copy(ty([p])) @ wires(live[i + 1 :]))
                    live.insert(i + 1, (p, len(live)))
                    taken.append(live[i + 1])
                else:
                    taken.append(live[i])
            stay = [w for w in live if w not in taken]
            perm = [live.index(w) for w in (*stay, *taken)]
            if perm != list(range(len(live))):
                d = d >> Permutation(d.cod, perm)
            d = d >> (wires(stay) @ Box(str(v), ty(self.parents[v]), ty([v])))
            live = [*stay, (v, 0)]
            if not uses[v]:  # read by nobody and not an output
                d = d >> (wires(stay) @ Discard(ty([v])))
                live.pop()
        perm = [next(k for k, (u, _) in enumerate(live) if u == v) for v in outs]
        return d if perm == list(range(len(live))) else d >> Permutation(d.cod, perm)

    def functor(self) -> Functor:
        """The semantics of :meth:`diagram`: each node's box to its table, each node's wire type to its wire.

        >>> import networkx as nx
        >>> from catkit import Kernel
        >>> bn = BayesNet(nx.DiGraph([("a", "b")]), {"a": Kernel.state(["1/3", "2/3"]), "b": Kernel([[1, 0], ["1/2", "1/2"]])})
        >>> bn.functor()(bn.diagram(["b"])) == bn.joint(["b"])
        True
        """
        boxes: dict[Box | str, Kernel] = {Box(str(v), Ty(*(Atom(str(p), self.wires[p].size) for p in self.parents[v])),
                     Ty(Atom(str(v), self.wires[v].size))): t for v, t in self.tables.items()}
        return Functor(boxes, ob={Atom(str(v), w.size): w for v, w in self.wires.items()})

    def _diagram(self, outs: list[Node]) -> Kernel:
        """The string diagram evaluated layer by layer with kernel ``>>`` and ``@`` (a reference)."""
        return self.functor().evaluate(self.diagram(outs), "layers")

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


def _ordered_copy(dag: nx.DiGraph) -> nx.DiGraph:
    """A copy of ``dag`` in which every node's predecessors keep their order (``DiGraph.copy`` rebuilds the edges in
    node order, which would reorder parents, and parents are matched to a table's axes in that order)."""
    out = nx.DiGraph()
    out.graph.update(dag.graph)
    out.add_nodes_from(dag.nodes(data=True))
    out.add_edges_from((u, v, d) for v in dag for u, d in dag.pred[v].items())
    return out


#: elimination plans kept per network (a plan depends on the targets and on which nodes are observed)
_PLANS = 256


class _Group:
    """Tables contracted together: their nodes, families (the tensor axes), the output nodes, the plan."""

    __slots__ = ("nodes", "families", "outputs", "sizes", "run")

    def __init__(self, bn: BayesNet, nodes: list[Node], outputs: list[Node], ev: frozenset[Node]) -> None:
        self.nodes, self.outputs = nodes, outputs
        self.families = [(*bn.parents[v], v) for v in nodes]
        index: dict[Node, int] = {}
        operands = [tuple(index.setdefault(u, len(index)) for u in fam if u not in ev) for fam in self.families]
        for u in outputs:
            index.setdefault(u, len(index))
        size = {i: bn.wires[u].size for u, i in index.items()}
        self.sizes = list(size.values())
        self.run = Contraction(operands, [index[u] for u in outputs], size, optimize="greedy") if operands else None


class _Plan:
    """How to answer ``P(targets | evidence on ev)``: the domain (the inputs not observed) and the groups
    of tables to contract, the group of the targets first; the other groups (parts of the network the
    evidence cuts off from the targets) only need to be checked for evidence of probability zero.

    Pruning (networks whose tables sum to one): a node that is not an ancestor of a target or of
    the evidence sums out to 1 (barren); after the evidence is fixed, the tables fall apart into groups
    linked by shared unobserved nodes (the moral graph of the ancestral set minus the evidence), and a
    group without targets only scales the posterior (d-separated from the targets)."""

    __slots__ = ("dom", "groups")

    def __init__(self, bn: BayesNet, targets: tuple[Node, ...], ev: frozenset[Node]) -> None:
        self.dom = [u for u in bn.inputs if u not in ev]
        prune = all(t.model.rowsum == "eq" for t in bn.tables.values())
        keep: set[Node] = set()
        todo = [*targets, *ev]
        while todo:
            v = todo.pop()
            if v not in keep:
                keep.add(v)
                todo.extend(bn.parents.get(v, ()))
        nodes = [v for v in bn.dag.nodes if v not in bn.inputs and (v in keep or not prune)]
        root: dict[Node, Node] = {}

        def find(x: Node) -> Node:
            while root.setdefault(x, x) != x:
                root[x] = root[root[x]]
                x = root[x]
            return x

        for v in nodes:
            free = [u for u in (*bn.parents[v], v) if u not in ev]
            for u in free[1:]:
                root[find(u)] = find(free[0])
        main_roots = {find(t) for t in targets}
        groups: dict[Any, list[Node]] = {}
        for v in nodes:
            free = [u for u in (*bn.parents[v], v) if u not in ev]
            key = "targets" if not prune or (free and find(free[0]) in main_roots) else find(free[0]) if free else "observed"
            groups.setdefault(key, []).append(v)
        main = groups.pop("targets", [])
        self.groups = [_Group(bn, main, [*self._inputs(bn, main), *targets], ev)]
        self.groups += [_Group(bn, g, self._inputs(bn, g), ev) for g in groups.values()]

    def _inputs(self, bn: BayesNet, nodes: list[Node]) -> list[Node]:
        read = {p for v in nodes for p in bn.parents[v]}
        return [u for u in self.dom if u in read]


def _slice(a: Any, at: Sequence[int | None]) -> Any:
    """``a`` with the axes of observed nodes fixed at their values (``None``: kept)."""
    if all(i is None for i in at):
        return a
    out = a[tuple(slice(None) if i is None else i for i in at)]
    return out if hasattr(out, "reshape") else np.asarray(out, dtype=object)  # one entry of an object array: keep it an array


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
        if get_backend(backend).exact:  # small integer weights over their sum, read exactly
            w = rng.integers(0, max_weight + 1, size=(rows, size[v]))
            w[w.sum(axis=1) == 0, 0] = 1
            data: Any = [[f"{int(x)}/{int(r.sum())}" for x in r] for r in w]
        else:
            data = rng.dirichlet(np.ones(size[v]), size=rows)
        tables[v] = Kernel(data, dom, Wire(size[v]), backend=backend)
    return BayesNet(dag, tables)

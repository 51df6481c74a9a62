"""pgmpy ⇄ :class:`~catkit.structure.BayesNet`.

pgmpy stores a CPD column-stochastic, ``values[state, parent states...]``, with its own order of the
parents (``cpd.variables[1:]``); catkit stores a table row-stochastic, one row per joint parent
state, the domain wires *named* after the parents.  The converters move the axes and name the wires,
so neither side has to transpose anything.  State names become wire labels (pgmpy's default states
``0 .. k-1`` an unlabelled wire).

>>> from pgmpy.models import DiscreteBayesianNetwork
>>> from pgmpy.factors.discrete import TabularCPD
>>> model = DiscreteBayesianNetwork([("rain", "wet")])
>>> model.add_cpds(TabularCPD("rain", 2, [[0.2], [0.8]], state_names={"rain": ["yes", "no"]}),
...                TabularCPD("wet", 2, [[0.9, 0.1], [0.1, 0.9]], evidence=["rain"], evidence_card=[2],
...                           state_names={"wet": ["wet", "dry"], "rain": ["yes", "no"]}))
>>> bn = from_pgmpy(model, backend="exact")
>>> print(bn.tables["wet"])
Kernel Wire(['yes', 'no'], name='rain') → Wire(['wet', 'dry'], name='wet')  [exact, FinStoch]
       wet   dry
yes   9/10  1/10
no    1/10  9/10
>>> to_pgmpy(bn).get_cpds("wet").get_values().tolist()
[[0.9, 0.1], [0.1, 0.9]]
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np

from catkit.errors import CatkitError
from catkit.interop._common import rationals, require, wire_for
from catkit.interop.errors import InteropError, InteropTypeError
from catkit.kernel import Kernel
from catkit.objects import Obj
from catkit.structure.bayesnet import BayesNet

__all__ = ["from_pgmpy", "to_pgmpy"]


def _model_class() -> Any:
    models = require("pgmpy.models", "pgmpy")
    return getattr(models, "DiscreteBayesianNetwork", None) or models.BayesianNetwork


def from_pgmpy(model: Any, *, backend: str | None = None, max_denominator: int = 10**6) -> Any:
    """The :class:`~catkit.structure.BayesNet` of a pgmpy discrete Bayesian network (every node with a ``TabularCPD``).

    Args:
        model: a ``pgmpy.models.DiscreteBayesianNetwork`` (``BayesianNetwork`` in older pgmpy).
        backend: ``None`` or ``"numpy"`` keep pgmpy's float64 tables; ``"exact"`` recovers each entry as the
            nearest fraction with a denominator up to ``max_denominator`` (checked within 1e-9, rows then sum
            to 1 exactly or the CPD is named in an error); ``"torch"`` gives torch tables.

    Raises:
        InteropError: a node without a CPD, a CPD whose variables are not the node and its parents, a column
            that does not sum to 1.

    >>> from pgmpy.models import DiscreteBayesianNetwork
    >>> from pgmpy.factors.discrete import TabularCPD
    >>> m = DiscreteBayesianNetwork([("a", "b")])
    >>> m.add_cpds(TabularCPD("a", 2, [[0.5], [0.5]]), TabularCPD("b", 2, [[1, 0.25], [0, 0.75]], evidence=["a"], evidence_card=[2]))
    >>> bn = from_pgmpy(m, backend="exact")
    >>> bn.nodes, bn.joint().matrix.tolist()
    (['a', 'b'], [[Fraction(1, 2), Fraction(0, 1), Fraction(1, 8), Fraction(3, 8)]])
    """
    cls = _model_class()
    if not isinstance(model, cls):
        raise InteropTypeError(f"from_pgmpy needs a pgmpy {cls.__name__}, got {type(model).__name__}")
    if backend not in (None, "numpy", "exact", "torch"):
        raise InteropError(f"backend must be None, 'numpy', 'exact' or 'torch', got {backend!r}")
    cpds = {}
    for v in model.nodes:
        cpd = model.get_cpds(v)
        if cpd is None:
            raise InteropError(f"the node {v!r} has no CPD in the pgmpy model; add one with model.add_cpds(...)")
        cpds[v] = cpd
    wires = {v: wire_for(cpd.state_names[v], str(v)) for v, cpd in cpds.items()}
    tables = {}
    for v, cpd in cpds.items():
        evidence = list(cpd.variables[1:])  # the axis order of cpd.values, not cpd.get_evidence()'s
        parents = list(model.predecessors(v))
        if sorted(map(str, evidence)) != sorted(map(str, parents)):
            raise InteropError(f"the CPD of {v!r} conditions on {evidence}, but its parents in the graph are {parents}")
        for u in evidence:  # a CPD may list the parent's states in its own order
            if list(cpd.state_names[u]) != list(cpds[u].state_names[u]):
                raise InteropError(f"the CPD of {v!r} names the states of {u!r} {list(cpd.state_names[u])}, "
                                   f"but {u!r}'s own CPD names them {list(cpds[u].state_names[u])}")
        rows = np.moveaxis(np.asarray(cpd.values), 0, -1).reshape(-1, wires[v].size)  # one row per joint parent state
        what = f"the CPD of {v!r}"
        data: Any = [rationals(r, max_denominator=max_denominator, what=what) for r in rows] if backend == "exact" else rows
        try:
            tables[v] = Kernel(data, Obj(*(wires[u] for u in evidence)), Obj(wires[v]), backend=backend)
        except CatkitError as e:
            raise InteropError(f"{what} is not a conditional distribution: {e}") from None
    dag = nx.DiGraph()
    dag.add_nodes_from(model.nodes)
    dag.add_edges_from(model.edges)
    return BayesNet(dag, tables)


def to_pgmpy(bn: Any) -> Any:
    """The pgmpy ``DiscreteBayesianNetwork`` of a :class:`~catkit.structure.BayesNet` (checked with ``check_model``).

    pgmpy stores float64: exact tables are rounded to the nearest floats there (the network itself is not
    changed; :func:`from_pgmpy` with ``backend="exact"`` recovers small fractions).  Wire labels become state
    names; a network with inputs (nodes without tables) has no pgmpy counterpart.

    >>> import networkx as nx
    >>> from catkit import Kernel, Wire
    >>> from catkit.structure import BayesNet
    >>> bn = BayesNet(nx.DiGraph([("a", "b")]), {"a": Kernel.state(["1/4", "3/4"], Wire(["x", "y"])),
    ...                                         "b": Kernel([[1, 0], ["1/2", "1/2"]])})
    >>> m = to_pgmpy(bn)
    >>> m.get_cpds("b").variables, m.get_cpds("b").state_names["a"], m.get_cpds("b").get_values().tolist()
    (['b', 'a'], ['x', 'y'], [[1.0, 0.5], [0.0, 0.5]])
    """
    if not isinstance(bn, BayesNet):
        raise InteropTypeError(f"to_pgmpy needs a catkit BayesNet, got {type(bn).__name__}")
    if bn.inputs:
        raise InteropError(f"the network has inputs {bn.inputs} (nodes without tables); pgmpy needs a CPD for every node")
    factors = require("pgmpy.factors.discrete", "pgmpy")
    model = _model_class()()
    model.add_nodes_from(bn.nodes)
    model.add_edges_from(bn.dag.edges)
    for v in bn.nodes:
        parents = list(bn.parents[v])
        states = {u: list(bn.wires[u].elements()) for u in [v, *parents]}
        values = np.asarray(bn.tables[v], dtype=float).T  # column-stochastic: values[state, joint parent state]
        model.add_cpds(factors.TabularCPD(
            v, bn.wires[v].size, values, evidence=parents or None, evidence_card=[bn.wires[u].size for u in parents] or None,
            state_names=states))
    model.check_model()  # raises on a model pgmpy would not accept
    return model

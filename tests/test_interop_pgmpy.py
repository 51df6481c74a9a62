"""catkit.interop ⇄ pgmpy, against the real library: tables, parent orders, pgmpy's own inference, round trips."""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import numpy as np
import pytest

pytest.importorskip("pgmpy")
from pgmpy.factors.discrete import TabularCPD  # noqa: E402
from pgmpy.inference import VariableElimination  # noqa: E402
from pgmpy.models import DiscreteBayesianNetwork  # noqa: E402

from catkit import Kernel, Wire  # noqa: E402
from catkit.interop import InteropError, InteropTypeError, from_pgmpy, to_pgmpy  # noqa: E402
from catkit.structure import BayesNet  # noqa: E402
from catkit.structure.bayesnet import random_bayes_net  # noqa: E402


def sprinkler() -> DiscreteBayesianNetwork:
    """Three parents listed in an order that is neither the edge order nor pgmpy's get_evidence() order."""
    m = DiscreteBayesianNetwork([("rain", "wet"), ("sprinkler", "wet"), ("season", "wet"), ("season", "rain")])
    m.add_cpds(
        TabularCPD("season", 3, [[0.25], [0.5], [0.25]], state_names={"season": ["spring", "summer", "winter"]}),
        TabularCPD("rain", 2, [[0.5, 0.125, 0.75], [0.5, 0.875, 0.25]], evidence=["season"], evidence_card=[3],
                   state_names={"rain": ["yes", "no"], "season": ["spring", "summer", "winter"]}),
        TabularCPD("sprinkler", 2, [[0.4], [0.6]]),
        TabularCPD("wet", 2,
                   np.array([[0.99, 0.9, 0.8, 0.95, 0.7, 0.6, 0.5, 0.3, 0.2, 0.1, 0.05, 0.0],
                             [0.01, 0.1, 0.2, 0.05, 0.3, 0.4, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0]]),
                   evidence=["sprinkler", "season", "rain"], evidence_card=[2, 3, 2],
                   state_names={"wet": ["wet", "dry"], "sprinkler": [0, 1], "season": ["spring", "summer", "winter"],
                                "rain": ["yes", "no"]}),
    )
    m.check_model()
    return m


def _posterior(bn: BayesNet, target: str, evidence: dict) -> dict:
    """P(target | evidence) from catkit's compiled joint (an independent computation from pgmpy's elimination)."""
    nodes = bn.nodes
    joint = bn.joint(nodes)
    A = np.asarray(joint).reshape(joint.cod.sizes)
    index = []
    for v in nodes:
        if v in evidence:
            index.append(bn.wires[v].index(evidence[v]))
        else:
            index.append(slice(None))
    sub = A[tuple(index)]
    keep = [v for v in nodes if v not in evidence]
    p = sub.sum(axis=tuple(i for i, v in enumerate(keep) if v != target))
    total = p.sum()
    return {x: p[i] / total for i, x in enumerate(bn.wires[target].elements())}


def test_tables_parents_and_labels_follow_pgmpy() -> None:
    m = sprinkler()
    bn = from_pgmpy(m, backend="exact")
    wet = bn.tables["wet"]
    assert [w.name for w in wet.dom] == ["sprinkler", "season", "rain"]   # the CPD's own axis order
    assert bn.wires["season"] == Wire(["spring", "summer", "winter"], name="season")
    assert bn.wires["sprinkler"] == Wire(2, name="sprinkler")               # default states 0..k-1: unlabelled
    assert wet[(1, "summer", "yes"), "dry"] == Fraction(4, 5)               # column 1*6 + 1*2 + 0 of the CPD
    assert wet[(0, "spring", "yes"), "wet"] == Fraction(99, 100)
    cpd = m.get_cpds("wet")                                                   # every entry, by pgmpy's own lookup
    for x in wet.dom.elements():
        for y in wet.cod.elements():
            assert float(wet[x, y]) == cpd.get_value(wet=y[0], **dict(zip(["sprinkler", "season", "rain"], x)))
    assert bn.tables["rain"]["winter", "yes"] == Fraction(3, 4)
    assert set(bn.dag.edges) == set(m.edges)


@pytest.mark.parametrize("evidence", [{"wet": "wet"}, {"wet": "dry", "sprinkler": 1}, {"season": "winter"}])
def test_posteriors_agree_with_pgmpy_variable_elimination(evidence: dict) -> None:
    m = sprinkler()
    infer = VariableElimination(m)
    for backend in ("numpy", "exact"):
        bn = from_pgmpy(m, backend=backend)
        for target in [v for v in ("rain", "season", "sprinkler") if v not in evidence]:
            q = infer.query([target], evidence=evidence, show_progress=False)
            theirs = dict(zip(q.state_names[target], q.values))
            ours = _posterior(bn, target, evidence)
            assert set(ours) == set(theirs)
            assert all(abs(float(ours[x]) - theirs[x]) < 1e-12 for x in ours), (target, ours, theirs)
    # control: the same computation on a network with one CPD column changed disagrees with pgmpy
    bad = sprinkler()
    bad.get_cpds("rain").values[:, 2] = [0.5, 0.5]
    q = infer.query(["rain"], evidence={"wet": "wet"}, show_progress=False)
    ours = _posterior(from_pgmpy(bad), "rain", {"wet": "wet"})
    assert abs(float(ours["yes"]) - q.values[0]) > 1e-3


def test_round_trips() -> None:
    m = sprinkler()
    bn = from_pgmpy(m)
    back = from_pgmpy(to_pgmpy(bn))
    assert back.nodes == bn.nodes and all(back.tables[v] == bn.tables[v] for v in bn.nodes)   # floats: bitwise
    m2 = to_pgmpy(from_pgmpy(m))
    for v in m.nodes:
        a, b = m.get_cpds(v), m2.get_cpds(v)
        assert a.variables == b.variables and a.state_names == b.state_names and np.array_equal(a.values, b.values)
    # exact networks come back exact through pgmpy's floats when their denominators are small
    ex = random_bayes_net(np.random.default_rng(3), 5, sizes=(2, 3))
    back = from_pgmpy(to_pgmpy(ex), backend="exact", max_denominator=1000)
    assert back.joint(ex.nodes) == ex.joint()


def test_bad_input_is_named() -> None:
    m = DiscreteBayesianNetwork([("a", "b")])
    m.add_cpds(TabularCPD("a", 2, [[0.5], [0.5]]))
    with pytest.raises(InteropError, match="'b' has no CPD"):
        from_pgmpy(m)
    m = sprinkler()
    m.get_cpds("sprinkler").values[:] = [0.4, 0.61]  # pgmpy's own check is not run again after this
    with pytest.raises(InteropError, match="CPD of 'sprinkler' is not a conditional distribution"):
        from_pgmpy(m)
    m = sprinkler()
    m.get_cpds("sprinkler").values[:] = [0.1234567, 0.8765433]
    with pytest.raises(InteropError, match="no fraction with a denominator up to 100"):
        from_pgmpy(m, backend="exact", max_denominator=100)
    bn = BayesNet(nx.DiGraph([("a", "b")]), {"b": Kernel([[1, 0], [0, 1]])}, inputs={"a": 2})
    with pytest.raises(InteropError, match="inputs"):
        to_pgmpy(bn)
    with pytest.raises(InteropTypeError):
        from_pgmpy(nx.DiGraph())
    with pytest.raises(InteropTypeError):
        to_pgmpy(m)

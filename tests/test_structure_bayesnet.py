"""Bayesian networks and d-separation (B12): d-separation implies exact independence in random DAGs;
the converse holds generically (random real tables); both compilations agree; errors name the culprit."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.structure import BayesNet, NetworkError, d_separated, d_separations, independent, random_bayes_net


@st.composite
def networks(draw, max_nodes: int = 6):  # type: ignore[no-untyped-def]
    n = draw(st.integers(1, max_nodes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return random_bayes_net(rng, n, edge_prob=draw(st.sampled_from([0.3, 0.5, 0.8])), sizes=(2, 3) if n <= 4 else (2,), max_weight=3)


@settings(max_examples=15)
@given(networks())
def test_every_d_separation_is_an_exact_independence(bn):
    psi = bn.joint()
    assert psi.backend.name == "exact"
    for a, b, W in d_separations(bn.dag):
        assert independent(psi, [a], [b], W), (list(bn.dag.edges), a, b, W)


def test_d_connected_pairs_are_dependent_for_generic_real_tables():
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(6):
        bn = random_bayes_net(rng, 5, edge_prob=0.5, backend="numpy")
        psi = bn.joint()
        seps = {(a, b, tuple(W)) for a, b, W in d_separations(bn.dag)}
        nodes = bn.nodes
        for a, b in itertools.combinations(nodes, 2):
            rest = [v for v in nodes if v not in (a, b)]
            for k in range(len(rest) + 1):
                for W in itertools.combinations(rest, k):
                    if (a, b, W) not in seps:
                        assert not independent(psi, [a], [b], list(W), tol=1e-9), (a, b, W)
                        checked += 1
    assert checked > 50


def test_d_separation_agrees_with_networkx():
    rng = np.random.default_rng(0)
    for _ in range(40):
        bn = random_bayes_net(rng, 5, edge_prob=0.4)
        nodes = bn.nodes
        for a, b in itertools.combinations(nodes, 2):
            rest = [v for v in nodes if v not in (a, b)]
            for k in range(len(rest) + 1):
                for W in itertools.combinations(rest, k):
                    assert d_separated(bn.dag, a, b, W) == nx.is_d_separator(bn.dag, {a}, {b}, set(W))


@settings(max_examples=10)
@given(networks(max_nodes=4))
def test_product_and_diagram_compilations_agree(bn):
    assert bn.joint() == bn.joint(method="diagram")
    outs = bn.nodes[::-1][:2]
    assert bn.joint(outs) == bn.joint(method="diagram").marginal([bn.nodes.index(v) for v in outs])


def test_inputs_make_a_kernel_and_parents_can_be_named():
    dag = nx.DiGraph([("a", "c"), ("b", "c")])
    table = Kernel([[1, 0], ["1/2", "1/2"], ["1/3", "2/3"], [0, 1]], Wire(2, name="b") @ Wire(2, name="a"), Wire(2))
    bn = BayesNet(dag, {"c": table, "b": Kernel.uniform(Wire(2))}, inputs={"a": 2})
    k = bn.joint()
    assert k.dom == Kernel.id(Wire(2, name="a")).dom and [w.name for w in k.cod] == ["c", "b"]  # graph order
    # the wire names put b first: c(·|a=1) = 1/2 row (b=0, a=1) + 1/2 row (b=1, a=1) = (1/4, 3/4)
    # (the edge order a, b would read rows (a=1, b=0), (a=1, b=1) and give (1/6, 5/6))
    assert (Kernel.point(k.dom, 1) >> k).marginal(0) == Kernel.state(["1/4", "3/4"], Wire(2, name="c"))
    assert k == bn.joint(method="diagram")
    assert bn.independent("b", "c") is False


def test_twelve_binary_nodes_compile_exactly():
    bn = random_bayes_net(np.random.default_rng(0), 12, edge_prob=0.3)
    psi = bn.joint()
    assert psi.cod.size == 4096 and psi >> Kernel.discard(psi.cod) == Kernel.id(psi.dom)
    assert psi.marginal(0) == bn.joint([0])


def test_bad_networks_are_named():
    with pytest.raises(NetworkError, match="cycle: 'a' → 'b' → 'a'"):
        BayesNet(nx.DiGraph([("a", "b"), ("b", "a")]), {})
    dag = nx.DiGraph([("a", "b")])
    with pytest.raises(NetworkError, match="the node 'b' has no table"):
        BayesNet(dag, {"a": Kernel.uniform(Wire(2))})
    with pytest.raises(NetworkError, match="the table of 'b' has domain Wire\\(3\\), but its parents \\['a'\\] have sizes \\(2,\\)"):
        BayesNet(dag, {"a": Kernel.uniform(Wire(2)), "b": Kernel.uniform(Wire(2), Wire(3))})
    with pytest.raises(NetworkError, match="'z' has a table .* not a node"):
        BayesNet(dag, {"a": Kernel.uniform(Wire(2)), "b": Kernel.uniform(Wire(2), Wire(2)), "z": Kernel.uniform(Wire(2))})
    with pytest.raises(NetworkError, match="inputs must be sources"):
        BayesNet(dag, {"a": Kernel.uniform(Wire(2))}, inputs={"b": 2})
    with pytest.raises(NetworkError, match="mix backends"):
        BayesNet(dag, {"a": Kernel.uniform(Wire(2)), "b": Kernel.uniform(Wire(2), Wire(2), backend="numpy")})
    with pytest.raises(NetworkError, match="'q', which is not a node"):
        d_separated(dag, "a", "q")
    with pytest.raises(NetworkError, match="disjoint"):
        d_separated(dag, "a", "a")


def test_symbolic_tables_prove_the_markov_property_for_all_parameters():
    import sympy as sp

    from catkit.testing import symbolic_kernel

    p = sp.Symbol("p", positive=True)
    chain = nx.DiGraph([("a", "b"), ("b", "c")])
    bn = BayesNet(chain, {"a": Kernel.state([p, 1 - p]), "b": symbolic_kernel(Wire(2), Wire(2), "b"), "c": symbolic_kernel(Wire(2), Wire(2), "c")})
    psi = bn.joint()
    assert psi.backend.name == "sympy"
    assert independent(psi, [0], [2], [1])  # an identity in p, b_*, c_*
    assert not independent(psi, [0], [2])


def test_torch_tables_compile_like_numpy_ones():
    bn = random_bayes_net(np.random.default_rng(0), 4, backend="numpy")
    bt = BayesNet(bn.dag, {v: t.to("torch") for v, t in bn.tables.items()})
    assert bt.joint().backend.name == "torch"
    assert bt.joint().to("numpy").allclose(bn.joint(), 1e-12)

"""Values pickle and copy: kernels (every backend, structural ones), objects, diagrams and Bayesian networks come
back equal, combinable with the originals (one backend and model instance per name), and with hashes of the
process that loads them (string hashes are salted per process, so a cached hash must not travel)."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from catkit import Kernel, Obj, Wire
from catkit.diagrams import Atom, Box, Copy, Discard, Swap, Ty
from catkit.structure import BayesNet

X = Wire(["a", "b"], name="x")


class Named(Kernel):  # a user's subclass (module level: pickle finds classes by name)
    pass


def _kernels() -> list[Kernel]:
    sp = pytest.importorskip("sympy")
    p = sp.Symbol("p")
    out = [Kernel([["1/2", "1/2"], [1, 0]], X, X), Kernel.copy(X), Kernel([[0.25, 0.75]], cod=X),
           Kernel.state([p, 1 - p]), Kernel([[2, -1]], model="signed")]
    torch = pytest.importorskip("torch")
    out.append(Kernel(torch.tensor([[0.5, 0.5]], dtype=torch.float32)))
    return out


def test_kernels_come_back_equal_and_combine_with_the_originals():
    for k in _kernels():
        for back in (pickle.loads(pickle.dumps(k)), copy.deepcopy(k)):
            assert back == k and back.backend is k.backend and back.model is k.model, repr(k)
            assert (back @ k).cod == k.cod @ k.cod  # same backend object: they combine
            assert back >> Kernel.discard(back.cod) == k >> Kernel.discard(k.cod)
            # still immutable: unpickled numpy arrays come back writeable unless made read-only again
            if back.indices is not None:
                assert not back.indices.flags.writeable
            elif back.backend.name == "numpy":
                assert not back.storage.flags.writeable and not np.asarray(back).flags.writeable


def test_diagrams_and_networks_come_back_equal():
    f = Box("f", Ty("X"), Ty("Y", size=2))
    chain = f
    for _ in range(3000):  # deeper than the recursion limit as a tree of >>: flattened before pickling
        chain = chain >> Box("g", Ty("Y", size=2), Ty("Y", size=2))
    for d in (Atom("X", 3), Ty("X", "Y"), f, f >> Copy(Ty("Y", size=2)), Swap(Ty("X"), Ty("Y")), Discard(Ty("X")), chain):
        back = pickle.loads(pickle.dumps(d))
        assert back == d and hash(back) == hash(d) and copy.deepcopy(d) == d
    bn = BayesNet(nx.DiGraph([("a", "b")]), {"a": Kernel.state(["1/3", "2/3"]), "b": Kernel([[1, 0], ["1/2", "1/2"]])})
    back = pickle.loads(pickle.dumps(bn))
    assert back.query("b") == bn.query("b") and back.query("a", evidence={"b": 1}) == bn.query("a", evidence={"b": 1})
    assert Obj(*pickle.loads(pickle.dumps(Obj(X, Wire(3))))) == X @ Wire(3)


def test_hashes_are_the_loading_processes_own():
    # pickled under one string-hash salt, used as dict keys under another: a copied hash would miss
    blob = pickle.dumps((X, Atom("X", 2), Ty("Y")))
    code = ("import pickle, sys\nfrom catkit import Wire\nfrom catkit.diagrams import Atom, Ty\n"
            "x, a, t = pickle.loads(sys.stdin.buffer.read())\n"
            "d = {Wire(['a', 'b'], name='x'): 1, Atom('X', 2): 2, Ty('Y'): 3}\n"
            "print(d[x], d[a], d[t])\n")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], input=blob, capture_output=True, env=env, timeout=120, check=True)
    assert out.stdout.split() == [b"1", b"2", b"3"]


def test_relations_subclasses_and_unregistered_backends():
    from catkit.backends.numpy_float import NumpyBackend
    from catkit.structure import MultiKernel

    r = MultiKernel([[1, 1], [0, 1]])
    back = pickle.loads(pickle.dumps(r))
    assert back == r and not back.rel.flags.writeable  # still immutable (a relation's rows must stay non-empty)

    k = Named([["1/2", "1/2"]])
    assert type(pickle.loads(pickle.dumps(k))) is Named and type(copy.deepcopy(k)) is Named

    class Private(NumpyBackend):  # used without register_backend: pickled by class and state, not by name
        name = "private"

    p = Kernel([[0.5, 0.5]], backend=Private())
    assert copy.deepcopy(p).matrix.tolist() == [[0.5, 0.5]] and type(copy.deepcopy(p).backend) is Private


def test_a_kernel_on_a_backend_this_process_has_not_registered_says_so():
    from catkit.backends import UnknownBackendError
    from catkit.backends.base import _registered

    with pytest.raises(UnknownBackendError, match="backend 'mine', which is not registered here: register_backend"):
        _registered("mine")

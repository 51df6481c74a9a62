"""Hostile and broken input (issue 14): no code execution, no silent acceptance, no hangs.

Every case of the issue has a test here; each asserts the refusal *and* a control that is accepted,
so a check that refused everything would fail too.  Hangs are guarded by an alarm (a test that would
hang fails instead), never by timing assertions.
"""

from __future__ import annotations

import math
import pickle
import signal
from contextlib import contextmanager
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy as sp
import torch

from catkit import Kernel, Wire
from catkit.errors import KernelValueError
from catkit.info import renyi_entropy, shannon_entropy
from catkit.limits import ResourceLimitError, check_allocation, memory_budget, memory_budget_set, parse_size
from catkit.parse import EntryParseError, parse_rational, safe_str
from catkit.structure.bayes import posterior
from catkit.structure.bayesnet import d_separated, d_separations


@contextmanager
def no_hang(seconds: int = 60):
    """Fail (instead of hanging the suite) if the block runs for more than ``seconds``."""

    def boom(*_):
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------------- code execution
def test_sympy_backend_never_evaluates_text(tmp_path):
    marker = tmp_path / "pwned"
    payload = f"__import__('pathlib').Path({str(marker)!r}).write_text('x') or 1/2"
    for backend in ("sympy", "exact", "numpy"):
        with pytest.raises(KernelValueError):
            Kernel([[payload, "1/2"]], backend=backend)
    assert not marker.exists()
    with pytest.raises(KernelValueError, match="sympy expressions"):
        Kernel([["p", "1 - p"]], backend="sympy")
    p = sp.Symbol("p")  # the control: symbols come in as sympy objects, numbers as strings
    k = Kernel([[p, 1 - p], ["1/3", "2/3"]], backend="sympy")
    assert k.matrix.tolist() == [[p, 1 - p], [sp.Rational(1, 3), sp.Rational(2, 3)]]


class _Evil:
    def __reduce__(self):
        import pathlib

        return (pathlib.Path.write_text, (pathlib.Path(_Evil.target), "pwned"))


def _plant_pickle(directory, marker):
    directory.mkdir(parents=True, exist_ok=True)
    _Evil.target = str(marker)
    (directory / "checkpoint.pt").write_bytes(pickle.dumps({"format": "catkit-lm-checkpoint/1", "x": _Evil()}))


def test_pickled_checkpoints_are_refused_everywhere(tmp_path, monkeypatch):
    from catkit.lm import CheckpointError, GPTConfig, TinyGPT, TrainConfig, load_checkpoint, train
    from catkit.lm.cli import main as lm_main
    from catkit.lm.defaults import TINY_MODEL, TINY_TRAIN, cache_key
    from catkit.sources import tiny_source

    marker = tmp_path / "pwned"
    run = tmp_path / "run"
    _plant_pickle(run, marker)
    with pytest.raises(CheckpointError, match="catkit lm convert"):
        load_checkpoint(run)
    assert lm_main(["evaluate", "--model", str(run), "--source", "tiny", "--n-seqs", "2"]) == 2
    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_layer=1, n_head=2))
    with pytest.raises(CheckpointError, match="pickled"):
        train(m, tiny_source(), TrainConfig(steps=1, batch_size=2, seq_len=4), checkpoint_dir=run, progress=False)
    # a file planted in the cache entry that `--model tiny` loads: reported and rebuilt, never unpickled
    cache = tmp_path / "cache"
    monkeypatch.setenv("CATKIT_CACHE_DIR", str(cache))
    planted = cache / "lm" / cache_key(TINY_MODEL, TINY_TRAIN, tiny_source())
    _plant_pickle(planted, marker)
    from catkit.lm.defaults import CacheRebuildWarning, pretrained

    cfg = TrainConfig(steps=2, batch_size=2, seq_len=4)
    _plant_pickle(cache / "lm" / cache_key(TINY_MODEL, cfg, tiny_source()), marker)
    with pytest.warns(CacheRebuildWarning, match="pickled"):
        model = pretrained(tiny_source(), TINY_MODEL, cfg, cache_dir=cache)
    assert model.config == TINY_MODEL and load_checkpoint(cache / "lm" / cache_key(TINY_MODEL, cfg, tiny_source()))["done"]
    assert not marker.exists()


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_trusted_legacy_checkpoint_converts(tmp_path):
    from catkit.lm import GPTConfig, TinyGPT, load_model
    from catkit.lm.checkpoint import CheckpointError, convert_legacy_checkpoint
    from catkit.lm.cli import main as lm_main

    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_layer=1, n_head=2), seed=3)
    torch.save({"format": "catkit-lm-checkpoint/1", "model_config": m.config.to_dict(), "model": m.state_dict(), "optimizer": None,
                "step": 4, "train_config": None, "source": None, "history": [(1, 2.0)], "done": True}, tmp_path / "checkpoint.pt")
    assert lm_main(["convert", str(tmp_path)]) == 0
    assert torch.equal(load_model(tmp_path).W, m.W)
    evil = tmp_path / "evil"
    _plant_pickle(evil, tmp_path / "pwned")
    with pytest.raises(CheckpointError, match="safely"):  # even the converter uses the restricted unpickler
        convert_legacy_checkpoint(evil)
    assert not (tmp_path / "pwned").exists()


def test_checkpoint_integrity_and_config_mismatch(tmp_path):
    import json

    from catkit.lm import CheckpointError, GPTConfig, TinyGPT, load_checkpoint, load_model, save_checkpoint

    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_layer=1, n_head=2))
    save_checkpoint(tmp_path, m, step=1)
    assert load_checkpoint(tmp_path)["step"] == 1  # control
    meta = json.loads((tmp_path / "checkpoint.json").read_text())
    w = tmp_path / meta["weights"]
    blob = bytearray(w.read_bytes())
    blob[-3] ^= 0xFF
    w.write_bytes(bytes(blob))
    with pytest.raises(CheckpointError, match="corrupt"):
        load_checkpoint(tmp_path)
    save_checkpoint(tmp_path, m, step=1)
    meta = json.loads((tmp_path / "checkpoint.json").read_text())
    meta["model_config"]["d_model"] = 16  # a config that disagrees with the weights
    (tmp_path / "checkpoint.json").write_text(json.dumps(meta))
    with pytest.raises(CheckpointError, match="does not match its weights"):
        load_model(tmp_path)


# ---------------------------------------------------------------------- the strict parser
@pytest.mark.parametrize("text", ["1e999999999", "1e-999999999", "9" * 5000, "1/0", "", "1/-2", "0x10", "1_000", "nan", "inf", "1e"])
def test_parser_refuses_quickly(text):
    with no_hang(10), pytest.raises(EntryParseError):
        parse_rational(text)


def test_entries_beyond_the_bounds_give_clear_errors_everywhere():
    from catkit.sources import FiniteStateSource, SourceError

    with no_hang(20):
        for bad in ("1e999999999", "9" * 5000):
            with pytest.raises(KernelValueError):
                Kernel([[bad, "0"]])
            with pytest.raises(KernelValueError):
                Kernel([[bad, "0"]], backend="sympy")
            with pytest.raises(SourceError):
                FiniteStateSource([bad], [[["1"]]])
    assert parse_rational("1e1000") == 10**1000  # control: inside the bounds


def test_huge_integers_never_break_error_messages():
    big = 10**5000  # an int entry (not a string): accepted as a number, refused as a probability
    with pytest.raises(KernelValueError, match="digits"):
        Kernel([[big, 1 - big]])
    assert safe_str(Fraction(1, 10**5000)).startswith("<a rational")


# ---------------------------------------------------------------------- validation
@pytest.mark.parametrize("dtype, n, total", [
    (torch.float16, 101, 0.0), (torch.float32, 100_001, 0.0), (torch.float32, 200_000, 1.9), (torch.float64, 1_000_000, 1.0005),
])
def test_far_off_rows_are_refused_at_any_length(dtype, n, total):
    row = torch.full((1, n), total / n, dtype=torch.float64).to(dtype)
    with pytest.raises(KernelValueError, match="sums to"):
        Kernel(row, backend="torch")
    good = torch.softmax(torch.linspace(-3, 3, n, dtype=torch.float64), 0)[None].to(dtype)  # the control
    assert Kernel(good, backend="torch").cod.size == n
    if dtype == torch.float64:
        with pytest.raises(KernelValueError, match="sums to"):
            Kernel(row.numpy())
        assert Kernel(good.numpy()).cod.size == n


def test_tensor_kinds_and_tolerances_are_checked():
    with pytest.raises(KernelValueError, match="complex"):
        Kernel(torch.tensor([[0.5 + 0.1j, 0.5]]), backend="torch")
    with pytest.raises(KernelValueError, match="meta"):
        Kernel(torch.zeros(1, 2, device="meta"), backend="torch")
    with pytest.raises(KernelValueError, match="sparse"):
        Kernel(torch.eye(2).to_sparse(), backend="torch")
    with pytest.raises(KernelValueError, match="complex"):
        Kernel.from_matrix(torch.eye(2, dtype=torch.complex64), 2, 2, backend="torch")
    with pytest.raises(KernelValueError, match="complex"):
        Kernel([[0.5 + 0j, 0.5]], backend="numpy")
    for tol in (float("nan"), -1, float("inf"), "0.1"):
        with pytest.raises(KernelValueError, match="tol must be"):
            Kernel([[0.5, 0.5]], tol=tol)
    assert Kernel([[0.5, 0.5 + 1e-6]], tol=1e-5).cod.size == 2  # control


def test_from_matrix_copies():
    a = np.array([[0.5, 0.5]])
    k = Kernel.from_matrix(a, 1, 2, backend="numpy")
    a[0] = [1.0, 0.0]
    assert k.matrix.tolist() == [[0.5, 0.5]]
    t = torch.tensor([[0.5, 0.5]], dtype=torch.float64)
    kt = Kernel.from_matrix(t, 1, 2, backend="torch")
    t[0, 0] = 1.0
    assert kt.matrix.tolist() == [[0.5, 0.5]]


def test_objects_beyond_int64_are_refused():
    with pytest.raises(KernelValueError, match="int64"):
        Kernel.point(Wire(2**16), 3) >> Kernel.copy(Wire(2**16), 5)
    with pytest.raises(KernelValueError, match="int64"):
        Kernel.copy(Wire(2**32), 2) @ Kernel.copy(Wire(2), 1)
    with pytest.raises(KernelValueError, match="an object of 100000 wires has <an integer of about 3010. digits>"):
        Kernel.copy(Wire(2), 10**5)  # even the error message stays small
    assert (Kernel.point(Wire(2**16), 3) >> Kernel.copy(Wire(2**16), 3)).as_function() == {(): (3, 3, 3)}  # control


def test_unhashable_labels_are_refused():
    from catkit.objects import ObjError

    with pytest.raises(ObjError, match="hashable"):
        Wire([["a"], "b"])


def test_posterior_of_a_tiny_observation_is_not_the_prior():
    f = Kernel([[5e-324, 1 - 5e-324], [0.0, 1.0]])
    post = posterior(f, Kernel.state([0.5, 0.5]), 0)
    assert post.matrix.tolist() == [[1.0, 0.0]]
    f2 = Kernel([[5e-324, 1 - 5e-324], [1e-323, 1 - 1e-323]])
    assert np.allclose(posterior(f2, Kernel.state([0.25, 0.75]), 0).matrix, [[1 / 7, 6 / 7]])
    zero = Kernel([[0.0, 1.0], [0.0, 1.0]])  # control: an impossible observation still gives the prior
    assert posterior(zero, Kernel.state([0.25, 0.75]), 0).matrix.tolist() == [[0.25, 0.75]]


# ---------------------------------------------------------------------- resources
def test_memory_budget_refuses_before_allocating(monkeypatch):
    with no_hang(20):
        with memory_budget_set("8GB"), pytest.raises(ResourceLimitError, match="memory budget") as e:
            Kernel.uniform(Wire(10**9))  # 16 GB of int64 numerators and working copies
        assert "CATKIT_MEMORY_BUDGET" in str(e.value)
        with memory_budget_set("1MB"):
            with pytest.raises(ResourceLimitError, match="1.0 MB"):
                Kernel.uniform(Wire(1000), Wire(1000), backend="numpy")
            assert Kernel.uniform(Wire(100), backend="numpy").cod.size == 100  # control
        with memory_budget_set("1MB"), pytest.raises(ResourceLimitError):
            _ = Kernel.copy(Wire(2000)).matrix  # a structural kernel's dense matrix on demand
    monkeypatch.setenv("CATKIT_MEMORY_BUDGET", "2GiB")
    assert memory_budget() == 2 * 2**30
    monkeypatch.setenv("CATKIT_MEMORY_BUDGET", "none")
    check_allocation(10**30, "anything")
    assert parse_size("50%") > 0
    assert Kernel.uniform(Wire(4)).matrix.tolist()[0] == [Fraction(1, 4)] * 4


def test_huge_source_specs_are_refused_before_building():
    from catkit.sources import FiniteStateSource, check_spec

    V = 5000
    spec = {"kind": "finite-state", "exact": False, "vocab": [str(i) for i in range(V)], "states": ["s0", "s1"],
            "initial": [0.5, 0.5], "transitions": [[[1 / (2 * V)] * 2] * 2 for _ in range(V)]}
    assert FiniteStateSource.from_spec(spec).V == V  # control: it fits the default budget
    with memory_budget_set("100KB"), pytest.raises(ResourceLimitError, match="5000 tokens"):
        check_spec(spec)


def test_evaluate_filters_large_vocabularies_in_bounded_memory(monkeypatch):
    import tracemalloc

    from catkit.lm import GPTConfig, TinyGPT, evaluate, trainer
    from catkit.sources import FiniteStateSource

    V = 5000
    src = FiniteStateSource([1], [[[Fraction(1, V)]] for _ in range(V)], vocab=V)
    model = TinyGPT(GPTConfig(vocab_size=V, n_positions=8, d_model=8, n_layer=1, n_head=2))
    monkeypatch.setattr(trainer, "_FILTER_BYTES", 4 * 2**20)
    tracemalloc.start()
    r = evaluate(model, src, n_seqs=64, seq_len=8)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert np.allclose(r.source_ce, math.log(V))  # the exact i.i.d. uniform source
    assert peak < 64 * 8 * V * 8  # less than one (n_seqs, T, V) float64 array of next-token laws


def test_exact_logs_do_not_factor_large_integers():
    M = (2**89 - 1) * (2**107 - 1)  # a 60-digit semiprime
    with no_hang(60):
        h = shannon_entropy(Kernel.state([Fraction(1, M), 1 - Fraction(1, M)]))
        r = renyi_entropy(Kernel.state(["1/3", "2/3"]), 1000)
    p = 1 / M
    assert isinstance(h, sp.Basic) and math.isclose(float(h), -p * math.log(p) - (1 - p) * math.log1p(-p), rel_tol=1e-9)
    assert math.isclose(float(r), float(renyi_entropy(Kernel.state([1 / 3, 2 / 3]), 1000)), rel_tol=1e-9)
    with no_hang(20), pytest.raises(ResourceLimitError, match="float kernel"):
        renyi_entropy(Kernel.state(["1/3", "2/3"]), 10**6)
    with no_hang(10), pytest.raises(ValueError):
        renyi_entropy(Kernel.state(["1/3", "2/3"]), "1e999999999")


def test_d_separations_agree_with_the_definition_and_scale():
    rng = np.random.default_rng(5)
    for _ in range(12):
        n = int(rng.integers(2, 8))
        g = nx.DiGraph()
        g.add_nodes_from(range(n))
        g.add_edges_from((i, j) for i in range(n) for j in range(i + 1, n) if rng.random() < 0.4)
        brute = []
        for i, a in enumerate(g.nodes):
            for b in list(g.nodes)[i + 1 :]:
                rest = [v for v in g.nodes if v not in (a, b)]
                for mask in range(2 ** len(rest)):
                    W = [v for j, v in enumerate(rest) if mask >> j & 1]
                    if d_separated(g, a, b, W):
                        brute.append((a, b, W))
        assert d_separations(g) == brute
    chain = nx.DiGraph([(i, i + 1) for i in range(15)])
    with no_hang(120):
        seps = d_separations(chain)
    # on a chain, i and j > i + 1 are separated exactly by the sets holding a node strictly between them
    assert len(seps) == sum(2**14 - 2 ** (14 - (j - i - 1)) for i in range(16) for j in range(i + 2, 16))
    with memory_budget_set("1MB"), pytest.raises(ResourceLimitError):
        d_separations(chain)

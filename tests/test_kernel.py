"""Every Kernel operation on every backend, exactness, and bad input."""

from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
import torch
from extra_backends import ALL_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import (
    BackendMismatchError,
    CatkitError,
    I,
    Kernel,
    KernelValueError,
    NotDeterministicError,
    ObjectMismatchError,
    Wire,
)
from catkit.testing import stochastic_kernels

X, Y, Z = Wire(2), Wire(["a", "b", "c"]), Wire(2, name="Z")
F_ROWS = [[F(1, 2), F(1, 3), F(1, 6)], [F(0), F(1), F(0)]]
G_ROWS = [[F(1, 4), F(3, 4)], [F(1), F(0)], [F(2, 5), F(3, 5)]]


def ref_matmul(a, b):
    return [[sum((a[i][k] * b[k][j] for k in range(len(b))), F(0)) for j in range(len(b[0]))] for i in range(len(a))]


def ref_kron(a, b):
    return [[x * y for x in ra for y in rb] for ra in a for rb in b]


def as_fracs(k):
    rows = k.to("exact").matrix.tolist() if k.backend.exact else k.matrix.tolist()
    return [[F(x) if not isinstance(x, float) else x for x in r] for r in rows]


def make(rows, dom, cod, backend):
    if backend == "exact":
        return Kernel(rows, dom, cod)
    if backend == "sympy":
        return Kernel([[sp.Rational(x.numerator, x.denominator) for x in r] for r in rows], dom, cod, backend="sympy")
    if backend == "numpy":
        return Kernel([[float(x) for x in r] for r in rows], dom, cod)
    if backend == "flint":  # the test backend (tests/flint_backend.py): built from the same Fractions
        return Kernel(rows, dom, cod, backend="flint")
    return Kernel(torch.tensor([[float(x) for x in r] for r in rows], dtype=torch.float64), dom, cod)


BACKENDS = ALL_BACKENDS
EXACT = ("exact", "sympy", "flint")


def close(k, rows, tol=1e-12):
    got = k.to("numpy").matrix if k.backend.name != "torch" else k.matrix.numpy()
    return np.allclose(got, np.array([[float(x) for x in r] for r in rows]), atol=tol)


@pytest.mark.parametrize("backend", BACKENDS)
def test_composition_and_tensor_match_reference(backend):
    f, g = make(F_ROWS, X, Y, backend), make(G_ROWS, Y, Z, backend)
    fg = f >> g
    assert fg.dom == Obj1(X) and fg.cod == Obj1(Z) and fg.backend.name == backend
    assert close(fg, ref_matmul(F_ROWS, G_ROWS))
    t = f @ g
    assert t.dom == X @ Y and t.cod == Y @ Z
    assert close(t, ref_kron(F_ROWS, G_ROWS))
    if backend in EXACT:
        assert fg == make(ref_matmul(F_ROWS, G_ROWS), X, Z, backend)
        assert t == make(ref_kron(F_ROWS, G_ROWS), X @ Y, Y @ Z, backend)


def Obj1(w):
    from catkit import Obj

    return Obj(w)


@pytest.mark.parametrize("backend", BACKENDS)
def test_structural_kernels_adapt_to_every_backend(backend):
    f = make(F_ROWS, X, Y, backend)
    d = f >> Kernel.discard(Y)
    if backend in EXACT:
        assert d == Kernel.discard(X).to(backend)
    else:
        assert d.allclose(Kernel.discard(X).to(backend), tol=1e-12)
    assert (Kernel.id(X) >> f) == f and (f >> Kernel.id(Y)) == f
    c = f >> Kernel.copy(Y)
    assert c.backend.name == backend and c.cod == Y @ Y
    assert close(c.marginal(0), F_ROWS) and close(c.marginal(1), F_ROWS)
    s = (f @ Kernel.id(Z)) >> Kernel.swap(Y, Z)
    assert s.cod == Z @ Y
    assert (s >> Kernel.swap(Z, Y)) == f @ Kernel.id(Z).to(backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_marginals_permutations_and_states(backend):
    rows = [[F(1, 12), F(2, 12), F(3, 12), F(1, 12), F(2, 12), F(3, 12)]]
    joint = make(rows, I, X @ Y, backend)
    assert close(joint.marginal(0), [[F(1, 2), F(1, 2)]])
    assert close(joint.marginal(1), [[F(1, 6), F(1, 3), F(1, 2)]])
    swapped = joint.permute([1, 0])
    assert swapped.cod == Y @ X
    assert close(swapped.marginal(1), [[F(1, 2), F(1, 2)]])
    assert close(joint.marginal(1, 0), as_fracs(swapped) if backend != "numpy" and backend != "torch" else swapped.matrix.tolist())
    with pytest.raises(KernelValueError, match="wire position 2"):
        joint.marginal(2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_determinism_and_as_function(backend):
    h = Kernel.from_function(lambda x: "c" if x else "a", X, Y, backend=backend)
    assert h.backend.name == backend and h.is_deterministic()
    assert h.as_function() == {0: "a", 1: "c"}
    f = make(F_ROWS, X, Y, backend)
    assert not f.is_deterministic()
    with pytest.raises(NotDeterministicError, match="row 0"):
        f.as_function()


@pytest.mark.parametrize("backend", BACKENDS)
def test_repr_round_trips(backend):
    f = make(F_ROWS, X, Y, backend)
    ns = {"Kernel": Kernel, "Wire": Wire, "I": I, "torch": torch}
    assert eval(repr(f), ns) == f
    s = make([[F(1, 3), F(2, 3)]], I, X, backend)
    assert eval(repr(s), ns) == s
    assert "1/3" in str(f.table()) or "0.333333" in str(f.table())


def test_symbolic_reprs_round_trip_exactly():
    # entries are sympy source, not strings (which no longer parse as symbols); rational constants must not
    # come back as floats: p + 1/2 in Python source is p + 0.5
    sp = pytest.importorskip("sympy")
    p, q = sp.symbols("p q")
    ns = {"Kernel": Kernel, "Wire": Wire, "I": I, "S": sp.S, "sqrt": sp.sqrt, "p": p, "q": q}
    kernels = [
        Kernel.state([p, 1 - p]),
        Kernel.state([p / 2 + sp.Rational(1, 4), sp.Rational(3, 4) - p / 2]),
        Kernel([[p * q, 1 - p * q], [sp.Rational(1, 3), sp.Rational(2, 3)]], X, X),
        Kernel.state([sp.sqrt(2) / 2 * p, 1 - sp.sqrt(2) / 2 * p]),
    ]
    for k in kernels:
        back = eval(repr(k), ns)
        assert back.backend.name == "sympy" and back == k, repr(k)
        assert all(not e.has(sp.Float) for e in back.matrix.flat), repr(k)


def test_structural_reprs_round_trip():
    ns = {"Kernel": Kernel, "Wire": Wire, "I": I}
    for k in [Kernel.copy(X), Kernel.swap(X, Y), Kernel.point(Y, "b"), Kernel.discard(X @ Y)]:
        assert eval(repr(k), ns) == k


def test_exact_stays_exact_through_every_operation():
    f, g = Kernel(F_ROWS, X, Y), Kernel(G_ROWS, Y, Z)
    results = [
        f >> g, f @ g, f.marginal(0), (f @ g).permute([1, 0]), f >> Kernel.copy(Y), Kernel.copy(X) >> (f @ f),
        Kernel.uniform(Y), Kernel.state(["1/3", "2/3"]), f(1), Kernel.id(X) >> f, f >> Kernel.discard(Y),
    ]
    for r in results:
        assert r.backend.name == "exact"
        assert all(isinstance(x, F) for x in r.matrix.flat), r
    assert f[0, "b"] == F(1, 3) and isinstance(f[0, "b"], F)


def test_sympy_kernels_prove_identities_for_all_parameters():
    p, q = sp.symbols("p q", nonnegative=True)
    f = Kernel([[p, 1 - p], [q, 1 - q]])
    assert f.backend.name == "sympy"
    swap = Kernel([[0, 1], [1, 0]])
    # swapping twice is the identity, for every p, q
    assert f >> swap >> swap == f
    assert (f >> Kernel.copy(Wire(2))) != (Kernel.copy(Wire(2)) >> (f @ f))
    sub = f.subs({p: sp.Rational(1, 3), q: 1})
    assert sub.to("exact") == Kernel([["1/3", "2/3"], [1, 0]])
    with pytest.raises(KernelValueError, match="sums to"):
        Kernel([[p, p]])


def test_float_equality_is_explicit():
    a = Kernel([[0.1 + 0.2, 0.7]])
    b = Kernel([[0.3, 0.7]])
    assert a != b
    assert a.allclose(b, tol=1e-12)
    assert not a.allclose(Kernel([[0.31, 0.69]]), tol=1e-3)


def test_conversions_are_explicit_and_never_silently_rationalise():
    f = Kernel(F_ROWS, X, Y)
    assert f.to("numpy").backend.name == "numpy"
    assert f.to("torch", dtype=torch.float32).matrix.dtype == torch.float32
    assert f.to("sympy").to("exact") == f
    with pytest.raises(BackendMismatchError, match="never rationalised"):
        f.to("numpy").to("exact")
    with pytest.raises(KernelValueError, match="refuses the float 0.5"):
        Kernel([[0.5, 0.5]], backend="exact")


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "rows, model, message",
    [
        ([["1/2", "1/3"]], "finstoch", "row 0 of a kernel Wire(1) → Wire(2) sums to 5/6, not 1"),
        ([[1, 0], ["3/2", "-1/2"]], "finstoch", "row 1 of a kernel Wire(2) → Wire(2) has a negative entry"),
        ([["1/2", "1/2"]], "finset", "is not 0/1"),
        ([["3/2", "1/2"]], "substoch", "sums to 2 > 1"),
        ([["3/2", "1/2"]], "signed", "sums to 2, not 1"),
    ],
)
def test_invalid_rows_are_named(rows, model, message):
    with pytest.raises(KernelValueError) as e:
        Kernel(rows, model=model)
    assert message in str(e.value)


def test_error_names_labelled_row_entries_and_sum():
    with pytest.raises(KernelValueError) as e:
        Kernel([[1, 0, 0], ["1/4", "1/4", "1/4"]], dom=Wire(["rain", "sun"]), cod=Y)
    msg = str(e.value)
    assert "row 1 (input 'sun')" in msg and "sums to 3/4" in msg and "[1/4, 1/4, 1/4]" in msg


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_float_validation_nan_negative_and_tolerance(backend):
    def mk(rows, **kw):
        data = torch.tensor(rows, dtype=torch.float64) if backend == "torch" else rows
        return Kernel(data, **kw)

    with pytest.raises(KernelValueError, match="NaN"):
        mk([[0.5, float("nan")]])
    with pytest.raises(KernelValueError, match="infinite"):
        mk([[float("inf"), 0.0]])
    with pytest.raises(KernelValueError, match="negative"):
        mk([[1.5, -0.5]])
    with pytest.raises(KernelValueError, match="sums to 0.99"):
        mk([[0.5, 0.49]])
    assert mk([[0.5, 0.5 + 1e-12]]).shape == (1, 2)  # within the float64 tolerance
    with pytest.raises(KernelValueError):
        mk([[0.5, 0.5 + 1e-12]], tol=1e-14)
    assert mk([[1.5, -0.5]], model="signed").model.key == "signed"


def test_wrong_shapes_and_ragged_rows():
    with pytest.raises(KernelValueError, match="does not fit a kernel"):
        Kernel([[1, 0], [0, 1]], dom=Wire(3), cod=Wire(2))
    with pytest.raises(KernelValueError, match="rectangular"):
        Kernel([[1, 0], [1]])
    with pytest.raises(KernelValueError, match="needs dom= and cod="):
        Kernel(np.ones((1, 1, 1)))
    # an array with one axis per wire is accepted
    k = Kernel(np.full((2, 2, 1, 2), 0.25), dom=X, cod=X @ Wire(1) @ Wire(2))
    assert k.shape == (2, 2, 1, 2)


def test_mismatched_composition_names_both_objects():
    f, g = Kernel(F_ROWS, X, Y), Kernel(G_ROWS, Y, Z)
    with pytest.raises(ObjectMismatchError) as e:
        g >> f
    assert "Wire(2, name='Z')" in str(e.value) and "Wire(2)" in str(e.value)
    assert isinstance(e.value, TypeError)


def test_mixing_backends_is_an_error():
    f = Kernel(F_ROWS, X, Y)
    g = Kernel([[0.25, 0.75], [1.0, 0.0], [0.4, 0.6]], Y, Z)
    with pytest.raises(BackendMismatchError, match="exact vs numpy"):
        f >> g
    with pytest.raises(BackendMismatchError):
        f @ g
    t32 = g.to("torch", dtype=torch.float32)
    t64 = g.to("torch", dtype=torch.float64)
    with pytest.raises(BackendMismatchError, match="float32"):
        t32 @ t64
    with pytest.raises(KernelValueError, match="mix exact values"):
        Kernel([[F(1, 2), 0.5]])


def test_models_join_and_refuse_incompatible():
    s = Kernel([[2, -1], [0, 1]], model="signed")
    u = Kernel([["1/2", 0], [0, 1]], model="substoch")
    f = Kernel([["1/2", "1/2"], [0, 1]])
    assert (f >> s).model.key == "signed" and (f >> u).model.key == "substoch"
    with pytest.raises(CatkitError, match="no model contains both"):
        s >> u


def test_kernels_are_immutable():
    f = Kernel([[0.5, 0.5]])
    with pytest.raises(AttributeError):
        f.dom = Wire(3)  # type: ignore[misc]
    with pytest.raises(ValueError):
        f.matrix[0, 0] = 1.0
    data = np.array([[0.5, 0.5]])
    g = Kernel(data)
    data[0, 0] = 0.9
    assert g[0, 0] == 0.5  # the caller's array was copied


def test_zero_sized_wires():
    E = Wire(0)
    assert Kernel.id(E).shape == (0, 0)
    assert (Kernel.discard(E) >> Kernel.id(I)).shape == (0,)
    with pytest.raises(CatkitError, match="not an element of Wire\\(0\\)"):
        Kernel.from_function(lambda x: x, Wire(2), E)
    with pytest.raises(KernelValueError, match="sums to 0, not 1"):
        Kernel(np.zeros((2, 0), dtype=np.int64), dom=Wire(2), cod=E)


@given(stochastic_kernels(Wire(3), Wire(4)), stochastic_kernels(Wire(4), Wire(2)))
def test_backends_agree_on_random_composites(f, g):
    exact = (f >> g) @ f
    for b in ["numpy", "torch"]:
        other = (f.to(b) >> g.to(b)) @ f.to(b)
        assert np.allclose(other.to("numpy").matrix if b != "torch" else other.matrix.numpy(), exact.to("numpy").matrix)


@given(st.integers(1, 40))
def test_exact_composition_survives_int64_overflow(seed):
    """Long chains of kernels with large coprime denominators leave int64 and must stay exact."""
    rng = np.random.default_rng(seed)
    primes = [10007, 10009, 10037, 10039, 10061, 10067]
    k = Kernel.id(Wire(3))
    ref = [[F(int(i == j)) for j in range(3)] for i in range(3)]
    for step in range(8):
        p = primes[step % len(primes)] * (step + 1)
        rows = []
        for _ in range(3):
            a, b = rng.integers(1, p // 3, size=2)
            rows.append([F(int(a), p), F(int(b), p), 1 - F(int(a), p) - F(int(b), p)])
        k = k >> Kernel(rows)
        ref = ref_matmul(ref, rows)
    assert k == Kernel(ref)
    assert k.storage.num.dtype == object  # really left int64


def test_from_indices_matches_from_function_and_rejects_bad_indices():
    import numpy as np

    from catkit.errors import KernelValueError

    X, Y = Wire(3) @ Wire(2), Wire(4)
    f = Kernel.from_function(lambda a, b: (a + 2 * b) % 4, X, Y)
    idx = np.array([(a + 2 * b) % 4 for a in range(3) for b in range(2)])
    for backend in (None, "exact", "numpy"):
        g = Kernel.from_indices(idx, X, Y, backend=backend)
        assert g.as_function() == f.as_function() and g.is_deterministic()
    assert Kernel.from_indices(idx, X, Y) == f
    idx[0] = 9  # the kernel keeps its own copy of the indices
    assert Kernel.from_indices(np.arange(6) % 4, X, Y).as_function()[(0, 0)] == 0
    with pytest.raises(KernelValueError, match="6 integer indices"):
        Kernel.from_indices([0, 1], X, Y)
    with pytest.raises(KernelValueError, match="-1 at domain element 2"):
        Kernel.from_indices([0, 1, -1, 0, 0, 0], X, Y)
    with pytest.raises(KernelValueError, match="dtype float"):
        Kernel.from_indices(np.zeros(6), X, Y)


def test_projection_and_subs_take_any_iterable():
    # a one-shot iterator is read once (it used to be validated, then found empty: a projection onto I)
    P = Kernel.projection(X @ Y, iter([1, 0]))
    assert P.cod == Y @ X and P == Kernel.swap(X, Y)
    assert Kernel.projection(X @ Y, (j for j in [1])) == Kernel.projection(X @ Y, [1])
    sp = pytest.importorskip("sympy")
    p = sp.Symbol("p")
    k = Kernel.state([p, 1 - p])
    third = [[sp.Rational(1, 3), sp.Rational(2, 3)]]
    assert k.subs([(p, sp.Rational(1, 3))]).matrix.tolist() == k.subs({p: sp.Rational(1, 3)}).matrix.tolist() == third


def test_a_symbolic_kernels_matrix_cannot_change_the_kernel():
    sp = pytest.importorskip("sympy")
    p = sp.Symbol("p")
    k = Kernel.state([p, 1 - p])
    with pytest.raises(ValueError, match="read-only"):
        k.matrix[0, 0] = 5  # the storage itself, shown read-only (numpy kernels' matrices are read-only too)
    assert k == Kernel.state([p, 1 - p])

"""The backend protocol: a backend is one module plus its registration (the test backend of tests/flint_backend.py
proves it), no backend-name branch in the layers above the backends, one row validator, and the docs' worked example is
the test backend itself."""

from __future__ import annotations

import ast
import re
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from extra_backends import EXTRA_BACKEND

from catkit import BackendMismatchError, Kernel, KernelValueError, Wire
from catkit.backends import BACKENDS, UnknownBackendError, get_backend, register_backend, unregister_backend
from catkit.backends.exact import RatMatrix
from catkit.info import kl_divergence, shannon_entropy
from catkit.sources.probs import SourceError, check_rows
from catkit.structure import bayes_invert, conditional

ROOT = Path(__file__).resolve().parents[1]
needs_flint = pytest.mark.skipif(EXTRA_BACKEND is None, reason="python-flint is not installed")
F_ROWS = [[F(1, 2), F(1, 3), F(1, 6)], [F(0), F(1), F(0)]]


# --------------------------------------------------------------------- the extra backend is really used
@needs_flint
def test_the_test_backend_stores_flint_matrices_and_computes_exactly():
    import flint

    f = Kernel(F_ROWS, backend="flint")
    assert isinstance(f.storage, flint.fmpq_mat) and f.backend is get_backend("flint")
    g = Kernel([["1/4", "3/4"], [1, 0], ["2/5", "3/5"]], backend="flint")
    fg = f >> g
    assert isinstance(fg.storage, flint.fmpq_mat)
    assert fg.to("exact") == Kernel(F_ROWS) >> Kernel([["1/4", "3/4"], [1, 0], ["2/5", "3/5"]])
    # the information layer computes on its rows (rational quantities as Fractions, logs exactly)
    assert shannon_entropy(Kernel.state(["1/2", "1/2"], backend="flint")) == sp.log(2)
    assert kl_divergence(f, f).tolist() == [0, 0]


@needs_flint
def test_conversions_are_asked_of_the_target_backend():
    f = Kernel(F_ROWS, backend="flint")
    assert f.to("exact") == Kernel(F_ROWS) and Kernel(F_ROWS).to("flint") == f
    assert f.to("numpy").allclose(Kernel(F_ROWS).to("numpy"), 0.0)
    with pytest.raises(BackendMismatchError, match="never rationalised"):
        Kernel(F_ROWS).to("numpy").to("flint")
    with pytest.raises(KernelValueError, match="refuses the float"):
        Kernel([[0.5, 0.5]], backend="flint")
    with pytest.raises(KernelValueError, match=r"row 0 of a kernel Wire\(1\) → Wire\(2\) sums to 5/6, not 1"):
        Kernel([["1/2", "1/3"]], backend="flint")  # validated by the default (exact) row validator
    # exact rationals embed in sympy; two different exact backends do not mix silently
    p = sp.Symbol("p")
    s = Kernel([[p, 1 - p], [1, 0], [0, 1]], Wire(3), Wire(2))
    assert (f >> s).backend.name == "sympy"
    with pytest.raises(BackendMismatchError, match="flint vs exact"):
        f >> Kernel([["1/4", "3/4"], [1, 0], ["2/5", "3/5"]])


@needs_flint
def test_structure_results_stay_on_the_test_backend():
    f, p = Kernel([["1/2", "1/2"], [0, 1]], backend="flint"), Kernel.state(["1/3", "2/3"], backend="flint")
    inv = bayes_invert(f, p)
    assert inv.backend.name == "flint" and inv.to("exact") == bayes_invert(f.to("exact"), p.to("exact"))
    joint = Kernel.state([["1/2", 0], ["1/8", "3/8"]], Wire(2) @ Wire(2)).to("flint")
    assert conditional(joint, 0).to("exact") == conditional(joint.to("exact"), 0)


# --------------------------------------------------------------------- registration
def test_registration_refuses_duplicates_and_builtin_removal():
    with pytest.raises(UnknownBackendError, match="already registered"):
        register_backend(type(get_backend("numpy"))())
    with pytest.raises(UnknownBackendError, match="cannot be removed"):
        unregister_backend("torch")
    with pytest.raises(UnknownBackendError, match="no backend named"):
        unregister_backend("no-such-backend")


def test_a_registered_backend_is_found_by_name_and_removed_cleanly():
    class Float64Copy(type(get_backend("numpy"))):  # type: ignore[misc]
        name = "float64-copy"

    b = register_backend(Float64Copy(), aliases=("f64c",))
    try:
        k = Kernel([[0.25, 0.75]], backend="f64c")
        assert k.backend is b and get_backend("float64-copy") is b
        assert (k >> Kernel.copy(Wire(2))).backend is b  # structural kernels adapt to it
    finally:
        unregister_backend("float64-copy")
    assert "float64-copy" not in BACKENDS
    with pytest.raises(ValueError, match="unknown backend 'f64c'"):
        get_backend("f64c")


# --------------------------------------------------------------------- one row validator
def test_sources_validate_rows_with_the_kernels_validator():
    rows = np.array([[F(1, 2), F(1, 2)], [F(1, 2), F(1, 3)]], dtype=object)
    v = get_backend("exact").violation(RatMatrix.from_rows(rows.tolist()), nonneg=True, rowsum="eq", zero_one=False, tol=None)
    with pytest.raises(SourceError) as e:
        check_rows(rows, True, "transition", ["a", "b"])
    assert v is not None and str(e.value) == f"transition: row 'b' {v.reason}" and v.reason == "sums to 5/6, not 1"
    floats = np.array([[0.5, 0.5], [np.nan, 1.0]])
    with pytest.raises(SourceError, match="row 1 has a NaN or infinite entry"):
        check_rows(floats, False, "emission")
    check_rows(np.full((1, 10), 0.1), False, "emission")  # the exact sum of the floats is within the tolerance
    check_rows(rows[:1], True, "transition")  # a valid row passes (the control)


# --------------------------------------------------------------------- no backend-name branch outside backends/
_NAMES = {"exact", "sympy", "numpy", "torch"}
# the layers above the backends: kernels, the semantics functor, structure, information theory
_LAYERS = ["catkit/kernel.py", "catkit/semantics.py", "catkit/structure", "catkit/info"]


def _branches(tree: ast.AST) -> int:
    """Comparisons with a backend name (``x == "torch"``, ``x in ("exact", ...)``) and module sniffing
    (``type(x).__module__.startswith("torch")``, ``is_torch(x)``)."""
    n = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            consts = [c for c in [node.left, *node.comparators] if isinstance(c, ast.Constant)]
            consts += [e for c in node.comparators if isinstance(c, (ast.Tuple, ast.Set, ast.List)) for e in c.elts if isinstance(e, ast.Constant)]
            n += any(c.value in _NAMES for c in consts)
        elif isinstance(node, ast.Call):
            fn = node.func
            if isinstance(fn, ast.Name) and fn.id == "is_torch":
                n += 1
            elif isinstance(fn, ast.Attribute) and fn.attr == "startswith" and node.args and isinstance(node.args[0], ast.Constant):
                n += node.args[0].value in _NAMES
    return n


def test_no_backend_name_branches_in_the_layers_above_the_backends():
    paths = [p for layer in _LAYERS for p in ([ROOT / layer] if layer.endswith(".py") else sorted((ROOT / layer).rglob("*.py")))]
    assert len(paths) > 20
    found = {p.relative_to(ROOT).as_posix(): n for p in paths if (n := _branches(ast.parse(p.read_text(encoding="utf-8"))))}
    assert found == {}


def test_the_branch_finder_finds_branches():  # the control: a branch of each kind is counted
    code = 'if b.name == "torch": pass\nif k in ("exact", "sympy"): pass\nis_torch(x)\ntype(x).__module__.startswith("torch")\nif n == "x": pass'
    assert _branches(ast.parse(code)) == 4


# --------------------------------------------------------------------- the docs' worked example is this backend
def _blocks(md: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", md.split("## Adding a backend", 1)[1], flags=re.S)


@needs_flint
def test_the_docs_show_the_test_backend_and_their_example_runs():
    blocks = _blocks((ROOT / "docs" / "backends.md").read_text(encoding="utf-8"))
    assert blocks[0] == (ROOT / "tests" / "flint_backend.py").read_text(encoding="utf-8")
    unregister_backend("flint")  # the example registers it itself
    ns = {"FlintBackend": EXTRA_BACKEND}
    try:
        exec(blocks[1], ns)
    finally:
        if "flint" not in BACKENDS:
            register_backend(EXTRA_BACKEND())
    assert ns["inverse"].backend.name == "flint" and ns["inverse"].to("exact") == Kernel([[1, 0], ["1/5", "4/5"]])
    assert sp.simplify(ns["kl"] - (-11 * sp.log(2) / 6 + 5 * sp.log(5) / 6)) == 0 and ns["same"] is True

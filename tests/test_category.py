"""One morphism protocol, one Equation, one model registry: the three morphism types behave alike, statements
run on the category their generator supplies, and every reader of a model's knowledge reads the registry."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.axioms import EVERY, MODELS, REGISTRY, Statement, SymbolicGenerator, _instances, check, load_all, prove_free
from catkit.category import Equation, MarkovCategory, MarkovMorphism, Morphism
from catkit.diagrams import Box, Diagram, DiagramTypeError, Ty
from catkit.errors import ObjectMismatchError
from catkit.info import claims
from catkit.models import FINSTOCH, CheckModel, NotInModelError
from catkit.objects import Obj
from catkit.prover import EXAMPLE, parse
from catkit.structure import MultiKernel
from catkit.structure.multivalued import NotARelationError
from catkit.testing import model_kernels

load_all()
X2 = Wire(2)
MORPHISMS = [
    (Kernel, Kernel([["1/2", "1/2"], [0, 1]]), X2),
    (MultiKernel, MultiKernel([[1, 1], [0, 1]]), X2),
    (Diagram, Box("f", "X", "X"), Ty("X")),
]


# ---------------------------------------------------------------------- the protocol
@pytest.mark.parametrize(("C", "f", "X"), MORPHISMS, ids=["Kernel", "MultiKernel", "Diagram"])
def test_operators_are_then_and_tensor_on_every_morphism_type(C, f, X):
    assert issubclass(C, Morphism) and isinstance(f, MarkovMorphism) and isinstance(C, MarkovCategory)
    assert not isinstance(3, MarkovMorphism)
    g = C.copy(X) >> (C.id(X) @ C.discard(X))
    assert (f >> g) == f.then(g) and (f @ g) == f.tensor(g)
    assert (f >> g).cod == g.cod and (f @ g).dom == f.dom @ g.dom
    assert C.id(C.unit).dom == C.unit
    for bad in (3, "f", None):
        with pytest.raises(TypeError, match="unsupported operand"):
            f >> bad
        with pytest.raises(TypeError, match="unsupported operand"):
            f @ bad


def test_each_type_keeps_its_own_errors_and_coercions():
    with pytest.raises(ObjectMismatchError, match="the codomain of the first kernel, Wire\\(2\\), is not the domain of the second, Wire\\(3\\)"):
        Kernel.id(X2) >> Kernel.id(Wire(3))
    with pytest.raises(ObjectMismatchError, match="the codomain of the first map"):
        MultiKernel.id(X2) >> MultiKernel.id(Wire(3))
    with pytest.raises(DiagramTypeError, match="cannot compose f >> g"):
        Box("f", "X", "Y") >> Box("g", "Z", "X")
    with pytest.raises(DiagramTypeError, match="cannot compose a diagram with 3"):
        Box("f", "X", "Y").then(3)
    # a kernel on either side of a relation is taken as its 0/1 relation; a type next to a diagram is its identity
    rel = MultiKernel([[1, 1], [0, 1]])
    assert (Kernel.id(X2) >> rel) == rel == (rel >> Kernel.id(X2)) and (Kernel.id(X2) @ rel).dom == X2 @ X2
    with pytest.raises(NotARelationError):
        Kernel([["1/2", "1/2"]]) >> MultiKernel([[1], [1]])
    assert Ty("Z") @ Box("f", "X", "Y") == Diagram.id(Ty("Z")) @ Box("f", "X", "Y")
    with pytest.raises(TypeError):
        Ty("X") >> Box("f", "X", "Y")


# ---------------------------------------------------------------------- statements on the generator's category
@pytest.mark.parametrize("code", [f"A{i}" for i in range(1, 8)])
def test_the_markov_axioms_are_decided_in_the_free_markov_category(code):
    r = prove_free(REGISTRY[code])
    assert r.status == "holds", r.describe()
    if code != "A7":
        assert prove_free(REGISTRY[code], "cd").status == "holds"


def test_the_free_categories_refute_what_they_must():
    assert prove_free(REGISTRY["A7"], "cd").status == "fails"  # a CD category need not be Markov
    r = prove_free(REGISTRY["copy-natural"])
    assert r.status == "fails" and isinstance(r.counterexample["f"], Box)
    assert r.lhs.cod == r.rhs.cod == Ty("Y", "Y") and "Copy" in repr(r.rhs)

    def idempotent(g):  # a false "axiom": the free category finds it false too
        X = g.obj("X")
        f = g.kernel(X, X, "f")
        return [Equation("f >> f = f", f >> f, f)]

    assert prove_free(Statement("bogus", "", "", "", idempotent)).status == "fails"
    assert prove_free(REGISTRY["B6"]).status in ("error", "skipped")  # stated with kernels' own operations


def test_finsetmulti_statements_are_built_from_relations():
    seen = []

    def build(g):
        seen.append(g.category)
        X = g.obj("X")
        return [Equation("discard is a relation", g.category.discard(X), g.category.discard(X))]

    assert check(Statement("t", "", "", "", build), "finsetmulti", max_examples=3).status == "holds"
    assert check(Statement("t", "", "", "", build), "finstoch", max_examples=3).status == "holds"
    assert seen[0] is MultiKernel and seen[-1] is Kernel


# ---------------------------------------------------------------------- one Equation
def test_one_equation_class_serves_the_registry_the_claims_and_the_prover():
    eqs = REGISTRY["A7"].equations(SymbolicGenerator((2,)))
    conclusion = parse(EXAMPLE).theorems[0].conclusion
    for eq in (eqs[0], claims.claim("x", True), claims.inequality("1 <= 2", 1, 2), conclusion):
        assert type(eq) is Equation
    label, lhs, rhs = eqs[0]
    assert label == "f >> discard = discard" and eqs[0].holds() and lhs == rhs
    assert conclusion.text == conclusion.label and conclusion.line > 0 and conclusion.lhs.dom == conclusion.rhs.dom
    assert not claims.inequality("2 <= 1", 2, 1).holds()  # the control: a false inequality is a false equation
    assert Equation.of(("t", 1, 1)) == Equation("t", 1, 1) and not Equation("t", 1, 2).holds()


def test_one_truth_wire():
    assert _instances.TRUTH is claims.TRUTH and _instances.truth is claims.truth


# ---------------------------------------------------------------------- one model registry
@pytest.mark.parametrize("key", list(MODELS))
@settings(max_examples=15, database=None, deadline=None)
@given(data=st.data())
def test_each_model_draws_morphisms_of_its_own_category_and_compares_them(key, data):
    m = MODELS[key]
    D, C = Obj(X2), Obj(Wire(3))
    f = data.draw(m.kernels(D, C))
    assert isinstance(f, m.category) and f.dom == D and f.cod == C
    if not m.relational:
        assert f.model is m.rule and f.backend.name == m.backend
        assert f.is_deterministic() or not m.deterministic_only
        if m.markov:
            assert m.equal(f >> Kernel.discard(C), Kernel.discard(D))
    d = data.draw(m.kernels(D, C, "deterministic"))
    assert d.is_deterministic()
    assert m.equal(f, f)
    other = data.draw(model_kernels(m, D, C))
    assert m.equal(f, other) == m.equal(other, f)
    if f != d:  # the control: different morphisms are told apart
        assert not m.equal(f, d)


def test_flags_drive_the_expected_outcomes():
    for key, m in MODELS.items():
        assert REGISTRY["A7"].expected[key] == m.markov
        assert REGISTRY["copy-natural"].expected[key] == m.deterministic_only
        assert all(REGISTRY[f"A{i}"].expected[key] for i in range(1, 7))
    assert EVERY == {k: True for k in ("finstoch", "finstoch-float", "finset", "signed", "substoch")}
    assert [k for k, m in MODELS.items() if m.signed] == ["signed"]
    assert [k for k, m in MODELS.items() if not m.exact] == ["finstoch-float"]


def test_a_model_without_a_kind_of_kernel_skips_the_statement():
    with pytest.raises(NotInModelError, match="no 'full_support' kernels"):
        MODELS["signed"].kernels(Obj(X2), Obj(X2), "full_support")
    assert issubclass(NotARelationError, NotInModelError)

    def needs_full_support(g):
        X = g.obj("X")
        f = g.kernel(X, X, "f", kind="full_support")
        return [Equation("f = f", f, f)]

    stmt = Statement("fs", "", "", "", needs_full_support)
    assert check(stmt, "signed", max_examples=3).status == "skipped"
    assert check(stmt, "finstoch", max_examples=3).status == "holds"


def test_a_new_model_is_one_registry_entry():
    """A user's model (exact FinStoch with a tolerance, say) is checked like the shipped ones, from its entry alone."""
    tolerant = CheckModel("finstoch-tol", "FinStoch (tolerant)", FINSTOCH, tol=0.1)
    assert check(REGISTRY["A7"], tolerant, max_examples=10).status == "holds"
    assert check(REGISTRY["copy-natural"], tolerant, max_examples=50).status == "fails"
    assert tolerant.equal(Kernel([["1/2", "1/2"]]), Kernel([["11/20", "9/20"]]))
    assert not MODELS["finstoch"].equal(Kernel([["1/2", "1/2"]]), Kernel([["11/20", "9/20"]]))

"""Axioms and theorems as data: one statement, checked on every model.

A :class:`Statement` has a code (``"A4"``), a name, the statement as text,
its source, and a ``build`` function.  ``build(gen)`` draws what the
statement quantifies over from a :class:`Generator` (objects and kernels, and
the category they live in, ``gen.category``) and returns the
equations (:class:`~catkit.category.Equation`) that must hold.  The same ``build`` serves
four purposes:

* a hypothesis generator (:class:`HypothesisGenerator`) makes it a property
  test on a model of :data:`~catkit.models.MODELS` (:func:`check`), whose
  failure is shrunk to a small counterexample;
* a symbolic generator (:class:`SymbolicGenerator`) gives the general kernel
  of fixed sizes with sympy entries, so that the equations are *proved* for
  every kernel of those sizes (:func:`prove_symbolic`);
* the free generator (:class:`FreeGenerator`) gives boxes and atomic types, so
  that the equations are *decided* in a free category (:func:`prove_free`);
* users can call ``build`` with their own generator.

>>> from catkit.axioms import REGISTRY, check, MODELS
>>> r = check(REGISTRY["A7"], MODELS["substoch"], max_examples=50)
>>> r.holds, r.equation
(False, 'f >> discard = discard')
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import hypothesis.strategies as st
from hypothesis import HealthCheck, Phase, given, settings

from catkit.category import Equation, MarkovCategory
from catkit.diagrams.syntax import Box, Diagram, Ty
from catkit.errors import UsageError
from catkit.kernel import Kernel
from catkit.models import MODELS, CheckModel, NotInModelError
from catkit.objects import Obj, ObjLike, Wire, as_obj
from catkit.structure.errors import NoConditionalError
from catkit.testing import strategies as S

__all__ = [
    "Statement",
    "Equation",
    "Generator",
    "HypothesisGenerator",
    "SymbolicGenerator",
    "FreeGenerator",
    "CheckModel",
    "CheckResult",
    "check",
    "prove_symbolic",
    "prove_free",
    "EVERY",
    "PROBABILISTIC",
    "MODELS",
    "REGISTRY",
    "register",
]

#: the expected outcome "holds" on every model whose morphisms are kernels (FinSetMulti only where a statement says so)
EVERY: dict[str, bool] = {k: True for k, m in MODELS.items() if not m.relational}
#: "holds" on every model of probability distributions (FinStoch, exact and float, and FinSet)
PROBABILISTIC: dict[str, bool] = {k: True for k, m in MODELS.items() if m.probabilistic}


class Generator:
    """What a statement's ``build`` draws from: objects and kernels of a model, and the ``category``
    they live in (its ``id``, ``copy``, ``discard``, ``swap`` and ``unit``; see :mod:`catkit.category`).

    ``kind`` asks for a sub-class of kernels (``"any"``, ``"deterministic"``,
    ``"full_support"``); a generator that cannot provide it raises
    :class:`UnsupportedInstance`, and the statement is skipped for that model.

    A generator of your own instantiates any statement at the kernels you choose:

    >>> from fractions import Fraction
    >>> class Uniform(Generator):
    ...     def obj(self, name="X", min_wires=1, max_wires=2):
    ...         return Obj(Wire(2))
    ...     def kernel(self, dom, cod, name="f", kind="any"):
    ...         m, n = as_obj(dom).size, as_obj(cod).size
    ...         return Kernel([[Fraction(1, n)] * n] * m, dom, cod)
    >>> [(eq.label, eq.holds()) for eq in REGISTRY["A7"].equations(Uniform())]
    [('f >> discard = discard', True)]
    """

    model: CheckModel | None = None
    category: MarkovCategory[Any] = Kernel

    def obj(self, name: str = "X", min_wires: int = 1, max_wires: int = 2) -> Obj:
        """An object to quantify over (``name`` labels it in counterexamples).

        >>> SymbolicGenerator((3,)).obj()
        Obj(Wire(3))
        """
        raise NotImplementedError

    def kernel(self, dom: ObjLike, cod: ObjLike, name: str = "f", kind: str = "any") -> Kernel:
        """A kernel ``dom → cod`` to quantify over.

        >>> SymbolicGenerator().kernel(Wire(1), Wire(2)).matrix.tolist()
        [[f_0_0, 1 - f_0_0]]
        """
        raise NotImplementedError

    def draw(self, strategy: st.SearchStrategy[Any], name: str = "x") -> Any:
        """Anything else, from a hypothesis strategy (not available symbolically).

        >>> SymbolicGenerator().draw(st.integers())
        Traceback (most recent call last):
        ...
        catkit.axioms.statement.UnsupportedInstance: this generator cannot draw from hypothesis strategies
        """
        raise UnsupportedInstance("this generator cannot draw from hypothesis strategies")

    def _fresh(self, name: str) -> str:
        """``name``, or ``name2``, ``name3``, ... if a drawn value has it already."""
        drawn: dict[str, Any] = self.__dict__.setdefault("drawn", {})
        return next(k for k in itertools.chain([name], (f"{name}{i}" for i in itertools.count(2))) if k not in drawn)

    def _record(self, name: str, value: Any) -> Any:
        """Keep a drawn value for the counterexample, under a fresh name."""
        self.__dict__.setdefault("drawn", {})[self._fresh(name)] = value
        return value


class UnsupportedInstance(NotInModelError):
    """A generator cannot provide what a statement asks for (the check is skipped, with this reason)."""


@dataclass(frozen=True)
class Statement:
    """An axiom or theorem as data (see the module docstring).

    ``expected`` maps model keys to whether the statement should hold there;
    ``catkit check`` flags any model where the outcome differs.  ``proof`` names the theorems of
    catkit's proof library (``proofs/``, see ``catkit.proof.load_proofs``) that prove the
    statement (the parts that hold in every Markov category); each names this code back.

    >>> s = REGISTRY["A5"]
    >>> s.code, s.kind, s.expected["substoch"]
    ('A5', 'axiom', True)
    """

    code: str
    name: str
    text: str
    source: str
    build: Callable[[Generator], Sequence[Equation[Any] | tuple[str, Any, Any]]]
    kind: str = "axiom"  # axiom | theorem | non-theorem
    expected: dict[str, bool] = field(default_factory=dict)
    symbolic_sizes: tuple[tuple[int, ...], ...] = ()
    note: str = ""
    proof: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<Statement {self.code}: {self.name}>"

    def equations(self, gen: Generator) -> list[Equation[Any]]:
        """The equations for one instance drawn from ``gen`` (``build`` may also give ``(label, lhs, rhs)`` triples).

        >>> [eq.label for eq in REGISTRY["A7"].equations(SymbolicGenerator())]
        ['f >> discard = discard']
        """
        return [Equation.of(eq) for eq in self.build(gen)]


REGISTRY: dict[str, Statement] = {}


def register(stmt: Statement) -> Statement:
    """Add a statement to the registry (codes are unique).

    >>> "A1" in REGISTRY
    True
    """
    if stmt.code in REGISTRY and REGISTRY[stmt.code] is not stmt:
        raise UsageError(f"a statement with code {stmt.code!r} is already registered: {REGISTRY[stmt.code]!r}")
    REGISTRY[stmt.code] = stmt
    return stmt


# ---------------------------------------------------------------------- generators
class HypothesisGenerator(Generator):
    """Draws from hypothesis strategies of a :class:`CheckModel` (used by :func:`check`).

    >>> from hypothesis import given, settings
    >>> seen = set()
    >>> @settings(max_examples=5, database=None)
    ... @given(st.data())
    ... def instance(data):
    ...     g = HypothesisGenerator(data.draw, MODELS["finset"])
    ...     seen.add(g.kernel(g.obj(), g.obj()).is_deterministic())
    >>> instance(); seen
    {True}
    """

    def __init__(self, draw: Callable[..., Any], model: CheckModel, max_size: int = 3) -> None:
        self._draw, self.model, self.max_size = draw, model, max_size
        self.category = model.category
        self.drawn: dict[str, Any] = {}

    def obj(self, name: str = "X", min_wires: int = 1, max_wires: int = 2) -> Obj:
        return self._record(name, self._draw(S.objects(min_wires, max_wires, 1, self.max_size)))

    def kernel(self, dom: ObjLike, cod: ObjLike, name: str = "f", kind: str = "any") -> Kernel:
        assert self.model is not None
        return self._record(name, self._draw(self.model.kernels(as_obj(dom), as_obj(cod), kind)))

    def draw(self, strategy: st.SearchStrategy[Any], name: str = "x") -> Any:
        return self._record(name, self._draw(strategy))


class SymbolicGenerator(Generator):
    """The general kernel of each requested size, with sympy entries: a proof for those sizes.

    Objects are single wires whose sizes cycle through ``sizes``.

    >>> g = SymbolicGenerator((2, 3))
    >>> X, Y = g.obj(), g.obj()
    >>> g.kernel(X, Y).matrix.shape
    (2, 3)
    """

    def __init__(self, sizes: Sequence[int] = (2, 3)) -> None:
        self._sizes: Iterator[int] = itertools.cycle(sizes)
        self._names: dict[str, int] = {}
        self.drawn: dict[str, Any] = {}

    def obj(self, name: str = "X", min_wires: int = 1, max_wires: int = 2) -> Obj:
        X = Obj(Wire(next(self._sizes)))
        self.drawn[name] = X
        return X

    def kernel(self, dom: ObjLike, cod: ObjLike, name: str = "f", kind: str = "any") -> Kernel:
        if kind != "any":
            raise UnsupportedInstance(f"no general symbolic {kind!r} kernel")
        n = self._names.get(name, 0)
        self._names[name] = n + 1
        k = S.symbolic_kernel(dom, cod, name if n == 0 else f"{name}{n}")
        self.drawn[name] = k
        return k


class FreeGenerator(Generator):
    """Generic instances in the free Markov category: each object a fresh atomic type, each kernel a box
    (used by :func:`prove_free`).  A statement built from ``g.category`` runs here unchanged.

    >>> g = FreeGenerator()
    >>> X, Y = g.obj("X"), g.obj("Y")
    >>> g.kernel(X, Y, "f") >> g.category.discard(Y)
    Box('f', Ty('X'), Ty('Y')) >> Discard(Ty('Y'))
    """

    category = Diagram

    def __init__(self) -> None:
        self.drawn: dict[str, Any] = {}

    def obj(self, name: str = "X", min_wires: int = 1, max_wires: int = 2) -> Ty:  # type: ignore[override]
        key = self._fresh(name)  # a fresh atom per object
        X = self.drawn[key] = Ty(key)
        return X

    def kernel(self, dom: Any, cod: Any, name: str = "f", kind: str = "any") -> Box:  # type: ignore[override]
        if kind != "any":
            raise UnsupportedInstance(f"no {kind!r} generators in the free category (a box is any morphism)")
        return self._record(name, Box(name, dom, cod))  # type: ignore[no-any-return]


# ---------------------------------------------------------------------- checking
@dataclass
class CheckResult:
    """Outcome of checking one statement on one model.

    ``status`` is ``"holds"``, ``"fails"``, ``"skipped"`` (the model lacks what the
    statement needs) or ``"error"``; ``tried`` counts instances; a failure keeps the
    shrunk counterexample (the drawn values), the equation and both sides.
    """

    statement: Statement
    model: str
    status: str
    tried: int = 0
    counterexample: dict[str, Any] | None = None
    equation: str | None = None
    lhs: Any = None
    rhs: Any = None
    message: str = ""

    @property
    def holds(self) -> bool:
        """True when no counterexample was found.

        >>> check(REGISTRY["A7"], MODELS["finstoch"], max_examples=10).holds
        True
        """
        return self.status == "holds"

    @property
    def expected(self) -> bool | None:
        """Whether the statement is expected to hold on this model (None if unstated).

        >>> check(REGISTRY["A7"], MODELS["substoch"], max_examples=10).expected
        False
        """
        return self.statement.expected.get(self.model)

    @property
    def as_expected(self) -> bool:
        """True unless the outcome contradicts the statement's ``expected``.

        >>> r = check(REGISTRY["A7"], MODELS["substoch"], max_examples=20)
        >>> r.holds, r.as_expected
        (False, True)
        """
        if self.status in ("skipped",):
            return True
        if self.status == "error":
            return False
        exp = self.expected
        return exp is None or exp == self.holds

    def describe(self) -> str:
        """A multi-line explanation (the counterexample with both sides for failures).

        >>> r = check(REGISTRY["A7"], MODELS["substoch"], max_examples=20)
        >>> print(r.describe().splitlines()[0])
        A7 fails on sub-stochastic: equation 'f >> discard = discard'
        """
        name = MODELS[self.model].name if self.model in MODELS else self.model
        if self.status == "holds":
            return f"{self.statement.code} holds on {name} ({self.tried} instances)"
        if self.status in ("skipped", "error"):
            return f"{self.statement.code} {self.status} on {name}: {self.message}"
        lines = [f"{self.statement.code} fails on {name}: equation {self.equation!r}"]
        for k, v in (self.counterexample or {}).items():
            lines.append(f"  {k} = {v!r}")
        if self.message:
            lines.append(f"  {self.message}")
        if self.lhs is not None and self.rhs is not None:
            for side, x in (("left", self.lhs), ("right", self.rhs)):
                lines.append(f"  {side} side:")
                lines.extend("    " + s for s in (x.table() if hasattr(x, "table") else str(x)).splitlines())
        return "\n".join(lines)


class _Counterexample(Exception):
    pass


def check(stmt: Statement, model: CheckModel | str, max_examples: int = 100, max_size: int = 3) -> CheckResult:
    """Property-check a statement on a model; a failure is shrunk to a small counterexample.

    Deterministic (derandomised) and independent of hypothesis' example database.

    >>> check(REGISTRY["A1"], "finstoch", max_examples=10).status
    'holds'
    >>> r = check(REGISTRY["copy-natural"], "finstoch", max_examples=50)
    >>> r.status, sorted(r.counterexample)
    ('fails', ['X', 'Y', 'f'])
    """
    cm = MODELS[model] if isinstance(model, str) else model
    state: dict[str, Any] = {"tried": 0, "fail": None, "skip": None, "nocond": None}

    @st.composite
    def instance(draw: Callable[..., Any]) -> HypothesisGenerator:
        gen = HypothesisGenerator(draw, cm, max_size)
        try:
            eqs = stmt.equations(gen)
        except NoConditionalError as e:  # a fact about the model (shrunk like a failure), not an error in the statement
            state["nocond"] = (dict(gen.drawn), e)
            raise _Counterexample("no conditional") from None
        return gen, eqs  # type: ignore[return-value]

    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        # the explain phase re-runs every shrunk failure many times and reports nothing catkit shows
        phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    )
    @given(instance())
    def run(inst: Any) -> None:
        gen, eqs = inst
        state["tried"] += 1
        for eq in eqs:
            if not eq.holds(cm.equal):
                state["fail"] = (dict(gen.drawn), eq)
                raise _Counterexample(eq.label)

    try:
        run()
    except NotInModelError as e:
        return CheckResult(stmt, cm.key, "skipped", message=str(e))
    except _Counterexample:
        if state["fail"] is None:
            return _no_conditional(stmt, cm, state)
        return _failed(stmt, cm.key, state["tried"], *state["fail"])
    except BaseExceptionGroup as eg:  # several distinct failures: report the first
        if state["fail"] is None and state["nocond"] is not None:
            return _no_conditional(stmt, cm, state)
        if state["fail"] is not None:
            return _failed(stmt, cm.key, state["tried"], *state["fail"])
        return CheckResult(stmt, cm.key, "error", state["tried"], message=repr(eg.exceptions[0]))
    except Exception as e:  # an error inside the statement is reported, not raised
        return CheckResult(stmt, cm.key, "error", state["tried"], message=f"{type(e).__name__}: {e}")
    return CheckResult(stmt, cm.key, "holds", state["tried"])


def _failed(stmt: Statement, model: str, tried: int, drawn: dict[str, Any], eq: Equation[Any]) -> CheckResult:
    return CheckResult(stmt, model, "fails", tried, drawn, eq.label, eq.lhs, eq.rhs)


def _no_conditional(stmt: Statement, cm: CheckModel, state: dict[str, Any]) -> CheckResult:
    drawn, err = state["nocond"]
    why = (f"NoConditionalError: {err}. In {cm.name} a conditional need not exist, so the statement fails there as "
           "written; to check its formula anyway, build it with strict=False (conditional(..., strict=False), "
           "bayes_invert(..., strict=False)).")
    return CheckResult(stmt, cm.key, "fails", state["tried"], drawn, "a conditional exists", message=why)


def prove_symbolic(stmt: Statement, sizes: Sequence[int] = (2, 3)) -> CheckResult:
    """Prove a statement for all kernels whose wires have the given sizes (sympy).

    Each kernel is the general stochastic matrix with symbolic entries; the
    equations hold identically iff they hold for every kernel of those sizes.

    >>> prove_symbolic(REGISTRY["A2"], (2, 3)).status
    'holds'
    """
    return _decide(stmt, SymbolicGenerator(sizes), "symbolic " + "/".join(map(str, sizes)),
                   lambda a, b: a.dom == b.dom and a.cod == b.cod and a.to("sympy") == b.to("sympy"))


def prove_free(stmt: Statement, theory: str = "markov") -> CheckResult:
    """Decide a statement in the free ``theory`` (``"smc"``, ``"cd"``, ``"markov"``): the same ``build``,
    with boxes for kernels and atomic types for objects (:class:`FreeGenerator`), each equation decided
    by :meth:`~catkit.diagrams.Diagram.equals`.  What holds there holds in every category of that theory.

    >>> prove_free(REGISTRY["A7"]).status, prove_free(REGISTRY["A7"], "cd").status
    ('holds', 'fails')
    >>> prove_free(REGISTRY["copy-natural"]).equation
    'f >> copy = copy >> (f @ f)'
    """
    return _decide(stmt, FreeGenerator(), f"free {theory}", lambda a, b: a.equals(b, theory))


def _decide(stmt: Statement, gen: SymbolicGenerator | FreeGenerator, label: str, equal: Callable[[Any, Any], Any]) -> CheckResult:
    """One instance from a generator whose instance stands for all of them: holds, fails, skipped or error."""
    try:
        eqs = stmt.equations(gen)
        for eq in eqs:
            if not eq.holds(equal):
                return _failed(stmt, label, 1, dict(gen.drawn), eq)
    except NotInModelError as e:
        return CheckResult(stmt, label, "skipped", message=str(e))
    except Exception as e:  # a statement stated in terms this generator lacks (an error, reported, not raised)
        return CheckResult(stmt, label, "error", message=f"{type(e).__name__}: {e}")
    return CheckResult(stmt, label, "holds", 1)

"""The proof language: theorems, hypotheses, chains of diagrams and axiom schemas (see ``docs/proofs.md``).

Everything that can be checked without deciding an equality is checked here, at parse
time, and reported as ``file:line``: every equation is well typed (both sides have the same
domain and codomain), every chain line has the type of its statement, every justification
names a hypothesis, an earlier lemma, a theory or an axiom that exists, every context has
exactly one hole and the fact fits into it, and a step's theory is allowed by the theorem's
``theory:``.  Numbers are literals only; files, lines and expressions have size bounds.

>>> pf = parse(EXAMPLE, "example.proof")
>>> t = pf.theorems[0]
>>> t.name, t.theory, list(t.hypotheses), t.conclusion.text
('det_compose', 'markov', ['det_f', 'det_g'], 'deterministic(f >> g)')
>>> parse(EXAMPLE.replace("assume det_g: deterministic(g)", "assume det_g: g = copy(Y)"), "bad.proof")
Traceback (most recent call last):
...
catkit.prover.errors.ProofSyntaxError: bad.proof:6: ill-typed equation 'g = copy(Y)': the left side is Y → Z, the right side Y → Y @ Y
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catkit.category import Equation
from catkit.diagrams.hypergraph import THEORIES
from catkit.diagrams.syntax import Box, Copy, Diagram, Discard, Id, Ty
from catkit.prover.errors import ProofSyntaxError
from catkit.prover.expr import FUNCTIONS, NAME, Expr, Scope, compile_expr, split_top
from catkit.prover.source import check_text_limits, read_source

if TYPE_CHECKING:  # pragma: no cover
    from catkit.prover.check import TheoremResult
    from catkit.prover.semantic import Evaluation, SemanticReport

__all__ = [
    "EXAMPLE",
    "PREDICATES",
    "MAX_STEPS",
    "Equation",
    "Schema",
    "Justification",
    "Step",
    "Claim",
    "Theorem",
    "TheoremStatement",
    "ProofFile",
    "parse",
    "load",
    "theory_rank",
]

#: the most lines in one chain
MAX_STEPS = 500

EXAMPLE = """\
theorem det_compose: deterministic morphisms are closed under composition
source: Fritz 2020 (arXiv 1908.07021), Definition 10.1 and Lemma 10.12
types: X, Y, Z
boxes: f: X -> Y, g: Y -> Z
assume det_f: deterministic(f)
assume det_g: deterministic(g)

show: deterministic(f >> g)
    f >> g >> copy(Z)
  = f >> copy(Y) >> (g @ g)             by det_g in f >> _
  = copy(X) >> (f @ f) >> (g @ g)       by det_f in _ >> (g @ g)
  = copy(X) >> ((f >> g) @ (f >> g))    by markov
qed
"""


def theory_rank(theory: str) -> int:
    """``smc`` < ``cd`` < ``markov``: an equation of a smaller theory holds in every larger one.

    >>> theory_rank("cd") < theory_rank("markov")
    True
    """
    return THEORIES.index(theory)


# ---------------------------------------------------------------------- predicates
def _det(args: Sequence[Diagram], bad: Callable[[str], ProofSyntaxError]) -> tuple[Diagram, Diagram]:
    (f,) = args
    return f >> Copy(f.cod), Copy(f.dom) >> (f @ f)


def _as_equal(args: Sequence[Diagram], bad: Callable[[str], ProofSyntaxError]) -> tuple[Diagram, Diagram]:
    f, g, p = args
    if f.dom != g.dom or f.cod != g.cod:
        raise bad(f"f and g must have the same type, got {f.dom} → {f.cod} and {g.dom} → {g.cod}")
    if p.cod != f.dom:
        raise bad(f"p must land in the domain {f.dom} of f and g, got p: {p.dom} → {p.cod}")
    X = f.dom
    return p >> Copy(X) >> (Id(X) @ f), p >> Copy(X) >> (Id(X) @ g)


def _bayes_inverse(args: Sequence[Diagram], bad: Callable[[str], ProofSyntaxError]) -> tuple[Diagram, Diagram]:
    fd, f, p = args
    if p.dom != Ty():
        raise bad(f"the prior p must be a state I → X, got {p.dom} → {p.cod}")
    if p.cod != f.dom or fd.dom != f.cod or fd.cod != f.dom:
        raise bad(f"need p: I → X, f: X → Y, fd: Y → X; got p: I → {p.cod}, f: {f.dom} → {f.cod}, fd: {fd.dom} → {fd.cod}")
    X, Y = f.dom, f.cod
    return p >> Copy(X) >> (Id(X) @ f), p >> f >> Copy(Y) >> (fd @ Id(Y))


def _conditional(args: Sequence[Diagram], bad: Callable[[str], ProofSyntaxError]) -> tuple[Diagram, Diagram]:
    c, h = args
    Y, A = c.cod, h.dom
    if len(h.cod) < len(Y) or h.cod[len(h.cod) - len(Y):] != Y:
        raise bad(f"h: A → X @ Y must end with the codomain {Y} of c, got h: {h.dom} → {h.cod}")
    X = h.cod[: len(h.cod) - len(Y)]
    if c.dom != X @ A:
        raise bad(f"the conditional of h: {A} → {X} @ {Y} given {X} has type {X @ A} → {Y}, got c: {c.dom} → {c.cod}")
    marginal = h >> (Id(X) @ Discard(Y))
    return h, Copy(A) >> (marginal @ Id(A)) >> (Copy(X) @ Id(A)) >> (Id(X) @ c)


#: name -> (parameter names, expansion into an equation lhs = rhs, meaning)
PREDICATES: dict[str, tuple[tuple[str, ...], Callable[..., tuple[Diagram, Diagram]], str]] = {
    "deterministic": (("f",), _det, "f >> copy(B) = copy(A) >> (f @ f)"),
    "as_equal": (("f", "g", "p"), _as_equal, "p >> copy(X) >> (X @ f) = p >> copy(X) >> (X @ g)  (f =_p g)"),
    "bayes_inverse": (("fd", "f", "p"), _bayes_inverse, "p >> copy(X) >> (X @ f) = p >> f >> copy(Y) >> (fd @ Y)"),
    "conditional": (("c", "h"), _conditional,
                    "h = copy(A) >> ((h >> (X @ discard(Y))) @ A) >> (copy(X) @ A) >> (X @ c)  (h: A → X @ Y, c: X @ A → Y)"),
}
_PRED_RE = re.compile(rf"\s*({'|'.join(PREDICATES)})\s*\((.*)\)\s*", re.S)


# ---------------------------------------------------------------------- data
@dataclass(frozen=True)
class Schema:
    """An axiom schema ``axiom name(f: A -> B, ...)`` with premises (``if``) and a conclusion
    (``then``); a step ``by name(d1, ...) in C`` instantiates it at diagrams.

    ``builtin`` schemas ship with catkit (positivity, causality: properties FinStoch has,
    each a statement of :mod:`catkit.axioms` checked on models); others are local to a file.

    >>> s = BUILTIN["positivity"]
    >>> s.builtin, s.registry, [p[0] for p in s.params]
    (True, 'B3', ['f', 'g'])
    """

    name: str
    params: tuple[tuple[str, str, str], ...]
    premises: tuple[tuple[str, int], ...]
    conclusion: tuple[str, int]
    file: str
    line: int
    builtin: bool = False
    registry: str = ""
    source: str = ""

    def instantiate(self, args: Sequence[Diagram], file: str, line: int) -> tuple[list[Equation], Equation]:
        """Bind the parameters to diagrams (type variables by their domains and codomains).

        >>> from catkit.diagrams import Box
        >>> prem, concl = BUILTIN["positivity"].instantiate([Box("f", "X", "Y"), Box("g", "Y", "Z")], "x.proof", 5)
        >>> prem[0].text, concl.rhs.cod
        ('deterministic(f >> g)', Ty('Y', 'Z'))
        """
        if len(args) != len(self.params):
            raise ProofSyntaxError(file, line, f"the axiom {self.name} takes {len(self.params)} diagrams, got {len(args)}")
        types: dict[str, Ty] = {}
        boxes: dict[str, Diagram] = {}
        for (p, a, b), d in zip(self.params, args):
            for var, ty in ((a, d.dom), (b, d.cod)):
                ok = ty == Ty() if var == "I" else types.setdefault(var, ty) == ty
                if not ok:
                    raise ProofSyntaxError(
                        file, line, f"{self.name}: the argument for {p} has type {d.dom} → {d.cod}, which does not fit "
                        f"{p}: {a} -> {b} with {var} = {types.get(var, Ty())}")
            boxes[p] = d
        scope = Scope(types, boxes)
        try:
            premises = [_equation(t, scope, file, line) for t, _ in self.premises]
            conclusion = _equation(self.conclusion[0], scope, file, line)
        except ProofSyntaxError as e:
            raise ProofSyntaxError(file, line, f"the instance of {self.name} is ill-typed: {e.message}") from None
        return premises, conclusion


@dataclass(frozen=True)
class Justification:
    """How a step follows: ``kind`` is ``"theory"`` (decided in ``name``), ``"fact"`` (a
    hypothesis or lemma applied in a context) or ``"axiom"`` (a schema instance in a context).

    ``left`` and ``right`` are the context with the fact's two sides put in the hole.

    >>> j = parse(EXAMPLE).theorems[0].claims[0].chain[1].by
    >>> j.kind, j.name, j.context.text
    ('fact', 'det_g', 'f >> _')
    """

    kind: str
    name: str
    text: str
    context: Expr | None = None
    fact: Equation | None = None
    premises: tuple[Equation, ...] = ()
    left: Diagram | None = None
    right: Diagram | None = None


@dataclass(frozen=True)
class Step:
    """One line of a chain: a diagram and (except on the first line) its justification.

    >>> parse(EXAMPLE).theorems[0].claims[0].chain[0].text
    'f >> g >> copy(Z)'
    """

    diagram: Diagram
    text: str
    line: int
    by: Justification | None


@dataclass
class Claim:
    """A ``have`` (a lemma for later chains) or the ``show`` (the conclusion), with its chain.

    >>> parse(EXAMPLE).theorems[0].claims[0].kind
    'show'
    """

    kind: str
    name: str
    equation: Equation
    chain: list[Step]
    line: int


@dataclass(frozen=True)
class TheoremStatement:
    """What a theorem says, without its proof: for all boxes, the hypotheses imply the conclusion
    (in the free ``theory``, and in every model of it, assuming the listed ``axioms``).

    >>> print(parse(EXAMPLE).theorems[0].statement)
    det_compose [markov]: for all f: X → Y, g: Y → Z,
      if det_f: deterministic(f)
     and det_g: deterministic(g)
      then deterministic(f >> g)
    """

    name: str
    theory: str
    boxes: tuple[Box, ...]
    hypotheses: tuple[tuple[str, Equation], ...]
    conclusion: Equation
    axioms: tuple[str, ...] = ()

    def __str__(self) -> str:
        boxes = ", ".join(f"{b.name}: {b.dom or 'I'} → {b.cod or 'I'}" for b in self.boxes)
        lines = [f"{self.name} [{self.theory}]: for all {boxes}," if boxes else f"{self.name} [{self.theory}]:"]
        for i, (n, e) in enumerate(self.hypotheses):
            lines.append(f"  {'if' if i == 0 else ' and'} {n}: {e.text}")
        lines.append(f"  {'then ' if self.hypotheses else ''}{self.conclusion.text}")
        if self.axioms:
            lines.append(f"  (assuming {', '.join(self.axioms)})")
        return "\n".join(lines)

    def draw(self, path: str | Path | None = None) -> Any:
        """The picture of :func:`catkit.prover.draw.draw_statement` (a matplotlib Figure).

        >>> len(parse(EXAMPLE).theorems[0].statement.draw().axes)
        3
        """
        from catkit.prover.draw import draw_statement

        return draw_statement(self, path)

    def _repr_png_(self) -> bytes:  # pragma: no cover - exercised by notebooks
        import io

        buf = io.BytesIO()
        self.draw().savefig(buf, format="png")
        return buf.getvalue()


@dataclass
class Theorem:
    """A parsed theorem: its boxes, hypotheses, lemmas and conclusion, and the axiom schemas in scope.

    >>> t = parse(EXAMPLE, "example.proof").theorems[0]
    >>> t.name, sorted(t.boxes), t.conclusion.line
    ('det_compose', ['f', 'g'], 8)
    """

    name: str
    title: str
    file: str
    line: int
    source: str = ""
    theory: str = "markov"
    registry: str = ""
    types: dict[str, Ty] = field(default_factory=dict)
    boxes: dict[str, Box] = field(default_factory=dict)
    hypotheses: dict[str, Equation] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)
    schemas: dict[str, Schema] = field(default_factory=dict)

    @property
    def conclusion(self) -> Equation:
        """The ``show`` equation.

        >>> parse(EXAMPLE).theorems[0].conclusion.text
        'deterministic(f >> g)'
        """
        return next(c.equation for c in self.claims if c.kind == "show")

    @property
    def axioms(self) -> tuple[str, ...]:
        """The axiom schemas its steps instantiate (in order of first use).

        >>> parse(EXAMPLE).theorems[0].axioms
        ()
        """
        out: list[str] = []
        for c in self.claims:
            for st in c.chain:
                if st.by is not None and st.by.kind == "axiom" and st.by.name not in out:
                    out.append(st.by.name)
        return tuple(out)

    @property
    def statement(self) -> TheoremStatement:
        """The statement (boxes, hypotheses, conclusion, theory, axioms used), printable and drawable.

        >>> parse(EXAMPLE).theorems[0].statement.hypotheses[0][0]
        'det_f'
        """
        return TheoremStatement(self.name, self.theory, tuple(self.boxes.values()), tuple(self.hypotheses.items()),
                                self.conclusion, self.axioms)

    def check(self) -> TheoremResult:
        """Check the proof (see :func:`catkit.prover.check.check_theorem`).

        >>> parse(EXAMPLE).theorems[0].check().status
        'proved'
        """
        from catkit.prover.check import check_theorem

        return check_theorem(self)

    def evaluate(self, functor: Any, ob: Any = None) -> Evaluation:
        """Evaluate hypotheses and conclusion under a semantics: a
        :class:`~catkit.semantics.Functor`, or a mapping from box names to kernels.

        >>> from catkit import Kernel
        >>> t = parse(EXAMPLE).theorems[0]
        >>> swap = Kernel([[0, 1], [1, 0]])
        >>> e = t.evaluate({"f": swap, "g": swap})
        >>> e.hypotheses, e.conclusion
        ({'det_f': True, 'det_g': True}, True)
        >>> t.evaluate({"f": Kernel([["1/2", "1/2"], [0, 1]]), "g": swap}).hypotheses["det_f"]
        False
        """
        from catkit.prover.semantic import evaluate

        return evaluate(self, functor, ob)

    def semantic(self, **options: Any) -> SemanticReport:
        """Evaluate on random exact models of its hypotheses and counter-models
        (see :func:`catkit.prover.semantic.semantic_check`).

        >>> r = parse(EXAMPLE).theorems[0].semantic(samples=2, seed=1)
        >>> r.ok, [(n.hypothesis, n.needed) for n in r.needs][:2]
        (True, [('det_f', True), ('det_g', True)])
        """
        from catkit.prover.semantic import semantic_check

        return semantic_check(self, **options)

    def draw(self, path: str | Path | None = None) -> Any:
        """Draw the statement: each hypothesis and the conclusion as an equation of diagrams
        (see :func:`catkit.prover.draw.draw_statement`).

        >>> fig = parse(EXAMPLE).theorems[0].draw()
        >>> len(fig.axes)
        3
        """
        from catkit.prover.draw import draw_statement

        return draw_statement(self.statement, path)


@dataclass
class ProofFile:
    """The theorems and file-local axiom schemas of one file.

    >>> len(parse(EXAMPLE, "example.proof").theorems)
    1
    """

    file: str
    schemas: dict[str, Schema]
    theorems: list[Theorem]


# ---------------------------------------------------------------------- parsing helpers
def _equation_sides(text: str, file: str, line: int) -> tuple[str, str]:
    parts = text.split("=")
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        preds = ", ".join(f"{k}(...)" for k in PREDICATES)
        raise ProofSyntaxError(file, line, f"expected an equation 'lhs = rhs' or one of {preds}, got {text.strip()!r}")
    return parts[0].strip(), parts[1].strip()


def _equation(text: str, scope: Scope, file: str, line: int) -> Equation:
    """Parse and type-check an equation or a predicate."""
    text = text.strip()
    m = _PRED_RE.fullmatch(text)
    if m and "=" not in text:
        name = m.group(1)
        params, expand, meaning = PREDICATES[name]
        arg_texts = split_top(m.group(2))
        if len(arg_texts) != len(params):
            raise ProofSyntaxError(file, line, f"{name}({', '.join(params)}) takes {len(params)} arguments, got {len(arg_texts)}")
        args = tuple(scope.diagram(a, file, line) for a in arg_texts)

        def bad(msg: str) -> ProofSyntaxError:
            return ProofSyntaxError(file, line, f"ill-typed {text!r}: {msg}")

        lhs, rhs = expand(args, bad)
        return Equation(f"{name}({', '.join(arg_texts)})", lhs, rhs, line=line, predicate=name, args=args)
    lt, rt = _equation_sides(text, file, line)
    lhs, rhs = scope.diagram(lt, file, line), scope.diagram(rt, file, line)
    if lhs.dom != rhs.dom or lhs.cod != rhs.cod:
        raise ProofSyntaxError(file, line, f"ill-typed equation '{lt} = {rt}': the left side is {_arrow(lhs)}, "
                               f"the right side {_arrow(rhs)}")
    return Equation(f"{lt} = {rt}", lhs, rhs, line=line)


def _arrow(d: Diagram) -> str:
    return f"{d.dom or 'I'} → {d.cod or 'I'}"


def _call_split(by: str) -> tuple[str, str | None, str | None] | None:
    """``NAME``, ``NAME(args)``, ``NAME in CTX`` or ``NAME(args) in CTX`` -> (name, args, ctx)."""
    m = re.match(rf"({NAME})\s*", by)
    if not m:
        return None
    name, rest = m.group(1), by[m.end():]
    args = None
    if rest.startswith("("):
        depth = 0
        for i, ch in enumerate(rest):
            depth += ch in "(["
            depth -= ch in ")]"
            if depth == 0:
                args, rest = rest[1:i], rest[i + 1:].strip()
                break
        else:
            return None
    rest = rest.strip()
    if not rest:
        return name, args, None
    mm = re.fullmatch(r"in\s+(.+)", rest, re.S)
    if not mm:
        return None
    return name, args, mm.group(1).strip()


# ---------------------------------------------------------------------- the parser
class _Parser:
    def __init__(self, file: str, builtin: bool, schemas: dict[str, Schema]) -> None:
        self.file, self.builtin = file, builtin
        self.schemas: dict[str, Schema] = dict(schemas)  # visible: built-in, then this file's, in order
        self.local: dict[str, Schema] = {}
        self.theorems: list[Theorem] = []
        self.names: dict[str, int] = {}
        self.thm: Theorem | None = None
        self.scope: Scope | None = None
        self.claim: Claim | None = None
        self.facts: dict[str, Equation] = {}  # hypotheses and lemmas usable by the current chain
        self.axiom: dict[str, Any] | None = None

    def err(self, line: int, msg: str) -> ProofSyntaxError:
        return ProofSyntaxError(self.file, line, msg)

    # -------------------------------------------------------------- axioms
    def close_axiom(self) -> None:
        a = self.axiom
        if a is None:
            return
        self.axiom = None
        if a["then"] is None:
            raise self.err(a["line"], f"axiom {a['name']} has no 'then' line")
        s = Schema(a["name"], tuple(a["params"]), tuple(a["if"]), a["then"], self.file, a["line"], self.builtin,
                   a.get("registry", ""), a.get("source", ""))
        # type-check the schema once, on generic boxes of its type variables
        generic = [Box(p, Ty(x) if x != "I" else Ty(), Ty(y) if y != "I" else Ty()) for p, x, y in s.params]
        for text, line in (*s.premises, s.conclusion):
            types = {v: Ty(v) for _, x, y in s.params for v in (x, y) if v != "I"}
            _equation(text, Scope(types, {b.name: b for b in generic}), self.file, line)
        self.schemas[s.name] = s
        self.local[s.name] = s

    def axiom_line(self, body: str, lineno: int) -> None:
        assert self.axiom is not None
        m = re.fullmatch(r"(if|then|registry:|source:)\s*(.*)", body)
        if not m:
            raise self.err(lineno, f"an axiom continues with 'if EQUATION' or 'then EQUATION', got {body!r}")
        key, rest = m.group(1), m.group(2)
        if key in ("registry:", "source:"):
            self.axiom[key[:-1]] = rest.strip()
        elif key == "if":
            self.axiom["if"].append((rest, lineno))
        elif self.axiom["then"] is not None:
            raise self.err(lineno, f"axiom {self.axiom['name']} has two 'then' lines")
        else:
            self.axiom["then"] = (rest, lineno)

    def start_axiom(self, rest: str, lineno: int) -> None:
        if self.thm is not None:
            raise self.err(lineno, "declare axioms outside theorems")
        mm = re.fullmatch(rf"({NAME})\s*\((.*)\)\s*:?", rest)
        if not mm:
            raise self.err(lineno, f"an axiom starts 'axiom name(f: A -> B, ...):', got {rest!r}")
        name = mm.group(1)
        if name in self.schemas:
            what = "a built-in axiom" if self.schemas[name].builtin else f"declared at line {self.schemas[name].line}"
            raise self.err(lineno, f"the axiom {name!r} is already {what}")
        if name in THEORIES or name in PREDICATES or name in FUNCTIONS:
            raise self.err(lineno, f"the name {name!r} is reserved")
        params, seen = [], set()
        for p in split_top(mm.group(2)):
            pm = re.fullmatch(rf"({NAME})\s*:\s*({NAME})\s*->\s*({NAME})", p)
            if not pm:
                raise self.err(lineno, f"an axiom parameter reads 'f: A -> B' (type variables), got {p!r}")
            if pm.group(1) in seen:
                raise self.err(lineno, f"the parameter {pm.group(1)!r} is declared twice")
            seen.add(pm.group(1))
            params.append((pm.group(1), pm.group(2), pm.group(3)))
        if not params:
            raise self.err(lineno, f"axiom {name} has no parameters")
        self.axiom = {"name": name, "params": params, "if": [], "then": None, "line": lineno}

    # -------------------------------------------------------------- theorems
    def start_theorem(self, rest: str, lineno: int) -> None:
        if self.thm is not None:
            raise self.err(lineno, f"theorem {self.thm.name} (line {self.thm.line}) is not closed with 'qed'")
        mm = re.fullmatch(rf"({NAME})\s*:\s*(.*)", rest)
        if not mm or not mm.group(2).strip():
            raise self.err(lineno, f"a theorem starts 'theorem name: title', got {rest!r}")
        name = mm.group(1)
        if name in self.names:
            raise self.err(lineno, f"a theorem named {name!r} is already defined at line {self.names[name]}")
        self.names[name] = lineno
        self.thm = Theorem(name, mm.group(2).strip(), self.file, lineno, schemas=dict(self.schemas))
        self.scope = Scope(self.thm.types, self.thm.boxes)
        self.claim, self.facts = None, {}

    def header(self, key: str, rest: str, lineno: int) -> None:
        thm, scope = self.thm, self.scope
        assert thm is not None and scope is not None
        if thm.hypotheses or thm.claims:
            raise self.err(lineno, f"'{key}:' must come before the hypotheses and statements of theorem {thm.name}")
        if key == "source":
            thm.source = rest
        elif key == "registry":
            if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", rest):
                raise self.err(lineno, f"registry: names a statement code of catkit.axioms (e.g. B6-unique), got {rest!r}")
            thm.registry = rest
        elif key == "theory":
            if rest not in THEORIES:
                raise self.err(lineno, f"theory: is one of {', '.join(THEORIES)}, got {rest!r}")
            thm.theory = rest
        elif key == "types":
            for n in split_top(rest):
                if not re.fullmatch(NAME, n) or n == "I":
                    raise self.err(lineno, f"{n!r} is not a type name")
                self.fresh(n, lineno)
                thm.types[n] = Ty(n)
        else:  # boxes
            for decl in split_top(rest):
                bm = re.fullmatch(rf"({NAME})\s*:\s*(.*?)\s*->\s*(.*)", decl)
                if not bm:
                    raise self.err(lineno, f"a box is declared as 'name: dom -> cod', got {decl!r}")
                name = bm.group(1)
                self.fresh(name, lineno)
                thm.boxes[name] = Box(name, scope.ty(bm.group(2), self.file, lineno), scope.ty(bm.group(3), self.file, lineno))

    def fresh(self, name: str, lineno: int) -> None:
        thm = self.thm
        assert thm is not None
        if name in thm.boxes or name in thm.types or name in FUNCTIONS or name in PREDICATES or name == "I":
            raise self.err(lineno, f"the name {name!r} is already taken")

    def statement(self, key: str, rest: str, lineno: int) -> None:
        thm, scope = self.thm, self.scope
        assert thm is not None and scope is not None
        if key != "assume" and any(c.kind == "show" for c in thm.claims):
            raise self.err(lineno, f"theorem {thm.name} has a '{key}' after its 'show' (one conclusion, last)")
        if key == "show":
            name, eq_text = "conclusion", rest
        else:
            mm = re.fullmatch(rf"({NAME})\s*:\s*(.*)", rest, re.S)
            if not mm:
                raise self.err(lineno, f"'{key}' needs a name: '{key} name: lhs = rhs'")
            name, eq_text = mm.group(1), mm.group(2)
        if name in thm.hypotheses or any(c.name == name for c in thm.claims) or name in self.schemas \
                or name in THEORIES:
            raise self.err(lineno, f"the name {name!r} is used twice in theorem {thm.name} (or names an axiom or theory)")
        eq = _equation(eq_text, scope, self.file, lineno)
        if key == "assume":
            if thm.claims:
                raise self.err(lineno, "hypotheses ('assume') come before the first 'have' or 'show'")
            thm.hypotheses[name] = eq
            self.facts[name] = eq
            self.claim = None
            return
        self.end_claim()
        self.claim = Claim(key, name, eq, [], lineno)
        thm.claims.append(self.claim)

    def end_claim(self) -> None:
        c = self.claim
        if c is not None and c.kind == "have":
            self.facts[c.name] = c.equation

    def chain_line(self, body: str, lineno: int) -> None:
        thm, scope, claim = self.thm, self.scope, self.claim
        if thm is None or claim is None or scope is None:
            raise self.err(lineno, "an indented proof line must follow a 'have' or 'show' statement")
        if len(claim.chain) >= MAX_STEPS:
            raise self.err(lineno, f"the chain of {claim.name} has more than {MAX_STEPS} lines (split it with lemmas)")
        eq = claim.equation
        if not claim.chain:
            if body.startswith("="):
                raise self.err(lineno, "a chain starts with a diagram, not with '='")
            d = scope.diagram(body, self.file, lineno)
            self.same_type(d, eq, body, lineno)
            claim.chain.append(Step(d, body, lineno, None))
            return
        m = re.fullmatch(r"=\s*(.*?)\s+by\s+(.+)", body, re.S)
        if not m:
            raise self.err(lineno, f"a proof step reads '= DIAGRAM   by JUSTIFICATION', got {body!r}")
        d = scope.diagram(m.group(1), self.file, lineno)
        self.same_type(d, eq, m.group(1), lineno)
        claim.chain.append(Step(d, m.group(1).strip(), lineno, self.justification(m.group(2).strip(), d, lineno)))

    def same_type(self, d: Diagram, eq: Equation, text: str, lineno: int) -> None:
        if d.dom != eq.lhs.dom or d.cod != eq.lhs.cod:
            raise self.err(lineno, f"the chain line {text.strip()!r} has type {_arrow(d)}, but the statement "
                           f"'{eq.text}' is about {_arrow(eq.lhs)}")

    def justification(self, by: str, d: Diagram, lineno: int) -> Justification:
        thm, scope, claim = self.thm, self.scope, self.claim
        assert thm is not None and scope is not None and claim is not None
        if by in THEORIES:
            if theory_rank(by) > theory_rank(thm.theory):
                raise self.err(lineno, f"'by {by}' in theorem {thm.name}, whose theory is {thm.theory}: a step may only "
                               f"use {', '.join(THEORIES[: theory_rank(thm.theory) + 1])}")
            return Justification("theory", by, by)
        parts = _call_split(by)
        if parts is None:
            raise self.err(lineno, f"cannot read the justification {by!r}: use a theory ({', '.join(THEORIES)}), "
                           "'NAME [in CONTEXT]' or 'AXIOM(d, ...) [in CONTEXT]'")
        name, args_text, ctx_text = parts
        premises: tuple[Equation, ...] = ()
        if name in self.schemas:
            if args_text is None:
                raise self.err(lineno, f"{name} is an axiom: instantiate it, {name}({', '.join(p[0] for p in self.schemas[name].params)})")
            if thm.theory != "markov":
                raise self.err(lineno, f"the axiom {name} is about Markov categories; theorem {thm.name} is in theory {thm.theory}")
            args = [scope.diagram(t, self.file, lineno) for t in split_top(args_text)]
            prem, fact = self.schemas[name].instantiate(args, self.file, lineno)
            premises, kind = tuple(prem), "axiom"
        elif name in self.facts:
            if args_text is not None:
                raise self.err(lineno, f"{name} is a hypothesis or lemma, not an axiom: it takes no arguments")
            fact, kind = self.facts[name], "fact"
        elif name == claim.name:
            raise self.err(lineno, f"{name} cannot be used inside its own proof")
        else:
            raise self.err(lineno, f"unknown hypothesis, lemma or axiom {name!r} in theorem {thm.name}")
        ctx = compile_expr(ctx_text or "_", self.file, lineno)
        if ctx.holes != 1:
            raise self.err(lineno, f"the context {ctx.text!r} must contain the hole _ exactly once")
        try:
            left = scope.diagram(ctx, self.file, lineno, fact.lhs)
            right = scope.diagram(ctx, self.file, lineno, fact.rhs)
        except ProofSyntaxError as e:
            raise self.err(lineno, f"{name} does not fit the context {ctx.text!r}: {e.message}") from None
        if left.dom != d.dom or left.cod != d.cod:
            raise self.err(lineno, f"{name} in the context {ctx.text!r} has type {_arrow(left)}, but the chain is about {_arrow(d)}")
        return Justification(kind, name, by, ctx, fact, premises, left, right)

    def qed(self, lineno: int) -> None:
        thm = self.thm
        assert thm is not None
        if not any(c.kind == "show" for c in thm.claims):
            raise self.err(lineno, f"theorem {thm.name} has no 'show:' statement")
        for c in thm.claims:
            if not c.chain:
                raise self.err(c.line, f"{c.kind} {c.name} has no proof (an indented chain of diagrams must follow it)")
            if len(c.chain) < 2:
                raise self.err(c.chain[0].line, f"the chain of {c.name} has no step ('= DIAGRAM   by JUSTIFICATION')")
        self.theorems.append(thm)
        self.thm, self.scope, self.claim = None, None, None

    # -------------------------------------------------------------- driver
    def run(self, text: str) -> ProofFile:
        for lineno, raw in enumerate(text.split("\n"), 1):
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            indented = line[0] in " \t"
            body = line.strip()
            if indented and self.axiom is not None:
                self.axiom_line(body, lineno)
                continue
            if indented:
                self.chain_line(body, lineno)
                continue
            self.close_axiom()
            m = re.fullmatch(r"(\w+)\s*(.*)", body, re.S)
            key, rest = (m.group(1), m.group(2)) if m else (body, "")
            if key == "theorem":
                self.start_theorem(rest, lineno)
                continue
            if key == "axiom":
                self.start_axiom(rest, lineno)
                continue
            if self.thm is None:
                raise self.err(lineno, f"{(key + ':') if rest.startswith(':') else body!r} outside a theorem "
                               "(start one with 'theorem name: title')")
            if key in ("source", "registry", "theory", "types", "boxes", "assume", "have", "show"):
                if not rest.startswith(":") and key not in ("assume", "have"):
                    raise self.err(lineno, f"expected '{key}: ...', got {body!r}")
                rest = rest[1:].strip() if rest.startswith(":") and key not in ("assume", "have") else rest.strip()
                if key in ("assume", "have", "show"):
                    self.statement(key, rest, lineno)
                else:
                    self.header(key, rest, lineno)
            elif key == "qed" and not rest:
                self.end_claim()
                self.qed(lineno)
            else:
                raise self.err(lineno, f"unknown keyword {key!r}: expected theorem, source, registry, theory, types, boxes, "
                               "assume, have, show, qed or axiom")
        self.close_axiom()
        if self.thm is not None:
            raise self.err(self.thm.line, f"theorem {self.thm.name} is not closed with 'qed'")
        return ProofFile(self.file, self.local, self.theorems)


def parse(text: str, file: str = "<proof>", *, allow_empty: bool = False) -> ProofFile:
    """Parse a proof file (the format of ``docs/proofs.md``); errors name the file and line.

    A file without a theorem is an error (``allow_empty=True`` accepts one that only declares axioms).

    >>> pf = parse(EXAMPLE, "example.proof")
    >>> [c.kind for c in pf.theorems[0].claims], len(pf.theorems[0].claims[0].chain)
    (['show'], 4)
    >>> parse("show: f = f\\n", "x.proof")
    Traceback (most recent call last):
    ...
    catkit.prover.errors.ProofSyntaxError: x.proof:1: 'show:' outside a theorem (start one with 'theorem name: title')
    >>> parse("# nothing\\n", "empty.proof")
    Traceback (most recent call last):
    ...
    catkit.prover.errors.ProofSyntaxError: empty.proof:1: the file has no theorem
    """
    check_text_limits(text, file)
    pf = _Parser(file, False, BUILTIN).run(text)
    if not pf.theorems and not (allow_empty and pf.schemas):
        raise ProofSyntaxError(file, 1, "the file has no theorem")
    return pf


def load(path: str | Path) -> ProofFile:
    """Read (safely: see :mod:`catkit.prover.source`) and parse a proof file.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "t.proof")
    >>> _ = open(p, "w").write(EXAMPLE)
    >>> load(p).theorems[0].name
    'det_compose'
    """
    return parse(read_source(path), str(path))


# ---------------------------------------------------------------------- built-in axioms
_BUILTIN_TEXT = """\
axiom positivity(f: A -> B, g: B -> C):
    registry: B3
    source: Fritz 2020 (arXiv 1908.07021), Definition 11.22
    if deterministic(f >> g)
    then f >> copy(B) >> (B @ g) = copy(A) >> (f @ (f >> g))

axiom causality(f: A -> W, g: W -> X, h1: X -> Y, h2: X -> Y):
    registry: B4
    source: Fritz 2020 (arXiv 1908.07021), Section 11 (causal Markov categories)
    if f >> g >> copy(X) >> (X @ h1) = f >> g >> copy(X) >> (X @ h2)
    then f >> copy(W) >> (W @ (g >> copy(X) >> (X @ h1))) = f >> copy(W) >> (W @ (g >> copy(X) >> (X @ h2)))
"""

#: the axiom schemas every proof file may use (properties FinStoch has; not true in every Markov category)
BUILTIN: dict[str, Schema] = _Parser("<catkit>", True, {}).run(_BUILTIN_TEXT).schemas

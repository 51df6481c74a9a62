"""Machine-checked proofs about string diagrams (the checker behind ``catkit prove``).

A proof file (``*.proof``, see ``docs/proofs.md``) declares wire types and
boxes, states hypotheses as diagram equations, and proves a conclusion by a
chain of diagrams.  Each step of a chain is justified either by equality in
the free Markov category (``by markov``, decided by
:mod:`catkit.diagrams.equality`) or by one hypothesis (or axiom-schema
instance) applied inside a context with a hole ``_``: the checker substitutes
both sides of the hypothesis into the context and decides that the previous
diagram equals one substitution and the next diagram the other.

>>> text = '''
... theorem counit: discarding one copy gives the wire back
... source: Fritz 2020 (arXiv 1908.07021), Definition 2.1
... types: X
... show: copy(X) >> (X @ discard(X)) = id(X)
...     copy(X) >> (X @ discard(X))
...   = id(X)    by markov
... qed
... '''
>>> tuple(r.status for r in check_text(text, "example.proof"))
('proved',)
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catkit.diagrams.equality import equal, normal_form
from catkit.diagrams.hypergraph import THEORIES
from catkit.diagrams.syntax import Box, Copy, Diagram, DiagramTypeError, DiagramValueError, Discard, Id, Permutation, Swap, Ty
from catkit.errors import CatkitError

__all__ = [
    "ProofSyntaxError",
    "Equation",
    "Schema",
    "Step",
    "Claim",
    "Theorem",
    "ProofFile",
    "StepResult",
    "TheoremResult",
    "parse",
    "load",
    "check_text",
    "check_paths",
    "main",
]

_NAME = r"[A-Za-z][A-Za-z0-9_']*"
_FUNCS = ("copy", "discard", "swap", "id", "permutation")


class ProofSyntaxError(CatkitError, ValueError):
    """A malformed proof file: the message starts with ``file:line:``.

    >>> try:
    ...     parse("theorem t: oops\\nboxes: f X -> Y\\n", "bad.proof")
    ... except ProofSyntaxError as e:
    ...     print(e)
    bad.proof:2: a box is declared as 'name: dom -> cod', got 'f X -> Y'
    """

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message


# ---------------------------------------------------------------------- expressions
class _Scope:
    """Names visible in a diagram expression: wire types, boxes, and bound variables."""

    def __init__(self, types: dict[str, Ty], boxes: dict[str, Diagram]) -> None:
        self.types, self.boxes = types, boxes

    def eval(self, text: str, file: str, line: int, hole: Diagram | None = None) -> Any:
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError as e:
            raise ProofSyntaxError(file, line, f"cannot read {text.strip()!r}: {e.msg}") from None
        try:
            return self._eval(tree.body, hole, file, line)
        except (DiagramTypeError, DiagramValueError) as e:
            raise ProofSyntaxError(file, line, f"ill-typed diagram {text.strip()!r}: {e}") from None

    def diagram(self, text: str, file: str, line: int, hole: Diagram | None = None) -> Diagram:
        d = self.eval(text, file, line, hole)
        if isinstance(d, Ty):
            d = Id(d)
        if not isinstance(d, Diagram):
            raise ProofSyntaxError(file, line, f"{text.strip()!r} is not a diagram")
        return d

    def ty(self, node: ast.AST, hole: Diagram | None, file: str, line: int) -> Ty:
        t = self._eval(node, hole, file, line)
        if not isinstance(t, Ty):
            raise ProofSyntaxError(file, line, f"{ast.unparse(node)!r} is not a wire type")
        return t

    def _eval(self, node: ast.AST, hole: Diagram | None, file: str, line: int) -> Any:
        if isinstance(node, ast.Name):
            if node.id == "_":
                if hole is None:
                    raise ProofSyntaxError(file, line, "the hole _ may only appear in a context (after 'in')")
                return hole
            if node.id == "I":
                return Ty()
            if node.id in self.boxes:
                return self.boxes[node.id]
            if node.id in self.types:
                return self.types[node.id]
            raise ProofSyntaxError(file, line, f"unknown name {node.id!r} (declare it under types: or boxes:)")
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.RShift, ast.MatMult)):
            a = self._eval(node.left, hole, file, line)
            b = self._eval(node.right, hole, file, line)
            if isinstance(node.op, ast.RShift):
                a = Id(a) if isinstance(a, Ty) else a
                b = Id(b) if isinstance(b, Ty) else b
                return a >> b
            return a @ b
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCS and not node.keywords:
            f, args = node.func.id, node.args
            if f == "swap" and len(args) == 2:
                return Swap(self.ty(args[0], hole, file, line), self.ty(args[1], hole, file, line))
            if f == "permutation" and len(args) == 2 and isinstance(args[1], ast.List):
                perm: list[Any] = [e.value for e in args[1].elts if isinstance(e, ast.Constant)]
                return Permutation(self.ty(args[0], hole, file, line), perm)
            if f == "copy" and len(args) in (1, 2):
                n: Any = args[1].value if len(args) == 2 and isinstance(args[1], ast.Constant) else 2
                return Copy(self.ty(args[0], hole, file, line), n)
            if f in ("discard", "id") and len(args) == 1:
                t = self.ty(args[0], hole, file, line)
                return Discard(t) if f == "discard" else Id(t)
            raise ProofSyntaxError(file, line, f"bad arguments in {ast.unparse(node)!r}")
        raise ProofSyntaxError(
            file, line, f"unsupported expression {ast.unparse(node)!r}: use names, >>, @, parentheses and "
            f"{', '.join(_FUNCS)}"
        )


def _count_holes(text: str) -> int:
    return len(re.findall(r"(?<![A-Za-z0-9_'])_(?![A-Za-z0-9_'])", text))


# ---------------------------------------------------------------------- structure
@dataclass(frozen=True)
class Equation:
    """A diagram equation ``lhs = rhs`` as written at ``line``.

    >>> from catkit.diagrams import Box
    >>> Equation(Box("f", "X", "Y"), Box("f", "X", "Y"), "f = f", 3).line
    3
    """

    lhs: Diagram
    rhs: Diagram
    text: str
    line: int


@dataclass(frozen=True)
class Schema:
    """An axiom schema: ``axiom name(f: A -> B, ...)`` with premises (``if``) and a conclusion (``then``),
    instantiated at diagrams in a step such as ``by positivity(psi, X @ discard(Y)) in _``.

    >>> Schema("s", (("f", "A", "B"),), (), ("f", "f"), 1).params[0]
    ('f', 'A', 'B')
    """

    name: str
    params: tuple[tuple[str, str, str], ...]
    premises: tuple[tuple[str, str], ...]
    conclusion: tuple[str, str]
    line: int

    def instantiate(self, args: Sequence[Diagram], file: str, line: int) -> tuple[list[Equation], Equation]:
        """Bind the parameters to diagrams (type variables by their domains and codomains).

        >>> from catkit.diagrams import Box
        >>> s = Schema("counit", (("f", "A", "B"),), (), ("f >> discard(B)", "discard(A)"), 1)
        >>> _, c = s.instantiate([Box("g", "X", "Y")], "x.proof", 5)
        >>> c.lhs.cod, c.rhs.dom
        (Ty(), Ty('X'))
        """
        if len(args) != len(self.params):
            raise ProofSyntaxError(file, line, f"the schema {self.name} takes {len(self.params)} diagrams, got {len(args)}")
        types: dict[str, Ty] = {}
        boxes: dict[str, Diagram] = {}
        for (p, a, b), d in zip(self.params, args):
            for var, ty in ((a, d.dom), (b, d.cod)):
                if var == "I":
                    ok = ty == Ty()
                else:
                    ok = types.setdefault(var, ty) == ty
                if not ok:
                    raise ProofSyntaxError(
                        file, line, f"{self.name}: the argument for {p} has type {d.dom} → {d.cod}, which does not fit "
                        f"{p}: {a} -> {b} with {var} = {types.get(var, Ty())}"
                    )
            boxes[p] = d
        scope = _Scope(types, boxes)
        def eq(lt: str, rt: str) -> Equation:
            return Equation(scope.diagram(lt, file, line), scope.diagram(rt, file, line), f"{lt} = {rt}", line)

        return [eq(lt, rt) for lt, rt in self.premises], eq(*self.conclusion)


@dataclass(frozen=True)
class Step:
    """One link ``= diagram  by justification`` of a chain (the first link has no justification).

    >>> from catkit.diagrams import Box
    >>> Step(Box("f", "X", "Y"), "f", 7, None).line
    7
    """

    diagram: Diagram
    text: str
    line: int
    by: str | None


@dataclass
class Claim:
    """A ``have`` (a lemma usable by later steps) or the ``show`` (the conclusion), with its chain.

    >>> Claim("show", "conclusion", None, [], 1).kind
    'show'
    """

    kind: str
    name: str
    equation: Equation | None
    chain: list[Step]
    line: int


@dataclass
class Theorem:
    """A parsed theorem: its boxes, hypotheses, lemmas and conclusion.

    >>> t = parse(EXAMPLE, "example.proof").theorems[0]
    >>> t.name, sorted(t.boxes), t.conclusion.text
    ('det_compose', ['f', 'g'], 'f >> g >> copy(Z) = copy(X) >> ((f >> g) @ (f >> g))')
    """

    name: str
    title: str
    file: str
    line: int
    source: str = ""
    types: dict[str, Ty] = field(default_factory=dict)
    boxes: dict[str, Box] = field(default_factory=dict)
    hypotheses: dict[str, Equation] = field(default_factory=dict)
    claims: list[Claim] = field(default_factory=list)

    @property
    def conclusion(self) -> Equation:
        """The ``show`` equation.

        >>> parse(EXAMPLE, "example.proof").theorems[0].conclusion.line
        8
        """
        for c in self.claims:
            if c.kind == "show" and c.equation is not None:
                return c.equation
        raise ProofSyntaxError(self.file, self.line, f"theorem {self.name} has no 'show:' line")

    def holds_in(self, ar: Any, ob: Any = None) -> tuple[dict[str, bool], bool]:
        """Evaluate the hypotheses and the conclusion under a semantics (boxes → kernels,
        by name): which hypotheses hold, and whether the conclusion holds (exact ``==``).

        >>> from catkit import Kernel
        >>> t = parse(EXAMPLE, "example.proof").theorems[0]
        >>> swap = Kernel([[0, 1], [1, 0]])
        >>> t.holds_in({"f": swap, "g": swap})
        ({'det_f': True, 'det_g': True}, True)
        >>> t.holds_in({"f": Kernel([["1/2", "1/2"], [0, 1]]), "g": swap})
        ({'det_f': False, 'det_g': True}, False)
        """
        from catkit.semantics import Functor

        F = Functor(ar, ob)
        hyps = {n: F(e.lhs) == F(e.rhs) for n, e in self.hypotheses.items()}
        c = self.conclusion
        return hyps, F(c.lhs) == F(c.rhs)


@dataclass
class ProofFile:
    """The theorems and axiom schemas of one file.

    >>> len(parse(EXAMPLE, "example.proof").theorems)
    1
    """

    file: str
    schemas: dict[str, Schema]
    theorems: list[Theorem]


EXAMPLE = """\
theorem det_compose: deterministic morphisms are closed under composition
source: Fritz 2020 (arXiv 1908.07021), Section 10
types: X, Y, Z
boxes: f: X -> Y, g: Y -> Z
assume det_f: f >> copy(Y) = copy(X) >> (f @ f)
assume det_g: g >> copy(Z) = copy(Y) >> (g @ g)

show: f >> g >> copy(Z) = copy(X) >> ((f >> g) @ (f >> g))
    f >> g >> copy(Z)
  = f >> copy(Y) >> (g @ g)             by det_g in f >> _
  = copy(X) >> (f @ f) >> (g @ g)       by det_f in _ >> (g @ g)
  = copy(X) >> ((f >> g) @ (f >> g))    by markov
qed
"""


# ---------------------------------------------------------------------- parsing
def _split_top(text: str, sep: str = ",") -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "([" and 1 or 0
        depth -= ch in ")]" and 1 or 0
        if ch == sep and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [s.strip() for s in out if s.strip()]


def _equation_text(text: str, file: str, line: int) -> tuple[str, str]:
    parts = text.split("=")
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise ProofSyntaxError(file, line, f"expected an equation 'lhs = rhs', got {text.strip()!r}")
    return parts[0].strip(), parts[1].strip()


def _type_expr(text: str, types: dict[str, Ty], file: str, line: int) -> Ty:
    scope = _Scope(types, {})
    t = scope.eval(text, file, line)
    if not isinstance(t, Ty):
        raise ProofSyntaxError(file, line, f"{text.strip()!r} is not a wire type")
    return t


def parse(text: str, file: str = "<proof>") -> ProofFile:
    """Parse a proof file (the format of ``docs/proofs.md``); errors name the file and line.

    >>> pf = parse(EXAMPLE, "example.proof")
    >>> [c.kind for c in pf.theorems[0].claims], len(pf.theorems[0].claims[0].chain)
    (['show'], 4)
    >>> parse("show: f = f\\n", "x.proof")
    Traceback (most recent call last):
    ...
    catkit.proof.ProofSyntaxError: x.proof:1: 'show:' outside a theorem (start one with 'theorem name: title')
    """
    schemas: dict[str, Schema] = {}
    theorems: list[Theorem] = []
    thm: Theorem | None = None
    scope: _Scope | None = None
    claim: Claim | None = None
    axiom: dict[str, Any] | None = None

    def close_axiom(lineno: int) -> None:
        nonlocal axiom
        if axiom is not None:
            if axiom["then"] is None:
                raise ProofSyntaxError(file, axiom["line"], f"axiom {axiom['name']} has no 'then' line")
            a = axiom
            schemas[a["name"]] = Schema(a["name"], tuple(a["params"]), tuple(a["if"]), a["then"], a["line"])
            axiom = None

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        indented = line[0] in " \t"
        body = line.strip()
        if indented and axiom is not None:
            m = re.fullmatch(r"(if|then)\s+(.*)", body)
            if not m:
                raise ProofSyntaxError(file, lineno, f"an axiom continues with 'if EQUATION' or 'then EQUATION', got {body!r}")
            sides = _equation_text(m.group(2), file, lineno)
            if m.group(1) == "if":
                axiom["if"].append(sides)
            elif axiom["then"] is not None:
                raise ProofSyntaxError(file, lineno, f"axiom {axiom['name']} has two 'then' lines")
            else:
                axiom["then"] = sides
            continue
        if indented:
            if thm is None or claim is None or scope is None:
                raise ProofSyntaxError(file, lineno, "an indented proof line must follow a 'have' or 'show' statement")
            if not claim.chain:
                if body.startswith("="):
                    raise ProofSyntaxError(file, lineno, "a chain starts with a diagram, not with '='")
                claim.chain.append(Step(scope.diagram(body, file, lineno), body, lineno, None))
                continue
            m = re.fullmatch(r"=\s*(.*?)\s+by\s+(.+)", body)
            if not m:
                raise ProofSyntaxError(file, lineno, f"a proof step reads '= DIAGRAM   by JUSTIFICATION', got {body!r}")
            claim.chain.append(Step(scope.diagram(m.group(1), file, lineno), m.group(1), lineno, m.group(2).strip()))
            continue
        close_axiom(lineno)
        m = re.fullmatch(r"(\w+)\s*(.*)", body)
        key, rest = (m.group(1), m.group(2)) if m else (body, "")
        if key == "theorem":
            if thm is not None:
                raise ProofSyntaxError(file, lineno, f"theorem {thm.name} (line {thm.line}) is not closed with 'qed'")
            mm = re.fullmatch(rf"({_NAME})\s*:\s*(.*)", rest)
            if not mm:
                raise ProofSyntaxError(file, lineno, f"a theorem starts 'theorem name: title', got {body!r}")
            thm = Theorem(mm.group(1), mm.group(2), file, lineno)
            scope = _Scope(thm.types, thm.boxes)  # type: ignore[arg-type]
            claim = None
            continue
        if key == "axiom":
            if thm is not None:
                raise ProofSyntaxError(file, lineno, "declare axioms outside theorems")
            mm = re.fullmatch(rf"({_NAME})\s*\((.*)\)\s*:?", rest)
            if not mm:
                raise ProofSyntaxError(file, lineno, f"an axiom starts 'axiom name(f: A -> B, ...):', got {body!r}")
            params = []
            for p in _split_top(mm.group(2)):
                pm = re.fullmatch(rf"({_NAME})\s*:\s*({_NAME})\s*->\s*({_NAME})", p)
                if not pm:
                    raise ProofSyntaxError(file, lineno, f"an axiom parameter reads 'f: A -> B' (type variables), got {p!r}")
                params.append((pm.group(1), pm.group(2), pm.group(3)))
            axiom = {"name": mm.group(1), "params": params, "if": [], "then": None, "line": lineno}
            continue
        if thm is None or scope is None:
            raise ProofSyntaxError(file, lineno, f"{(key + ':') if rest.startswith(':') else body!r} outside a theorem "
                                   "(start one with 'theorem name: title')")
        rest = rest[1:].strip() if rest.startswith(":") else rest
        if key == "source":
            thm.source = rest
        elif key == "types":
            for n in _split_top(rest):
                if not re.fullmatch(_NAME, n):
                    raise ProofSyntaxError(file, lineno, f"{n!r} is not a type name")
                thm.types[n] = Ty(n)
        elif key == "boxes":
            for decl in _split_top(rest):
                bm = re.fullmatch(rf"({_NAME})\s*:\s*(.*?)\s*->\s*(.*)", decl)
                if not bm:
                    raise ProofSyntaxError(file, lineno, f"a box is declared as 'name: dom -> cod', got {decl!r}")
                name = bm.group(1)
                if name in thm.boxes or name in thm.types or name in _FUNCS or name == "I":
                    raise ProofSyntaxError(file, lineno, f"the name {name!r} is already taken")
                thm.boxes[name] = Box(name, _type_expr(bm.group(2), thm.types, file, lineno),
                                      _type_expr(bm.group(3), thm.types, file, lineno))
        elif key in ("assume", "have", "show"):
            mm = re.fullmatch(rf"(?:({_NAME})\s*:)?\s*(.*)", rest) if key != "show" else None
            if key == "show":
                name, eq_text = "conclusion", rest
            elif mm and mm.group(1):
                name, eq_text = mm.group(1), mm.group(2)
            else:
                raise ProofSyntaxError(file, lineno, f"'{key}' needs a name: '{key} name: lhs = rhs'")
            if name in thm.hypotheses or any(c.name == name for c in thm.claims):
                raise ProofSyntaxError(file, lineno, f"the name {name!r} is used twice in theorem {thm.name}")
            lt, rt = _equation_text(eq_text, file, lineno)
            eq = Equation(scope.diagram(lt, file, lineno), scope.diagram(rt, file, lineno), f"{lt} = {rt}", lineno)
            if key == "assume":
                thm.hypotheses[name] = eq
                claim = None
            else:
                claim = Claim(key, name, eq, [], lineno)
                thm.claims.append(claim)
        elif key == "qed":
            if not any(c.kind == "show" for c in thm.claims):
                raise ProofSyntaxError(file, lineno, f"theorem {thm.name} has no 'show:' statement")
            theorems.append(thm)
            thm, scope, claim = None, None, None
        else:
            raise ProofSyntaxError(
                file, lineno, f"unknown keyword {key!r}: expected theorem, source, types, boxes, assume, have, show, qed or axiom"
            )
    close_axiom(len(text.splitlines()))
    if thm is not None:
        raise ProofSyntaxError(file, thm.line, f"theorem {thm.name} is not closed with 'qed'")
    return ProofFile(file, schemas, theorems)


def load(path: str | Path) -> ProofFile:
    """Read and parse a proof file.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "t.proof")
    >>> _ = open(p, "w").write(EXAMPLE)
    >>> load(p).theorems[0].name
    'det_compose'
    """
    p = Path(path)
    return parse(p.read_text(encoding="utf-8"), str(p))


# ---------------------------------------------------------------------- checking
@dataclass
class StepResult:
    """The verdict on one step: ``ok``, and when not, why, with the two normal forms compared.

    >>> StepResult(3, "f", "markov", True).ok
    True
    """

    line: int
    text: str
    by: str
    ok: bool
    message: str = ""
    left: str = ""
    right: str = ""


@dataclass
class TheoremResult:
    """A theorem's status (``proved`` or ``broken``), its step results and problems.

    >>> r = check_text(EXAMPLE, "example.proof")[0]
    >>> r.status, r.n_steps
    ('proved', 3)
    """

    theorem: Theorem
    steps: list[StepResult]
    problems: list[StepResult]

    @property
    def ok(self) -> bool:
        """True when every step follows.

        >>> check_text(EXAMPLE)[0].ok
        True
        >>> check_text(EXAMPLE.replace("by det_f", "by det_g"))[0].ok  # the wrong hypothesis
        False
        """
        return not self.problems

    @property
    def status(self) -> str:
        """``"proved"`` or ``"broken"``.

        >>> check_text(EXAMPLE.replace("by det_f", "by det_g"))[0].status
        'broken'
        """
        return "proved" if self.ok else "broken"

    @property
    def n_steps(self) -> int:
        """The number of justified steps (all chains).

        >>> check_text(EXAMPLE)[0].n_steps
        3
        """
        return len(self.steps)


def _nf(d: Diagram) -> str:
    return str(normal_form(d, "markov"))


def _same(a: Diagram, b: Diagram) -> bool:
    return equal(a, b, "markov")


def _check_step(prev: Step, step: Step, facts: dict[str, Equation], schemas: dict[str, Schema], thm: Theorem) -> StepResult:
    by = step.by or ""
    a, b = prev.diagram, step.diagram
    res = StepResult(step.line, step.text, by, True)
    m = re.fullmatch(r"(\w+)", by)
    if m and m.group(1) in THEORIES:
        if equal(a, b, m.group(1)):
            return res
        res.ok, res.message = False, f"the two diagrams are not equal in the free {m.group(1)} category"
        res.left, res.right = str(normal_form(a, m.group(1))), str(normal_form(b, m.group(1)))
        return res
    m = re.fullmatch(rf"({_NAME})\s*(\((.*?)\))?\s*(?:in\s+(.+))?", by, re.S)
    if not m:
        raise ProofSyntaxError(thm.file, step.line, f"cannot read the justification {by!r}: use 'markov' or 'NAME [in CONTEXT]'")
    name, args_text, ctx = m.group(1), m.group(3), (m.group(4) or "_").strip()
    scope = _Scope(thm.types, thm.boxes)  # type: ignore[arg-type]
    if _count_holes(ctx) != 1:
        raise ProofSyntaxError(thm.file, step.line, f"the context {ctx!r} must contain the hole _ exactly once")
    if name in schemas:
        args = [scope.diagram(t, thm.file, step.line) for t in _split_top(args_text or "")]
        premises, eq = schemas[name].instantiate(args, thm.file, step.line)
        for p in premises:
            if not (_same(p.lhs, p.rhs) or any(_matches(p, f) for f in facts.values())):
                res.ok = False
                res.message = (f"the premise {p.lhs} = {p.rhs} of {name} is not a hypothesis or lemma here "
                               "(nor true in the free Markov category)")
                res.left, res.right = _nf(p.lhs), _nf(p.rhs)
                return res
    elif name in facts:
        if args_text is not None:
            raise ProofSyntaxError(thm.file, step.line, f"{name} is a hypothesis, not an axiom schema: it takes no arguments")
        eq = facts[name]
    else:
        res.ok, res.message = False, f"unknown hypothesis, lemma or axiom {name!r}"
        return res
    try:
        cl, cr = scope.diagram(ctx, thm.file, step.line, eq.lhs), scope.diagram(ctx, thm.file, step.line, eq.rhs)
    except ProofSyntaxError as e:
        res.ok, res.message = False, f"{name} does not fit the context: {e.message}"
        return res
    if _same(a, cl) and _same(b, cr) or _same(a, cr) and _same(b, cl):
        return res
    res.ok = False
    if _same(a, cl) or _same(a, cr):
        other = cr if _same(a, cl) else cl
        res.message = f"the next diagram is not {name} applied in {ctx!r} to the previous one"
        res.left, res.right = _nf(b), _nf(other)
    else:
        res.message = f"the previous diagram does not match either side of {name} in the context {ctx!r}"
        res.left, res.right = _nf(a), _nf(cl)
    return res


def _matches(p: Equation, f: Equation) -> bool:
    return _same(p.lhs, f.lhs) and _same(p.rhs, f.rhs) or _same(p.lhs, f.rhs) and _same(p.rhs, f.lhs)


def check_theorem(thm: Theorem, schemas: dict[str, Schema] | None = None) -> TheoremResult:
    """Check every chain of a theorem; lemmas (``have``) become usable once proved.

    >>> check_theorem(parse(EXAMPLE).theorems[0]).ok
    True
    """
    schemas = schemas or {}
    facts = dict(thm.hypotheses)
    steps: list[StepResult] = []
    problems: list[StepResult] = []
    for c in thm.claims:
        assert c.equation is not None
        if not c.chain:
            problems.append(StepResult(c.line, c.equation.text, "", False, f"{c.kind} {c.name} has no proof"))
            continue
        ends = [(c.chain[0], c.equation.lhs, "starts"), (c.chain[-1], c.equation.rhs, "ends")]
        for st, side, verb in ends:
            if not _same(st.diagram, side):
                problems.append(StepResult(st.line, st.text, "", False, f"the chain of {c.name} {verb} at {st.text!r}, "
                                           f"which is not the {'left' if verb == 'starts' else 'right'} side of the statement",
                                           _nf(st.diagram), _nf(side)))
        before = len(problems)
        for prev, st in zip(c.chain, c.chain[1:]):
            r = _check_step(prev, st, facts, schemas, thm)
            steps.append(r)
            if not r.ok:
                problems.append(r)
        if c.kind == "have" and len(problems) == before:
            facts[c.name] = c.equation
    return TheoremResult(thm, steps, problems)


def check_text(text: str, file: str = "<proof>") -> list[TheoremResult]:
    """Parse and check every theorem of a proof text.

    >>> bad = EXAMPLE.replace("by det_f in _ >> (g @ g)", "by markov")
    >>> r = check_text(bad, "bad.proof")[0]
    >>> r.status, r.problems[0].line, r.problems[0].message
    ('broken', 11, 'the two diagrams are not equal in the free markov category')
    """
    pf = parse(text, file)
    return [check_theorem(t, pf.schemas) for t in pf.theorems]


def _files(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(p.glob("*.proof"))
        elif p.exists():
            out.append(p)
        else:
            raise FileNotFoundError(f"no such proof file or directory: {p}")
    return out


def check_paths(paths: Iterable[str | Path]) -> list[TheoremResult]:
    """Check the proof files (directories: every ``*.proof`` inside).

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "a.proof"), "w").write(EXAMPLE)
    >>> tuple(r.status for r in check_paths([d]))
    ('proved',)
    """
    results: list[TheoremResult] = []
    for f in _files(paths):
        pf = load(f)
        results += [check_theorem(t, pf.schemas) for t in pf.theorems]
    return results


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + s for s in text.splitlines())


def report(results: Sequence[TheoremResult], verbose: bool = False) -> str:
    """The text ``catkit prove`` prints: one line per theorem, details of broken steps.

    >>> print(report(check_text(EXAMPLE, "example.proof")))  # doctest: +ELLIPSIS
    example.proof
      proved  det_compose: deterministic morphisms are closed under composition  (3 steps; Fritz 2020 ...)
    """
    lines: list[str] = []
    current = None
    for r in results:
        t = r.theorem
        if t.file != current:
            current = t.file
            lines.append(t.file)
        src = f"; {t.source}" if t.source else ""
        lines.append(f"  {r.status:6}  {t.name}: {t.title}  ({r.n_steps} step{'s' if r.n_steps != 1 else ''}{src})")
        shown = r.steps + [p for p in r.problems if p not in r.steps] if verbose else r.problems
        for st in shown:
            by = f"   by {st.by}" if st.by else ""
            lines.append(f"    {t.file}:{st.line}: {'ok' if st.ok else 'BROKEN'}: {st.text}{by}")
            if not st.ok:
                lines.append(f"      {st.message}")
                if st.left or st.right:
                    lines += ["      normal form of the left diagram:", _indent(st.left, "        "),
                              "      normal form of the right diagram:", _indent(st.right, "        ")]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``catkit prove PATH...``: check proof files; exit 0 when all are proved, 1 when a
    step is broken, 2 when a file is malformed or missing.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "a.proof"), "w").write(EXAMPLE)
    >>> main([d])  # doctest: +ELLIPSIS
    /.../a.proof
      proved  det_compose: ...
    1 theorem: 1 proved, 0 broken
    0
    """
    ap = argparse.ArgumentParser(prog="catkit prove", description="Check string-diagram proofs (*.proof files).")
    ap.add_argument("paths", nargs="*", help="proof files or directories of *.proof files (default: catkit's own proofs)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show every step, not only broken ones")
    args = ap.parse_args(argv)
    try:
        from catkit.data import proofs_dir

        results = check_paths(args.paths or [proofs_dir()])
    except (ProofSyntaxError, FileNotFoundError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(report(results, args.verbose))
    n_bad = sum(not r.ok for r in results)
    print(f"{len(results)} theorem{'s' if len(results) != 1 else ''}: {len(results) - n_bad} proved, {n_bad} broken")
    return 1 if n_bad else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

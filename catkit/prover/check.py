"""Checking parsed theorems: every step decided in the theorem's theory, and what each theorem rests on.

A step ``by T`` holds when the two diagrams are equal in the free category of theory ``T``.
A step ``by NAME in C`` (a hypothesis, a proved lemma, or an axiom instance) holds when the
previous diagram equals ``C[lhs]`` and the next ``C[rhs]`` (or the other way round), both
decided in the theorem's theory; the chain's ends are matched against the statement in
that theory too, and an axiom's premises against the hypotheses and proved lemmas.

The result records what the conclusion rests on (hypotheses, lemmas, axioms, theories),
following lemmas from the ``show`` chain, so an unused hypothesis or lemma is visible.

>>> from catkit.prover.language import EXAMPLE, parse
>>> r = check_theorem(parse(EXAMPLE).theorems[0])
>>> r.status, r.uses.hypotheses, r.trivial
('proved', ('det_f', 'det_g'), False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from catkit.category import Equation
from catkit.diagrams.equality import NormalForm, normal_form
from catkit.diagrams.syntax import Diagram
from catkit.prover.language import Step, Theorem

__all__ = ["StepResult", "Uses", "TheoremResult", "check_theorem", "equal_in"]


@lru_cache(maxsize=8192)
def _nf(d: Diagram, theory: str) -> NormalForm:
    return normal_form(d, theory)


def equal_in(a: Diagram, b: Diagram, theory: str) -> bool:
    """Decided equality in the free ``theory`` (normal forms are cached: chains repeat diagrams).

    >>> from catkit.diagrams import Box, Discard, Ty
    >>> f = Box("f", "X", "Y")
    >>> equal_in(f >> Discard(Ty("Y")), Discard(Ty("X")), "markov"), equal_in(f >> Discard(Ty("Y")), Discard(Ty("X")), "cd")
    (True, False)
    """
    if a.dom != b.dom or a.cod != b.cod:
        return False
    return _nf(a, theory).same_as(_nf(b, theory))


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


@dataclass(frozen=True)
class Uses:
    """What a conclusion rests on: hypotheses, lemmas, axioms (each once, in order of use) and the
    theories its decided steps used; ``unused`` lists hypotheses and lemmas it does not need.

    >>> Uses(("h",), (), ("positivity",), ("markov",)).axioms
    ('positivity',)
    """

    hypotheses: tuple[str, ...] = ()
    lemmas: tuple[str, ...] = ()
    axioms: tuple[str, ...] = ()
    theories: tuple[str, ...] = ()
    unused: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line, e.g. ``hypotheses det_f, det_g; decided in markov``.

        >>> print(Uses(("a",), ("l",), ("positivity",), ("markov",)).describe())
        hypotheses a; lemmas l; axioms positivity; decided in markov
        """
        parts = []
        for label, items in (("hypotheses", self.hypotheses), ("lemmas", self.lemmas), ("axioms", self.axioms),
                             ("decided in", self.theories), ("unused", self.unused)):
            if items:
                parts.append(f"{label} {', '.join(items)}")
        return "; ".join(parts) or "nothing"


@dataclass
class TheoremResult:
    """A theorem's status, its step results and problems, and what it rests on.

    >>> from catkit.prover.language import EXAMPLE, parse
    >>> r = check_theorem(parse(EXAMPLE).theorems[0])
    >>> r.status, r.n_steps, r.label
    ('proved', 3, 'proved')
    """

    theorem: Theorem
    steps: list[StepResult]
    problems: list[StepResult]
    uses: Uses = field(default_factory=Uses)
    decided: bool = False  # the conclusion is an identity of the free theory (no proof needed)
    moves: int = 0  # steps whose two diagrams differ as written (a step to the same diagram does not count)

    @property
    def ok(self) -> bool:
        """True when every step follows.

        >>> from catkit.prover.language import EXAMPLE, parse
        >>> check_theorem(parse(EXAMPLE.replace("by det_f in _ >> (g @ g)", "by markov")).theorems[0]).ok
        False
        """
        return not self.problems

    @property
    def status(self) -> str:
        """``"proved"`` or ``"broken"``.

        >>> from catkit.prover.language import EXAMPLE, parse
        >>> check_theorem(parse(EXAMPLE.replace("by det_f in _ >> (g @ g)", "by markov")).theorems[0]).status
        'broken'
        """
        return "proved" if self.ok else "broken"

    @property
    def assuming(self) -> tuple[str, ...]:
        """The axioms a proved theorem rests on (empty: it holds in every model of its theory).

        >>> from catkit.prover.language import EXAMPLE, parse
        >>> check_theorem(parse(EXAMPLE).theorems[0]).assuming
        ()
        """
        return self.uses.axioms if self.ok else ()

    @property
    def label(self) -> str:
        """``"proved"``, ``"proved assuming AXIOM, ..."`` or ``"broken"``.

        >>> from catkit.prover.language import EXAMPLE, parse
        >>> check_theorem(parse(EXAMPLE).theorems[0]).label
        'proved'
        """
        if not self.ok:
            return "broken"
        return f"proved assuming {', '.join(self.assuming)}" if self.assuming else "proved"

    @property
    def n_steps(self) -> int:
        """The number of justified steps (all chains).

        >>> from catkit.prover.language import EXAMPLE, parse
        >>> check_theorem(parse(EXAMPLE).theorems[0]).n_steps
        3
        """
        return len(self.steps)

    @property
    def trivial(self) -> bool:
        """A theorem whose conclusion is an identity of its free theory, or whose proof has fewer than two
        steps: it does not count as a non-trivial theorem.

        >>> from catkit.prover.language import parse
        >>> t = parse("theorem c: counit\\ntypes: X\\nshow: copy(X) >> (X @ discard(X)) = id(X)\\n"
        ...           "    copy(X) >> (X @ discard(X))\\n  = id(X)   by cd\\nqed\\n").theorems[0]
        >>> check_theorem(t).trivial
        True
        """
        return self.decided or self.moves < 2


def _step(prev: Step, st: Step, thm: Theorem, facts: dict[str, Equation], lemmas_proved: set[str],
          lemma_names: set[str], used: list[str]) -> StepResult:
    j = st.by
    assert j is not None
    res = StepResult(st.line, st.text, j.text, True)
    a, b, theory = prev.diagram, st.diagram, thm.theory
    if j.kind == "theory":
        used.append("theory:" + j.name)
        if equal_in(a, b, j.name):
            return res
        res.ok, res.message = False, f"the two diagrams are not equal in the free {j.name} category"
        res.left, res.right = str(_nf(a, j.name)), str(_nf(b, j.name))
        return res
    if j.kind == "fact":
        if j.name in lemma_names and j.name not in lemmas_proved:
            res.ok, res.message = False, f"the lemma {j.name} is not proved (its own chain is broken)"
            return res
        used.append(("lemma:" if j.name in lemma_names else "hypothesis:") + j.name)
    else:
        used.append("axiom:" + j.name)
        for p in j.premises:
            who = next((n for n, f in facts.items() if _matches(p, f, theory)), None)
            if who is not None:
                used.append(("lemma:" if who in lemma_names else "hypothesis:") + who)
            elif equal_in(p.lhs, p.rhs, theory):
                used.append("theory:" + theory)
            else:
                res.ok = False
                res.message = (f"the premise {p.text} of {j.name} is not a hypothesis or proved lemma here "
                               f"(nor true in the free {theory} category)")
                res.left, res.right = str(_nf(p.lhs, theory)), str(_nf(p.rhs, theory))
                return res
    cl, cr = j.left, j.right
    assert cl is not None and cr is not None and j.context is not None
    if equal_in(a, cl, theory) and equal_in(b, cr, theory) or equal_in(a, cr, theory) and equal_in(b, cl, theory):
        return res
    res.ok = False
    ctx = j.context.text
    if equal_in(a, cl, theory) or equal_in(a, cr, theory):
        other = cr if equal_in(a, cl, theory) else cl
        res.message = f"the next diagram is not {j.name} applied in {ctx!r} to the previous one"
        res.left, res.right = str(_nf(b, theory)), str(_nf(other, theory))
    else:
        res.message = f"the previous diagram does not match either side of {j.name} in the context {ctx!r}"
        res.left, res.right = str(_nf(a, theory)), str(_nf(cl, theory))
    return res


def _matches(p: Equation, f: Equation, theory: str) -> bool:
    return (equal_in(p.lhs, f.lhs, theory) and equal_in(p.rhs, f.rhs, theory)
            or equal_in(p.lhs, f.rhs, theory) and equal_in(p.rhs, f.lhs, theory))


def check_theorem(thm: Theorem) -> TheoremResult:
    """Check every chain of a theorem in its theory; lemmas (``have``) become usable once proved.

    >>> from catkit.prover.language import EXAMPLE, parse
    >>> check_theorem(parse(EXAMPLE).theorems[0]).ok
    True
    """
    facts = dict(thm.hypotheses)
    lemma_names = {c.name for c in thm.claims if c.kind == "have"}
    proved: set[str] = set()
    steps: list[StepResult] = []
    problems: list[StepResult] = []
    direct: dict[str, list[str]] = {}
    for c in thm.claims:
        used: list[str] = []
        direct[c.name] = used
        ends = [(c.chain[0], c.equation.lhs, "starts", "left"), (c.chain[-1], c.equation.rhs, "ends", "right")]
        before = len(problems)
        for st, side, verb, which in ends:
            if not equal_in(st.diagram, side, thm.theory):
                problems.append(StepResult(st.line, st.text, "", False,
                                           f"the chain of {c.name} {verb} at {st.text!r}, which is not the {which} side of "
                                           f"'{c.equation.text}' in the free {thm.theory} category",
                                           str(_nf(st.diagram, thm.theory)), str(_nf(side, thm.theory))))
        for prev, st in zip(c.chain, c.chain[1:]):
            r = _step(prev, st, thm, facts, proved, lemma_names, used)
            steps.append(r)
            if not r.ok:
                problems.append(r)
        if c.kind == "have" and len(problems) == before:
            proved.add(c.name)
            facts[c.name] = c.equation
    uses = _closure(thm, direct, lemma_names)
    concl = thm.conclusion
    moves = sum(a.diagram != b.diagram for c in thm.claims for a, b in zip(c.chain, c.chain[1:]))
    return TheoremResult(thm, steps, problems, uses, equal_in(concl.lhs, concl.rhs, thm.theory), moves)


def _closure(thm: Theorem, direct: dict[str, list[str]], lemma_names: set[str]) -> Uses:
    """What the ``show`` chain rests on, following the lemmas it uses (and theirs)."""
    order: list[str] = []
    todo = ["conclusion"]
    seen_claims = {"conclusion"}
    while todo:
        c = todo.pop(0)
        for item in direct.get(c, []):
            if item not in order:
                order.append(item)
            kind, name = item.split(":", 1)
            if kind == "lemma" and name not in seen_claims:
                seen_claims.add(name)
                todo.append(name)

    def pick(kind: str) -> tuple[str, ...]:
        return tuple(n for k, n in (i.split(":", 1) for i in order) if k == kind)

    used_h, used_l = set(pick("hypothesis")), set(pick("lemma"))
    hyps = tuple(n for n in thm.hypotheses if n in used_h)  # in the order they are stated
    lemmas = tuple(c.name for c in thm.claims if c.name in used_l)
    unused = tuple(n for n in thm.hypotheses if n not in hyps) + tuple(
        c.name for c in thm.claims if c.kind == "have" and c.name not in lemmas)
    theories = tuple(sorted(set(pick("theory")), key=("smc", "cd", "markov").index))
    return Uses(hyps, lemmas, pick("axiom"), theories, unused)

"""The registry of the paper's checks: each states its claim, name, modes, what it runs, its control and
what it is expected to conclude — once, next to the code (the ``@check`` decorator).

A check is a function ``run(setting, judge) -> Outcome`` over a :class:`~catkit.paper.setting.Setting`;
the mode picks the comparator behind the :class:`~catkit.paper.compare.Judge`.  Its :class:`Control` is
the same computation on a perturbed input or with a deliberately wrong formula: it must *fail* (for a
check expected to fail — a known error of the paper — the control is the corrected statement and must
*hold*).  :func:`run_checks` runs every check of a mode with its control and returns
:class:`~catkit.paper.result.ClaimResult`\\ s; a control that concludes otherwise is a defect of the
check, shown in the report and caught by the test suite.  Identities of the definitions, which cannot
fail, are registered with ``evidence=False`` and no control.

>>> c = checks_for("exact", claims=[3])[0]
>>> c.modes, c.expected, c.control.description[:22]
(('exact', 'lm'), 'holds', 'H(W_t | W_<t) replaced')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from catkit.info.reals import IncomparableError
from catkit.paper.compare import Comparator, Judge, Outcome, comparator_for
from catkit.paper.result import ClaimResult, Mode, PaperError, Verdict

__all__ = ["Check", "Control", "REGISTRY", "check", "run_checks", "checks_for"]

Run = Callable[[Any, Judge], Outcome]


@dataclass(frozen=True)
class Control:
    """A perturbed input or wrong formula the check also runs on, and which must fail (see the module docstring).

    >>> Control("a stochastic encoder", lambda s, j: j.outcome("")).description
    'a stochastic encoder'
    """

    description: str
    run: Run


@dataclass(frozen=True)
class Check:
    """One registered check of one claim (see :func:`check`).

    ``settings`` names the kinds of setting it reads: ``"kernels"`` (exact and LM settings) and/or ``"streamed"``
    (the large preset's moments).
    """

    claim: int
    name: str
    modes: tuple[Mode, ...]
    run: Run
    control: Control | None
    expected: Verdict | None = "holds"
    evidence: bool = True
    settings: tuple[str, ...] = ("kernels",)

    def __repr__(self) -> str:
        return f"<Check {self.claim}: {self.name} ({', '.join(self.modes)})>"


#: every check, in the order the report shows them (filled when the claim modules are imported: :func:`checks_for`)
REGISTRY: list[Check] = []


def check(claim: int, name: str, *, modes: Sequence[Mode] = ("exact", "lm"), control: Control | None = None,
          expected: Verdict | None = "holds", evidence: bool = True,
          settings: Sequence[str] = ("kernels",)) -> Callable[[Run], Run]:
    """Register the decorated ``run(setting, judge) -> Outcome`` as a check of ``claim``.

    Evidence needs a control; an identity (``evidence=False``) has none.

    >>> check(99, "an unfalsifiable check")(lambda s, j: j.outcome(""))
    Traceback (most recent call last):
    ...
    catkit.paper.result.PaperError: check 'an unfalsifiable check' of claim 99 has no control: give one, or register it with evidence=False
    """
    if evidence and control is None:
        raise PaperError(f"check {name!r} of claim {claim} has no control: give one, or register it with evidence=False")

    def register(run: Run) -> Run:
        REGISTRY.append(Check(claim, name, tuple(modes), run, control, expected, evidence, tuple(settings)))
        return run

    return register


def checks_for(mode: Mode, setting: str = "kernels", claims: Sequence[int] | None = None) -> list[Check]:
    """The registered checks of a mode and kind of setting (optionally of some claims), in registry order.

    >>> sorted({c.claim for c in checks_for("exact")}) == list(range(1, 12))
    True
    """
    _load()
    return [c for c in REGISTRY if mode in c.modes and setting in c.settings and (claims is None or c.claim in claims)]


def _load() -> None:
    """Import the modules whose ``@check``\\ s fill the registry."""
    from catkit.paper import geometry_claims, info_claims, lm_claims, streamed, surplus  # noqa: F401


def _safe(run: Run, setting: Any, cmp: Comparator) -> Outcome:
    judge = Judge(cmp)
    try:
        return run(setting, judge)
    except IncomparableError as e:  # a value the comparator could not decide: say so, never guess
        return Outcome("inconclusive", "", decided_by="undecided", note=str(e))


def run_checks(setting: Any, *, claims: Sequence[int] | None = None, kind: str = "kernels",
               progress: Callable[[int, Callable[[], list[ClaimResult]]], list[ClaimResult]] | None = None) -> list[ClaimResult]:
    """Run every check of the setting's mode (and its control) and return the results.

    ``progress(claim, work)`` may wrap the work of each claim (the report times them).

    >>> from catkit.paper.toy import ExactSetting
    >>> from catkit.sources import tiny_source
    >>> rs = run_checks(ExactSetting(tiny_source(), 1), claims=[1])
    >>> [(r.verdict, r.control_as_expected) for r in rs][:2], {r.decided_by for r in rs}
    ([('holds', True), ('holds', True)], {'exact'})
    """
    cmp = comparator_for(setting.mode)
    out: list[ClaimResult] = []
    by_claim: dict[int, list[Check]] = {}
    for c in checks_for(setting.mode, kind, claims):
        by_claim.setdefault(c.claim, []).append(c)
    for claim, cs in sorted(by_claim.items()):
        def work(cs: list[Check] = cs) -> list[ClaimResult]:
            return [_result(c, setting, cmp) for c in cs]

        out += progress(claim, work) if progress else work()
    return out


def _result(c: Check, setting: Any, cmp: Comparator) -> ClaimResult:
    o = _safe(c.run, setting, cmp)
    ctrl = _safe(c.control.run, setting, cmp) if c.control else None
    finding = o.finding if o.finding is not None else (c.expected == "fails" and o.verdict == "fails")
    measured = {f.name: getattr(o, f.name) for f in fields(Outcome) if f.name != "finding"}  # every field it shares
    return ClaimResult(c.claim, cmp.mode, c.name, **measured, finding=bool(finding), expected=c.expected,
                       control=c.control.description if c.control else "", control_verdict=ctrl.verdict if ctrl else None,
                       evidence=c.evidence)

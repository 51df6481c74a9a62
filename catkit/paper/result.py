"""The structured result of checking one claim in one mode, and the paper's error type."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from catkit.errors import CatkitError

__all__ = ["ClaimResult", "Verdict", "Mode", "VERDICTS", "MODES", "PaperError", "verdict_from_margin"]

#: what a check can conclude
Verdict = Literal["holds", "fails", "inconclusive"]
#: where a check runs: ``exact`` (finite toy models, exact or certified arithmetic) or ``lm`` (a trained model)
Mode = Literal["exact", "lm"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
MODES: tuple[str, ...] = get_args(Mode)


class PaperError(CatkitError, ValueError):
    """A paper check cannot run on what it was given (a setting without the parts a check needs, a bad preset).

    ``catkit report`` ends with this error's one line and exit code 2, never a traceback.

    >>> issubclass(PaperError, CatkitError) and issubclass(PaperError, ValueError)
    True
    """


@dataclass
class ClaimResult:
    """Outcome of one check: the quantities, the identity or bound, the verdict, how it was decided, and its control.

    ``margin`` is signed: positive means the bound holds with that much room (an identity met exactly has
    margin 0), negative means it is violated by that much.  ``error`` is the error bar of an LM-mode quantity.
    ``expected`` is what the check should conclude (``fails`` for a known error of the paper); ``decided_by``
    says how the verdict was reached: ``exact``, ``interval (N bits)`` (certified interval arithmetic),
    ``float64 (…)`` or ``sampled ± 2 s.e.`` in LM mode.  ``control`` describes the perturbed input or wrong
    formula the check also ran on, and ``control_verdict`` what it concluded there: a control must fail
    (for a finding, the control is the corrected statement and must hold).  ``evidence=False`` marks an
    identity of the definitions, shown for completeness but not counted as evidence.

    >>> r = ClaimResult(3, "exact", "NLL decomposition", "holds", "CE = KL + H", {"CE": 1.0}, margin=0.0,
    ...                 expected="holds", decided_by="exact", control="KL reversed", control_verdict="fails")
    >>> r.row()[:3], r.control_as_expected, r.as_expected
    (['3', 'exact', 'holds'], True, True)
    """

    claim: int
    mode: Mode
    check: str
    verdict: Verdict
    relation: str
    quantities: dict[str, Any] = field(default_factory=dict)
    margin: float | None = None
    error: float | None = None
    note: str = ""
    finding: bool = False  # True when this result shows the paper wrong or imprecise
    expected: Verdict | None = None
    decided_by: str = ""
    control: str = ""
    control_verdict: Verdict | None = None
    evidence: bool = True

    def __post_init__(self) -> None:
        given: tuple[tuple[str, Any, tuple[str, ...], bool], ...] = (
            ("verdict", self.verdict, VERDICTS, False), ("mode", self.mode, MODES, False),
            ("expected", self.expected, VERDICTS, True), ("control_verdict", self.control_verdict, VERDICTS, True))
        for what, value, allowed, optional in given:
            if not (optional and value is None) and value not in allowed:
                raise PaperError(f"{what} must be one of {', '.join(allowed)}{' or None' if optional else ''}, got {value!r}")

    @property
    def control_expected(self) -> Verdict:
        """What the control must conclude: ``fails``, or ``holds`` for a check expected to fail (its control is the
        corrected statement).

        >>> ClaimResult(7, "exact", "C = 1/2", "fails", "", expected="fails").control_expected
        'holds'
        """
        return "holds" if self.expected == "fails" else "fails"

    @property
    def control_as_expected(self) -> bool | None:
        """Whether the control concluded what it must (None: no control, e.g. an identity).

        >>> ClaimResult(1, "exact", "c", "holds", "", control="noise", control_verdict="holds").control_as_expected
        False
        """
        if self.control_verdict is None:
            return None
        return self.control_verdict == self.control_expected

    @property
    def control_defect(self) -> bool:
        """True when the control concluded the *opposite* of what it must (it holds where it must fail): the check then
        cannot tell the claim from its perturbation, a defect.  An inconclusive control is not a defect (it just does
        not show the check can fail on this input).

        >>> ClaimResult(1, "exact", "c", "holds", "", control="noise", control_verdict="holds").control_defect
        True
        """
        return self.control_verdict is not None and self.control_verdict not in (self.control_expected, "inconclusive")

    @property
    def as_expected(self) -> bool:
        """True unless the verdict contradicts ``expected`` (an inconclusive verdict contradicts nothing).

        >>> ClaimResult(4, "exact", "c", "fails", "", expected="holds").as_expected
        False
        """
        return self.expected is None or self.verdict in (self.expected, "inconclusive")

    def row(self) -> list[str]:
        """The result as table cells: claim, mode, verdict, check, relation, margin, error.

        >>> ClaimResult(7, "lm", "E d² ≤ C·L", "holds", "E d² ≤ C L", margin=0.012345).row()
        ['7', 'lm', 'holds', 'E d² ≤ C·L', 'E d² ≤ C L', '0.0123', '']
        """
        return [str(self.claim), self.mode, self.verdict, self.check, self.relation, _fmt(self.margin), _fmt(self.error)]

    def control_cell(self) -> str:
        """The control as a table cell: what it is and whether it concluded as it must.

        >>> ClaimResult(1, "exact", "c", "holds", "", control="¼ noise", control_verdict="fails").control_cell()
        '¼ noise: fails ✓'
        >>> ClaimResult(1, "exact", "c", "holds", "", evidence=False).control_cell()
        'identity (not evidence)'
        """
        if not self.evidence:
            return "identity (not evidence)"
        if not self.control:
            return "—"
        mark = "✗ (defect)" if self.control_defect else "✓" if self.control_as_expected else "(not shown)"
        return f"{self.control}: {self.control_verdict or 'not run'} {mark}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (numbers as floats or strings).

        >>> ClaimResult(1, "exact", "c", "holds", "r", {"x": 1}).to_json()["quantities"]
        {'x': 1}
        """
        return {
            "claim": self.claim, "mode": self.mode, "check": self.check, "verdict": self.verdict,
            "relation": self.relation, "quantities": {k: _jsonable(v) for k, v in self.quantities.items()},
            "margin": _jsonable(self.margin), "error": _jsonable(self.error), "note": self.note, "finding": self.finding,
            "expected": self.expected, "decided_by": self.decided_by, "control": self.control,
            "control_verdict": self.control_verdict, "control_as_expected": self.control_as_expected,
            "control_defect": self.control_defect, "evidence": self.evidence,
        }


def verdict_from_margin(margin: float, error: float = 0.0) -> Verdict:
    """holds if ``margin > error``, fails if ``margin < -error``, else inconclusive.

    >>> verdict_from_margin(0.3, 0.1), verdict_from_margin(-0.3, 0.1), verdict_from_margin(0.05, 0.1)
    ('holds', 'fails', 'inconclusive')
    """
    if margin > error or (error == 0 and margin >= 0):
        return "holds"
    if margin < -error:
        return "fails"
    return "inconclusive"


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and (math.isinf(x) or math.isnan(x)):
        return str(x)
    return f"{x:.3g}"


def _jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)

"""The structured result of checking one claim in one mode."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ClaimResult", "VERDICTS", "verdict_from_margin"]

#: what a check can conclude
VERDICTS = ("holds", "fails", "inconclusive")


@dataclass
class ClaimResult:
    """Outcome of one check: the quantities, the identity or bound, the verdict and its margin.

    ``margin`` is signed: positive means the bound holds with that much room (or an identity's
    residual is that far below its tolerance), negative means it is violated by that much.
    ``error`` is the error bar of an LM-mode quantity (sampling error plus estimator bias).

    >>> r = ClaimResult(3, "exact", "NLL decomposition", "holds", "CE = KL + H", {"CE": 1.0}, margin=0.0)
    >>> r.row()[:3]
    ['3', 'exact', 'holds']
    """

    claim: int
    mode: str
    check: str
    verdict: str
    relation: str
    quantities: dict[str, Any] = field(default_factory=dict)
    margin: float | None = None
    error: float | None = None
    note: str = ""
    finding: bool = False  # True when this result shows the paper wrong or imprecise

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.verdict!r}")
        if self.mode not in ("exact", "lm"):
            raise ValueError(f"mode must be 'exact' or 'lm', got {self.mode!r}")

    def row(self) -> list[str]:
        """The result as table cells: claim, mode, verdict, check, relation, margin, error.

        >>> ClaimResult(7, "lm", "E d² ≤ C·L", "holds", "E d² ≤ C L", margin=0.012345).row()
        ['7', 'lm', 'holds', 'E d² ≤ C·L', 'E d² ≤ C L', '0.0123', '']
        """
        return [str(self.claim), self.mode, self.verdict, self.check, self.relation, _fmt(self.margin), _fmt(self.error)]

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (numbers as floats or strings).

        >>> ClaimResult(1, "exact", "c", "holds", "r", {"x": 1}).to_json()["quantities"]
        {'x': 1}
        """
        return {
            "claim": self.claim, "mode": self.mode, "check": self.check, "verdict": self.verdict,
            "relation": self.relation, "quantities": {k: _jsonable(v) for k, v in self.quantities.items()},
            "margin": _jsonable(self.margin), "error": _jsonable(self.error), "note": self.note, "finding": self.finding,
        }


def verdict_from_margin(margin: float, error: float = 0.0) -> str:
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

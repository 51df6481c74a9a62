"""Validating arXiv 2507.19247 ("A Markov Categorical Framework for Language Modeling"): its claims as data,
each checked once over a setting (exact toy models or a trained LM), with a control that must fail, and
``catkit report``.

=====================  ============================================================================
module                 what is inside
=====================  ============================================================================
``claims``             the 12 claims, each stated once with its source
``result``             :class:`ClaimResult`: quantities, verdict, how it was decided, its control
``compare``            the comparators: certified (exact mode), float64 / sampled (LM mode)
``checks``             the registry of checks (claim, name, modes, run, control, expected)
``setting``            the :class:`Setting` protocol and the LM setting
``toy``                the exact setting: toy models and a log-linear head on a finite source
``info_claims``        claims 1–4 (composition, categorical entropy, NLL decomposition, entropy convergence)
``surplus``            claim 5 (information surplus), certified
``geometry_claims``    claims 6–11 (Fisher metric, transfer, Fisher–Rao, kernels, operator, alignment)
``lm_claims``          what only a trained model has: the measured loss, a probe, claim 12
``geometry``           softmax, the Fisher metric and alignment for floats, balls and expressions
``streamed``           the large preset: the same checks on streamed moments over 10⁶ sampled contexts
``training``           the cached training snapshots the LM mode looks at
``report``             ``catkit report``: run everything, write Markdown/HTML/JSON and figures
=====================  ============================================================================

>>> from catkit.paper import CLAIMS, REGISTRY, checks_for
>>> len(CLAIMS), CLAIMS[4].source, all(c.control or not c.evidence for c in checks_for("exact"))
(12, 'v2, Thm 5.2', True)
"""

from catkit.paper.checks import REGISTRY, Check, Control, check, checks_for, run_checks
from catkit.paper.claims import CLAIMS, PAPER, Claim
from catkit.paper.result import ClaimResult, PaperError, verdict_from_margin

__all__ = ["CLAIMS", "PAPER", "Claim", "ClaimResult", "PaperError", "verdict_from_margin", "REGISTRY", "Check", "Control",
           "check", "checks_for", "run_checks"]

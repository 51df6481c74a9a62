"""Validating arXiv 2507.19247 ("A Markov Categorical Framework for Language Modeling"): its claims as data,
their checks in exact mode (toy models, exact arithmetic) and LM mode (a trained model), and ``catkit report``.

=====================  ============================================================================
module                 what is inside
=====================  ============================================================================
``claims``             the 12 claims, each stated once with its source
``result``             :class:`ClaimResult`: quantities, relation, verdict, margin, error bar
``toy``                exact settings and toy models (belief state, last token) on a finite source
``exact_info``         exact checks of claims 1–5 (entropy, NLL decomposition, surplus)
``exact_geometry``     exact checks of claims 6–11 (Fisher metric, transfer, kernels, alignment)
``lm_checks``          LM-mode checks on a trained model over all contexts of one length
``lm_transfer``        LM-mode checks of claims 7–8 (divergence transfer, Fisher–Rao length)
``streamed``           the large preset: streamed checks over 10⁶ sampled contexts
``training``           the cached training snapshots the LM mode looks at
``report``             ``catkit report``: run everything, write Markdown/HTML/JSON and figures
=====================  ============================================================================

>>> from catkit.paper import CLAIMS
>>> len(CLAIMS), CLAIMS[4].source
(12, 'v2, Thm 5.2')
"""

from catkit.paper.claims import CLAIMS, PAPER, Claim
from catkit.paper.result import ClaimResult, verdict_from_margin

__all__ = ["CLAIMS", "PAPER", "Claim", "ClaimResult", "verdict_from_margin"]

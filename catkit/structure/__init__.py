"""Probability in FinStoch ([section B][stmt-section-b] of the catalogue): determinism, conditionals, Bayesian inversion,
supports and almost-sure equality, conditional independence, Bayesian networks and d-separation,
sufficient statistics, Blackwell's comparison of experiments, finite de Finetti and zero-one
checks, Kolmogorov truncations, randomness pushback, and FinSetMulti.

Every function works on exact kernels (exactly: no float enters), on sympy kernels
(symbolically, where the operation is rational) and on float kernels (numpy, torch;
vectorised, with documented tolerances).  The theorems are registered once in
:mod:`catkit.axioms` (codes ``B1``–``B16``) and shown by ``catkit check``.

>>> from catkit import Kernel, Wire
>>> from catkit.structure import bayes_invert, almost_surely_equal
>>> f = Kernel([["9/10", "1/10"], ["1/5", "4/5"]])
>>> prior = Kernel.state(["1/2", "1/2"])
>>> dagger = bayes_invert(f, prior)
>>> prior >> f >> dagger == prior
True
>>> almost_surely_equal(bayes_invert(dagger, prior >> f), f, prior)
True
"""

from catkit.structure.bayes import bayes_invert, posterior
from catkit.structure.bayesnet import BayesNet, d_separated, d_separations, random_bayes_net
from catkit.structure.conditionals import conditional, disintegrate, recombine
from catkit.structure.definetti import iid_mixture, iid_power, is_exchangeable, is_iid_mixture, moments, symmetrize, urn
from catkit.structure.determinism import (
    copy_equation,
    function_indices,
    inverse,
    is_deterministic,
    is_isomorphism,
    is_permutation,
    to_function,
)
from catkit.structure.errors import NetworkError, NoConditionalError, NotInvertibleError, StructureError
from catkit.structure.independence import groups, independence_equation, independent
from catkit.structure.kolmogorov import KolmogorovProduct, independent_of_sample, is_permutation_invariant
from catkit.structure.multivalued import MultiKernel, NotARelationError, as_multi, powerset, sampling, sharp
from catkit.structure.pairing import joint, pair
from catkit.structure.pushback import pushback_reader, randomness_pushback
from catkit.structure.statistics import (
    DecisionProblem,
    blackwell_certificate,
    decision_value,
    find_garbling,
    fisher_neyman,
    is_sufficient,
    optimal_rule,
    sufficiency_equation,
    sufficiency_witness,
)
from catkit.structure.support import FLOAT_TOL, Support, absolutely_continuous, almost_surely_equal, as_equation, support

__all__ = [
    "BayesNet",
    "DecisionProblem",
    "FLOAT_TOL",
    "KolmogorovProduct",
    "MultiKernel",
    "NetworkError",
    "NoConditionalError",
    "NotInvertibleError",
    "NotARelationError",
    "StructureError",
    "Support",
    "absolutely_continuous",
    "almost_surely_equal",
    "as_equation",
    "as_multi",
    "bayes_invert",
    "blackwell_certificate",
    "conditional",
    "copy_equation",
    "d_separated",
    "d_separations",
    "decision_value",
    "disintegrate",
    "find_garbling",
    "fisher_neyman",
    "function_indices",
    "groups",
    "iid_mixture",
    "iid_power",
    "independence_equation",
    "independent",
    "independent_of_sample",
    "inverse",
    "is_deterministic",
    "is_exchangeable",
    "is_iid_mixture",
    "is_isomorphism",
    "is_permutation",
    "is_permutation_invariant",
    "is_sufficient",
    "joint",
    "moments",
    "optimal_rule",
    "pair",
    "posterior",
    "powerset",
    "pushback_reader",
    "random_bayes_net",
    "randomness_pushback",
    "recombine",
    "sampling",
    "sharp",
    "sufficiency_equation",
    "sufficiency_witness",
    "support",
    "symmetrize",
    "to_function",
    "urn",
]

"""Divergences, entropy and information in Markov categories ([section C][stmt-section-c] of the catalogue).

* :mod:`.divergences` — KL, total variation, Hellinger (explicit normalisation), Bhattacharyya,
  Rényi-α (α ∈ [0, ∞]), Jensen–Shannon, Jeffreys, χ² and any f-divergence; row-wise on kernels,
  with the worst case ``D.sup(f, g)`` and the prior-averaged ``D.averaged(f, g, prior)``;
* :mod:`.entropy` — Shannon, Rényi, Gini–Simpson, cross, conditional entropy, mutual
  information, conditional mutual information, block entropies;
* :mod:`.categorical` — categorical entropy ``H_D`` and mutual information ``I_D`` of any divergence;
* :mod:`.bounds` — the constants of ``d^k ≤ C·KL`` (Pinsker-type) and a search for violations;
* :mod:`.finstat` — Baez–Fritz: the category FinStat and the relative-entropy functor RE;
* :mod:`.reals` — exact comparison of the values (canonical logarithms).

Exact kernels give exact values (Fractions, or sympy expressions for logarithms);
float and torch kernels give vectorised floats.

>>> from catkit import Kernel
>>> from catkit.info import KL, TotalVariation, categorical_entropy, shannon_entropy
>>> p = Kernel.state(["1/2", "1/2"])
>>> categorical_entropy(p, KL()) == shannon_entropy(p), categorical_entropy(p, TotalVariation())
(True, Fraction(1, 2))
"""

from catkit.info.categorical import categorical_entropy, categorical_mutual_information
from catkit.info.divergences import (
    KL,
    Bhattacharyya,
    ChiSquared,
    Divergence,
    FDivergence,
    Hellinger,
    Jeffreys,
    JensenShannon,
    Renyi,
    TotalVariation,
    bhattacharyya_coefficient,
    bhattacharyya_distance,
    chi_squared,
    f_divergence,
    hellinger,
    jeffreys,
    jensen_shannon,
    kl_divergence,
    renyi_divergence,
    total_variation,
)
from catkit.info.entropy import (
    block_entropies,
    conditional_entropy,
    conditional_mutual_information,
    cross_entropy,
    expected_entropy,
    gini_simpson,
    in_bits,
    mutual_information,
    renyi_entropy,
    shannon_entropy,
)
from catkit.info.finstat import FinStatError
from catkit.info.reals import IncomparableError, UndecidedError
from catkit.info.rows import DistributionError, ParameterError

__all__ = [
    "Divergence",
    "KL",
    "TotalVariation",
    "Hellinger",
    "Bhattacharyya",
    "Renyi",
    "JensenShannon",
    "Jeffreys",
    "FDivergence",
    "ChiSquared",
    "kl_divergence",
    "total_variation",
    "hellinger",
    "bhattacharyya_coefficient",
    "bhattacharyya_distance",
    "renyi_divergence",
    "jensen_shannon",
    "jeffreys",
    "chi_squared",
    "f_divergence",
    "shannon_entropy",
    "renyi_entropy",
    "gini_simpson",
    "cross_entropy",
    "expected_entropy",
    "conditional_entropy",
    "mutual_information",
    "conditional_mutual_information",
    "block_entropies",
    "in_bits",
    "categorical_entropy",
    "categorical_mutual_information",
    "DistributionError",
    "ParameterError",
    "IncomparableError",
    "UndecidedError",
    "FinStatError",
]

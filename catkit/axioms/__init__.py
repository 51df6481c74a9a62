"""Axioms and theorems as data, with checks on every model (see :mod:`.statement`).

Every module of this package registers its statements on import; topic
modules elsewhere (structure, information) register theirs through
:func:`load_all`.

>>> from catkit.axioms import REGISTRY, load_all
>>> load_all()["A7"].name
'Markov axiom: discard is natural'
"""

from __future__ import annotations

import importlib
import pkgutil

from catkit.axioms.statement import (
    EVERY,
    MODELS,
    PROBABILISTIC,
    REGISTRY,
    CheckModel,
    CheckResult,
    Equation,
    FreeGenerator,
    Generator,
    HypothesisGenerator,
    Statement,
    SymbolicGenerator,
    UnsupportedInstance,
    check,
    prove_free,
    prove_symbolic,
    register,
)

__all__ = [
    "EVERY",
    "MODELS",
    "PROBABILISTIC",
    "REGISTRY",
    "CheckModel",
    "CheckResult",
    "Equation",
    "FreeGenerator",
    "Generator",
    "HypothesisGenerator",
    "Statement",
    "SymbolicGenerator",
    "UnsupportedInstance",
    "check",
    "prove_free",
    "prove_symbolic",
    "register",
    "load_all",
]

#: modules outside this package that register statements (imported by load_all)
EXTRA_MODULES: list[str] = []


def load_all() -> dict[str, Statement]:
    """Import every statement module and return the registry.

    >>> len(load_all()) >= 8
    True
    """
    for info in pkgutil.iter_modules(__path__):
        if info.name != "statement":
            importlib.import_module(f"{__name__}.{info.name}")
    for mod in EXTRA_MODULES:
        importlib.import_module(mod)
    return REGISTRY


load_all()

"""Shared pieces of :mod:`catkit.interop`: lazy imports of the peer libraries, exact recovery of floats.

>>> require("math", "math").pi > 3
True
"""

from __future__ import annotations

import importlib
from fractions import Fraction
from types import ModuleType
from typing import Any

from catkit.errors import MissingDependencyError
from catkit.interop.errors import InteropError

__all__ = ["require", "rationals", "wire_for"]

#: the pip requirement a user installs for each peer library (kept in step with pyproject's dev extra)
_PIP = {"discopy": "discopy>=1.2,<1.3", "pgmpy": "pgmpy", "dit": "dit", "transformer_lens": "transformer_lens<4"}


def require(module: str, package: str | None = None) -> ModuleType:
    """Import ``module`` of a peer library, or raise :class:`MissingDependencyError` naming the package to install.

    >>> require("fractions").Fraction(1, 2)
    Fraction(1, 2)
    >>> require("catkit_no_such_library")
    Traceback (most recent call last):
    ...
    catkit.errors.MissingDependencyError: this needs the catkit_no_such_library package, which is not installed: pip install 'catkit_no_such_library'
    """
    top = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ImportError as e:
        if e.name is not None and e.name != top and not e.name.startswith(top + "."):
            raise  # the library is there but one of ITS dependencies is broken: show the real error
        pkg = package or top
        raise MissingDependencyError(
            f"this needs the {pkg} package, which is not installed: pip install '{_PIP.get(pkg, pkg)}'"
        ) from None


def rationals(values: Any, *, max_denominator: int, what: str) -> list[Fraction]:
    """Floats to the nearest Fractions with denominators up to ``max_denominator``, each checked to be within
    1e-9 of its float (an explicit, opt-in recovery: catkit never turns floats exact on its own).

    >>> rationals([0.2, 0.8], max_denominator=100, what="a table")
    [Fraction(1, 5), Fraction(4, 5)]
    >>> rationals([0.123456789], max_denominator=100, what="the table of 'x'")
    Traceback (most recent call last):
    ...
    catkit.interop.errors.InteropError: the table of 'x' has 0.123456789, which is no fraction with a denominator up to 100 ...
    """
    out = []
    for x in values:
        if isinstance(x, Fraction):
            out.append(x)
            continue
        q = Fraction(float(x)).limit_denominator(max_denominator)
        if abs(float(q) - float(x)) > 1e-9:
            raise InteropError(
                f"{what} has {float(x)!r}, which is no fraction with a denominator up to {max_denominator} "
                "(within 1e-9); raise max_denominator= or keep the floats (backend='numpy')"
            )
        out.append(q)
    return out


def wire_for(labels: Any, name: str | None) -> Any:
    """The catkit wire of a peer library's variable: states ``0 .. k-1`` are an unlabelled ``Wire(k)``
    (so that an unlabelled wire converts out and back to itself), other states are labels.

    >>> wire_for([0, 1], "coin"), wire_for(["h", "t"], None)
    (Wire(2, name='coin'), Wire(['h', 't']))
    """
    from catkit.objects import Wire

    labels = list(labels)
    return Wire(len(labels) if labels == list(range(len(labels))) else labels, name=name)

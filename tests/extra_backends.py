"""The backends the suites are parametrised over, the test backend of tests/flint_backend.py included.

``flint`` (exact rationals in python-flint matrices, a backend defined outside catkit) runs through a subset of
the kernel, structure and information suites next to catkit's own backends; it is skipped where python-flint is
not installed (it is in the ``exact`` extra).
"""

from __future__ import annotations

from typing import Any

import pytest

EXTRA_BACKEND: Any
try:
    from flint_backend import FlintBackend as EXTRA_BACKEND
except ImportError:  # pragma: no cover - python-flint is in the exact extra
    EXTRA_BACKEND = None

_flint = pytest.param("flint", marks=pytest.mark.skipif(EXTRA_BACKEND is None, reason="python-flint is not installed"), id="flint")

#: exact backends: results compared with ==
EXACT_BACKENDS = ["exact", _flint]
#: every backend
ALL_BACKENDS = ["exact", "sympy", "numpy", "torch", _flint]
#: the names of the extra backends that are available (for loops over backends inside a test)
EXTRA_NAMES = [] if EXTRA_BACKEND is None else [EXTRA_BACKEND.name]

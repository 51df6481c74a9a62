"""Hypothesis profiles: ``ci`` (default in ./tasks test), ``dev``, ``thorough``.

Select with HYPOTHESIS_PROFILE=...; the suite must stay well under 20 minutes on 2 cores.
"""

import os

import pytest
from extra_backends import EXTRA_BACKEND
from hypothesis import HealthCheck, settings

from catkit.backends import register_backend, unregister_backend

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="module")
def _extra_backend():
    """The test backend of tests/flint_backend.py (python-flint matrices) is registered while a test module of
    this folder runs, so that the suites can run on it; doctests elsewhere still see catkit's own four backends."""
    if EXTRA_BACKEND is None:
        yield
        return
    register_backend(EXTRA_BACKEND())
    yield
    unregister_backend(EXTRA_BACKEND.name)

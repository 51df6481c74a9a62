"""Hypothesis profiles: ``ci`` (default in ./tasks test), ``dev``, ``thorough``.

Select with HYPOTHESIS_PROFILE=...; the suite must stay well under 20 minutes on 2 cores.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

"""catkit's benchmarks: speed as ratios against named baselines measured in the same run.

Importing the package pins BLAS/OpenMP threads (``benchmarks.common.pin_threads``) before any benchmark imports numpy.
"""

from benchmarks.common import pin_threads as _pin_threads  # noqa: F401  (pins on import)

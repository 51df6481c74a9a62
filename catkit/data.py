"""Data shipped inside the package: the proof library, found the same way in a checkout and an installed wheel.

>>> sorted(p.name for p in proofs_dir().glob("*.proof"))[:2]
['almost_sure.proof', 'bayes.proof']
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["proofs_dir"]


def proofs_dir() -> Path:
    """The folder of catkit's own proofs (``*.proof``): what ``catkit prove`` checks when given no path.

    In a checkout ``catkit/_proofs`` links to the repository's ``proofs/``; a wheel carries the files.

    >>> from catkit.proof import check_paths
    >>> all(r.ok for r in check_paths([proofs_dir()]))
    True
    """
    return Path(__file__).resolve().parent / "_proofs"

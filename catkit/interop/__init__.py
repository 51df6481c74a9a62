"""catkit among its users' tools: converters to and from DisCoPy, pgmpy and dit.

Each peer library is imported only when its converter is called; a missing one raises
:class:`MissingDependencyError` naming the package to install.  numpy and torch need no
converter: ``np.asarray(kernel)`` and ``torch.as_tensor(kernel)`` work on kernels directly.

>>> from catkit.interop import from_discopy, to_discopy, from_pgmpy, to_pgmpy, from_dit, to_dit
>>> from discopy import markov
>>> X, Y = markov.Ty("X"), markov.Ty("Y")
>>> f = markov.Box("f", X, Y)
>>> from_discopy(f >> markov.Discard(Y)).equals(from_discopy(markov.Discard(X)))
True
"""

from catkit.errors import MissingDependencyError
from catkit.interop._discopy import from_discopy, to_discopy
from catkit.interop._dit import from_dit, to_dit
from catkit.interop._pgmpy import from_pgmpy, to_pgmpy
from catkit.interop.errors import InteropError, InteropTypeError

__all__ = [
    "from_discopy",
    "to_discopy",
    "from_pgmpy",
    "to_pgmpy",
    "from_dit",
    "to_dit",
    "InteropError",
    "InteropTypeError",
    "MissingDependencyError",
]

"""catkit: Markov categories with executable finite models.

>>> from catkit import Kernel, Wire
>>> f = Kernel([["1/2", "1/2"], [0, 1]])
>>> (f >> Kernel.discard(Wire(2))) == Kernel.discard(Wire(2))
True
"""

from catkit.errors import BackendMismatchError, CatkitError, KernelValueError, NotDeterministicError, ObjectMismatchError
from catkit.kernel import Kernel
from catkit.models import FINSET, FINSTOCH, SIGNED, SUBSTOCH, Model
from catkit.objects import I, Obj, Wire, as_obj

__version__ = "0.1.0"

__all__ = [
    "Kernel",
    "Wire",
    "Obj",
    "I",
    "as_obj",
    "Model",
    "FINSTOCH",
    "FINSET",
    "SIGNED",
    "SUBSTOCH",
    "CatkitError",
    "KernelValueError",
    "ObjectMismatchError",
    "BackendMismatchError",
    "NotDeterministicError",
]

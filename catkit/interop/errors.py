"""The errors of :mod:`catkit.interop` (also importable from it); a missing peer library raises
:class:`~catkit.errors.MissingDependencyError`.

>>> issubclass(InteropError, CatkitError) and issubclass(InteropTypeError, TypeError)
True
"""

from __future__ import annotations

from catkit.errors import CatkitError

__all__ = ["InteropError", "InteropTypeError"]


class InteropError(CatkitError, ValueError):
    """An object of a peer library that catkit cannot represent faithfully (the message names the part).

    >>> issubclass(InteropError, ValueError)
    True
    """


class InteropTypeError(CatkitError, TypeError):
    """A converter got an object of the wrong kind (e.g. a kernel that is not a state).

    >>> issubclass(InteropTypeError, TypeError)
    True
    """

"""The categories the axioms run on: same kernel machinery, different validation.

==============  =====================  ==============================
model           entries                rows
==============  =====================  ==============================
``finstoch``    >= 0                   sum to 1 (Markov kernels)
``finset``      0 or 1                 sum to 1 (functions)
``signed``      any real               sum to 1 (negatives allowed)
``substoch``    >= 0                   sum to <= 1 (a CD category, not Markov)
==============  =====================  ==============================

Composing kernels of two models gives their *join* (FinSet ⊂ FinStoch ⊂ signed,
FinStoch ⊂ sub-stochastic); structural kernels (identities, copy, discard,
swap) are in FinSet and so combine with every model.

>>> FINSET.join(FINSTOCH).name, FINSTOCH.join(SIGNED).name
('FinStoch', 'signed FinStoch')
>>> SIGNED.join(SUBSTOCH)
Traceback (most recent call last):
...
catkit.models.ModelMismatchError: cannot combine a signed FinStoch kernel with a sub-stochastic kernel: no model contains both
"""

from __future__ import annotations

from catkit.errors import CatkitError

__all__ = ["Model", "FINSTOCH", "FINSET", "SIGNED", "SUBSTOCH", "MODELS", "get_model", "ModelMismatchError"]


class ModelMismatchError(CatkitError, TypeError):
    """Two kernels of models with no common upper bound were combined.

    >>> SIGNED.join(SUBSTOCH)
    Traceback (most recent call last):
    ...
    catkit.models.ModelMismatchError: cannot combine a signed FinStoch kernel with a sub-stochastic kernel: no model contains both
    """


class Model:
    """A category of kernels, given by the rule its matrices obey.

    >>> FINSTOCH
    Model('finstoch')
    >>> FINSTOCH.nonneg, FINSTOCH.rowsum, SUBSTOCH.rowsum
    (True, 'eq', 'le')
    """

    __slots__ = ("key", "name", "nonneg", "rowsum", "zero_one", "_up")

    def __init__(self, key: str, name: str, *, nonneg: bool, rowsum: str, zero_one: bool, up: tuple[str, ...]) -> None:
        self.key, self.name, self.nonneg, self.rowsum, self.zero_one = key, name, nonneg, rowsum, zero_one
        self._up = (key, *up)  # models containing this one, this one first

    def __repr__(self) -> str:
        return f"Model({self.key!r})"

    def __le__(self, other: Model) -> bool:
        return other.key in self._up

    def join(self, other: Model) -> Model:
        """The smallest model containing both (composition lands there).

        >>> FINSET.join(SUBSTOCH).name
        'sub-stochastic'
        """
        if self is other:
            return self
        for k in self._up:
            if k in other._up:
                return MODELS[k]
        raise ModelMismatchError(f"cannot combine a {self.name} kernel with a {other.name} kernel: no model contains both")


FINSET = Model("finset", "FinSet", nonneg=True, rowsum="eq", zero_one=True, up=("finstoch", "signed", "substoch"))
FINSTOCH = Model("finstoch", "FinStoch", nonneg=True, rowsum="eq", zero_one=False, up=("signed", "substoch"))
SIGNED = Model("signed", "signed FinStoch", nonneg=False, rowsum="eq", zero_one=False, up=())
SUBSTOCH = Model("substoch", "sub-stochastic", nonneg=True, rowsum="le", zero_one=False, up=())

MODELS: dict[str, Model] = {m.key: m for m in (FINSET, FINSTOCH, SIGNED, SUBSTOCH)}


def get_model(m: str | Model) -> Model:
    """A model by key (``finstoch``, ``finset``, ``signed``, ``substoch``).

    >>> get_model("signed").name
    'signed FinStoch'
    """
    if isinstance(m, Model):
        return m
    try:
        return MODELS[m]
    except KeyError:
        raise CatkitError(f"unknown model {m!r}; choose one of {', '.join(MODELS)}") from None

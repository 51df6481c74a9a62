"""The models catkit knows, in one registry: what their kernels obey, their flags, how to draw and compare them.

A :class:`Model` is a category of kernels, given by the rule its matrices obey; a kernel is built in
one (``Kernel(..., model="signed")``):

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

The statements of :mod:`catkit.axioms` are checked on the models of :data:`MODELS`: each a
:class:`CheckModel`, a category in one representation (exact or float64 kernels, or FinSetMulti's
relations), with its flags, the hypothesis strategy for its kernels and its equality.  Everything that
needs to know about a model (the checker, the statements' instance constructions, their expected
outcomes, :mod:`catkit.testing`) reads it here.

>>> [(m.key, m.markov, m.deterministic_only, m.signed) for m in MODELS.values() if not m.probabilistic]
[('signed', True, False, True), ('substoch', False, False, False), ('finsetmulti', True, False, False)]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from catkit.errors import CatkitError, UsageError

if TYPE_CHECKING:
    import hypothesis.strategies as st

    from catkit.objects import Obj

__all__ = ["Model", "FINSTOCH", "FINSET", "SIGNED", "SUBSTOCH", "get_model", "ModelMismatchError",
           "CheckModel", "MODELS", "NotInModelError"]


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

    def __reduce__(self) -> tuple[Any, ...]:
        return (get_model, (self.key,))  # one instance per model: kernels compare and join models by identity

    def join(self, other: Model) -> Model:
        """The smallest model containing both (composition lands there).

        >>> FINSET.join(SUBSTOCH).name
        'sub-stochastic'
        """
        if self is other:
            return self
        for k in self._up:
            if k in other._up:
                return _RULES[k]
        raise ModelMismatchError(f"cannot combine a {self.name} kernel with a {other.name} kernel: no model contains both")


FINSET = Model("finset", "FinSet", nonneg=True, rowsum="eq", zero_one=True, up=("finstoch", "signed", "substoch"))
FINSTOCH = Model("finstoch", "FinStoch", nonneg=True, rowsum="eq", zero_one=False, up=("signed", "substoch"))
SIGNED = Model("signed", "signed FinStoch", nonneg=False, rowsum="eq", zero_one=False, up=())
SUBSTOCH = Model("substoch", "sub-stochastic", nonneg=True, rowsum="le", zero_one=False, up=())

_RULES: dict[str, Model] = {m.key: m for m in (FINSET, FINSTOCH, SIGNED, SUBSTOCH)}


def get_model(m: str | Model) -> Model:
    """A model by key (``finstoch``, ``finset``, ``signed``, ``substoch``).

    >>> get_model("signed").name
    'signed FinStoch'
    """
    if isinstance(m, Model):
        return m
    try:
        return _RULES[m]
    except KeyError:
        raise UsageError(f"unknown model {m!r}; choose one of {', '.join(_RULES)}") from None


class NotInModelError(CatkitError, ValueError):
    """A model has no morphisms of the kind asked for (full-support kernels in FinSet), or no such
    notion at all (a matrix of probabilities of a FinSetMulti relation): a statement that needs it
    does not apply there, and the checker reports it as skipped.

    >>> from catkit import Obj, Wire
    >>> MODELS["finset"].kernels(Obj(Wire(2)), Obj(Wire(2)), "full_support")
    Traceback (most recent call last):
    ...
    catkit.models.NotInModelError: no 'full_support' kernels in this model
    """


@dataclass(frozen=True)
class CheckModel:
    """A model to check statements on: a category (``rule``; ``None`` for FinSetMulti's relations) in one
    representation (``backend``), compared exactly or, when ``tol`` is set, within ``tol``.

    Its flags are read off the rule: :attr:`markov`, :attr:`deterministic_only`, :attr:`signed`,
    :attr:`probabilistic`, :attr:`relational`, :attr:`exact`.

    >>> m = MODELS["finstoch-float"]
    >>> m.name, m.markov, m.exact, m.category.__name__
    ('FinStoch (float64)', True, False, 'Kernel')
    """

    key: str
    name: str
    rule: Model | None
    backend: str = "exact"
    tol: float = 0.0
    description: str = ""

    def __repr__(self) -> str:
        return f"<CheckModel {self.key}>"

    # ------------------------------------------------------------------ flags
    @property
    def relational(self) -> bool:
        """Its morphisms are relations (FinSetMulti), not kernels of numbers.

        >>> MODELS["finsetmulti"].relational, MODELS["finset"].relational
        (True, False)
        """
        return self.rule is None

    @property
    def markov(self) -> bool:
        """Discard is natural (kernels' rows sum to 1; relations are non-empty): axiom A7 holds.

        >>> MODELS["signed"].markov, MODELS["substoch"].markov
        (True, False)
        """
        return self.rule is None or self.rule.rowsum == "eq"

    @property
    def deterministic_only(self) -> bool:
        """Every morphism is a function (FinSet): copy is natural, the model is cartesian.

        >>> MODELS["finset"].deterministic_only, MODELS["finsetmulti"].deterministic_only
        (True, False)
        """
        return self.rule is not None and self.rule.zero_one

    @property
    def signed(self) -> bool:
        """Negative entries are allowed.

        >>> MODELS["signed"].signed, MODELS["finstoch"].signed
        (True, False)
        """
        return self.rule is not None and not self.rule.nonneg

    @property
    def probabilistic(self) -> bool:
        """Its kernels' rows are probability distributions (non-negative, summing to 1).

        >>> [k for k, m in MODELS.items() if m.probabilistic]
        ['finstoch', 'finstoch-float', 'finset']
        """
        return self.rule is not None and self.rule.nonneg and self.rule.rowsum == "eq"

    @property
    def exact(self) -> bool:
        """Compared exactly (``tol == 0``); float models compare within ``tol``.

        >>> MODELS["finstoch"].exact, MODELS["finstoch-float"].tol
        (True, 1e-09)
        """
        return self.tol == 0

    # ------------------------------------------------------------------ behaviour
    @property
    def category(self) -> Any:
        """The morphism class, which is also the category (see :mod:`catkit.category`).

        >>> MODELS["finsetmulti"].category.__name__
        'MultiKernel'
        """
        if self.relational:
            from catkit.structure.multivalued import MultiKernel  # the structure layer sits above this module

            return MultiKernel
        from catkit.kernel import Kernel

        return Kernel

    def kernels(self, dom: Obj, cod: Obj, kind: str = "any") -> st.SearchStrategy[Any]:
        """The hypothesis strategy for its morphisms ``dom → cod`` of a ``kind`` (``"any"``,
        ``"deterministic"``, ``"full_support"``); :class:`NotInModelError` when it has none.

        >>> from hypothesis import find
        >>> from catkit import Obj, Wire
        >>> find(MODELS["signed"].kernels(Obj(Wire(1)), Obj(Wire(2))), lambda f: f[0, 0] < 0)
        Kernel([[-1, 2]], dom=Wire(1), cod=Wire(2), backend='exact', model='signed')
        """
        from catkit.testing.strategies import model_kernels  # hypothesis: imported only when drawing

        return model_kernels(self, dom, cod, kind)

    def equal(self, a: Any, b: Any) -> bool:
        """Equality in this model: exact, within ``tol`` for floats, as relations for FinSetMulti.

        >>> from catkit import Kernel
        >>> MODELS["finstoch-float"].equal(Kernel([[0.5, 0.5]]), Kernel([[0.5 + 1e-12, 0.5 - 1e-12]]))
        True
        """
        if self.relational:
            from catkit.structure.multivalued import NotARelationError, as_multi

            try:
                return bool(as_multi(a) == as_multi(b))
            except NotARelationError:
                return False  # a distribution is not a relation
        if self.tol:
            return bool(a.dom == b.dom and a.cod == b.cod and a.allclose(b, tol=self.tol))
        return bool(a == b)


#: every model the statements are checked on
MODELS: dict[str, CheckModel] = {
    m.key: m
    for m in [
        CheckModel("finstoch", "FinStoch", FINSTOCH, description="stochastic matrices over exact rationals, zeros included"),
        CheckModel("finstoch-float", "FinStoch (float64)", FINSTOCH, "numpy", 1e-9,
                   "stochastic float64 matrices, compared with allclose(1e-9)"),
        CheckModel("finset", "FinSet", FINSET, description="functions (0/1 matrices)"),
        CheckModel("signed", "signed FinStoch", SIGNED, description="real matrices with rows summing to 1, negatives allowed"),
        CheckModel("substoch", "sub-stochastic", SUBSTOCH, description="non-negative matrices with rows summing to at most 1"),
        CheckModel("finsetmulti", "FinSetMulti", None, "relation",
                   description="non-empty multivalued maps (total relations) with relational composition: "
                               "representable (Fritz 2020 Ex 2.6)"),
    ]
}

"""Machine-checked proofs about string diagrams: the public face of :mod:`catkit.prover`.

``catkit prove`` runs :func:`main`.  A proof file (``*.proof``, see ``docs/proofs.md``)
declares wire types and boxes, a theory (``smc``, ``cd`` or ``markov``), hypotheses, and
proves a conclusion by a chain of diagrams; each step is decided equality in a free
category, or a hypothesis, lemma or axiom instance applied inside a context ``_``.

>>> text = '''
... theorem counit: discarding one copy gives the wire back
... source: Fritz 2020 (arXiv 1908.07021), Definition 2.1
... theory: cd
... types: X
... show: copy(X) >> (X @ discard(X)) = id(X)
...     copy(X) >> (X @ discard(X))
...   = id(X)    by cd
... qed
... '''
>>> [(r.label, r.trivial) for r in check_text(text, "example.proof")]
[('proved', True)]
>>> t = load_proofs()["bayes_unique"]
>>> t.check().label, t.evaluate(t.semantic(samples=1).examples[0].functor).conclusion
('proved', True)
"""

from catkit.prover import *  # noqa: F403
from catkit.prover import __all__  # noqa: F401

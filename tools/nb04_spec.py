CELLS = [
("md", """
# String diagrams and proofs

The free syntax of catkit: diagrams built from boxes with `>>` and `@`, equality decided in the free symmetric monoidal,
copy-discard and Markov categories, a functor to exact kernels, drawings, and machine-checked proofs.
See the docs pages *String diagrams*, *Decided equality*, *Semantics*, *Drawing* and *Proofs*.
"""),
("code", """
import matplotlib
matplotlib.use('Agg')
from catkit import Kernel, Wire
from catkit.diagrams import Box, Copy, Discard, Swap, Id, Ty, equal, normal_form
from catkit.diagrams.drawing import draw_equation
from catkit.semantics import Functor

X, Y = Ty('X'), Ty('Y')
f = Box('f', X, Y)
d = Box('p', Ty(), X) >> Copy(X) >> (f @ X)
d
"""),
("md", """
Diagrams are immutable values; `repr` round-trips and `==` is syntactic. They draw themselves:
"""),
("code", """
d.draw()
"""),
("md", """
## Equality in three free categories

`f >> discard = discard` holds in the free Markov category only; copy is not natural in any of them (`f >> copy ≠ copy >> (f @ f)`).
"""),
("code", """
for t in ('smc', 'cd', 'markov'):
    print(t, equal(f >> Discard(Y), Discard(X), t), equal(f >> Copy(Y), Copy(X) >> (f @ f), t),
          equal(Copy(X) >> Swap(X, X), Copy(X), t))
"""),
("code", """
draw_equation(f >> Copy(Y), Copy(X) >> (f @ f), symbol='≠')
"""),
("md", """
The decision compares hypergraph normal forms (wires are vertices that may fork or end, boxes are hyperedges).
In the free Markov category a box whose outputs are all discarded is deleted:
"""),
("code", """
g = Box('g', Y, Ty('Z'))
e = f >> Copy(Y) >> (Y @ (g >> Discard(Ty('Z'))))
print(normal_form(e, 'cd'))
print()
print(normal_form(e, 'markov'))
"""),
("md", """
## Semantics: one exact contraction

A functor sends boxes to kernels; the diagram becomes one tensor contraction, exact for exact kernels.
"""),
("code", """
F = Functor({'p': Kernel.state(['1/3', '2/3']), 'f': Kernel([['1/2', '1/2'], [0, 1]]),
             'g': Kernel([[1, 0], ['1/4', '3/4']])})
print(F(d))
F(e) == F(f)  # equal in the free Markov category, so equal kernels
"""),
("md", """
Soundness on random diagrams: a random Markov rewrite keeps the kernel.
"""),
("code", """
from catkit.diagrams import random_diagram, random_rewrite, random_signature
import random
from fractions import Fraction

sig = random_signature(0)
d1 = random_diagram(12, seed=1, signature=sig)
d2 = random_rewrite(d1, 20, 'markov', seed=2, signature=sig)
def rand_kernel(rng, box, n=2):
    rows = []
    for _ in range(n ** len(box.dom)):
        w = [rng.randint(1, 4) for _ in range(n ** len(box.cod))]
        rows.append([Fraction(x, sum(w)) for x in w])
    return Kernel(rows, [Wire(n)] * len(box.dom), [Wire(n)] * len(box.cod))
rng = random.Random(0)
G = Functor({b: rand_kernel(rng, b) for b in sig}, ob={'X': 2, 'Y': 2})
len(d1), len(d2), equal(d1, d2), G(d1) == G(d2)
"""),("md", """
## Proofs

A proof file states hypotheses as diagram equations and proves a conclusion by a chain of diagrams; each step
is decided equality in a free category (`by markov`, `by cd`, `by smc`), or one hypothesis, lemma or axiom
applied in a context with a hole `_`. Everything is type-checked when the file is read.
"""),
("code", """
from catkit.proof import EXAMPLE, check_text, report
print(EXAMPLE)
print(report(check_text(EXAMPLE, 'example.proof')))
"""),
("md", """
A broken step is reported with its line and both normal forms:
"""),
("code", """
print(report(check_text(EXAMPLE.replace('by det_f in _ >> (g @ g)', 'by markov'), 'broken.proof')))
"""),
("md", """
## The library: a theorem proved, evaluated and drawn

`load_proofs()` reads catkit's proof library. Take the uniqueness of Bayesian inverses (Cho & Jacobs 2019):
two Bayesian inverses of `f` with respect to a prior `p` agree almost surely. `t.statement` says what is proved,
`t.check()` checks the proof and says what it rests on.
"""),
("code", """
from catkit.proof import load_proofs, summary
theorems = load_proofs()
t = theorems['bayes_unique']
print(t.statement)
r = t.check()
print(r.label, '|', r.uses.describe(), '|', t.source)
"""),
("md", """
**Evaluate it** on kernels of our own: an exact prior, a noisy channel, its Bayesian inverse, and a second
inverse that differs from the first only where the pushforward `p >> f` has no mass. The hypotheses hold and so
does the conclusion (exact equality). A kernel that is not an inverse falsifies a hypothesis instead.
"""),
("code", """
from catkit.structure import bayes_invert
p = Kernel.state(['1/2', '1/2', '0'])
f = Kernel([['1/2', '1/2', '0'], [0, 1, 0], [1, 0, 0]])
d1 = bayes_invert(f, p)
d2 = Kernel([d1.matrix.tolist()[0], d1.matrix.tolist()[1], [0, 0, 1]])  # another row where q(y) = 0
print('q =', (p >> f).matrix.tolist())
e = t.evaluate({'p': p, 'f': f, 'd1': d1, 'd2': d2})
print(e.hypotheses, e.conclusion)
print(t.evaluate({'p': p, 'f': f, 'd1': d1, 'd2': Kernel([[0, 1, 0], ['1/3', '2/3', 0], [0, 0, 1]])}).hypotheses)
"""),
("md", """
**Models and counter-models.** `t.semantic()` builds random exact models of the hypotheses (here the inverses are
*solved* from the defining equation) and looks for counter-models: a FinStoch model of the other hypotheses where
one hypothesis fails and the conclusion fails shows that hypothesis is needed.
"""),
("code", """
s = t.semantic(samples=3)
print('\\n'.join(s.lines()))
print(s.needs[0].counter_model.describe())
"""),
("md", """
With positivity (a built-in axiom, true in FinStoch) isomorphisms are deterministic; the theorem is reported as
*proved assuming positivity*, and a signed FinStoch model (a Markov category that is not positive) shows the
axiom is needed.
"""),
("code", """
iso = theorems['iso_det']
print(iso.check().label)
print('\\n'.join(iso.semantic(samples=2).lines()))
"""),
("md", """
**Draw it**: a statement shows itself as its hypotheses and conclusion, each an equation of string diagrams
(`t.draw(path)` saves it; `catkit prove --draw DIR` writes one picture per theorem).
"""),
("code", """
t.statement
"""),
("md", """
The whole library: every theorem with its source and what it rests on (`catkit prove` prints the same).
"""),
("code", """
from catkit.proof import check_theorem
results = [check_theorem(x) for x in theorems.values()]
print(report([r for r in results if r.theorem.name in ('det_compose', 'positivity_product')]))
print(summary(results))
"""),
]

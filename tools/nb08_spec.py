CELLS = [
("md", """
# Your own identity: decide, check, prove, draw

A new identity, taken the whole way: decided in the free Markov category, checked on every model by
catkit's property tests, proved symbolically for all kernels of small sizes, drawn as a picture and as
TikZ for a paper, and its kernels shown as tables. See the docs pages *Decided equality*, *Checking your
own statements* and *Drawing*.

The identity: copy a state, apply a box to one copy and throw its output away: what is left is the state.
"""),
("code", """
%matplotlib inline
from catkit.diagrams import Box, Copy, Discard, Ty, draw_equation, to_tikz
X, Y = Ty("X"), Ty("Y")
p, f = Box("p", Ty(), X), Box("f", X, Y)
lhs = p >> Copy(X) >> (f @ X) >> (Discard(Y) @ X)
rhs = p
{theory: lhs.equals(rhs, theory) for theory in ("smc", "cd", "markov")}
"""),
("md", """
It holds in the free **Markov** category (discard is natural: `f >> discard = discard`) and not in the free
copy-discard category, where `f` followed by a discard is a box of its own. The picture: states are
triangles, and the box and the copied wire share a row.
"""),
("code", """
draw_equation(lhs, rhs)
"""),
("md", """
For a paper or lecture notes, the same picture in TikZ (`standalone=True` gives a document `pdflatex`
compiles on its own):
"""),
("code", """
print(to_tikz(lhs, rhs))
"""),
("md", """
## As a statement, checked on every model

The same identity on kernels, as a `Statement`: `build` draws a state and a kernel from a generator and
returns the equation. `check_table` runs it on every model (the table of `catkit check`); saved in a file,
`catkit check --module my_statements.py` does the same from the command line.
"""),
("code", """
from catkit import Kernel
from catkit.axioms import Statement, prove_symbolic
from catkit.cli import check_table

def build(gen):
    A, B = gen.obj("X"), gen.obj("Y")
    p = gen.kernel((), A, "p")
    f = gen.kernel(A, B, "f")
    lhs = p >> Kernel.copy(A) >> (f @ Kernel.id(A)) >> (Kernel.discard(B) @ Kernel.id(A))
    return [("p >> copy >> (f @ id) >> (discard @ id) = p", lhs, p)]

mine = Statement("U1", "discarding a copied branch", "copy, apply f to one copy, discard it: p is left",
                 "this notebook", build, kind="theorem",
                 expected={"finstoch": True, "finset": True, "signed": True, "substoch": False},
                 symbolic_sizes=((2, 3),))
text, results, ok = check_table(examples=30, statements=[mine])
print(text)
assert ok  # every outcome as expected, the failure on sub-stochastic kernels included
"""),
("md", """
It fails, as expected, on sub-stochastic kernels (they lose mass, so discard is not natural), with a
shrunk counterexample, and it is **proved** for all stochastic kernels of sizes 2 and 3: the kernels
have symbolic entries, and the two sides simplify to the same matrix.
"""),
("code", """
failure = next(r for r in results if r.status == "fails")
print(failure.describe())
assert prove_symbolic(mine, (2, 3)).status == "holds"
"""),
("md", """
## Kernels as tables

Kernels show themselves as tables in a notebook, exact entries as fractions. The joint law before the
discard, and the state that is left:
"""),
("code", """
from catkit import Wire
coin = Wire(["h", "t"])
prior = Kernel.state(["1/3", "2/3"], coin)
noisy = Kernel([["3/4", "1/4"], ["1/5", "4/5"]], dom=coin, cod=Wire(["lose", "win"]))
joint = prior >> Kernel.copy(coin) >> (noisy @ Kernel.id(coin))
joint
"""),
("md", """
Keeping the coin's copy gives the prior back; `noisy("t")` is the distribution of the outcome given `t`
(an input on several wires is written `f(x, y)`, without extra parentheses):
"""),
("code", """
assert joint.marginal(1) == prior
noisy("t")
"""),
("md", """
## Property-testing it on random diagrams

`catkit.testing.diagrams()` draws well-typed diagrams from your boxes; the identity, with any diagram in
place of `f`, holds in the free Markov category:
"""),
("code", """
from hypothesis import given, settings
from catkit.testing import diagrams

@settings(max_examples=50, database=None)
@given(diagrams([Box("f", X, Y), Box("g", Y, X), Box("m", X @ Y, Y)], dom=X))
def discarding_a_branch(d):
    lhs = p >> Copy(X) >> (d @ X) >> (Discard(d.cod) @ X)
    assert lhs.equals(p)

discarding_a_branch()
print("holds on 50 random diagrams")
"""),
]

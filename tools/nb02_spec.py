CELLS = [
("md", """
# Conditionals and Bayesian inversion in FinStoch

This notebook uses `catkit.structure`: Bayesian inversion by string diagrams and by numbers, conditionals whose
off-support rows do not matter, the almost-sure-equality pitfall, and d-separation on a small network.
Everything is exact (rationals) unless we ask for floats.
"""),
("code", """
from catkit import Kernel, Wire
from catkit.structure import bayes_invert, posterior, joint, pair, conditional, recombine
disease = Wire(["ill", "well"], name="D")
test = Wire(["+", "-"], name="T")
prior = Kernel.state(["1/100", "99/100"], disease)
f = Kernel([["9/10", "1/10"], ["1/20", "19/20"]], disease, test)
dagger = bayes_invert(f, prior)
print(dagger)
"""),
("md", """
## Bayesian inversion by string diagrams

The inverse `f†` is characterised by one equation between two diagrams: draw the disease from the prior,
copy it, and run the test on one copy (`prior >> ⟨id, f⟩`); or draw the test result from its law
`q = prior >> f`, copy it, and run `f†` on one copy (`q >> ⟨f†, id⟩`). Both are the joint law of (D, T).
"""),
("code", """
q = prior >> f
forwards = joint(prior, f)                         # prior >> copy >> (id @ f)
backwards = q >> pair(dagger, Kernel.id(test))     # q >> copy >> (f† @ id)
print(forwards == backwards, q >> dagger == prior)
print(forwards)
"""),
("md", """
## By numbers

The same posterior from Bayes' formula, exactly, and with floats. A positive test raises the probability of
illness from 1/100 to 2/13.
"""),
("code", """
from fractions import Fraction as F
by_hand = F(1, 100) * F(9, 10) / (F(1, 100) * F(9, 10) + F(99, 100) * F(1, 20))
print(posterior(f, prior, "+")["ill"], by_hand)
print(bayes_invert(f.to("numpy"), prior.to("numpy")).matrix)
"""),
("md", """
## Conditionals are unique only almost surely

`conditional(psi, on=...)` splits a joint into a marginal and a conditional. Where the marginal is zero the
conditional's row is a free choice (by default the other marginal; `fill=` picks any kernel): the defining
equation holds either way.
"""),
("code", """
psi = Kernel.state([["1/2", "1/2"], [0, 0]], Wire(["x0", "x1"]) @ Wire(["y0", "y1"]))
c1 = conditional(psi, on=[0])
c2 = conditional(psi, on=[0], fill=Kernel([[0, 1], [0, 1]], Wire(["x0", "x1"]), Wire(["y0", "y1"])))
print(c1 == c2, recombine(psi.marginal(0), c1, [0]) == psi, recombine(psi.marginal(0), c2, [0]) == psi)
"""),
("md", """
## The almost-sure-equality pitfall

`f =_p g` means `p >> ⟨id, f⟩ = p >> ⟨id, g⟩`. Having the same pushforward, `p >> f = p >> g`, is not enough:
with a fair coin, the identity and the swap push it to the same law.
"""),
("code", """
from catkit.structure import almost_surely_equal, as_equation
coin = Kernel.uniform(Wire(2))
ident, swap = Kernel.id(Wire(2)), Kernel([[0, 1], [1, 0]])
print("same pushforward:", coin >> ident == coin >> swap)
print("almost surely equal:", almost_surely_equal(ident, swap, coin))
lhs, rhs = as_equation(ident, swap, coin)
print(lhs); print(rhs)
"""),
("md", """
## d-separation on a small network

Rain and the sprinkler both wet the grass; wet grass is slippery. Rain and sprinkler are d-separated given
nothing, but not given "slippery" (conditioning on a descendant of a collider): the compiled joint agrees.
"""),
("code", """
import networkx as nx
from catkit.structure import BayesNet, d_separated, d_separations
dag = nx.DiGraph([("rain", "wet"), ("sprinkler", "wet"), ("wet", "slippery")])
bn = BayesNet(dag, {
    "rain": Kernel.state(["1/5", "4/5"]),
    "sprinkler": Kernel.state(["1/2", "1/2"]),
    "wet": Kernel([[1, 0], ["9/10", "1/10"], ["4/5", "1/5"], [0, 1]], Wire(2) @ Wire(2), Wire(2)),
    "slippery": Kernel([["7/10", "3/10"], [0, 1]]),
})
for W in ([], ["wet"], ["slippery"]):
    print(W, d_separated(dag, "rain", "sprinkler", W), bn.independent("rain", "sprinkler", given=W))
print(all(bn.independent(a, b, W) for a, b, W in d_separations(dag)))
"""),
("md", """
## The theorems as checked statements

Positivity ([B3][stmt-b3]) holds on FinStoch and fails for signed "probabilities"; `check` finds and shrinks the
counterexample, with both sides of the failing equation.
"""),
("code", """
from catkit.axioms import REGISTRY, check
print(check(REGISTRY["B3"], "finstoch", max_examples=30).describe())
print(check(REGISTRY["B3"], "signed", max_examples=50).describe())
"""),
]

CELLS = [
("md", """
# A first tour of FinStoch

FinStoch is the Markov category of finite sets and stochastic matrices. In catkit a morphism is a
`Kernel`; its entries can be exact rationals, sympy expressions, float64 or torch tensors.
"""),
("code", """
from catkit import Kernel, Wire, I
weather = Wire(["rain", "sun"], name="weather")
ground = Wire(["wet", "dry"], name="ground")
forecast = Kernel([["3/4", "1/4"], ["1/5", "4/5"]], dom=weather, cod=ground)
prior = Kernel.state(["1/3", "2/3"], weather)
print(forecast)
"""),
("md", """
## Composition and tensor

`f >> g` is "f, then g" (the matrix product); `f @ g` runs two kernels side by side (the Kronecker product).
Exact inputs give exact outputs.
"""),
("code", """
law = prior >> forecast
print(law)
both = prior @ prior
print(both.cod, both.matrix.tolist())
"""),
("md", """
## Copy and discard

`Kernel.copy(X)` duplicates a wire, `Kernel.discard(X)` forgets it. The joint law of the weather and the
ground is `prior >> copy >> (id @ forecast)`, and its marginals are recovered by discarding.
"""),
("code", """
joint = prior >> Kernel.copy(weather) >> (Kernel.id(weather) @ forecast)
print(joint)
assert joint.marginal(0) == prior and joint.marginal(1) == law
"""),
("md", """
## Checking an axiom

The Markov axiom says that discarding after any kernel is discarding: rows sum to 1. Copy, on the other
hand, is only natural for deterministic kernels.
"""),
("code", """
assert forecast >> Kernel.discard(ground) == Kernel.discard(weather)
lhs = forecast >> Kernel.copy(ground)
rhs = Kernel.copy(weather) >> (forecast @ forecast)
print(lhs == rhs, forecast.is_deterministic())
"""),
("md", """
The same statements live in the registry `catkit.axioms`, where hypothesis searches for counterexamples on
every model. On FinStoch the Markov axiom holds:
"""),
("code", """
from catkit.axioms import REGISTRY, check, prove_symbolic
print(check(REGISTRY["A7"], "finstoch", max_examples=50).describe())
"""),
("md", """
## Watching a counter-model fail

Sub-stochastic matrices (rows summing to at most 1) form a copy-discard category that is not Markov:
the checker finds, and shrinks, a counterexample.
"""),
("code", """
print(check(REGISTRY["A7"], "substoch", max_examples=50).describe())
"""),
("md", """
## A proof for all kernels of a size

With sympy entries, a kernel can be *the general* 2×3 stochastic matrix; an identity that simplifies to
`True` then holds for every such kernel.
"""),
("code", """
print(prove_symbolic(REGISTRY["A2"], (2, 3)).describe())
import sympy as sp
p = sp.Symbol("p", nonnegative=True)
coin = Kernel.state([p, 1 - p])
flip = Kernel([[0, 1], [1, 0]])
print(coin >> flip >> flip == coin)
"""),
("md", """
## Floats and torch

The same interface works on float64 and torch tensors; floats are compared with an explicit tolerance.
"""),
("code", """
import torch
f = forecast.to("numpy")
g = forecast.to("torch", dtype=torch.float32)
print((prior.to("numpy") >> f).allclose(law.to("numpy"), tol=1e-12))
print(prior.to("torch", dtype=torch.float32) >> g)
"""),
]

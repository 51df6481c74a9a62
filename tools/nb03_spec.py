CELLS = [
("md", """
# Entropy and information in a Markov category

This notebook tours `catkit.info`: divergences between kernels, **categorical entropy** as a distance from
determinism, the **data processing inequality** (and the case where entropy grows), and the **Baez–Fritz**
relative-entropy functor on FinStat. Exact kernels give exact answers: fractions, or sympy logarithms.
"""),
("code", """
import numpy as np
import sympy as sp
from fractions import Fraction
from catkit import Kernel, Wire, I
from catkit.info import (KL, TotalVariation, Hellinger, Renyi, JensenShannon, categorical_entropy,
                         kl_divergence, total_variation, shannon_entropy, gini_simpson, renyi_entropy)
coin = Kernel.state(["1/2", "1/2"])
biased = Kernel.state(["1/4", "3/4"])
print(kl_divergence(coin, biased), "≈", float(kl_divergence(coin, biased)))
print(total_variation(coin, biased))
"""),
("md", """
## Entropy as distance from determinism

A kernel `f` is deterministic exactly when copying commutes with it: `f >> copy = copy >> (f @ f)`. For a stochastic
kernel the two sides differ — copying the *outcome* gives perfectly correlated copies, running `f` twice gives
independent ones. The categorical entropy `H_D(f) = D(f >> copy, copy >> (f @ f))` measures the gap with any
divergence `D`.
"""),
("code", """
f = Kernel([["1/2", "1/2"], [1, 0], ["1/4", "3/4"]], dom=Wire(["fair", "stuck", "biased"]), cod=Wire(["h", "t"]))
lhs, rhs = f >> Kernel.copy(f.cod), Kernel.copy(f.dom) >> (f @ f)
print(lhs.table()); print(rhs.table())
for D in [KL(), TotalVariation(), Renyi(2), Hellinger()]:
    print(f"{D.name:12s}", categorical_entropy(f, D).tolist())
"""),
("md", """
KL gives Shannon entropy, total variation the Gini–Simpson index `1 − Σp²` (exactly, as fractions) and Rényi-α the
Rényi entropy of order `2 − α`. The closed forms never build the `|X|²`-sized laws; `method="definition"` computes the
defining formula literally, and the two agree exactly:
"""),
("code", """
assert list(categorical_entropy(f, KL())) == list(shannon_entropy(f))
assert list(categorical_entropy(f, TotalVariation())) == list(gini_simpson(f))
assert all(a == b for a, b in zip(categorical_entropy(f, Renyi(2)), renyi_entropy(f, 0)))
for D in [KL(), TotalVariation(), JensenShannon()]:
    print(D.name, categorical_entropy(f, D, method="definition").tolist())
"""),
("code", """
import matplotlib.pyplot as plt
theta = np.linspace(0, 1, 201)
batch = np.stack([theta, 1 - theta], axis=1)          # 201 coins: a kernel's rows
fig, ax = plt.subplots(figsize=(6, 3.5))
for D in [KL(), TotalVariation(), Renyi(2), Renyi("1/2"), Hellinger(scale=2)]:
    ax.plot(theta, categorical_entropy(batch, D), label=D.name)
ax.set_xlabel("θ = P(heads)"); ax.set_ylabel("H_D(coin)"); ax.legend(); ax.set_title("entropy vanishes exactly at the deterministic coins")
plt.show()
"""),
("md", """
## Data processing — and where entropy grows

Every divergence here satisfies data processing: post-composing both sides with the same kernel `h` cannot increase
it. The statements live in the registry and are checked on every model by `catkit check`.
"""),
("code", """
noise = Kernel([["9/10", "1/10"], ["1/10", "9/10"]])
print(kl_divergence(coin >> noise, biased >> noise), "<=", kl_divergence(coin, biased))
from catkit.axioms import REGISTRY, check
for code in ["C1-DPI", "C2-DPI", "C3-pushforward"]:
    print(check(REGISTRY[code], "finstoch", max_examples=20).describe())
"""),
("md", """
Entropy does not grow under a *deterministic* map (`C3-pushforward`), but it can grow under a stochastic one: noise
adds entropy. The non-theorem `C3-grows` fails on FinStoch with a shrunk counterexample, and holds on FinSet, where
every map is deterministic.
"""),
("code", """
print(check(REGISTRY["C3-grows"], "finstoch", max_examples=40).describe())
print(check(REGISTRY["C3-grows"], "finset", max_examples=20).describe())
"""),
("md", """
## The Hellinger normalisation matters

`Hellinger(scale=1)` is `1 − BC`, `Hellinger(scale=2)` is `2(1 − BC)`. The sharp constant in `d_H² ≤ C·KL` is `s/2`,
so with the seed paper's `2(1 − BC)` the constant ½ is wrong; catkit finds the counterexample and checks it exactly.
"""),
("code", """
from catkit.info.bounds import kl_bound, find_kl_bound_violation
for s in (1, 2):
    d = Hellinger(scale=s, squared=False)
    print(kl_bound(d, 2), "| violation of C = 1/2:", find_kl_bound_violation(d, 2, Fraction(1, 2)))
"""),
("md", """
## Baez–Fritz: relative entropy is a functor

A FinStat morphism `(f, s): (X, p) → (Y, q)` is a measure-preserving function with a *hypothesis* `s`, a stochastic
section of `f`. `RE(f, s) = KL(p ‖ q >> s)` measures how badly `s` reconstructs `p`. It adds up along composites,
vanishes for the Bayesian inverse, is convex linear, and is infinite exactly when support is lost.
"""),
("code", """
from catkit.info.finstat import FinStatMorphism, convex_combination
X = Wire(["a", "b", "c"])
p = Kernel.state(["1/2", "1/4", "1/4"], X)
merge = Kernel.from_function(lambda x: "ab" if x in "ab" else "c", X, Wire(["ab", "c"]))
m = FinStatMorphism(p, merge, Kernel([["1/3", "2/3", 0], [0, 0, 1]], merge.cod, X))
n = FinStatMorphism.optimal(m.target, Kernel.discard(merge.cod))
print("RE(m) =", m.relative_entropy(), "  RE(n) =", n.relative_entropy(), "  RE(m >> n) =", (m >> n).relative_entropy())
print("optimal hypothesis:", FinStatMorphism.optimal(p, merge).relative_entropy())
print("convex linear:", convex_combination(Fraction(1, 3), m, n).relative_entropy(), "= RE(m)/3")
lost = FinStatMorphism.from_weights(p, merge, Kernel([[1, 0, 0], [0, 0, 1]], merge.cod, X))
print("support lost:", lost.loses_support(), lost.relative_entropy())
for code in ["C4-functor", "C4-optimal", "C4-convex", "C4-support"]:
    print(code, check(REGISTRY[code], "finstoch", max_examples=15).status)
"""),
("md", """
## Batches, floats and torch

A kernel `A → X` is a batch of `|A|` distributions; divergences and entropies are vectorised over the rows, on numpy
or on torch (on the kernel's device).
"""),
("code", """
import torch
rng = np.random.default_rng(0)
P = rng.dirichlet(np.ones(100), size=1000); Q = rng.dirichlet(np.ones(100), size=1000)
k = Kernel(torch.tensor(P))
print(kl_divergence(P, Q)[:3], categorical_entropy(k, KL())[:3], k.backend.describe(k.storage))
"""),
]

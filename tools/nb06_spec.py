CELLS = [
("md", """
# The paper in catkit

*A Markov Categorical Framework for Language Modeling* (Zhang, arXiv 2507.19247) describes a language model as
a composite of Markov kernels, `k_gen = k_emb >> k_bb >> k_head`, and states twelve results about it: an NLL
decomposition, entropy convergence, an information surplus, a pullback Fisher metric, divergence transfer,
similarity kernels and spectral alignment. It has no experiments and no code.

This notebook checks the claims the way `catkit report` does, in two modes:

- **exact**: toy models on a finite source whose law is known, in exact rationals and exact logarithms;
- **LM**: a transformer trained on samples of that source, lifted into catkit as kernels.

and it reproduces the three places where the paper is wrong.
"""),
("code", """
import mpmath
import numpy as np
import matplotlib.pyplot as plt
from fractions import Fraction
from catkit import Kernel
from catkit.info import KL, shannon_entropy, expected_entropy
from catkit.sources import default_source
from catkit.paper.toy import ExactSetting, belief_model, last_token_model

source = default_source()
setting = ExactSetting(source, 2)          # all 16 contexts of length 2, their exact law, the data kernel
print(source)
print(setting.data.matrix[:3])
"""),
("md", """
## Claim 3: the NLL decomposition, exactly

A model is `k_gen = f_enc >> k_head` with a deterministic encoder. Two toy models: the **belief state** of the HMM (the
minimal sufficient statistic of the context) and the **last token** (lossy). Their heads are the best the encoder allows.
Cross-entropy = average KL to the data kernel + conditional entropy of the source, with exact logarithms:
"""),
("code", """
from catkit.paper.exact_info import claim3_exact
H = expected_entropy(setting.data, setting.mu)
print("H(W_t | W_<t) =", H, "≈", float(H))
for model in [belief_model(setting), last_token_model(setting)]:
    kl = KL().averaged(setting.data, model.generation, setting.mu)
    print(f"{model.name:>12}: {model.hidden.size:2d} hidden states, E KL = {float(kl):.6f} nats")
# the check itself: CE computed independently, compared with E KL + H as exact log-expressions
for r in claim3_exact(setting):
    print(r.verdict, "|", r.check)
"""),
("md", """
## Finding 1 (claim 4): Pinsker cannot be substituted into the Fannes bound

Theorem 5.2 bounds the entropy gap by `δ log(|V|−1) + h_b(δ)` and then puts Pinsker's `δ ≤ √(KL/2)` in. The bound is
increasing in `δ` only up to `1 − 1/|V|`, so the substitution fails when the KL term is large:
"""),
("code", """
from catkit.paper.exact_info import fannes_bound
p = Kernel.point(source.vocab, source.vocab.elements()[0])
q = Kernel.uniform(source.vocab)
gap = abs(float(shannon_entropy(p)) - float(shannon_entropy(q)))
delta = mpmath.sqrt(mpmath.mpf(float(KL()(p, q))) / 2)
print(f"|ΔH| = {gap:.4f},  bound with δ = √(KL/2) = {float(fannes_bound(delta, 4)):.4f}  -> violated")
print(f"bound with δ = TV = 3/4: {float(fannes_bound(mpmath.mpf(3) / 4, 4)):.4f}  -> holds (with equality)")
"""),
("md", """
## Finding 2 (claim 7): the Hellinger constant

With `d_H² = 2(1 − BC)` the paper uses `d_H² ≤ ½ KL`. catkit searches for a violation exactly:
"""),
("code", """
from catkit.info import Hellinger
from catkit.info.bounds import find_kl_bound_violation, kl_bound
v = find_kl_bound_violation(Hellinger(scale=2, squared=False), 2, Fraction(1, 2))
print("holds:", v.holds, " p =", v.p.matrix.ravel(), " q =", v.q.matrix.ravel())
print("sharp constant for this normalisation:", kl_bound(Hellinger(scale=2, squared=False), 2).constant)
"""),
("md", """
## Finding 3 (claim 10): symmetric and bounded is not enough for a non-negative spectrum

`exp(−β · Jeffreys)` is symmetric and bounded by 1 but not positive semi-definite, and the operator `M = K̃ diag(μ)`
built from it (on these three laws, with their law μ) has a negative eigenvalue:
"""),
("code", """
from catkit.paper.exact_geometry import jeffreys_counterexample
from catkit.paper.exact_geometry import LogLinearToy, claim10_exact
rows, beta, lam = jeffreys_counterexample()
print("distributions:", [[str(x) for x in r] for r in rows], " β =", beta, " λ_min of the Gram matrix =", mpmath.nstr(lam, 6))
r = [r for r in claim10_exact(LogLinearToy.from_setting(setting)) if r.finding][0]
print(r.verdict, "|", r.check, "|", r.quantities)
"""),
("md", """
## Claim 5: the information surplus

`Surplus_K = I(H; W_t..W_{t+K−1}) − I(H; W_t)`: zero for an order-1 chain read through its last token, positive for the HMM,
non-decreasing in K and bounded by `H(W_{t+1..} | W_t)`.
"""),
("code", """
from catkit.paper.exact_info import claim5_exact
results, tables = claim5_exact(source, 2, Ks=(1, 2, 3, 4))
for name, t in tables.items():
    plt.plot(t["K"], t["surplus"], "o-", label=name)
plt.xlabel("K"); plt.ylabel("Surplus_K (nats)"); plt.legend(fontsize=7)
print([(r.check, r.verdict) for r in results])
"""),
("md", """
## LM mode and the report

`run_report` trains (or loads from the cache) a model, runs every check in both modes and writes the report folder.
Here the `tiny` preset (a two-state source and a small model, seconds on CPU); `catkit report` uses the `small` preset,
and `--scale large --device cuda` streams 10⁶ contexts of a 256-token source.
"""),
("code", """
import tempfile
from IPython.display import Markdown, Image, display
from catkit.paper.report import ReportConfig, run_report, findings
from catkit.paper.render import claims_table
out = tempfile.mkdtemp()
rep = run_report(ReportConfig.preset("tiny"), out, progress=False)
display(Markdown(claims_table(rep.results)))
for f in findings(rep.results):
    print("-", f.replace("**", ""))
display(Image(filename=f"{out}/training_curves.png"))
"""),
("md", """
Every number in the report is in `results.json`; see the docs page *Validating the paper* for the claim-by-claim
discussion.
"""),
]

CELLS = [
("md", """
# The paper in catkit

*A Markov Categorical Framework for Language Modeling* (Zhang, arXiv 2507.19247) describes a language model as
a composite of Markov kernels, `k_gen = k_emb >> k_bb >> k_head`, and states twelve results about it: an NLL
decomposition, entropy convergence, an information surplus, a pullback Fisher metric, divergence transfer,
similarity kernels and spectral alignment. It has no experiments and no code.

This notebook checks the claims the way `catkit report` does, in two modes:

- **exact**: toy models on a finite source whose law is known; every verdict is decided exactly or by certified
  interval arithmetic, never by a float tolerance;
- **LM**: a transformer trained on samples of that source, lifted into catkit as kernels.

Each claim is one check over a *setting*, registered with a **control** — a perturbed input or a deliberately wrong
formula on which it must fail — and every result says how it was decided. The notebook reproduces the three places
where the paper is wrong.
"""),
("code", """
import sympy as sp
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
from catkit.paper.checks import run_checks
H = expected_entropy(setting.data, setting.mu)
print("H(W_t | W_<t) =", H, "≈", float(H))
for model in [belief_model(setting), last_token_model(setting)]:
    kl = KL().averaged(setting.data, model.generation, setting.mu)
    print(f"{model.name:>12}: {model.hidden.size:2d} hidden states, E KL = {float(kl):.6f} nats")
# the check itself: CE computed directly as −Σ μ q log p, compared with E KL + H; then its control
for r in run_checks(setting, claims=[3]):
    print(f"{r.verdict:5} | {r.check} | decided by {r.decided_by} | control: {r.control} -> {r.control_verdict}")
"""),
("md", """
## Certified comparisons

`catkit.info.reals` never calls two different reals equal: it evaluates in interval arithmetic (python-flint `arb`)
at rising precision until the interval excludes 0, and needs an exact proof to say *equal*. A convergent of
log 3 / log 2 makes `q·log 3` and `p·log 2` agree to about 10⁻¹³ relative to values near 10¹² — in float64 they are
the same number:
"""),
("code", """
import sympy as sp
from catkit.info.reals import decisions, equal, sign
p, q = 1193652440098, 753110839881   # a convergent: q log 3 − p log 2 ≈ 1.2e-13
print(float(q * sp.log(3)) == float(p * sp.log(2)))   # float64 cannot tell them apart
with decisions() as how:
    print(equal(q * sp.log(3), p * sp.log(2)), sign(q * sp.log(3) - p * sp.log(2)), how.decided_by)
print(equal(sp.log(8), 3 * sp.log(2)))   # a true identity, proved exactly
"""),
("md", """
## Finding 1 (claim 4): Pinsker cannot be substituted into the Fannes bound

Theorem 5.2 bounds the entropy gap by `δ log(|V|−1) + h_b(δ)` and then puts Pinsker's `δ ≤ √(KL/2)` in. The bound is
increasing in `δ` only up to `1 − 1/|V|`, so the substitution fails when the KL term is large:
"""),
("code", """
from catkit.info.bounds import fannes_bound
p = Kernel.point(source.vocab, source.vocab.elements()[0])
q = Kernel.uniform(source.vocab)
gap = abs(float(shannon_entropy(p)) - float(shannon_entropy(q)))
delta = sp.sqrt(KL()(p, q) / 2)
print(f"|ΔH| = {gap:.4f},  bound with δ = √(KL/2) = {float(fannes_bound(delta, 4)):.4f}  -> violated")
print(f"bound with δ = TV = 3/4: {fannes_bound(Fraction(3, 4), 4)}  -> holds (with equality: log 4)")
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
from catkit.paper.geometry import JEFFREYS_BETA, JEFFREYS_ROWS
from catkit.paper.geometry_claims import gram
G = gram("exp(−β J)", Kernel([list(r) for r in JEFFREYS_ROWS]), JEFFREYS_BETA)
lam = np.linalg.eigvalsh(np.array([[float(x) for x in r] for r in G]))[0]
print("distributions:", [[str(x) for x in r] for r in JEFFREYS_ROWS], " β =", JEFFREYS_BETA, f" λ_min ≈ {lam:.5f}")
r = [r for r in run_checks(setting, claims=[10]) if r.finding][0]
print(r.verdict, "|", r.check, "|", r.decided_by, "| control:", r.control, "->", r.control_verdict)
"""),
("md", """
## Claim 5: the information surplus

`Surplus_K = I(H; W_t..W_{t+K−1}) − I(H; W_t)`: zero for an order-1 chain read through its last token, positive for the HMM,
non-decreasing in K and bounded by `H(W_{t+1..} | W_t)`.
"""),
("code", """
results = run_checks(setting, claims=[5])
for name, t in setting.cache["surplus"].items():   # certified intervals; float() is their midpoint
    plt.plot(t["K"], [float(x) for x in t["surplus"]], "o-", label=name)
plt.xlabel("K"); plt.ylabel("Surplus_K (nats)"); plt.legend(fontsize=7)
print([(r.check, r.verdict, r.decided_by) for r in results])
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
from catkit.paper.render import controls_summary
display(Markdown(claims_table(rep.results)))
print(controls_summary(rep.results))
for f in findings(rep.results):
    print("-", f.replace("**", ""))
display(Image(filename=f"{out}/training_curves.png"))
"""),
("md", """
Every number in the report is in `results.json`; see the docs page *Validating the paper* for the claim-by-claim
discussion.
"""),
]

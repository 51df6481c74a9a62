"""The seed paper's checkable claims, stated once.

"A Markov Categorical Framework for Language Modeling", Yifan Zhang, arXiv 2507.19247
(v1 Jul 2025, v2 Aug 2025; numbering is v2's).  Each :class:`Claim` says what
the paper states, where, and in which modes catkit checks it: ``exact`` (a
finite source and a toy model, rational or high-precision arithmetic, no
sampling) and ``lm`` (a trained language model over a source whose law is
known, with an error bar).

>>> CLAIMS[7].source
'v2, Thm 7.1'
>>> [c.number for c in CLAIMS.values() if "lm" in c.modes]
[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Claim", "CLAIMS", "PAPER"]

PAPER = "Zhang, A Markov Categorical Framework for Language Modeling, arXiv 2507.19247"


@dataclass(frozen=True)
class Claim:
    """One claim of the paper: number, short title, source, statement, and the modes catkit checks.

    >>> CLAIMS[3].title
    'NLL decomposition'
    """

    number: int
    title: str
    source: str
    statement: str
    modes: tuple[str, ...]


CLAIMS: dict[int, Claim] = {
    c.number: c
    for c in [
        Claim(1, "Composition", "v2, §3 (k_gen = k_emb >> k_bb >> k_head)",
              "Deterministic factors act as pushforwards; k_gen is a Markov kernel; drafting and verifying heads read the same H_t.",
              ("exact", "lm")),
        Claim(2, "Categorical entropy of the head", "v2, Def 2.5 and Prop 4.2",
              "H_KL(k_head)(h) = D_KL(copy∘p_h ‖ p_h⊗p_h) = H(p_h); averaged over H_t it is H(W_t | H_t). "
              "TV gives 1 − Σp², Rényi-α gives the Rényi entropy of order 2 − α.",
              ("exact", "lm")),
        Claim(3, "NLL decomposition", "v2, Thm 5.1",
              "CE(θ) = E_x KL(P_data(·|x) ‖ P_θ(·|x)) + H(W_t | W_<t); the KL term is ≥ 0 and zero iff the model "
              "equals the data kernel almost surely.",
              ("exact", "lm")),
        Claim(4, "Entropy convergence", "v2, Thm 5.2",
              "The model's average head entropy tends to the data's as the KL term tends to 0; quantitatively "
              "|E H(p_θ) − E H(p_data)| ≤ E[δ log(|V|−1) + h_b(δ)] with δ ≤ √(KL/2).",
              ("exact", "lm")),
        Claim(5, "Information surplus", "v2, eq. (4.1)–(4.2)",
              "I(H; W_{t:t+K−1}) = I(H; W_t) + Surplus_K with 0 ≤ Surplus_K ≤ H(W_{t+1:t+K−1} | W_t) ≤ (K−1) log|V|, "
              "non-decreasing in K, zero for an order-1 Markov chain with H_t = last token, positive for HMMs; "
              "DPI I(f_enc(X); future) ≤ I(X; future) with equality for the belief state.",
              ("exact", "lm")),
        Claim(6, "Pullback Fisher metric", "v2, Thm 6.1 and Prop 6.3",
              "g*(h) = Wᵀ(diag p − p pᵀ)W; KL(p_{h+εv} ‖ p_h) = ½ ε² vᵀ g*(h) v + O(ε³); rank g* ≤ min(d, |V| − 1).",
              ("exact", "lm")),
        Claim(7, "Divergence transfer", "v2, Thm 7.1",
              "If d^k ≤ C·KL then E_x d(P_data, P_θ)^k ≤ C·L; triangle transfer |d(p^θ_x, p^θ_x') − d(p^data_x, p^data_x')| ≤ ε_x + ε_x'; "
              "Markov bound P(ε_x ≥ δ) ≤ C L / δ^k; the paper takes the Hellinger constant C = 1/2 with d_H² = 2(1 − BC).",
              ("exact", "lm")),
        Claim(8, "Fisher–Rao length bound", "v2, Cor 7.2",
              "d_FR(g(h), g(h')) = 2 arccos BC ≤ ∫₀¹ √(Δᵀ g*(h(t)) Δ) dt along the segment from h to h'.",
              ("exact", "lm")),
        Claim(9, "Predictive similarity kernels", "v2, Def 7.3",
              "K_BC, K_Lin, exp(−β d_H²) and exp(−β JS) are positive semi-definite; exp(−β Jeffreys) is not guaranteed PSD; "
              "d_H² = 2(1 − K_BC).",
              ("exact", "lm")),
        Claim(10, "The similarity operator", "v2, Def 7.5 and the spectral claims after it",
              "M = K̃ diag(μ) on the finite hidden-state space has real eigenvalues, ≥ 0 for PSD K; trace = Σ μ(h) K̃(h, h); "
              "tower identity E⟨h_x, h_x'⟩K(x, x') = Σ μμ' K̃(h, h')⟨h, h'⟩; Dirichlet identity. "
              "The paper also asserts a nonnegative spectrum under boundedness and symmetry alone.",
              ("exact", "lm")),
        Claim(11, "Spectral alignment (exact parts)", "v2, Thm 7.6",
              "NLL = −E⟨ḡ_x, h_x⟩ + E log Z(h_x) for a bias-free log-linear head; J = E⟨h, h'⟩K = ‖E[h ḡᵀ]‖_F²; "
              "under whitening J ≤ the sum of the top-d eigenvalues of the centred operator (Ky Fan), with equality iff "
              "span(h) is that eigenspace; the log Z term is bounded, not constant.",
              ("exact", "lm")),
        Claim(12, "Spectral alignment on a trained LM", "v2, Thm 7.6 (interpretation)",
              "Whitened hidden states align with the target features ḡ: canonical correlations, principal angles to the top-d "
              "eigenfunctions and kernel–target alignment beat random and shuffled baselines.",
              ("lm",)),
    ]
}

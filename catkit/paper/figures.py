"""The report's figures (matplotlib, PNG): surplus vs K, the training curves, the spectrum with the alignment,
the Fisher-metric expansion.  Each is drawn only when its numbers are in the report's data.

>>> import tempfile
>>> from catkit.paper.report import Report, ReportConfig
>>> rep = Report(ReportConfig.preset("tiny"))
>>> rep.data["fisher"] = {"eps": [0.1, 0.01, 0.001], "remainder": [1e-3, 1e-6, 1e-9]}
>>> make_figures(rep, tempfile.mkdtemp())
{'Fisher metric: the remainder of the second-order KL expansion is O(ε³)': 'fisher_expansion.png'}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["make_figures"]


def make_figures(report: Any, out: str | Path) -> dict[str, str]:
    """Draw every figure whose data the report has into ``out``; returns caption → file name.

    Only the training curves here (two checkpoints); a report with no data draws nothing:

    >>> import os, tempfile
    >>> from types import SimpleNamespace
    >>> point = {"CE": 1.2, "H": 1.0, "KL": 0.2, "gap": 0.1, "bound_tv": 0.5}
    >>> rep = SimpleNamespace(data={"curve": [(0, point), (10, dict(point, CE=1.05, KL=0.05, gap=0.02))]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     figs, none = make_figures(rep, d), make_figures(SimpleNamespace(data={}), d)
    ...     written = os.listdir(d)
    >>> list(figs.values()), written, none
    (['training_curves.png'], ['training_curves.png'], {})
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    figs: dict[str, str] = {}
    d = report.data

    def save(fig: Any, name: str, caption: str) -> None:
        fig.tight_layout()
        fig.savefig(out / name, dpi=110)
        plt.close(fig)
        figs[caption] = name

    if "surplus" in d:
        fig, ax = plt.subplots(figsize=(6.4, 4))
        # distinct line styles: some curves coincide exactly (order-2 chain: the last token carries the surplus)
        for (name, t), ls in zip(d["surplus"].items(), ["-", "--", "-.", ":", (0, (5, 1))] * 3):
            ax.plot(t["K"], t["surplus"], marker="o", linestyle=ls, label=name)
        if "probe" in d:
            pr = d["probe"]
            ax.errorbar([2], [pr["probe"]], yerr=[pr["probe_err"]], fmt="s", color="k", capsize=4,
                        label="trained LM: probe lower bound (K = 2)")
            ax.plot([2], [pr["exact_h"]], "x", color="k", ms=9, label="trained LM: exact I(H; W_t+1 | W_t)")
        ax.set(xlabel="K", ylabel="Surplus_K (nats)", title="Information surplus (claim 5)")
        ax.legend(fontsize=7)
        save(fig, "surplus_vs_K.png", "Information surplus vs K: exact for the HMM and the Markov-chain controls"
             + (", probe on the trained LM" if "probe" in d else ""))
    if d.get("curve"):
        steps = [s for s, _ in d["curve"]]
        c = [v for _, v in d["curve"]]
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.8))
        a1.plot(steps, [x["CE"] for x in c], "o-", label="CE")
        a1.plot(steps, [x["H"] for x in c], "--", label="H(W_t | W_<t)")
        a1.plot(steps, [x["KL"] + x["H"] for x in c], ":", label="E KL + H")
        a1.set(xlabel="training step", ylabel="nats", title="NLL decomposition (claim 3)")
        a1.legend(fontsize=8)
        a2.semilogy(steps, [max(x["KL"], 1e-12) for x in c], "o-", label="E KL")
        a2.semilogy(steps, [max(x["gap"], 1e-12) for x in c], "s-", label="|E H(p_θ) − E H(p_data)|")
        a2.semilogy(steps, [max(x["bound_tv"], 1e-12) for x in c], "--", label="Fannes bound (δ = TV)")
        a2.set(xlabel="training step", title="Entropy convergence (claim 4)")
        a2.legend(fontsize=8)
        save(fig, "training_curves.png", "Cross-entropy, KL and entropy gap across training checkpoints")
    if "alignment" in d:
        al = d["alignment"]
        eigs = np.asarray(al["trained"]["eigs"])
        dim = len(al["trained"]["cca"])
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.8))
        k = np.arange(1, len(eigs) + 1)
        a1.bar(k, eigs, color=["tab:blue" if i < dim else "tab:gray" for i in range(len(eigs))])
        a1.set(xlabel="index", ylabel="eigenvalue", title="Spectrum of Cov(ḡ) (the centred operator, d × d form)")
        names = ["trained", "untrained", "shuffled"]
        kta = [al["trained"]["kta"], al["untrained"]["kta"], float(np.mean(al["shuffled_kta"]))]
        jf = [al["trained"]["J"] / al["trained"]["kyfan"], al["untrained"]["J"] / al["untrained"]["kyfan"],
              float(np.mean(al["shuffled_j"]))]
        x = np.arange(3)
        a2.bar(x - 0.2, kta, 0.4, label="kernel–target alignment")
        a2.bar(x + 0.2, jf, 0.4, label="whitened J / Ky Fan")
        a2.set_xticks(x, names)
        a2.set(ylim=(0, 1.05), title="Alignment of hidden states with ḡ (claim 12)")
        a2.legend(fontsize=8)
        save(fig, "spectrum_alignment.png", "The operator's spectrum and the alignment of the learned representation")
    if "fisher" in d:
        eps, rem = np.asarray(d["fisher"]["eps"]), np.asarray(d["fisher"]["remainder"])
        fig, ax = plt.subplots(figsize=(5.5, 4))
        ax.loglog(eps, np.maximum(rem, 1e-300), "o-", label="|KL − ½ε² vᵀg*v|")
        ax.loglog(eps, rem[0] * (eps / eps[0]) ** 3, "--", label="slope 3")
        ax.set(xlabel="ε", ylabel="remainder", title="Second-order KL expansion (claim 6)")
        ax.legend(fontsize=8)
        save(fig, "fisher_expansion.png", "Fisher metric: the remainder of the second-order KL expansion is O(ε³)")
    return figs

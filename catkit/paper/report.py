"""``catkit report``: check every claim of the seed paper, exactly and on a trained LM, and write the report.

The run has two halves, both driven by the registry of checks (:mod:`catkit.paper.checks`).  **Exact
mode** builds toy models on a finite source whose law is known and runs every exact-mode check on them
(exact rationals and logarithms, certified interval arithmetic; no float tolerance), including the
counterexamples where the paper is wrong.  **LM mode** trains (or loads from the cache) a small
transformer on samples of the same source and runs the LM-mode checks on it, over all contexts of one
length with their exact law, with error bars where samples enter.  Every check also runs its control.
The report folder holds ``report.md``, ``report.html``, ``results.json`` and the figures.

>>> cfg = ReportConfig.preset("tiny")
>>> cfg.source.name, cfg.lm_length
('tiny', 2)
"""

from __future__ import annotations

import datetime
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from catkit.paper.checks import checks_for, run_checks
from catkit.paper.claims import CLAIMS
from catkit.paper.result import ClaimResult, PaperError

__all__ = ["ReportConfig", "Report", "exact_mode", "lm_mode", "run_report", "findings", "main"]

SCALES = ("small", "large", "tiny")


@dataclass(frozen=True)
class ReportConfig:
    """What a report run computes on: the source, the model to train (or load), the lengths, the device.

    ``preset("small")`` is the embedded default (the 4-token HMM and a ~60k-parameter model, a few minutes
    on CPU the first time, cached after); ``preset("tiny")`` is the smoke-test size used by the suite;
    ``preset("large")`` adds the streamed checks at vocabulary 256 and 10⁶ contexts (meant for a GPU).

    >>> ReportConfig.preset("small").snapshots[-1]
    1000
    >>> ReportConfig.preset("huge")
    Traceback (most recent call last):
    ...
    catkit.paper.result.PaperError: unknown scale 'huge': choose from small, large, tiny
    """

    scale: str
    source: Any
    model_config: Any
    train_config: Any
    snapshots: tuple[int, ...]
    exact_length: int = 3
    geometry_length: int = 2
    lm_length: int = 3
    device: str = "cpu"
    model_path: str | None = None
    model_options: dict[str, int] = field(default_factory=dict)  # bos_token_id / vocab_size for a model that does not know them
    stream: dict[str, Any] | None = None  # the large preset's streamed checks (source, configs, length, n_contexts)
    probe: dict[str, int] = field(default_factory=lambda: {"n_train": 8000, "n_test": 16000, "steps": 300})

    @classmethod
    def preset(cls, scale: str, *, source: Any = None, device: str = "cpu", model_path: str | None = None) -> ReportConfig:
        """The configuration of a size preset, optionally on another source (the model's vocabulary follows it).

        >>> from catkit.sources import HMM
        >>> binary = HMM([["3/4", "1/4"], ["1/4", "3/4"]], [["3/4", "1/4"], ["1/4", "3/4"]], name="binary")
        >>> ReportConfig.preset("tiny").snapshots, ReportConfig.preset("small", source=binary).model_config.vocab_size
        ((0, 20, 60, 120), 2)
        >>> ReportConfig.preset("small").stream is None, ReportConfig.preset("large").stream is None
        (True, False)
        """
        from catkit.lm.presets import get_preset
        from catkit.paper.training import DEFAULT_SNAPSHOTS

        if scale not in SCALES:
            raise PaperError(f"unknown scale {scale!r}: choose from {', '.join(SCALES)}")
        if scale == "tiny":
            lm = get_preset("tiny")  # the one registry of presets (catkit.lm.presets)
            src = source or lm.make_source()
            cfg = cls("tiny", src, replace(lm.model_config, vocab_size=src.vocab.size), replace(lm.train_config, steps=120),
                      (0, 20, 60, 120), exact_length=2, geometry_length=1, lm_length=2, device=device, model_path=model_path,
                      probe={"n_train": 1500, "n_test": 1500, "steps": 100})
            return cfg
        lm = get_preset("small")  # large: the small model, with the streamed checks added below
        src = source or lm.make_source()
        cfg = cls(scale, src, replace(lm.model_config, vocab_size=src.vocab.size), lm.train_config, tuple(DEFAULT_SNAPSHOTS),
                  device=device, model_path=model_path)
        if scale == "large":
            from catkit.paper.streamed import PRESETS

            cfg = replace(cfg, stream={"preset": PRESETS["large"]})
        return cfg


@dataclass
class Report:
    """What a run produced: every result, the numbers behind the figures, the figure files, the timings.

    >>> rep = Report(ReportConfig.preset("tiny"), [ClaimResult(3, "exact", "identity", "holds", "CE = KL + H")])
    >>> len(rep.results), rep.data, rep.path
    (1, {}, None)
    """

    config: ReportConfig
    results: list[ClaimResult] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    path: Path | None = None

    def by_claim(self, claim: int, mode: str | None = None) -> list[ClaimResult]:
        """The results of one claim (and mode).

        >>> rep = Report(ReportConfig.preset("tiny"), [ClaimResult(3, "exact", "a", "holds", ""), ClaimResult(3, "lm", "b", "fails", "")])
        >>> [r.check for r in rep.by_claim(3)], [r.check for r in rep.by_claim(3, "lm")], rep.by_claim(4)
        (['a', 'b'], ['b'], [])
        """
        return [r for r in self.results if r.claim == claim and (mode is None or r.mode == mode)]


class _Progress:
    """One line per step on stderr: ``[k/n] what ... seconds``."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total, self.k, self.enabled = total, 0, enabled

    def step(self, what: str, fn: Callable[[], Any], timings: dict[str, float]) -> Any:
        self.k += 1
        if self.enabled:
            print(f"[{self.k}/{self.total}] {what} ...", end="", file=sys.stderr, flush=True)
        t = time.perf_counter()
        out = fn()
        timings[what] = dt = time.perf_counter() - t
        if self.enabled:
            print(f" {dt:.1f} s", file=sys.stderr, flush=True)
        return out


def _claims(mode: str, kind: str = "kernels") -> int:
    """How many claims have checks of a mode (one progress step each)."""
    return len({c.claim for c in checks_for(mode, kind)})  # type: ignore[arg-type]


def _by_claim(progress: _Progress, label: str, timings: dict[str, float]) -> Callable[[int, Callable[[], list[ClaimResult]]], list[ClaimResult]]:
    return lambda claim, work: progress.step(f"{label}: claim {claim}", work, timings)


def exact_mode(cfg: ReportConfig, report: Report, progress: _Progress) -> None:
    """Every exact-mode check of the registry (and its control) on toy models of ``cfg.source``.

    On a binary source (fast); the findings are the paper's known errors (claims 2, 4, 7 and 10):

    >>> from catkit.sources import HMM
    >>> binary = HMM([["3/4", "1/4"], ["1/4", "3/4"]], [["3/4", "1/4"], ["1/4", "3/4"]], name="binary")
    >>> cfg = replace(ReportConfig.preset("tiny", source=binary), exact_length=1)
    >>> rep = Report(cfg)
    >>> exact_mode(cfg, rep, _Progress(11, enabled=False))
    >>> sorted({r.claim for r in rep.results}) == list(range(1, 12)), sorted(rep.data), len(rep.timings)
    (True, ['surplus'], 11)
    >>> sorted({(r.claim, r.verdict) for r in rep.results if r.finding})
    [(2, 'holds'), (4, 'fails'), (7, 'fails'), (10, 'fails')]
    """
    from catkit.paper.toy import ExactSetting

    setting = ExactSetting(cfg.source, cfg.exact_length, cfg.geometry_length)
    report.results += run_checks(setting, progress=_by_claim(progress, "exact", report.timings))
    report.data["surplus"] = {name: {"K": t["K"], "surplus": [float(x) for x in t["surplus"]]}
                              for name, t in setting.cache.get("surplus", {}).items()}


def _models(cfg: ReportConfig, progress: _Progress, timings: dict[str, float]) -> tuple[Any, list[tuple[int, Any]], Any]:
    """The trained model, its training snapshots (empty for a loaded model) and an untrained baseline (or None)."""
    from catkit.lm import TinyGPT
    from catkit.paper.training import training_snapshots

    if cfg.model_path is not None:
        from catkit.lm.adapters import CatkitAdapter
        from catkit.lm.compat import load_checked

        model = progress.step(f"loading {cfg.model_path}", partial(load_checked, cfg.model_path, cfg.source, cfg.lm_length,
                                                                  device=cfg.device, **cfg.model_options), timings)
        untrained = TinyGPT(model.model.config, seed=1).to(cfg.device) if isinstance(model, CatkitAdapter) else None
        return model, [], untrained
    snaps = progress.step(
        f"training or loading the {cfg.scale} model ({cfg.train_config.steps} steps, cached)",
        lambda: training_snapshots(cfg.source, cfg.model_config, cfg.train_config, cfg.snapshots, device=cfg.device,
                                   progress=progress.enabled), timings)
    return snaps[-1][1], snaps, snaps[0][1] if snaps[0][0] == 0 else TinyGPT(cfg.model_config, seed=1).to(cfg.device)


def lm_mode(cfg: ReportConfig, report: Report, progress: _Progress) -> None:
    """Every LM-mode check of the registry on the trained model over all contexts of length ``cfg.lm_length`` (exact
    context law), with its training checkpoints and untrained twin when there are any.

    On a saved untrained model (nothing is trained), with a small probe; a loaded model has no
    training checkpoints, so the shrinking entropy gap of claim 4 is inconclusive:

    >>> import tempfile
    >>> from catkit.lm import TinyGPT
    >>> from catkit.lm.checkpoint import save_checkpoint
    >>> with tempfile.TemporaryDirectory() as d:
    ...     cfg = ReportConfig.preset("tiny", model_path=d)
    ...     _ = save_checkpoint(d, TinyGPT(cfg.model_config), step=0)
    ...     cfg = replace(cfg, probe={"n_train": 200, "n_test": 200, "steps": 10})
    ...     rep = Report(cfg)
    ...     lm_mode(cfg, rep, _Progress(10, enabled=False))
    >>> sorted({r.claim for r in rep.results}) == list(range(1, 13))
    True
    >>> [r.verdict for r in rep.by_claim(4) if r.check.startswith("entropy gap")], rep.data["curve"], rep.data["lm"]
    (['inconclusive'], [], {'contexts': 9, 'hidden states': 9, 'd': 16, 'V': 3})
    """
    from catkit.paper.geometry_claims import fisher_expansion
    from catkit.paper.setting import LMSetting

    t = report.timings
    model, snaps, untrained = _models(cfg, progress, t)
    s = progress.step("LM: lifting the model (LMKernel)",
                      lambda: LMSetting(cfg.source, model, cfg.lm_length, device=cfg.device, checkpoints=snaps, untrained=untrained,
                                        probe=dict(cfg.probe)), t)
    report.results += run_checks(s, progress=_by_claim(progress, "LM", t))
    report.data["curve"] = [(step, {k: float(v) for k, v in s.decomposition(m).items() if k in ("CE", "KL", "H", "gap", "bound_tv")})
                            for (label, m), (step, _) in zip(s.path, snaps)]
    if "probe False" in s.cache:
        report.data["probe"] = s.cache["probe False"]
    if "alignment" in s.cache:
        report.data["alignment"] = s.cache["alignment"]
    report.data["fisher"] = fisher_expansion(s.log_linear())
    report.data["lm"] = {"contexts": len(s.contexts), "hidden states": int(s.lk.hidden_table.shape[0]), "d": int(s.lk.W.shape[1]),
                         "V": int(s.lk.W.shape[0])}


def stream_mode(cfg: ReportConfig, report: Report, progress: _Progress) -> None:
    """The large preset's streamed checks (claims 3, 4, 11, 12) over sampled contexts, in d × d and V × d forms."""
    from catkit.lm import TinyGPT
    from catkit.paper.streamed import streamed_checks
    from catkit.paper.training import training_snapshots

    p = cfg.stream["preset"]  # type: ignore[index]
    src = p.make_source()
    t = report.timings
    snaps = progress.step(f"large: training or loading ({p.train_config.steps} steps, cached)",
                          lambda: training_snapshots(src, p.model_config, p.train_config, (0, p.train_config.steps),
                                                     device=cfg.device, progress=progress.enabled), t)
    untrained = snaps[0][1] if snaps[0][0] == 0 else TinyGPT(p.model_config, seed=1)
    res, data = progress.step(f"large: streaming {p.n_contexts:,} contexts of length {p.length}",
                              lambda: streamed_checks(snaps[-1][1], untrained, src, p.length, p.n_contexts, device=cfg.device,
                                                      progress=progress.enabled), t)
    report.results += res
    report.data["streamed"] = data


def findings(results: Sequence[ClaimResult]) -> list[str]:
    """One plain sentence per result that shows the paper wrong or imprecise.

    >>> findings([ClaimResult(7, "exact", "the constant", "fails", "d ≤ C KL", note="C = 1 is sharp", finding=True)])
    ['Claim 7 (v2, Thm 7.1), the constant: **fails** in exact mode. C = 1 is sharp']
    """
    out = []
    for r in results:
        if r.finding:
            out.append(f"Claim {r.claim} ({CLAIMS[r.claim].source}), {r.check}: **{r.verdict}** in {r.mode} mode. {r.note}".rstrip())
    return out


def run_report(cfg: ReportConfig, out: str | Path, *, modes: Sequence[str] = ("exact", "lm"), progress: bool = True) -> Report:
    """Run the checks of ``modes`` and write the report folder ``out``; returns the :class:`Report`.

    >>> import tempfile
    >>> rep = run_report(ReportConfig.preset("tiny"), tempfile.mkdtemp(), modes=("exact",), progress=False)
    >>> sorted({r.claim for r in rep.results}) == list(range(1, 12)), rep.path.name
    (True, 'report.md')
    """
    from catkit.paper.figures import make_figures
    from catkit.paper.render import write_report

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rep = Report(cfg)
    steps = {"exact": _claims("exact"), "lm": _claims("lm") + 2, "stream": 2}
    want = list(modes) + (["stream"] if cfg.stream and "lm" in modes else [])
    prog = _Progress(sum(steps[m] for m in want) + 1, progress)
    t0 = time.perf_counter()
    if "exact" in want:
        exact_mode(cfg, rep, prog)
    if "lm" in want:
        lm_mode(cfg, rep, prog)
    if "stream" in want:
        stream_mode(cfg, rep, prog)
    rep.figures = prog.step("figures", lambda: make_figures(rep, out), rep.timings)
    header = _header(cfg, rep, time.perf_counter() - t0)
    rep.path = write_report(out, rep.results, rep.figures, header, findings(rep.results))
    return rep


def _header(cfg: ReportConfig, rep: Report, seconds: float) -> str:
    from catkit import __version__

    model = cfg.model_path or f"TinyGPT {cfg.model_config} trained with {cfg.train_config}"
    lines = [
        f"Generated by catkit {__version__} on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC in {seconds:.0f} s "
        f"(scale `{cfg.scale}`, device `{cfg.device}`).",
        "",
        f"- **Source**: {cfg.source!r}; entropy rate {float(cfg.source.entropy_rate()):.6f} nats.",
        f"- **Exact mode**: contexts of length {cfg.exact_length} (claims 1–5), {cfg.geometry_length} (claims 6–11); every "
        "verdict is decided exactly (rationals, exact logarithms, symbolic identities) or by certified interval arithmetic "
        "(python-flint `arb`), never by a float tolerance.",
        (f"- **LM mode**: {model}; all contexts of length {cfg.lm_length} with their exact law"
         + (f" ({rep.data['lm']['contexts']} contexts, {rep.data['lm']['hidden states']} distinct hidden states)" if "lm" in rep.data else "")
         + "; error bars are two standard errors where samples enter.")
        if any(r.mode == "lm" for r in rep.results) else "- **LM mode**: not run (`--exact-only`): no model was trained or loaded.",
        "- **Verdicts**: *holds* / *fails* / *inconclusive* (within the error bar, or not certifiable). A claim fails if any of its "
        "checks fails; checks that exhibit a counterexample to the paper are listed under Findings. Each check also runs its "
        "**control** (a perturbed input or a deliberately wrong formula), which must fail — for a finding the control is the "
        "corrected statement, which must hold; the details say how every verdict was decided.",
    ]
    if "streamed" in rep.data:
        lines.append(f"- **Streamed (large) checks**: {rep.data['streamed'].get('summary', '')}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``catkit report [--out DIR] [--scale small|large|tiny] [--device D] [--model PATH [--bos-token-id N] [--vocab-size V]]
    [--source SPEC] [--exact-only]``.

    Returns 0 when every check ran (whatever the verdicts: a failing claim of the paper is a finding, not an error).

    >>> main(["--scale", "nope"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    from catkit.cli import OneLineParser, add_model_options, model_options  # a usage error is one line (issue 14)

    p = OneLineParser(prog="catkit report", description="Validate the claims of arXiv 2507.19247 and write a report.")
    p.add_argument("--out", default="catkit-report", help="the report folder (default: ./catkit-report)")
    p.add_argument("--scale", choices=SCALES, default="small",
                   help="small (default: 4-token HMM, ~60k-parameter model), large (adds vocabulary 256 and 10⁶ streamed "
                        "contexts; meant for a GPU), tiny (a smoke test)")
    p.add_argument("--device", default="cpu", help="torch device for the LM mode, e.g. cuda (default cpu)")
    p.add_argument("--model", default=None, help="a catkit checkpoint or a Hugging Face model directory instead of the trained "
                                                 "default; checked against the source before anything runs")
    add_model_options(p)  # --bos-token-id, --vocab-size: shared with `catkit lm evaluate` and `catkit lm stats`
    p.add_argument("--source", default=None, help="default, tiny, or a JSON source spec (source.spec()); default: the one stored "
                                                  "in a catkit --model checkpoint, else the preset's")
    p.add_argument("--exact-only", action="store_true", help="only the exact mode (no training)")
    p.add_argument("--quiet", action="store_true", help="no progress output")
    args = p.parse_args(argv)
    options = model_options(args)
    from catkit.errors import CatkitError
    from catkit.sources import load_source

    try:
        # --- argument checks before any computation (issue 14): device, output folder, source
        from catkit.lm.cli import check_out_dir

        if not args.exact_only:
            from catkit.lm.resources import resolve_device

            resolve_device(args.device)
        check_out_dir(args.out)
        # --- end of argument checks
        src = load_source(args.source) if args.source else None
        if args.model is not None:  # the checkpoint's own source, and the model checked against it before the exact mode
            from catkit.lm.compat import load_checked, resolve_source

            src, note = resolve_source(args.model, src)
            if note and not args.quiet:
                print(f"catkit report: note: {note}", file=sys.stderr)
        cfg = replace(ReportConfig.preset(args.scale, source=src, device=args.device, model_path=args.model), model_options=options)
        if args.model is not None and not args.exact_only:
            lm = load_checked(args.model, cfg.source, cfg.lm_length, device=args.device, **options)
            if not args.quiet:
                print(f"catkit report: {lm.describe()}; fits {cfg.source.name!r} at length {cfg.lm_length}", file=sys.stderr)
            del lm
        rep = run_report(cfg, args.out, modes=("exact",) if args.exact_only else ("exact", "lm"), progress=not args.quiet)
    except CatkitError as e:
        print(f"catkit report: {e}", file=sys.stderr)
        return 2
    from catkit.paper.render import claims_table

    print(claims_table(rep.results))
    fs = findings(rep.results)
    if fs:
        print(f"\n{len(fs)} finding(s) where the paper is wrong or imprecise:")
        for f in fs:
            print(f"- {f.replace('**', '')}")
    print(f"\nreport: {rep.path} (and report.html, results.json, {len(rep.figures)} figures)")
    return 0

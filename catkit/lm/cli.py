"""Command line of the LM bridge: ``train``, ``evaluate`` and ``stats`` (the last one also under torchrun).

Run as ``catkit lm <command> ...`` or ``python -m catkit.lm <command> ...``::

    python -m catkit.lm train --preset default --out runs/default        # resumable: rerun to continue
    python -m catkit.lm evaluate --model runs/default --source default
    python -m catkit.lm evaluate --model my-gpt2 --bos-token-id 4 --vocab-size 4 --source default   # a Hugging Face directory
    torchrun --nproc_per_node 4 -m catkit.lm stats --model runs/default --source default --length 10 --out stats.json

The presets come from :mod:`catkit.lm.presets`, models and sources are loaded by :mod:`catkit.lm.loading`.
``evaluate`` and ``stats`` check the model against the source (:func:`~catkit.lm.load_checked`) before they
compute; ``--bos-token-id`` and ``--vocab-size`` (:func:`catkit.cli.add_model_options`, shared with
``catkit report``) say what a Hugging Face directory does not know.

>>> build_parser().parse_args(["stats", "--model", "tiny", "--length", "3", "--out", "s.json"]).length
3
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from catkit.errors import UsageError
from catkit.lm.loading import load_source
from catkit.lm.presets import PRESETS, get_preset

__all__ = ["main", "build_parser", "check_out_dir", "check_out_file"]

_MAX_ENUMERATED = 2**32  # contexts `lm stats` enumerates without --samples (beyond: days of work, refused up front)


def _positive_float(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text[:40]!r}") from None
    if not (v > 0) or v == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text[:40]!r}")
    return v


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (subcommands ``train``, ``evaluate``, ``stats``).

    >>> build_parser().parse_args(["train", "--steps", "5"]).steps
    5
    """
    from catkit.cli import OneLineParser, add_model_options, int_at_least

    p = OneLineParser(prog="catkit lm", description="catkit's language-model bridge")
    sub = p.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    t = sub.add_parser("train", help="train catkit's small GPT on a source (resumable)")
    t.add_argument("--preset", choices=tuple(PRESETS), default="default", help="model and training configs to start from")
    t.add_argument("--source", default=None, help="default, tiny or a source spec JSON (default: the preset's)")
    pos, nonneg = int_at_least(1), int_at_least(0)
    for flag, typ in (("steps", pos), ("batch-size", pos), ("seq-len", int_at_least(2)), ("lr", _positive_float), ("seed", nonneg),
                      ("d-model", pos), ("n-layer", pos), ("n-head", pos), ("n-positions", pos), ("checkpoint-every", pos)):
        t.add_argument(f"--{flag}", type=typ, default=None)
    t.add_argument("--out", default=None, help="checkpoint directory (default: the cache)")
    t.add_argument("--device", default="cpu")
    t.add_argument("--no-resume", action="store_true", help="start afresh even if --out has a checkpoint")
    t.add_argument("--quiet", action="store_true")

    e = sub.add_parser("evaluate", help="cross-entropy of a model against a source's entropy rate")
    e.add_argument("--model", required=True, help="default, tiny, a catkit checkpoint or a Hugging Face directory; "
                                                  "checked against the source before anything runs")
    add_model_options(e)
    e.add_argument("--source", default="default")
    e.add_argument("--n-seqs", type=pos, default=1024)
    e.add_argument("--device", default="cpu")

    s = sub.add_parser("stats", help="streamed statistics over a source's contexts (shards under torchrun)")
    s.add_argument("--model", required=True, help="default, tiny, a catkit checkpoint or a Hugging Face directory; "
                                                  "checked against the source and --length before anything runs")
    add_model_options(s)
    s.add_argument("--source", default="default")
    s.add_argument("--length", type=pos, required=True, help="context length (>= 1)")
    s.add_argument("--samples", type=pos, default=None, help="sample this many contexts instead of all V^length")
    s.add_argument("--batch-size", type=pos, default=65536, help="contexts per source batch")
    s.add_argument("--chunk-size", type=pos, default=None, help="contexts per forward pass")
    s.add_argument("--memory-budget-mb", type=_positive_float, default=None)
    s.add_argument("--device", default=None, help="default: cuda:LOCAL_RANK when available, else cpu")
    s.add_argument("--seed", type=nonneg, default=0)
    s.add_argument("--out", required=True, help="JSON file for the statistics (written by rank 0)")

    c = sub.add_parser("convert", help="convert a trusted pickled checkpoint.pt of an older catkit to safetensors + JSON")
    c.add_argument("directory", help="the checkpoint directory holding checkpoint.pt")
    return p


def check_out_dir(path: str) -> Path:
    """An output *directory* given on a command line, checked before any work: not an existing file, and
    creatable and writable (a probe file is written and removed).

    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "f.txt"; _ = f.write_text("x")
    >>> check_out_dir(str(f))
    Traceback (most recent call last):
    ...
    catkit.errors.UsageError: --out .../f.txt is an existing file, not a directory
    """
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is an existing file, not a directory")
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".catkit-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as e:
        raise UsageError(f"--out {out} is not a writable directory ({e.strerror or type(e).__name__})") from None
    return out


def check_out_file(path: str) -> Path:
    """An output *file* given on a command line, checked before any work: not a directory, in an existing
    writable directory.

    >>> import tempfile
    >>> check_out_file(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    catkit.errors.UsageError: --out ... is a directory; name a file such as stats.json
    """
    out = Path(path)
    if out.is_dir():
        raise UsageError(f"--out {out} is a directory; name a file such as stats.json")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"--out {out}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise UsageError(f"--out {out} is not writable")
    return out


def _train(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from catkit.lm.defaults import cache_key, cache_root
    from catkit.lm.model import TinyGPT
    from catkit.lm.resources import resolve_device
    from catkit.lm.trainer import evaluate, train

    device = resolve_device(args.device)
    preset = get_preset(args.preset)
    src = load_source(args.source or preset.source)
    mcfg, tcfg = preset.configs_for(src)
    mcfg = replace(mcfg, **{k: v for k, v in (("d_model", args.d_model), ("n_layer", args.n_layer),
                   ("n_head", args.n_head), ("n_positions", args.n_positions)) if v is not None})
    tcfg = replace(tcfg, **{k: v for k, v in (("steps", args.steps), ("batch_size", args.batch_size), ("seq_len", args.seq_len),
                   ("lr", args.lr), ("seed", args.seed), ("checkpoint_every", args.checkpoint_every)) if v is not None})
    out = check_out_dir(args.out) if args.out else cache_root() / "lm" / cache_key(mcfg, tcfg, src)
    model = TinyGPT(mcfg, seed=tcfg.seed)
    print(f"training {model.num_parameters()} parameters on {src!r} for {tcfg.steps} steps; checkpoints in {out}")
    res = train(model, src, tcfg, checkpoint_dir=out, resume=not args.no_resume, device=device, progress=not args.quiet)
    ev = evaluate(model, src)
    print(f"step {res.step}: cross-entropy {ev.mean_ce:.4f} nats, second half {ev.ce[len(ev.ce) // 2:].mean():.4f}; "
          f"entropy rate {ev.entropy_rate:.4f}; gap {ev.gap:.4f} nats; KL term {ev.mean_kl:.4f}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from catkit.cli import model_options  # the command line sits above lm/: imported when run
    from catkit.lm.compat import load_checked
    from catkit.lm.resources import resolve_device
    from catkit.lm.trainer import evaluate

    options = model_options(args)
    device = resolve_device(args.device)
    src = load_source(args.source)
    model = load_checked(args.model, src, 1, device=device, **options)  # vocabularies and a forward pass, before evaluating
    ev = evaluate(model, src, n_seqs=args.n_seqs)
    print(json.dumps({"mean_ce": ev.mean_ce, "entropy_rate": ev.entropy_rate, "gap": ev.gap, "mean_kl": ev.mean_kl,
                      "ce_stderr": ev.ce_stderr}, indent=2))
    return 0


def _stats(args: argparse.Namespace) -> int:
    from catkit.cli import model_options  # the command line sits above lm/: imported when run
    from catkit.lm import distributed
    from catkit.lm.compat import load_checked
    from catkit.lm.resources import resolve_device
    from catkit.lm.stats import source_statistics

    options = model_options(args)
    if args.device is not None:
        resolve_device(args.device)
    out = check_out_file(args.out)
    src = load_source(args.source)
    if args.samples is None and src.V**args.length > _MAX_ENUMERATED:
        raise UsageError(
            f"--length {args.length} over a vocabulary of {src.V} means {src.V}^{args.length} contexts to enumerate "
            f"(more than {_MAX_ENUMERATED}); pass --samples N to sample N contexts instead"
        )
    distributed.init_from_env()
    try:
        dev = distributed.local_device(args.device)
        budget = None if args.memory_budget_mb is None else int(args.memory_budget_mb * 2**20)
        model = load_checked(args.model, src, args.length, device=dev, **options)  # checked before the statistics run
        st = source_statistics(model, src, args.length, n_samples=args.samples,
                               seed=args.seed, batch_size=args.batch_size, chunk_size=args.chunk_size, memory_budget=budget)
        rank, world = distributed.world()
        if rank == 0:
            d = st.to_dict()
            d["world_size"] = world
            from catkit.lm.checkpoint import atomic_write_bytes

            atomic_write_bytes(out, json.dumps(d).encode())
            print(f"{st!r} on {world} process(es) -> {out}")
    finally:
        distributed.shutdown()
    return 0


def _convert(args: argparse.Namespace) -> int:
    from catkit.lm.checkpoint import convert_legacy_checkpoint

    path = convert_legacy_checkpoint(args.directory)
    print(f"converted {Path(args.directory) / 'checkpoint.pt'} -> {path}; check it, then delete the .pt file")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse ``argv`` and run the subcommand.  Bad input (a catkit error, an unreadable file, a
    wrong argument) ends in one line on stderr and exit status 2, never a traceback.

    >>> main(["evaluate", "--model", "/nonexistent", "--source", "tiny"])
    2
    """
    from catkit.cli import run_guarded

    def run() -> int:
        args = build_parser().parse_args(argv)
        return {"train": _train, "evaluate": _evaluate, "stats": _stats, "convert": _convert}[args.command](args)

    return run_guarded("catkit lm", run)

"""``catkit prove``: check proof files, say what each theorem rests on, evaluate on models, draw.

>>> import os, tempfile
>>> from catkit.prover.language import EXAMPLE
>>> d = tempfile.mkdtemp()
>>> _ = open(os.path.join(d, "a.proof"), "w").write(EXAMPLE)
>>> main([d])  # doctest: +ELLIPSIS
/.../a.proof
  proved  det_compose: deterministic morphisms are closed under composition  [markov, 3 steps]
          source: Fritz 2020 (arXiv 1908.07021), Definition 10.1 and Lemma 10.12
          rests on: hypotheses det_f, det_g; decided in markov
1 theorem: 1 proved, 0 broken (1 non-trivial)
0
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from catkit.errors import CatkitError, UsageError
from catkit.prover.check import TheoremResult, check_theorem
from catkit.prover.errors import ProofSyntaxError
from catkit.prover.language import BUILTIN, ProofFile, Theorem, load, parse
from catkit.prover.semantic import SemanticReport, semantic_check
from catkit.prover.source import proof_files

__all__ = ["SHIPPED_PROOFS", "load_files", "load_proofs", "check_text", "check_paths", "report", "summary", "main"]

def _shipped() -> Path:
    from catkit.data import proofs_dir  # a checkout links it to proofs/; a wheel carries the files

    return proofs_dir()


#: the proof library shipped with catkit (``proofs/`` in a checkout, package data in a wheel)
SHIPPED_PROOFS = _shipped()


def load_files(paths: Iterable[str | Path], *, strict: bool = False) -> list[ProofFile]:
    """Read and parse proof files (a directory: its ``*.proof`` files); theorem names must be unique
    across them.  ``strict`` refuses file-local axioms (only catkit's built-in axioms may be used).

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "ax.proof"), "w").write(
    ...     "axiom alldet(f: A -> B):\\n    then deterministic(f)\\n"
    ...     "theorem t: x\\ntypes: X\\nshow: id(X) = id(X)\\n    id(X)\\n  = id(X)  by smc\\nqed\\n")
    >>> try:
    ...     load_files([d], strict=True)
    ... except ProofSyntaxError as e:
    ...     print(e.line, e.message[:50])
    1 --strict refuses the file-local axiom 'alldet' (on
    """
    files = [load(p) for p in proof_files(list(paths))]
    seen: dict[str, Theorem] = {}
    for pf in files:
        if strict and pf.schemas:
            s = next(iter(pf.schemas.values()))
            raise ProofSyntaxError(pf.file, s.line, f"--strict refuses the file-local axiom {s.name!r} (only catkit's "
                                   f"built-in axioms {', '.join(sorted(BUILTIN))} may be used)")
        for t in pf.theorems:
            if t.name in seen:
                o = seen[t.name]
                raise ProofSyntaxError(t.file, t.line, f"a theorem named {t.name!r} is also defined at {o.file}:{o.line}")
            seen[t.name] = t
    return files


def load_proofs(paths: str | Path | Iterable[str | Path] | None = None, *, strict: bool = False) -> dict[str, Theorem]:
    """The theorems of proof files by name (default: the shipped library ``proofs/``).

    >>> thms = load_proofs()
    >>> t = thms["bayes_compose"]
    >>> t.theory, list(t.hypotheses)
    ('markov', ['bi_f', 'bi_g'])
    >>> t.check().label
    'proved'
    """
    if paths is None:
        paths = [SHIPPED_PROOFS]
    elif isinstance(paths, (str, Path)):
        paths = [paths]
    return {t.name: t for pf in load_files(paths, strict=strict) for t in pf.theorems}


def check_text(text: str, file: str = "<proof>") -> list[TheoremResult]:
    """Parse and check every theorem of a proof text.

    >>> from catkit.prover.language import EXAMPLE
    >>> bad = EXAMPLE.replace("by det_f in _ >> (g @ g)", "by markov")
    >>> r = check_text(bad, "bad.proof")[0]
    >>> r.status, r.problems[0].line, r.problems[0].message
    ('broken', 11, 'the two diagrams are not equal in the free markov category')
    """
    return [check_theorem(t) for t in parse(text, file).theorems]


def check_paths(paths: Iterable[str | Path], *, strict: bool = False) -> list[TheoremResult]:
    """Check the proof files (directories: every ``*.proof`` inside).

    >>> import tempfile, os
    >>> from catkit.prover.language import EXAMPLE
    >>> d = tempfile.mkdtemp()
    >>> _ = open(os.path.join(d, "a.proof"), "w").write(EXAMPLE)
    >>> tuple(r.status for r in check_paths([d]))
    ('proved',)
    """
    return [check_theorem(t) for pf in load_files(paths, strict=strict) for t in pf.theorems]


def _indent(text: str, pad: str) -> str:
    return "\n".join(pad + s for s in text.splitlines())


def report(results: Sequence[TheoremResult], verbose: bool = False,
           semantic: dict[str, SemanticReport] | None = None) -> str:
    """The text ``catkit prove`` prints: per theorem its status, source and what it rests on,
    details of broken steps, and with ``semantic`` the model checks.

    >>> from catkit.prover.language import EXAMPLE
    >>> print(report(check_text(EXAMPLE, "example.proof")))  # doctest: +ELLIPSIS
    example.proof
      proved  det_compose: deterministic morphisms are closed under composition  [markov, 3 steps]
              source: Fritz 2020 ...
              rests on: hypotheses det_f, det_g; decided in markov
    """
    lines: list[str] = []
    current = None
    pad = " " * 10
    for r in results:
        t = r.theorem
        if t.file != current:
            current = t.file
            lines.append(t.file)
        trivial = ", trivial" if r.trivial and r.ok else ""
        lines.append(f"  {r.label}  {t.name}: {t.title}  [{t.theory}, {r.n_steps} step{'s' if r.n_steps != 1 else ''}{trivial}]")
        if t.source:
            lines.append(f"{pad}source: {t.source}")
        if t.registry:
            lines.append(f"{pad}statement: catkit.axioms {t.registry}")
        lines.append(f"{pad}rests on: {r.uses.describe()}")
        if semantic is not None and t.name in semantic:
            lines += [f"{pad}semantic: {s}" if i == 0 else f"{pad}  {s}" for i, s in enumerate(semantic[t.name].lines())]
            if verbose:
                for n in semantic[t.name].needs:
                    if n.counter_model is not None:
                        lines.append(f"{pad}    counter-model for {n.hypothesis}: {n.counter_model.describe()}")
        shown = r.steps + [p for p in r.problems if p not in r.steps] if verbose else r.problems
        for st in shown:
            by = f"   by {st.by}" if st.by else ""
            lines.append(f"    {t.file}:{st.line}: {'ok' if st.ok else 'BROKEN'}: {st.text}{by}")
            if not st.ok:
                lines.append(f"      {st.message}")
                if st.left or st.right:
                    lines += ["      normal form of the left diagram:", _indent(st.left, "        "),
                              "      normal form of the right diagram:", _indent(st.right, "        ")]
    return "\n".join(lines)


def summary(results: Sequence[TheoremResult], semantic: dict[str, SemanticReport] | None = None) -> str:
    """The closing lines: theorems proved, proved assuming axioms (counted apart), broken, non-trivial.

    >>> from catkit.prover.language import EXAMPLE
    >>> print(summary(check_text(EXAMPLE)))
    1 theorem: 1 proved, 0 broken (1 non-trivial)
    """
    n = len(results)
    plain = [r for r in results if r.ok and not r.assuming]
    assuming = [r for r in results if r.ok and r.assuming]
    broken = n - len(plain) - len(assuming)
    axioms = Counter(a for r in assuming for a in r.assuming)
    parts = [f"{len(plain)} proved"]
    if assuming:
        parts.append(f"{len(assuming)} proved assuming an axiom ({', '.join(f'{a} {k}' for a, k in sorted(axioms.items()))})")
    parts.append(f"{broken} broken")
    nt_plain = sum(not r.trivial for r in plain)
    nt_ax = sum(not r.trivial for r in assuming)
    nontrivial = f"{nt_plain} non-trivial" + (f", {nt_ax} non-trivial assuming an axiom" if assuming else "")
    out = [f"{n} theorem{'s' if n != 1 else ''}: {', '.join(parts)} ({nontrivial})"]
    if semantic is not None:
        reps = list(semantic.values())
        needs = [x for s in reps for x in s.needs if x.kind == "hypothesis"]
        fails = sum(bool(s.failures) for s in reps)
        nomodel = sum(s.checked.get("finstoch", 0) == 0 for s in reps)
        out.append(f"semantic: {len(reps) - fails - nomodel} of {len(reps)} hold on every model tried, {fails} fail, "
                   f"{nomodel} without a model; {sum(x.needed for x in needs)} of {len(needs)} hypotheses shown needed "
                   "by a counter-model")
    return "\n".join(out)


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="catkit prove", description="Check string-diagram proofs (*.proof files).")
    ap.add_argument("paths", nargs="*", help="proof files or directories of *.proof files (default: catkit's proofs/)")
    ap.add_argument("-v", "--verbose", action="store_true", help="show every step and every counter-model")
    ap.add_argument("--strict", action="store_true", help="refuse file-local axioms (only the built-in ones may be used)")
    ap.add_argument("--only", action="append", metavar="NAME", help="check only this theorem (repeatable)")
    ap.add_argument("--semantic", action="store_true",
                    help="evaluate every theorem on random exact models of its hypotheses and search counter-models")
    ap.add_argument("--samples", type=int, default=4, help="models per model kind with --semantic (default 4)")
    ap.add_argument("--tries", type=int, default=40, help="attempts per counter-model search with --semantic (default 40)")
    ap.add_argument("--seed", type=int, default=0, help="random seed of --semantic (default 0)")
    ap.add_argument("--draw", metavar="DIR", help="write each theorem's statement as DIR/NAME.png")
    return ap


def main(argv: list[str] | None = None) -> int:
    """``catkit prove [PATH...]``: exit 0 when all are proved (and, with ``--semantic``, hold on
    every model), 1 when a step is broken or a model check fails, 2 on malformed input.

    >>> main(["--samples", "0"])  # the message goes to stderr
    2
    """
    args = _parser().parse_args(argv)
    for opt, lo, hi in (("samples", 1, 1000), ("tries", 1, 100000)):
        v = getattr(args, opt)
        if not lo <= v <= hi:
            print(f"error: --{opt} must be between {lo} and {hi}, got {v}", file=sys.stderr)
            return 2
    try:
        files = load_files(args.paths or [SHIPPED_PROOFS], strict=args.strict)
        theorems = [t for pf in files for t in pf.theorems]
        if args.only:
            missing = [n for n in args.only if n not in {t.name for t in theorems}]
            if missing:
                raise UsageError(f"no theorem named {', '.join(map(repr, missing))} in the given files")
            theorems = [t for t in theorems if t.name in args.only]
        results = [check_theorem(t) for t in theorems]
        semantic = None
        if args.semantic:
            semantic = {t.name: semantic_check(t, samples=args.samples, seed=args.seed, tries=args.tries) for t in theorems}
        if args.draw:
            _draw_all(theorems, Path(args.draw))
    except (CatkitError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except (RecursionError, MemoryError) as e:  # pragma: no cover - guarded by the size bounds
        print(f"error: the input is too large to check ({type(e).__name__})", file=sys.stderr)
        return 2
    print(report(results, args.verbose, semantic))
    print(summary(results, semantic))
    bad = any(not r.ok for r in results) or (semantic is not None and any(not s.ok for s in semantic.values()))
    return 1 if bad else 0


def _draw_all(theorems: Sequence[Theorem], out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--draw {out}: cannot create the directory ({e.strerror or e})") from None
    if not out.is_dir():
        raise UsageError(f"--draw {out}: not a directory")
    for t in theorems:
        path = out / f"{t.name}.png"
        try:
            t.draw(path)
        except OSError as e:
            raise UsageError(f"--draw: cannot write {path} ({e.strerror or e})") from None


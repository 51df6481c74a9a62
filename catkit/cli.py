"""The ``catkit`` command line: ``catkit check`` (the axiom table), ``catkit prove``, ``catkit report``, ``catkit lm``.

>>> main(["check", "--only", "A7", "--model", "substoch", "--examples", "20", "--no-symbolic"])
statement                             sub-stochastic
------------------------------------  -------------------
A7  Markov axiom: discard is natural  fails (as expected)
<BLANKLINE>
Counterexamples (shrunk):
A7 fails on sub-stochastic: equation 'f >> discard = discard'
  X = Obj(Wire(1))
  Y = Obj(Wire(1))
  f = Kernel([[0]], dom=Wire(1), cod=Wire(1), backend='exact', model='substoch')
  left side:
    Kernel Wire(1) → I  [exact, sub-stochastic]
       ·
    0  0
  right side:
    Kernel Wire(1) → I  [exact, FinSet]
       ·
    0  1
<BLANKLINE>
1 statement(s) × 1 model(s): every outcome as expected.
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from catkit.errors import CatkitError, UsageError

__all__ = ["main", "check_table", "run_guarded", "CLIError", "OneLineParser", "load_statements", "ModuleLoadError", "int_at_least",
           "add_model_options", "model_options"]


class CLIError(UsageError):
    """Bad command-line input found by catkit's own checks (reported as one line, exit status 2).

    >>> issubclass(CLIError, CatkitError) and issubclass(CLIError, ValueError)
    True
    """


def _one_line(e: BaseException) -> str:
    try:
        text = str(e)
    except Exception:  # a message that cannot even be formatted (e.g. a huge integer in it)
        text = f"{type(e).__name__} (message too large to show)"
    text = " ".join(text.split())
    return text if len(text) <= 2000 else text[:2000] + "…"


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2 (no usage dump).

    >>> OneLineParser(prog="x").parse_args(["--nope"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def run_guarded(prog: str, fn: Callable[[], int | None]) -> int:
    """Run a command's body; bad input ends in one line on stderr and exit status 2 instead of a traceback.

    A :class:`~catkit.errors.CatkitError` (bad input), an ``OSError`` (a file that cannot be read or written)
    or a ``MemoryError`` give status 2; Ctrl-C gives 130; any other exception is a bug of catkit, shown as
    one line with status 1 (``CATKIT_TRACEBACK=1`` shows the traceback).

    >>> def bad():
    ...     raise CLIError("--examples must be >= 1, got 0")
    >>> run_guarded("catkit check", bad)
    2
    """
    import os

    try:
        return int(fn() or 0)
    except SystemExit as e:  # argparse (its message is already printed) or a command's own exit
        if not e.code:  # --help and friends: a successful exit stays an exit
            raise
        if isinstance(e.code, int):
            return e.code
        print(f"{prog}: error: {_one_line(SystemExit(e.code))}", file=sys.stderr)
        return 2
    except CatkitError as e:
        print(f"{prog}: error: {_one_line(e)}", file=sys.stderr)
        return 2
    except MemoryError as e:
        print(f"{prog}: error: out of memory ({_one_line(e) or 'MemoryError'}); use smaller sizes, or see docs/security.md "
              "for catkit's memory budget", file=sys.stderr)
        return 2
    except OSError as e:
        where = f" {e.filename}" if getattr(e, "filename", None) else ""
        print(f"{prog}: error: {e.strerror or _one_line(e)}{where}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:
        if os.environ.get("CATKIT_TRACEBACK"):
            raise
        print(f"{prog}: internal error, please report it: {type(e).__name__}: {_one_line(e)} "
              "(CATKIT_TRACEBACK=1 shows the traceback)", file=sys.stderr)
        return 1


def int_at_least(lo: int) -> Any:
    """An argparse ``type``: an integer ``>= lo``, else a one-line usage error.

    >>> int_at_least(1)("3"), int_at_least(1).__name__
    (3, 'int >= 1')
    """
    def parse(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer, got {text[:40]!r}") from None
        if v < lo:
            raise argparse.ArgumentTypeError(f"must be >= {lo}, got {v}")
        return v

    parse.__name__ = f"int >= {lo}"
    return parse


_OPTIONS_PARSER = "_model_options_parser"  # the parser that add_model_options gave the flags to (for its one-line error)


def add_model_options(parser: argparse.ArgumentParser) -> None:
    """Give a command that loads a model with ``--model`` the flags ``--bos-token-id N`` and ``--vocab-size V``:
    what a Hugging Face directory does not know (which token it prepends to every context, and that its first
    ``V`` outputs are the source's tokens).  :func:`model_options` reads them back for
    :func:`~catkit.lm.load_checked`.  Used by ``catkit report``, ``catkit lm evaluate`` and ``catkit lm stats``.

    >>> p = OneLineParser(prog="catkit demo")
    >>> _ = p.add_argument("--model")
    >>> add_model_options(p)
    >>> model_options(p.parse_args(["--model", "my-gpt2", "--vocab-size", "3"]))
    {'vocab_size': 3}
    """
    parser.add_argument("--bos-token-id", type=int_at_least(0), default=None, metavar="N",
                        help="with a Hugging Face --model: the token id prepended to every context")
    parser.add_argument("--vocab-size", type=int_at_least(1), default=None, metavar="V",
                        help="with a Hugging Face --model: keep its first V outputs (the source's tokens)")
    parser.set_defaults(**{_OPTIONS_PARSER: parser})


def model_options(args: argparse.Namespace) -> dict[str, int]:
    """The ``bos_token_id`` / ``vocab_size`` keywords of :func:`~catkit.lm.load_checked` given on the command line
    (flags added by :func:`add_model_options`); the flags without ``--model`` are a usage error: one line on
    stderr and exit status 2.

    >>> p = OneLineParser(prog="catkit demo")
    >>> _ = p.add_argument("--model")
    >>> add_model_options(p)
    >>> model_options(p.parse_args([]))
    {}
    >>> model_options(p.parse_args(["--bos-token-id", "3"]))
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """
    options = {k: v for k in ("bos_token_id", "vocab_size") if (v := getattr(args, k, None)) is not None}
    if options and getattr(args, "model", None) is None:
        getattr(args, _OPTIONS_PARSER).error("--bos-token-id and --vocab-size describe a --model (a Hugging Face directory)")
    return options


def check_table(
    codes: Sequence[str] | None = None,
    models: Sequence[str] | None = None,
    examples: int = 50,
    symbolic: bool = True,
    progress: bool = False,
    statements: Sequence[Any] | None = None,
) -> tuple[str, list, bool]:
    """Run every registered statement (or the given ``statements``) on every model; return (table text,
    results, all as expected).

    >>> text, results, ok = check_table(["A1"], ["finstoch"], examples=5, symbolic=False)
    >>> ok, results[0].status
    (True, 'holds')
    """
    from catkit.axioms import MODELS, check, load_all, prove_symbolic

    reg = {s.code: s for s in statements} if statements is not None else load_all()
    if isinstance(examples, bool) or not isinstance(examples, int) or examples < 1:
        raise CLIError(f"--examples must be an integer >= 1, got {examples!r}")
    unknown = [c for c in codes or () if c not in reg]
    if unknown:
        raise CLIError(f"unknown statement code(s) {', '.join(map(repr, unknown))}; choose from {', '.join(reg)}")
    stmts = [reg[c] for c in codes] if codes else list(reg.values())
    mkeys = list(models) if models else list(MODELS)
    for m in mkeys:
        if m not in MODELS:
            raise CLIError(f"unknown model {m!r}; choose from {', '.join(MODELS)}")
    cols = [MODELS[m].name for m in mkeys] + (["symbolic (sizes)"] if symbolic else [])
    rows, results, ok = [], [], True
    total = len(stmts) * len(mkeys)
    done = 0
    for s in stmts:
        cells = []
        for m in mkeys:
            r = check(s, m, max_examples=examples)
            results.append(r)
            ok &= r.as_expected
            cells.append(_cell(r))
            done += 1
            if progress:
                print(f"\r  checking {done}/{total}: {s.code} on {MODELS[m].name}".ljust(70), end="", file=sys.stderr, flush=True)
        if symbolic:
            if s.symbolic_sizes:
                proofs = [prove_symbolic(s, sz) for sz in s.symbolic_sizes]
                results.extend(proofs)
                ok &= all(p.as_expected for p in proofs)
                sizes = ", ".join("×".join(map(str, (sz * 2)[:2])) for sz in s.symbolic_sizes)
                good = all(p.status == "holds" for p in proofs)
                cells.append(f"proved ({sizes})" if good else "NOT proved")
            else:
                cells.append("—")
        rows.append([f"{s.code:<3} {s.name}", *cells])
    if progress:
        print("\r".ljust(72) + "\r", end="", file=sys.stderr, flush=True)
    header = ["statement", *cols]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines), results, ok


def _cell(r) -> str:  # type: ignore[no-untyped-def]
    flag = "" if r.as_expected else "  !! UNEXPECTED"
    if r.status == "holds":
        return f"holds ({r.tried}){flag}"
    if r.status == "fails":
        return ("fails (as expected)" if r.expected is False else "FAILS") + flag
    if r.status == "skipped":
        return "n/a"
    return f"ERROR{flag}"


def _examples(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text[:40]!r}") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {v}")
    return v


class ModuleLoadError(CatkitError, ValueError):
    """A user's statement module cannot be loaded, or defines no statements (``catkit check --module`` exits 2)."""


def load_statements(path: str | Path) -> list[Any]:
    """The statements a user's Python file defines, for ``catkit check --module PATH``.

    The file is run as a module (it is code: load only files you trust, as with pytest).  Its
    statements are the list ``STATEMENTS`` if it defines one, otherwise every module-level
    :class:`~catkit.axioms.Statement`, in the order they are defined.  Codes must be distinct.

    >>> import tempfile, textwrap
    >>> src = textwrap.dedent('''
    ...     from catkit import Kernel
    ...     from catkit.axioms import Statement
    ...
    ...     def build(gen):
    ...         X = gen.obj("X")
    ...         f = gen.kernel(X, X, "f")
    ...         return [("f >> id = f", f >> Kernel.id(X), f)]
    ...
    ...     RIGHT_UNIT = Statement("U1", "right unit", "f >> id = f", "mine", build, kind="theorem")
    ... ''')
    >>> with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
    ...     _ = fh.write(src)
    >>> [s.code for s in load_statements(fh.name)]
    ['U1']
    >>> load_statements(fh.name[:-3] + ".txt")
    Traceback (most recent call last):
    ...
    catkit.cli.ModuleLoadError: no such file: '/...txt'
    """
    import importlib.util

    from catkit.axioms import Statement

    p = Path(path)
    if not p.is_file():
        raise ModuleLoadError(f"no such file: {str(p)!r}")
    if p.suffix != ".py":
        raise ModuleLoadError(f"{str(p)!r} is not a Python file (.py)")
    name = f"catkit_user_{p.stem}_{abs(hash(str(p.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, p)
    if spec is None or spec.loader is None:  # pragma: no cover - .py files always have a loader
        raise ModuleLoadError(f"cannot load {str(p)!r} as a module")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # dataclasses look their module up by name
    try:
        spec.loader.exec_module(mod)
    except Exception as e:
        del sys.modules[name]
        line = e.lineno if isinstance(e, SyntaxError) else None
        tb = e.__traceback__
        while tb is not None:  # the deepest frame in the user's file
            if tb.tb_frame.f_code.co_filename == str(p):
                line = tb.tb_lineno
            tb = tb.tb_next
        where = f" (line {line})" if line else ""
        raise ModuleLoadError(f"{str(p)!r} failed to load{where}: {type(e).__name__}: {e}") from None
    found = getattr(mod, "STATEMENTS", None)
    if found is None:
        found = [v for v in vars(mod).values() if isinstance(v, Statement)]
    elif not isinstance(found, (list, tuple)) or not all(isinstance(v, Statement) for v in found):
        raise ModuleLoadError(f"STATEMENTS in {str(p)!r} must be a list of catkit.axioms.Statement")
    if not found:
        raise ModuleLoadError(f"{str(p)!r} defines no statements (catkit.axioms.Statement values, or a list STATEMENTS)")
    codes = [s.code for s in found]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        raise ModuleLoadError(f"{str(p)!r} defines several statements with the code(s) {', '.join(dup)}")
    return list(found)


def _cmd_check(args: argparse.Namespace) -> int:
    statements = load_statements(args.module) if args.module else None
    text, results, ok = check_table(args.only, args.model, args.examples, not args.no_symbolic, progress=sys.stderr.isatty(),
                                    statements=statements)
    print(text)
    failures = [r for r in results if r.status in ("fails", "error")]
    if failures:
        print("\nCounterexamples (shrunk):")
        for r in failures:
            print(r.describe())
    nstmt = len({r.statement.code for r in results})
    nmod = len(args.model) if args.model else len({r.model for r in results if not r.model.startswith("symbolic")})
    bad = [r for r in results if not r.as_expected]
    if bad:
        print(f"\n{len(bad)} outcome(s) differ from what the statement expects: "
              + ", ".join(f"{r.statement.code} on {r.model}" for r in bad))
        return 1
    print(f"\n{nstmt} statement(s) × {nmod} model(s): every outcome as expected.")
    return 0


#: a delegated command's entry point: ``main(argv)`` of its module, returning the exit status
Main = Callable[[list[str]], "int | None"]


# The delegated commands' modules are imported when the command runs, so that ``catkit --help`` stays fast.
def _prove() -> Main:
    from catkit.prover.cli import main

    return main


def _report() -> Main:
    from catkit.paper.report import main

    return main


def _lm() -> Main:
    from catkit.lm.cli import main

    return main


_DELEGATED: dict[str, Callable[[], Main]] = {"prove": _prove, "report": _report, "lm": _lm}


def _delegate(load: Callable[[], Main], what: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            command = load()
        except ImportError as e:
            print(f"catkit {what}: not available in this installation ({e})", file=sys.stderr)
            return 2
        return run_guarded(f"catkit {what}", lambda: command(args.rest))

    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``catkit`` console script (returns the exit status).

    >>> main(["--version"])
    catkit 0.1.0
    0
    """
    from catkit import __version__

    p = OneLineParser(prog="catkit", description="Markov categories with executable finite models.")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command", parser_class=OneLineParser)
    c = sub.add_parser("check", help="check every axiom/theorem on every model and print the table")
    c.add_argument("--examples", type=_examples, default=50, help="hypothesis examples per statement and model (default 50)")
    c.add_argument("--model", action="append", help="only this model (repeatable)")
    c.add_argument("--only", action="append", help="only this statement code, e.g. A7 (repeatable)")
    c.add_argument("--no-symbolic", action="store_true", help="skip the symbolic proofs for fixed sizes")
    c.add_argument("--module", metavar="PATH", help="check the statements defined in this Python file instead of catkit's")
    c.set_defaults(func=_cmd_check)
    for name, helptext in [
        ("prove", "check the machine-checked proofs in the given files or folders"),
        ("report", "validate the seed paper's claims and write the report"),
        ("lm", "train, evaluate and measure language models (train | evaluate | stats)"),
    ]:
        s = sub.add_parser(name, help=helptext, add_help=False)
        s.add_argument("rest", nargs=argparse.REMAINDER)
        s.set_defaults(func=_delegate(_DELEGATED[name], name))
    argv = list(sys.argv[1:] if argv is None else argv)
    # argparse's REMAINDER drops a leading option ("catkit report --out x"), so delegated commands bypass it
    if argv and argv[0] in _DELEGATED:
        return _delegate(_DELEGATED[argv[0]], argv[0])(argparse.Namespace(rest=argv[1:]))

    def run() -> int:
        args = p.parse_args(argv)
        if args.version:
            print(f"catkit {__version__}")
            return 0
        if not getattr(args, "func", None):
            p.print_help()
            return 2
        return int(args.func(args))

    return run_guarded(f"catkit {argv[0]}" if argv and not argv[0].startswith("-") else "catkit", run)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

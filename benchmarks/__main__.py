"""Run catkit's benchmarks: ``python -m benchmarks [NAME ...] [--quick] [--list]``.

The registry is every ``benchmarks/bench_NAME.py`` module (``NAME`` or ``bench_NAME`` selects one);
each module's ``main(argv) -> int`` prints rows with a ratio, a goal and YES/NO (see
``benchmarks/common.py``).  Options this runner does not know are passed on to every module.
Exit status: 0 when every selected benchmark met every goal; 1 when a goal was missed, a benchmark
returned no status or crashed; 2 for an unknown benchmark name.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import inspect
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from benchmarks.common import pin_threads

HERE = Path(__file__).parent


def registry() -> dict[str, str]:
    """``{name: first line of the module docstring}`` for every bench_*.py module (read without importing it)."""
    out = {}
    for m in sorted(pkgutil.iter_modules([str(HERE)]), key=lambda m: m.name):
        if m.name.startswith("bench_"):
            doc = ast.get_docstring(ast.parse((HERE / f"{m.name}.py").read_text(encoding="utf-8"))) or ""
            out[m.name.removeprefix("bench_")] = doc.strip().splitlines()[0] if doc.strip() else ""
    return out


def run_one(name: str, argv: list[str]) -> tuple[int, str]:
    """Import and run one benchmark; its status and a word for the summary."""
    try:
        mod = importlib.import_module(f"benchmarks.bench_{name}")
        main = mod.main
        rc = main(argv) if inspect.signature(main).parameters else main()
    except SystemExit as e:  # argparse inside a module: --help or a bad option
        code = e.code if isinstance(e.code, int) else 1
        return code, "exited" if code else "ok"
    except Exception:
        traceback.print_exc()
        return 1, "crashed"
    if rc is None:
        print(f"\nbench_{name}.main returned no status: counted as missed (it must return 0 or 1)")
        return 1, "no status"
    if isinstance(rc, bool):  # older modules returned whether every goal was met
        rc = 0 if rc else 1
    return int(rc), "all goals met" if rc == 0 else "some goals missed (see NO above)"


def main(argv: list[str] | None = None) -> int:
    known = registry()
    listing = "\n".join(f"  {n:<12} {d}" for n, d in known.items())
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0],
                                 epilog=f"benchmarks:\n{listing}", formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    ap.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    ap.add_argument("--quick", action="store_true", help="smaller sizes (passed on to every benchmark)")
    args, rest = ap.parse_known_args(argv)
    rest = ["--quick", *rest] if args.quick else rest
    if args.list:
        print(listing)
        return 0
    names = [n.removeprefix("bench_") for n in args.names] or list(known)
    unknown = [n for n in names if n not in known]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(known)}", file=sys.stderr)
        return 2
    print(f"threads pinned: {pin_threads()}")
    summary = []
    for name in names:
        t0 = time.perf_counter()
        rc, word = run_one(name, rest)
        summary.append((name, rc, word, time.perf_counter() - t0))
    print("\n## Summary\n")
    for name, _rc, word, t in summary:
        print(f"  {name:<12} {word} ({t:.0f} s)")
    ok = all(rc == 0 for _, rc, _, _ in summary)
    print("\nall goals met" if ok else "\nsome goals missed or benchmarks failed (see above)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

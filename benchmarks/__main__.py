"""Run every benchmark module (``python -m benchmarks [name ...]``); exit 1 if a target is missed."""

import importlib
import pkgutil
import sys
from pathlib import Path

names = sys.argv[1:] or sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
ok = True
for name in names:
    mod = importlib.import_module(f"benchmarks.{name if name.startswith('bench_') else 'bench_' + name}")
    ok &= bool(mod.main())
print("\nall targets met" if ok else "\nsome targets missed (see NO above)")
sys.exit(0 if ok else 1)

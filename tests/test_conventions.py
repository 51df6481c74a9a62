"""Conventions of the code base, checked on its source (docs/architecture.md states them):

* a private name (``_x``) never crosses a module boundary;
* every ``raise`` raises a :class:`~catkit.errors.CatkitError` that is also the matching built-in exception
  (the allowances are listed below), and every exception class catkit defines is one;
* the layers import downwards (syntax, finite semantics, bridge, applications), and ``import catkit`` stays
  free of torch.

Each checker runs on catkit's own source and, as a control, on a small made-up module that breaks the rule,
where it must report the break.
"""

from __future__ import annotations

import argparse
import ast
import builtins
import importlib
import inspect
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import catkit
from catkit.errors import CatkitError

ROOT = Path(catkit.__file__).parent
BUILTIN_EXCEPTIONS = {v for v in vars(builtins).values() if isinstance(v, type) and issubclass(v, BaseException)}


def _modname(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_modname(p): p for p in sorted(ROOT.rglob("*.py"))}


@cache
def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf-8"))


def _rel(name: str) -> str:
    return MODULES[name].relative_to(ROOT.parent).as_posix() if name in MODULES else name


def _package(name: str) -> str:
    """The package a module belongs to (a package's ``__init__`` belongs to the package itself)."""
    is_pkg = name in MODULES and MODULES[name].name == "__init__.py"
    return name if is_pkg else name.rpartition(".")[0]


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = _package(module).split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


# ====================================================================== private names
#: private names that still cross a module boundary in files being restructured on other branches
PENDING_PRIVATE: set[tuple[str, str]] = set()


def private_crossings(module: str, tree: ast.Module) -> list[tuple[str, str]]:
    """``(where, what)`` for each private name of another catkit module that ``module`` uses: ``from m import _x``,
    ``m._x`` and ``C._x`` for a module ``m`` or class ``C`` imported from elsewhere in catkit, and a private module
    (``pkg._m``) imported from outside its package.  Within one package its private modules are shared freely."""
    out: list[tuple[str, str]] = []
    imported: dict[str, str] = {}  # local name -> the dotted catkit name it stands for
    here = _package(module)

    def private_module(dotted: str, line: int) -> None:
        parts = dotted.split(".")
        for i, part in enumerate(parts):
            owner = ".".join(parts[:i])
            if _private(part) and not (here + ".").startswith(owner + "."):
                out.append((f"{module}:{line}", ".".join(parts[: i + 1])))
                return

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            src = _resolve(module, node)
            if not src.startswith("catkit"):
                continue
            private_module(src, node.lineno)
            for a in node.names:
                full = f"{src}.{a.name}"
                if _private(a.name) and src != module:
                    if full in MODULES:
                        private_module(full, node.lineno)
                    else:
                        out.append((f"{module}:{node.lineno}", full))
                imported[a.asname or a.name] = full
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("catkit"):
                    private_module(a.name, node.lineno)
                    local = a.asname or a.name.split(".")[0]
                    imported[local] = a.name if a.asname else local
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name):
            target = imported.get(node.value.id)
            if target is not None and target != module and not target.startswith(module + "."):
                out.append((f"{module}:{node.lineno}", f"{target}.{node.attr}"))
    return out


def test_no_private_name_crosses_a_module_boundary() -> None:
    found = {(_rel(w.split(":")[0]), what): w for m in MODULES for w, what in private_crossings(m, _tree(m))}
    bad = sorted(f"{w}: {what}" for (rel, what), w in found.items() if (rel, what) not in PENDING_PRIVATE)
    assert not bad, "private names used outside their module (make them public in the right module):\n" + "\n".join(bad)
    stale = sorted(PENDING_PRIVATE - set(found))
    assert not stale, f"fixed: remove these from PENDING_PRIVATE: {stale}"


def test_the_private_name_check_can_fail() -> None:
    src = ("from catkit.lm.stats import _helper\nfrom catkit.structure import _arrays\nimport catkit.kernel as K\n"
           "from catkit.kernel import Kernel\nx = K._fraction\ny = Kernel._new\n"
           "from catkit.structure._arrays import build\n")
    found = {what for _, what in private_crossings("catkit.paper.fake", ast.parse(src))}
    assert found == {"catkit.lm.stats._helper", "catkit.structure._arrays", "catkit.kernel._fraction",
                     "catkit.kernel.Kernel._new"}
    # inside its own package a private module is fine, and a module's own private names are its own
    assert private_crossings("catkit.structure.fake", ast.parse("from catkit.structure._arrays import build\n")) == []


def private_attribute_reads(module: str, tree: ast.Module) -> list[tuple[str, str]]:
    """``(where, attribute)`` for each ``obj._x`` on an object other than ``self``/``cls`` where ``_x`` is named
    nowhere in ``module`` (not defined, assigned or spelled there): the private attribute of an instance of
    another module's class, which :func:`private_crossings` cannot see through a local variable (``d._rows``
    on a divergence passed in)."""
    own: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            own.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            own.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            own.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.isidentifier():
            own.add(node.value)  # __slots__ entries
    return [(f"{module}:{node.lineno}", node.attr) for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own
            and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))]


def test_no_module_reads_another_modules_private_attributes() -> None:
    bad = sorted(f"{w}: .{attr}" for m in MODULES for w, attr in private_attribute_reads(m, _tree(m)))
    assert not bad, "private attributes read outside the module that defines them (make them public there):\n" + "\n".join(bad)


def test_the_private_attribute_check_can_fail() -> None:
    src = "def f(d, ops, P, Q):\n    return d._rows(ops, P, Q) + self._own\n"
    assert [a for _, a in private_attribute_reads("catkit.info.fake", ast.parse(src))] == ["_rows"]
    own = "class D:\n    def _rows(self):\n        return 1\n\ndef f(d):\n    return d._rows()\n"
    assert private_attribute_reads("catkit.info.fake", ast.parse(own)) == []


# ====================================================================== raises and error classes
#: raise sites in files being restructured on other branches: (file, exception raised) -> what it becomes
PENDING_RAISES: dict[tuple[str, str], str] = {}
#: control flow, not errors: raised anywhere
CONTROL_FLOW = (KeyboardInterrupt, SystemExit, StopIteration, GeneratorExit)
#: exceptions that are signals, not errors: catkit raises and catches them itself (a statement's "this instance
#: does not apply", which the checker skips; the checker's own early exit)
SIGNALS = {"catkit.axioms.statement.UnsupportedInstance", "catkit.axioms.statement._Counterexample"}


def _is_abstract(fn: ast.AST) -> bool:
    """A method whose body is (a docstring and) ``raise NotImplementedError``."""
    body = [s for s in getattr(fn, "body", []) if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    return len(body) == 1 and isinstance(body[0], ast.Raise)


def _lookup(expr: ast.expr, namespace: dict[str, Any]) -> Any:
    """The object a raise names at module level (``None`` for a local variable, ``self.…`` or a call's result)."""
    if isinstance(expr, ast.Name):
        if expr.id in namespace:
            return namespace[expr.id]
        return getattr(builtins, expr.id, None)
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
        owner = namespace.get(expr.value.id)
        if isinstance(owner, ModuleType):
            return getattr(owner, expr.attr, None)
    return None


def is_catkit_error(cls: type) -> bool:
    """A :class:`CatkitError` that is also a built-in exception more specific than ``Exception``."""
    return issubclass(cls, CatkitError) and any(b in BUILTIN_EXCEPTIONS and b not in (Exception, BaseException)
                                                   for b in cls.__mro__)


def bad_raises(tree: ast.Module, namespace: dict[str, Any]) -> list[tuple[int, str]]:
    """``(line, class name)`` of each raise of a class that is not a catkit error, bar the allowances:
    a bare ``raise`` or the re-raise of a caught exception (a local name), control flow (:data:`CONTROL_FLOW`),
    ``NotImplementedError`` in an abstract method, ``AttributeError`` in ``__getattr__`` (the attribute protocol),
    ``argparse.ArgumentTypeError`` (argparse's protocol: its message becomes the one-line usage error) and the
    :data:`SIGNALS`."""
    out = []

    def visit(node: ast.AST, fn: ast.AST | None) -> None:
        for ch in ast.iter_child_nodes(node):
            if isinstance(ch, ast.Raise) and ch.exc is not None:
                callee = ch.exc.func if isinstance(ch.exc, ast.Call) else ch.exc
                cls = _lookup(callee, namespace)
                if isinstance(cls, type) and issubclass(cls, BaseException) and not (
                    is_catkit_error(cls)
                    or issubclass(cls, CONTROL_FLOW)
                    or (cls is NotImplementedError and fn is not None and _is_abstract(fn))
                    or (cls is AttributeError and getattr(fn, "name", None) == "__getattr__")
                    or cls is argparse.ArgumentTypeError
                    or f"{cls.__module__}.{cls.__qualname__}" in SIGNALS
                ):
                    out.append((ch.lineno, cls.__name__))
            visit(ch, ch if isinstance(ch, (ast.FunctionDef, ast.AsyncFunctionDef)) else fn)

    visit(tree, None)
    return out


def _importable() -> Iterable[tuple[str, ModuleType]]:
    for name in MODULES:
        if name.endswith("__main__"):
            continue  # running it would start the command line
        yield name, importlib.import_module(name)


def test_every_raise_is_a_catkit_error() -> None:
    found: dict[tuple[str, str], list[int]] = {}
    for name, mod in _importable():
        for line, cls in bad_raises(_tree(name), vars(mod)):
            found.setdefault((_rel(name), cls), []).append(line)
    bad = sorted(f"{f}:{lines}: raise {cls}" for (f, cls), lines in found.items() if (f, cls) not in PENDING_RAISES)
    assert not bad, ("raises of classes that are not catkit errors (use or add a CatkitError subclass that is also the "
                     "built-in: see catkit/errors.py):\n" + "\n".join(bad))
    stale = sorted(k for k in PENDING_RAISES if k not in found)
    assert not stale, f"fixed: remove these from PENDING_RAISES: {stale}"


def test_the_raise_check_can_fail() -> None:
    src = '''
import argparse
from catkit.errors import UsageError, CatkitError

class Base:
    def run(self):
        """Abstract."""
        raise NotImplementedError

    def __getattr__(self, name):
        raise AttributeError(name)

def f(x):
    if x == 1:
        raise ValueError("bare builtin")
    if x == 2:
        raise CatkitError("the base class: no built-in to catch it by")
    if x == 3:
        raise NotImplementedError("not abstract: a body does more")
    if x == 4:
        raise argparse.ArgumentTypeError("fine")
    try:
        raise UsageError("fine")
    except UsageError as e:
        raise e
    raise KeyboardInterrupt
'''
    ns: dict[str, Any] = {}
    exec(compile(src, "<control>", "exec"), ns)
    assert [cls for _, cls in bad_raises(ast.parse(src), ns)] == ["ValueError", "CatkitError", "NotImplementedError"]


def error_class_problems(name: str, mod: ModuleType, package: ModuleType) -> list[str]:
    """What is wrong with the exception classes module ``name`` defines: not a catkit error with a built-in base,
    a public one in a private module, or one its package does not export (warnings and :data:`SIGNALS` aside)."""
    bad = []
    for obj in vars(mod).values():
        if not (inspect.isclass(obj) and issubclass(obj, BaseException) and obj.__module__ == name):
            continue
        qual = f"{name}.{obj.__qualname__}"
        if issubclass(obj, Warning) or qual in SIGNALS or obj is CatkitError:
            continue
        if not is_catkit_error(obj):
            bad.append(f"{qual}: not a CatkitError with a built-in base")
        elif not _private(obj.__name__) and any(_private(p) for p in name.split(".")):
            bad.append(f"{qual}: a public error defined in a private module")
        elif not _private(obj.__name__) and getattr(package, obj.__name__, None) is not obj:
            bad.append(f"{qual}: not importable from its package")
    return bad


def test_every_error_class_is_a_catkit_error_importable_from_its_package() -> None:
    bad = [p for name, mod in _importable()
           for p in error_class_problems(name, mod, importlib.import_module(".".join(name.split(".")[:2])))]
    assert not bad, "\n".join(bad)


def test_the_error_class_check_can_fail() -> None:
    ns: dict[str, Any] = {"__name__": "catkit.fake._private", "CatkitError": CatkitError}
    exec("class Plain(ValueError): pass\nclass Bare(CatkitError): pass\nclass Hidden(CatkitError, TypeError): pass\n"
         "class Fine(CatkitError, KeyError): pass\nclass Loud(UserWarning): pass\n", ns)
    mod = ModuleType("catkit.fake._private")
    vars(mod).update({k: v for k, v in ns.items() if isinstance(v, type)})
    problems = error_class_problems("catkit.fake._private", mod, ModuleType("catkit.fake"))
    assert [p.split(":")[0].rsplit(".", 1)[1] for p in problems] == ["Plain", "Bare", "Hidden", "Fine"]
    assert "private module" in problems[2] and "private module" in problems[3]


# ====================================================================== import layers
CORE = {"errors", "limits", "parse", "data", "objects", "models", "category", "backends", "display", "indexmaps", "kernel"}
SYNTAX = {"diagrams"}
SEMANTICS = {"semantics", "structure", "info", "axioms", "testing", "prover", "proof"}
BRIDGE = {"sources", "lm"}
APPS = {"paper", "interop", "cli", "__main__"}
LAYERS = {**{u: 0 for u in CORE}, **{u: 1 for u in SYNTAX}, **{u: 2 for u in SEMANTICS}, **{u: 3 for u in BRIDGE},
          **{u: 4 for u in APPS}}
#: what each layer may import at module level (import time)
MAY_IMPORT = {0: CORE, 1: SYNTAX | {"errors", "limits", "category"}, 2: CORE | SYNTAX | SEMANTICS,
              3: CORE | SYNTAX | SEMANTICS | BRIDGE, 4: set(LAYERS)}
#: the command modules may import the command line's shared parser and guard (inside their functions)
CLI_HELPERS = {"catkit.lm.cli", "catkit.paper.report", "catkit.prover.cli"}


def _unit(name: str) -> str:
    """``catkit.lm.stats`` -> ``lm``; ``catkit`` itself -> ``catkit``."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "catkit"


def imports(module: str, tree: ast.Module) -> list[tuple[int, str, bool]]:
    """``(line, catkit module, at module level)`` of each catkit import (``TYPE_CHECKING`` blocks count as not)."""
    out: list[tuple[int, str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for ch in ast.iter_child_nodes(node):
            if isinstance(ch, ast.ImportFrom):
                src = _resolve(module, ch)
                if src.startswith("catkit"):
                    out.extend((ch.lineno, f"{src}.{a.name}" if f"{src}.{a.name}" in MODULES else src, top) for a in ch.names)
            elif isinstance(ch, ast.Import):
                out.extend((ch.lineno, a.name, top) for a in ch.names if a.name.startswith("catkit"))
            elif isinstance(ch, ast.If) and "TYPE_CHECKING" in ast.unparse(ch.test):
                visit(ch, False)
            elif isinstance(ch, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(ch, False)
            else:
                visit(ch, top)

    visit(tree, True)
    return out


def layer_violations(module: str, tree: ast.Module) -> list[str]:
    """The imports of ``module`` that break the layering (see docs/architecture.md)."""
    me = _unit(module)
    out = []
    for line, target, top in imports(module, tree):
        there = _unit(target)
        if there == me or there == "catkit":
            continue
        where = f"{_rel(module) if module in MODULES else module}:{line}: imports {target}"
        if me == "catkit":  # the package's front: the core only, so that `import catkit` stays light
            if top and there not in CORE:
                out.append(where + " (catkit/__init__ re-exports the core only)")
            continue
        if top and there not in MAY_IMPORT[LAYERS[me]]:
            out.append(where + f" (the {me} layer may not import {there} at import time)")
        if me == "cli" and top and there != "errors":
            out.append(where + " (the command line imports its commands inside functions: `catkit --help` stays fast)")
        # even inside functions: the bridge and the applications are leaves nothing below them reaches
        if there in APPS and me not in APPS and not (there == "cli" and module in CLI_HELPERS):
            out.append(where + f" ({there} is an application: nothing below it imports it)")
        if there == "lm" and me not in {"paper", "cli"}:
            out.append(where + " (the torch bridge lm/ is imported only by paper/ and the command line)")
        if there == "sources" and me not in BRIDGE | {"paper", "cli"}:
            out.append(where + " (sources/ is the bridge's: imported by lm/, paper/ and the command line)")
        if me == "sources" and there == "lm":
            out.append(where + " (sources/ sits below lm/)")
        if me == "diagrams" and there not in MAY_IMPORT[1]:
            out.append(where + " (the free syntax never needs the finite semantics)")
        if me == "backends" and there == "kernel":
            out.append(where + " (a backend knows arrays, not kernels)")
    return out


def test_the_layers_import_downwards() -> None:
    assert set(LAYERS) >= {_unit(m) for m in MODULES} - {"catkit"}, "a new package: place it in a layer (LAYERS)"
    bad = [v for m in MODULES for v in layer_violations(m, _tree(m))]
    assert not bad, "\n".join(bad)


def test_the_layer_check_can_fail() -> None:
    assert layer_violations("catkit.kernel", ast.parse("from catkit.structure import conditional\n"))
    assert layer_violations("catkit.diagrams.fake", ast.parse("def f():\n    from catkit.kernel import Kernel\n"))
    assert layer_violations("catkit.info.fake", ast.parse("def f():\n    from catkit.paper import CLAIMS\n"))
    assert layer_violations("catkit.sources.fake", ast.parse("def f():\n    from catkit.lm import TinyGPT\n"))
    assert layer_violations("catkit.cli", ast.parse("from catkit.paper import report\n"))
    assert not layer_violations("catkit.structure.fake", ast.parse("from catkit.semantics import Functor\n"))
    assert not layer_violations("catkit.lm.cli", ast.parse("def f():\n    from catkit.cli import run_guarded\n"))


def _torch_at_module_level(module: str) -> bool:
    return any(isinstance(node, (ast.Import, ast.ImportFrom))
               and any(n.split(".")[0] == "torch" for n in ([a.name for a in node.names] if isinstance(node, ast.Import)
                                                             else [node.module or ""]))
               for node in _tree(module).body)


def test_torch_is_imported_at_module_level_only_by_the_bridge() -> None:
    """``import catkit`` (and everything but lm/ and paper/) never imports torch at import time: torch is the bridge's."""
    assert [_rel(m) for m in MODULES if _unit(m) not in {"lm", "paper"} and _torch_at_module_level(m)] == []
    # the control: the scan does see the bridge's own module-level torch imports
    assert _torch_at_module_level("catkit.lm.model") and _torch_at_module_level("catkit.paper.streamed")

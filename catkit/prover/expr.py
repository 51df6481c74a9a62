"""Diagram expressions of the proof language, read without ``eval`` and without recursion.

An expression is built from names (wire types, boxes, ``I``), the hole ``_``, ``>>`` and
``@`` (``@`` binds tighter, both associate to the left), parentheses, and the structural
functions ``id(T)``, ``copy(T)``, ``copy(T, n)``, ``discard(T)``, ``swap(T, U)`` and
``permutation(T, [i, ...])``.  Arguments that are numbers must be written as literals:
``copy(X, 0+1)`` or ``copy(X, n)`` is an error, not a guess.

The reader is a shunting-yard parser (an explicit operator stack, no Python recursion), so
a long chain ``f >> f >> ...`` is bounded only by :data:`MAX_TERMS`, and reported clearly past it.

>>> from catkit.diagrams import Box, Ty
>>> X = Ty("X")
>>> scope = Scope({"X": X}, {"f": Box("f", X, X)})
>>> scope.diagram("copy(X) >> (f @ X)", "x.proof", 1).cod
Ty('X', 'X')
>>> scope.diagram("copy(X, 0+1)", "x.proof", 4)
Traceback (most recent call last):
...
catkit.prover.errors.ProofSyntaxError: x.proof:4: cannot read 'copy(X, 0+1)': unexpected character '+' at column 10
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from catkit.diagrams.syntax import Copy, Diagram, DiagramTypeError, DiagramValueError, Discard, Id, Permutation, Swap, Ty
from catkit.prover.errors import ProofSyntaxError

__all__ = ["FUNCTIONS", "MAX_ARITY", "MAX_TERMS", "MAX_DEPTH", "NAME", "Expr", "Scope", "compile_expr", "split_top"]

#: the structural functions
FUNCTIONS = ("copy", "discard", "swap", "id", "permutation")
#: the largest arity of copy(T, n)
MAX_ARITY = 8
#: the most names and literals in one expression
MAX_TERMS = 1000
#: the deepest nesting of parentheses and calls
MAX_DEPTH = 64
#: a name: a letter, then letters, digits, _ and '
NAME = r"[A-Za-z][A-Za-z0-9_']*"

_TOKEN = re.compile(r"\s*(?:(>>)|(@)|([()\[\],])|([A-Za-z_][A-Za-z0-9_']*)|([0-9]+))")
_PREC = {">>": 1, "@": 2}


@dataclass(frozen=True)
class Expr:
    """A compiled expression: its text and its postfix program (evaluated by :meth:`Scope.evaluate`).

    >>> compile_expr("f >> g @ h", "x.proof", 1).program
    (('name', 'f'), ('name', 'g'), ('name', 'h'), ('op', '@'), ('op', '>>'))
    """

    text: str
    program: tuple[tuple[Any, ...], ...]

    @property
    def holes(self) -> int:
        """How many times the hole ``_`` occurs.

        >>> compile_expr("_ >> f", "x.proof", 1).holes
        1
        """
        return sum(1 for op in self.program if op[0] == "hole")


def _tokens(text: str, file: str, line: int) -> list[tuple[str, Any, int]]:
    out: list[tuple[str, Any, int]] = []
    pos, n = 0, len(text)
    while pos < n:
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            col = pos + len(text[pos:]) - len(text[pos:].lstrip()) + 1
            ch = text[col - 1]
            raise ProofSyntaxError(file, line, f"cannot read {text.strip()!r}: unexpected character {ch!r} at column {col}")
        col = m.start(m.lastindex or 0) + 1
        op, at, punct, word, num = m.groups()
        if op or at:
            out.append(("op", op or at, col))
        elif punct:
            out.append((punct, punct, col))
        elif word:
            if word == "_":
                out.append(("hole", "_", col))
            elif word.startswith("_"):
                raise ProofSyntaxError(file, line, f"cannot read {text.strip()!r}: names start with a letter, got {word!r}")
            else:
                out.append(("name", word, col))
        else:
            if len(num) > 1 and num.startswith("0"):
                raise ProofSyntaxError(file, line, f"cannot read {text.strip()!r}: write the number {num} without leading zeros")
            if len(num) > 6:
                raise ProofSyntaxError(file, line, f"cannot read {text.strip()!r}: the number {num} is far too large")
            out.append(("int", int(num), col))
        pos = m.end()
    return out


def compile_expr(text: str, file: str, line: int) -> Expr:
    """Parse an expression into a postfix program (shunting-yard; errors name file and line).

    >>> compile_expr("f >>", "x.proof", 2)
    Traceback (most recent call last):
    ...
    catkit.prover.errors.ProofSyntaxError: x.proof:2: cannot read 'f >>': it ends with an operator
    >>> compile_expr("copy(X", "x.proof", 2)
    Traceback (most recent call last):
    ...
    catkit.prover.errors.ProofSyntaxError: x.proof:2: cannot read 'copy(X': a parenthesis is not closed
    """
    shown = text.strip()

    def err(msg: str) -> ProofSyntaxError:
        return ProofSyntaxError(file, line, f"cannot read {shown!r}: {msg}")

    toks = _tokens(text, file, line)
    if not toks:
        raise err("the expression is empty")
    out: list[tuple[Any, ...]] = []
    ops: list[list[Any]] = []  # ['op', sym] | ['(' ] | ['call', name, nargs]
    expect = True  # an operand comes next
    terms = 0
    i = 0
    while i < len(toks):
        kind, val, col = toks[i]
        if kind in ("name", "hole", "int", "["):
            if not expect:
                raise err(f"expected an operator (>> or @) before {'[' if kind == '[' else val!r} at column {col}")
            terms += 1
            if terms > MAX_TERMS:
                raise err(f"the expression has more than {MAX_TERMS} terms (split it with a 'have' lemma)")
            if kind == "name" and i + 1 < len(toks) and toks[i + 1][0] == "(":
                if val not in FUNCTIONS:
                    raise err(f"{val}(...) is not a function: the functions are {', '.join(FUNCTIONS)}")
                ops.append(["call", val, 0, col])
                if len(ops) > MAX_DEPTH:
                    raise err(f"nested more than {MAX_DEPTH} deep")
                i += 2
                if i < len(toks) and toks[i][0] == ")":
                    raise err(f"{val}() needs arguments")
                continue
            if kind == "[":
                items: list[int] = []
                j = i + 1
                while True:
                    if j >= len(toks):
                        raise err("a list [ ... ] is not closed")
                    k2, v2, c2 = toks[j]
                    if k2 != "int":
                        raise err(f"a list holds integer literals only, got {v2!r} at column {c2}")
                    items.append(v2)
                    if len(items) > MAX_TERMS:
                        raise err("the list is too long")
                    j += 1
                    if j < len(toks) and toks[j][0] == ",":
                        j += 1
                        continue
                    if j < len(toks) and toks[j][0] == "]":
                        break
                    raise err(f"expected ',' or ']' in the list at column {toks[j][2] if j < len(toks) else len(text)}")
                out.append(("list", tuple(items)))
                i = j + 1
                expect = False
                continue
            out.append((kind, val) if kind != "hole" else ("hole",))
            expect = False
        elif kind == "(":
            if not expect:
                raise err(f"expected an operator before '(' at column {col}")
            ops.append(["("])
            if len(ops) > MAX_DEPTH:
                raise err(f"nested more than {MAX_DEPTH} deep")
        elif kind in (")", ","):
            if expect:
                raise err(f"expected an expression before {val!r} at column {col}")
            while ops and ops[-1][0] == "op":
                out.append(("op", ops.pop()[1]))
            if not ops:
                raise err(f"unexpected {val!r} at column {col}")
            top = ops[-1]
            if kind == ",":
                if top[0] != "call":
                    raise err(f"a comma outside a function call at column {col}")
                top[2] += 1
                expect = True
            else:
                ops.pop()
                if top[0] == "call":
                    out.append(("call", top[1], top[2] + 1, top[3]))
                expect = False
        elif kind == "]":
            raise err(f"unexpected ']' at column {col}")
        else:  # an operator
            if expect:
                raise err(f"expected an expression before {val!r} at column {col}")
            while ops and ops[-1][0] == "op" and _PREC[ops[-1][1]] >= _PREC[val]:
                out.append(("op", ops.pop()[1]))
            ops.append(["op", val])
            expect = True
        i += 1
    if expect:
        raise err("it ends with an operator" if out else "the expression is empty")
    while ops:
        top = ops.pop()
        if top[0] != "op":
            raise err("a parenthesis is not closed")
        out.append(("op", top[1]))
    return Expr(shown, tuple(out))


def split_top(text: str, sep: str = ",") -> list[str]:
    """Split at ``sep`` outside parentheses and brackets (empty parts dropped).

    >>> split_top("f: X -> Y, g: copy(X, 2) -> Z")
    ['f: X -> Y', 'g: copy(X, 2) -> Z']
    """
    out: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [s.strip() for s in out if s.strip()]


class Scope:
    """The names an expression may use: wire types and boxes (``I`` is the unit).

    >>> from catkit.diagrams import Box
    >>> s = Scope({"X": Ty("X")}, {})
    >>> s.ty("X @ I @ X", "x.proof", 1)
    Ty('X', 'X')
    """

    def __init__(self, types: Mapping[str, Ty], boxes: Mapping[str, Diagram]) -> None:
        self.types, self.boxes = types, boxes

    def evaluate(self, expr: Expr, file: str, line: int, hole: Diagram | None = None) -> Any:
        """The value (a :class:`Ty` or a :class:`Diagram`) of a compiled expression.

        >>> from catkit.diagrams import Box
        >>> s = Scope({"X": Ty("X"), "Y": Ty("Y")}, {"f": Box("f", "X", "Y")})
        >>> s.evaluate(compile_expr("f >> f", "x.proof", 3), "x.proof", 3)
        Traceback (most recent call last):
        ...
        catkit.prover.errors.ProofSyntaxError: x.proof:3: ill-typed 'f >> f': cannot compose f >> f: the codomain of f is Ty('Y') but the domain of f is Ty('X')
        """
        stack: list[Any] = []
        try:
            for op in expr.program:
                kind = op[0]
                if kind == "name":
                    stack.append(self._name(op[1], file, line))
                elif kind == "hole":
                    if hole is None:
                        raise ProofSyntaxError(file, line, "the hole _ may only appear in a context (after 'in')")
                    stack.append(hole)
                elif kind in ("int", "list"):
                    stack.append(_Literal(op[1]))
                elif kind == "op":
                    b, a = stack.pop(), stack.pop()
                    stack.append(self._binary(op[1], a, b, expr, file, line))
                else:  # a call
                    _, name, nargs, _col = op
                    args = stack[len(stack) - nargs:]
                    del stack[len(stack) - nargs:]
                    stack.append(self._call(name, args, expr, file, line))
        except (DiagramTypeError, DiagramValueError) as e:
            raise ProofSyntaxError(file, line, f"ill-typed {expr.text!r}: {e}") from None
        value = stack[0]
        if isinstance(value, _Literal):
            raise ProofSyntaxError(file, line, f"{expr.text!r} is a number, not a diagram")
        return value

    def diagram(self, text: str | Expr, file: str, line: int, hole: Diagram | None = None) -> Diagram:
        """Evaluate to a diagram (a type ``T`` stands for ``id(T)``).

        >>> Scope({"X": Ty("X")}, {}).diagram("X", "x.proof", 1)
        Id(Ty('X'))
        """
        expr = text if isinstance(text, Expr) else compile_expr(text, file, line)
        d = self.evaluate(expr, file, line, hole)
        return Id(d) if isinstance(d, Ty) else d

    def ty(self, text: str, file: str, line: int) -> Ty:
        """Evaluate to a wire type.

        >>> from catkit.diagrams import Box
        >>> Scope({}, {"f": Box("f", "X", "X")}).ty("f", "x.proof", 2)
        Traceback (most recent call last):
        ...
        catkit.prover.errors.ProofSyntaxError: x.proof:2: 'f' is not a wire type
        """
        expr = compile_expr(text, file, line)
        t = self.evaluate(expr, file, line)
        if not isinstance(t, Ty):
            raise ProofSyntaxError(file, line, f"{expr.text!r} is not a wire type")
        return t

    # ------------------------------------------------------------------ helpers
    def _name(self, name: str, file: str, line: int) -> Any:
        if name == "I":
            return Ty()
        if name in self.boxes:
            return self.boxes[name]
        if name in self.types:
            return self.types[name]
        if name in FUNCTIONS:
            raise ProofSyntaxError(file, line, f"{name} is a function: write {name}(...)")
        raise ProofSyntaxError(file, line, f"unknown name {name!r} (declare it under types: or boxes:)")

    @staticmethod
    def _binary(sym: str, a: Any, b: Any, expr: Expr, file: str, line: int) -> Any:
        for v in (a, b):
            if isinstance(v, _Literal):
                raise ProofSyntaxError(file, line, f"in {expr.text!r} the number {v.value!r} is not a diagram "
                                       "(numbers are only copy's arity and permutation lists)")
        if sym == "@":
            return a @ b
        a = Id(a) if isinstance(a, Ty) else a
        b = Id(b) if isinstance(b, Ty) else b
        return a >> b

    @staticmethod
    def _call(name: str, args: list[Any], expr: Expr, file: str, line: int) -> Any:
        def bad(msg: str) -> ProofSyntaxError:
            return ProofSyntaxError(file, line, f"in {expr.text!r}: {msg}")

        def ty(v: Any, what: str) -> Ty:
            if not isinstance(v, Ty):
                raise bad(f"the {what} argument of {name} must be a wire type, got {_show(v)}")
            return v

        if name in ("id", "discard"):
            if len(args) != 1:
                raise bad(f"{name}(T) takes one wire type, got {len(args)} arguments")
            t = ty(args[0], "first")
            return Id(t) if name == "id" else Discard(t)
        if name == "swap":
            if len(args) != 2:
                raise bad(f"swap(T, U) takes two wire types, got {len(args)} arguments")
            return Swap(ty(args[0], "first"), ty(args[1], "second"))
        if name == "copy":
            if len(args) not in (1, 2):
                raise bad(f"copy(T) or copy(T, n) takes one or two arguments, got {len(args)}")
            t = ty(args[0], "first")
            if len(args) == 1:
                return Copy(t)
            n = args[1]
            if not isinstance(n, _Literal) or not isinstance(n.value, int):
                raise bad(f"copy's arity must be an integer literal, got {_show(n)}")
            if not 1 <= n.value <= MAX_ARITY:
                hint = " (discard(T) is copy with no outputs)" if n.value == 0 else ""
                raise bad(f"copy's arity must be between 1 and {MAX_ARITY}, got {n.value}{hint}")
            return Copy(t, n.value)
        # permutation
        if len(args) != 2:
            raise bad(f"permutation(T, [i, ...]) takes two arguments, got {len(args)}")
        t = ty(args[0], "first")
        p = args[1]
        if not isinstance(p, _Literal) or not isinstance(p.value, tuple):
            raise bad(f"the second argument of permutation must be a list of integer literals, got {_show(p)}")
        perm = list(p.value)
        if sorted(perm) != list(range(len(t))):
            raise bad(f"{perm} is not a permutation of the {len(t)} wires of {t} (list each of 0..{len(t) - 1} once)")
        return Permutation(t, perm)


@dataclass(frozen=True)
class _Literal:
    value: Any


def _show(v: Any) -> str:
    if isinstance(v, _Literal):
        return repr(list(v.value)) if isinstance(v.value, tuple) else repr(v.value)
    if isinstance(v, Ty):
        return f"the type {v}"
    return f"the diagram {str(v)[:60]!r}"

"""Source specs: the JSON form of a :class:`~catkit.sources.FiniteStateSource`, read as untrusted data.

A spec (written by :meth:`FiniteStateSource.spec`, that is :func:`machine_spec`) is a JSON object::

    {"kind": "finite-state", "name": "...", "exact": true,
     "vocab": ["a", "b"], "states": ["s0"],
     "initial": ["1"], "transitions": [[["1/2"]], [["1/2"]]]}

:func:`check_spec` checks its shape (keys, types, nesting, sizes against the vocabulary and the states)
before any array is built, and the memory it would need against :mod:`catkit.limits`' budget; numbers
written as strings go through the one strict parser (:func:`catkit.parse.parse_rational`).  Every problem
is a :class:`~catkit.sources.SourceError` naming the field.  :func:`source_arguments` turns a checked spec
into the arguments of :class:`~catkit.sources.FiniteStateSource` (which then checks the laws).

>>> spec = {"kind": "finite-state", "exact": True, "vocab": ["a", "b"], "states": ["s"], "initial": ["1"],
...         "transitions": [[["1/3"]], [["2/3"]]]}
>>> check_spec(spec)["vocab"]
['a', 'b']
>>> check_spec({**spec, "transitions": [[["1/3"]]]})
Traceback (most recent call last):
...
catkit.sources.probs.SourceError: source spec: 'transitions' has 1 matrices, one per token of the vocabulary (2) expected
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from catkit.objects import Wire
from catkit.sources.probs import SourceError

if TYPE_CHECKING:
    from catkit.sources.core import Machine

__all__ = ["check_spec", "read_spec", "machine_spec", "source_arguments", "MAX_SPEC_BYTES"]

#: largest spec file read (bytes)
MAX_SPEC_BYTES = 256 * 2**20
_REQUIRED = ("kind", "exact", "vocab", "states", "initial", "transitions")


def _labels(spec: dict[str, Any], key: str) -> list[Any]:
    xs = spec[key]
    if not isinstance(xs, list) or not xs:
        raise SourceError(f"source spec: {key!r} must be a non-empty list of labels, got {type(xs).__name__}")
    for x in xs:
        if not isinstance(x, (str, int)) or isinstance(x, bool):
            raise SourceError(f"source spec: the labels in {key!r} must be strings or integers, found {str(x)[:40]!r}")
    if len(set(xs)) != len(xs):
        raise SourceError(f"source spec: the labels in {key!r} must be distinct")
    return xs


def _number(x: Any, where: str) -> None:
    if isinstance(x, bool) or not isinstance(x, (str, int, float)):
        raise SourceError(f"source spec: {where} must be a number (or a string such as '1/3'), got {type(x).__name__}")


def check_spec(spec: Any) -> dict[str, Any]:
    """``spec`` itself once its structure is checked (see the module docstring); a :class:`SourceError` otherwise.

    >>> check_spec([1, 2])
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: not a finite-state source spec: a JSON object with 'kind': 'finite-state' expected, got list
    """
    if not isinstance(spec, dict) or spec.get("kind") != "finite-state":
        what = type(spec).__name__ if not isinstance(spec, dict) else f"kind {str(spec.get('kind'))[:40]!r}"
        raise SourceError(f"not a finite-state source spec: a JSON object with 'kind': 'finite-state' expected, got {what}")
    missing = [k for k in _REQUIRED if k not in spec]
    if missing:
        raise SourceError(f"source spec: missing field(s) {missing}")
    if not isinstance(spec["exact"], bool):
        raise SourceError(f"source spec: 'exact' must be true or false, got {str(spec['exact'])[:40]!r}")
    if "name" in spec and not isinstance(spec["name"], str):
        raise SourceError("source spec: 'name' must be a string")
    vocab, states = _labels(spec, "vocab"), _labels(spec, "states")
    V, S = len(vocab), len(states)
    from catkit.limits import check_allocation

    per_entry = 200 if spec["exact"] else 16  # a Fraction and its array slot / a float64 and a working copy
    check_allocation(V * S * S * per_entry, f"a source with {V} tokens and {S} states ({V * S * S} transition entries)")
    init, T = spec["initial"], spec["transitions"]
    if not isinstance(init, list) or len(init) != S:
        raise SourceError(f"source spec: 'initial' must be a list of {S} numbers (one per state)")
    for x in init:
        _number(x, "an entry of 'initial'")
    if not isinstance(T, list) or len(T) != V:
        n = len(T) if isinstance(T, list) else type(T).__name__
        raise SourceError(f"source spec: 'transitions' has {n} matrices, one per token of the vocabulary ({V}) expected")
    for w, m in enumerate(T):
        if not isinstance(m, list) or len(m) != S or any(not isinstance(r, list) or len(r) != S for r in m):
            raise SourceError(f"source spec: transitions[{w}] (token {vocab[w]!r}) must be a {S} × {S} list of lists")
        for r in m:
            for x in r:
                _number(x, f"an entry of transitions[{w}]")
    return spec


def read_spec(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The checked spec in a JSON file (size-bounded; malformed JSON is a :class:`SourceError`).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "s.json"
    >>> _ = p.write_text('{"kind": "finite-state", "vocab": ')
    >>> read_spec(p)
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: .../s.json is not valid JSON: Expecting value at line 1 column 35
    """
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SourceError(f"{p} has {size} bytes, more than the {MAX_SPEC_BYTES // 2**20} MiB a source spec may have")
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(f"cannot read the source spec {p}: {type(e).__name__}: {getattr(e, 'strerror', None) or str(e)[:100]}") from None
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(f"{p} is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except (ValueError, RecursionError) as e:  # e.g. an integer of more than 4300 digits, or absurd nesting
        raise SourceError(f"{p} is not a usable JSON source spec: {type(e).__name__}: {str(e)[:120]}") from None
    return check_spec(spec)


def machine_spec(m: Machine, name: str) -> dict[str, Any]:
    """The JSON-able spec of a machine (exact entries as strings such as ``"1/3"``, float ones as floats).

    >>> from catkit.sources import tiny_source
    >>> machine_spec(tiny_source().machine, "tiny")["initial"]
    ['1/2', '1/2']
    """
    enc = str if m.exact else float
    return {
        "kind": "finite-state",
        "name": name,
        "exact": m.exact,
        "vocab": [str(x) for x in m.vocab.elements()],
        "states": [str(x) for x in m.states.elements()],
        "initial": [enc(x) for x in m.pi],
        "transitions": [[[enc(x) for x in r] for r in mat] for mat in m.T],
    }


def source_arguments(spec: Any) -> dict[str, Any]:
    """The keyword arguments of :class:`~catkit.sources.FiniteStateSource` that a spec describes, once
    :func:`check_spec` has checked its structure, sizes and memory (before any array is built).

    >>> from catkit.sources import tiny_source
    >>> sorted(source_arguments(tiny_source().spec()))
    ['exact', 'initial', 'name', 'states', 'transitions', 'vocab']
    """
    check_spec(spec)
    return {
        "initial": spec["initial"], "transitions": spec["transitions"], "vocab": Wire(spec["vocab"], name="vocab"),
        "states": Wire(spec["states"], name="state"), "exact": bool(spec["exact"]), "name": spec.get("name", "source"),
    }

"""Resource limits: the memory budget checked before large allocations, and the bounds on text input.

**Memory budget.**  Operations that would allocate a large dense array (a kernel's matrix, a uniform
kernel on a huge object, a source with a huge vocabulary) first compare the size they need with the
budget and raise :class:`ResourceLimitError` (a :class:`MemoryError`) naming the size, the budget and how
to raise it, instead of running the machine out of memory.  The budget is, in order of precedence:

1. the value set with :func:`set_memory_budget` (or temporarily with :func:`memory_budget_set`),
2. the environment variable ``CATKIT_MEMORY_BUDGET`` (bytes, ``"8GB"``, ``"512MiB"``, or ``"75%"`` of the RAM),
3. half of the machine's RAM (8 GiB where the RAM cannot be read).

``"none"`` (or ``0``) turns the check off.

**Input bounds.**  Numbers written as text (kernel entries, source specs) are read by
:func:`catkit.parse.parse_rational` with a length and an exponent bound (:func:`set_input_limits`).

>>> with memory_budget_set("1MB"):
...     memory_budget()
1000000
>>> with memory_budget_set("1MB"):
...     check_allocation(8 * 10**6, "a 1000 × 1000 float64 matrix")
Traceback (most recent call last):
...
catkit.limits.ResourceLimitError: a 1000 × 1000 float64 matrix needs 8.0 MB, above catkit's memory budget of 1.0 MB; ...
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from catkit.errors import CatkitError

__all__ = [
    "ResourceLimitError",
    "ENV_BUDGET",
    "DEFAULT_FRACTION",
    "memory_budget",
    "set_memory_budget",
    "memory_budget_set",
    "check_allocation",
    "check_entries",
    "SMALL_ALLOCATION",
    "parse_size",
    "fmt_bytes",
    "input_limits",
    "set_input_limits",
]

#: environment variable holding the memory budget
ENV_BUDGET = "CATKIT_MEMORY_BUDGET"
#: default budget as a fraction of the machine's RAM
DEFAULT_FRACTION = 0.5
_FALLBACK = 8 * 2**30

_budget: int | None = None  # set by set_memory_budget; None: environment or default
_unset = object()
_input = {"max_chars": 0, "max_exponent": 0}  # 0: the defaults of catkit.parse


class ResourceLimitError(CatkitError, MemoryError):
    """An operation would exceed catkit's memory budget (the message says how to raise it).

    >>> issubclass(ResourceLimitError, MemoryError)
    True
    """


_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9, "t": 10**12, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


@lru_cache(maxsize=1)
def _ram() -> int | None:
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def parse_size(text: str | int | float) -> int:
    """Bytes from ``1000000``, ``"64MB"``, ``"1.5GiB"`` or ``"50%"`` (of the RAM); ``0``/``"none"``: no limit.

    >>> parse_size("64MB"), parse_size("1KiB"), parse_size(512), parse_size("none")
    (64000000, 1024, 512, 0)
    >>> parse_size("lots")
    Traceback (most recent call last):
    ...
    catkit.limits.ResourceLimitError: cannot read 'lots' as a memory size: write bytes (1000000), 64MB, 2GiB, 50% or none
    """
    if isinstance(text, bool):
        raise ResourceLimitError(f"cannot read {text!r} as a memory size")
    if isinstance(text, (int, float)):
        if not (text >= 0) or text == float("inf"):
            raise ResourceLimitError(f"a memory size must be a non-negative number of bytes, got {text!r}")
        return int(text)
    s = str(text).strip().lower()
    if s in ("none", "off", "unlimited"):
        return 0
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(%|[kmgt]?i?b?)", s)
    if m is None or len(s) > 40:
        raise ResourceLimitError(f"cannot read {str(text)[:40]!r} as a memory size: write bytes (1000000), 64MB, 2GiB, 50% or none")
    value, unit = float(m[1]), m[2]
    if unit == "%":
        return int((_ram() or _FALLBACK / DEFAULT_FRACTION) * value / 100)
    if unit not in _UNITS:
        raise ResourceLimitError(f"unknown unit in {text!r}: use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB or %")
    return int(value * _UNITS[unit])


def fmt_bytes(n: float) -> str:
    """A size for people.

    >>> fmt_bytes(8e9), fmt_bytes(1536), fmt_bytes(2.4e22), fmt_bytes(10**400)
    ('8.0 GB', '1.5 kB', '2.4e+22 B', 'more than 1e308 B')
    """
    try:
        n = float(n)
    except OverflowError:
        return "more than 1e308 B"
    for unit, size in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size and n < 1e3 * size or (unit == "kB" and n >= size and n < 1e6):
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B" if n < 1e3 else f"{n:.2g} B"


def memory_budget() -> int:
    """The current budget in bytes (``0``: unlimited); see the module docstring for where it comes from.

    >>> memory_budget() >= 0
    True
    """
    if _budget is not None:
        return _budget
    env = os.environ.get(ENV_BUDGET)
    if env:
        return parse_size(env)
    ram = _ram()
    return int(ram * DEFAULT_FRACTION) if ram else _FALLBACK


def set_memory_budget(value: str | int | float | None) -> None:
    """Set the budget for this process: bytes, ``"16GB"``, ``"80%"``, ``"none"``; ``None`` goes back to
    ``$CATKIT_MEMORY_BUDGET`` or the default.

    >>> set_memory_budget("2GB"); memory_budget()
    2000000000
    >>> set_memory_budget(None)
    """
    global _budget
    _budget = None if value is None else parse_size(value)


@contextmanager
def memory_budget_set(value: str | int | float | None) -> Iterator[None]:
    """Run a block under another budget, then restore the previous one.

    >>> with memory_budget_set("none"):
    ...     memory_budget()
    0
    """
    global _budget
    before = _budget
    set_memory_budget(value)
    try:
        yield
    finally:
        _budget = before


def check_allocation(nbytes: float, what: str) -> None:
    """Raise :class:`ResourceLimitError` when ``nbytes`` exceeds the budget (call it *before* allocating).

    >>> check_allocation(10, "ten bytes")
    """
    budget = memory_budget()
    if budget and nbytes > budget:
        raise ResourceLimitError(
            f"{what} needs {fmt_bytes(nbytes)}, above catkit's memory budget of {fmt_bytes(budget)}; "
            f"raise it with {ENV_BUDGET}=32GB (or a percentage of the RAM, or none) or catkit.limits.set_memory_budget(...)"
        )


#: below this many bytes nothing is checked: the common case costs one multiplication (callers on a hot path test it first)
SMALL_ALLOCATION = 2**22


def check_entries(rows: int, cols: int, bytes_per_entry: int, what: str | Callable[[], str]) -> None:
    """:func:`check_allocation` for a ``rows × cols`` matrix, also refusing sizes beyond the int64 index range.

    ``what`` may be a function returning the description, so that the common (small) case builds no text.

    >>> check_entries(2**40, 2**40, 8, "a kernel")
    Traceback (most recent call last):
    ...
    catkit.limits.ResourceLimitError: a kernel has 1099511627776 × 1099511627776 entries, more than an int64 index can address ...
    """
    n = rows * cols
    if n * bytes_per_entry < SMALL_ALLOCATION:
        return
    from catkit.parse import safe_str

    name = what() if callable(what) else what
    if len(name) > 300:
        name = name[:300] + "…"
    if n >= 2**63:
        raise ResourceLimitError(f"{name} has {safe_str(rows)} × {safe_str(cols)} entries, more than an int64 index can address (2^63)")
    check_allocation(n * bytes_per_entry, f"{name} ({rows} × {cols} entries)")


def input_limits() -> tuple[int, int]:
    """``(max_chars, max_exponent)`` of :func:`catkit.parse.parse_rational`.

    >>> input_limits()
    (1000, 1000)
    """
    from catkit.parse import MAX_ENTRY_CHARS, MAX_EXPONENT

    return (_input["max_chars"] or MAX_ENTRY_CHARS, _input["max_exponent"] or MAX_EXPONENT)


def set_input_limits(*, max_chars: int | None = None, max_exponent: int | None = None) -> None:
    """Change the bounds on numbers written as text (``None`` keeps a bound; ``0`` restores its default).

    >>> set_input_limits(max_exponent=5000); input_limits()[1]
    5000
    >>> set_input_limits(max_exponent=0); input_limits()[1]
    1000
    """
    for key, v in (("max_chars", max_chars), ("max_exponent", max_exponent)):
        if v is not None:
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ResourceLimitError(f"{key} must be an int >= 0, got {v!r}")
            _input[key] = v

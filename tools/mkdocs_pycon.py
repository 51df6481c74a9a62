"""MkDocs hook: render docstring examples (``>>>`` sessions) as highlighted ``pycon`` code, and Sphinx
roles (``:class:`~catkit.Kernel```, ``:func:`check```) as cross-references.

catkit's docstrings carry their examples as bare doctest sessions (they run as tests). Markdown
reads a bare ``>>>`` line as three nested quotes and a ``[...]`` in an output as a link, so the API
pages would show mangled examples and autorefs would warn about them. This hook adds a Markdown
preprocessor, to pages and to mkdocstrings' docstring rendering alike, that fences every doctest
session outside an existing code fence.

>>> fence_sessions(["Text.", ">>> 1 + 1", "2", "", "More."])
['Text.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']

Docstrings keep their Sphinx roles (they read well in ``help()``); on the API pages each becomes an
autorefs cross-reference, resolved in the scope of the object the docstring belongs to (so ``:meth:`allclose```
in a method of ``Kernel`` links to ``Kernel.allclose``). References are *optional*: one that names nothing
the site documents (``:class:`~fractions.Fraction```) shows as code instead of failing the strict build.

>>> roles_to_autorefs(["See :class:`~catkit.kernel.Kernel` and :func:`check`."])
['See <autoref identifier="catkit.kernel.Kernel" optional><code>Kernel</code></autoref> and \
<autoref identifier="check" optional><code>check</code></autoref>.']
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority

_FENCE = re.compile(r"^\s*(```|~~~)")
_PROMPT = re.compile(r"^(\s*)>>>( |$)")
# a role, or a code span (left alone): whichever starts first
_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):`(?P<tilde>~?)(?P<target>[^`<>\s]+)`"
                   r"|(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`)")


def fence_sessions(lines: list[str]) -> list[str]:
    """Wrap each doctest session (a ``>>>`` line through the next blank line) in a ``pycon`` fence,
    leaving lines inside existing fences alone.

    >>> fence_sessions(["```", ">>> x", "```"])
    ['```', '>>> x', '```']
    """
    out: list[str] = []
    in_fence = False
    i = 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            in_fence = not in_fence
        m = None if in_fence else _PROMPT.match(line)
        if m is None:
            out.append(line)
            i += 1
            continue
        indent = m.group(1)
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        if out and out[-1].strip():
            out.append("")  # a fence must start a block
        out += [f"{indent}```pycon", *lines[i:j], f"{indent}```"]
        i = j
    return out


def roles_to_autorefs(lines: list[str], resolve: Callable[[str], str] | None = None) -> list[str]:
    """Replace Sphinx roles outside code fences and code spans by optional autorefs; ``resolve`` maps a
    name as written to a full identifier (the docstring's scope), when it can.

    >>> roles_to_autorefs(["``:class:`X` `` and :meth:`~a.B.c`"], resolve=lambda name: "pkg." + name)
    ['``:class:`X` `` and <autoref identifier="pkg.a.B.c" optional><code>c</code></autoref>']
    """
    out: list[str] = []
    in_fence = False
    for line in lines:
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or ":`" not in line:
            out.append(line)
            continue
        out.append(_ROLE.sub(lambda m: m.group(0) if m.group("ticks") else _autoref(bool(m.group("tilde")), m.group("target"), resolve),
                             line))
    return out


def _autoref(short: bool, target: str, resolve: Callable[[str], str] | None) -> str:
    title = target.rsplit(".", 1)[-1] if short else target
    identifier = target
    if resolve is not None:
        try:
            identifier = resolve(target) or target
        except Exception:  # noqa: BLE001 - unresolvable names stay as written (the reference is optional)
            identifier = target
    return f'<autoref identifier="{html.escape(identifier)}" optional><code>{html.escape(title)}</code></autoref>'


def _scoped_resolver(md: Any) -> Callable[[str], str] | None:
    """The resolver of the docstring mkdocstrings is rendering: names as in its object's scope (griffe)."""
    pattern = next((p for p in md.inlinePatterns if getattr(p, "hook", None) is not None), None)
    obj = getattr(getattr(pattern, "hook", None), "current_object", None)
    if obj is None:
        return None

    def resolve(name: str) -> str:
        first, _, rest = name.partition(".")
        try:
            full = obj.resolve(first)
        except Exception:  # noqa: BLE001 - not a name in this scope: a full path already, or nothing
            return name
        return f"{full}.{rest}" if rest else full

    return resolve


class _Roles(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return roles_to_autorefs(lines, _scoped_resolver(self.md))


class _Sessions(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return fence_sessions(lines)


class PyconExtension(Extension):
    """The Markdown extension (registered before the fenced-code preprocessors).

    >>> import markdown
    >>> "language-pycon" in markdown.markdown(">>> 1", extensions=[PyconExtension(), "fenced_code"])
    True
    """

    def extendMarkdown(self, md: Any) -> None:  # noqa: N802 - Markdown's API
        md.preprocessors.register(_Sessions(md), "catkit_pycon", 40)
        md.preprocessors.register(_Roles(md), "catkit_roles", 39)


@event_priority(100)  # before mkdocstrings reads the extension list in its own on_config
def on_config(config: Any) -> Any:
    config.markdown_extensions.append(PyconExtension())
    return config

"""MkDocs hook: render docstring examples (``>>>`` sessions) as highlighted ``pycon`` code.

catkit's docstrings carry their examples as bare doctest sessions (they run as tests). Markdown
reads a bare ``>>>`` line as three nested quotes and a ``[...]`` in an output as a link, so the API
pages would show mangled examples and autorefs would warn about them. This hook adds a Markdown
preprocessor, to pages and to mkdocstrings' docstring rendering alike, that fences every doctest
session outside an existing code fence.

>>> fence_sessions(["Text.", ">>> 1 + 1", "2", "", "More."])
['Text.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.plugins import event_priority

_FENCE = re.compile(r"^\s*(```|~~~)")
_PROMPT = re.compile(r"^(\s*)>>>( |$)")


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


@event_priority(100)  # before mkdocstrings reads the extension list in its own on_config
def on_config(config: Any) -> Any:
    config.markdown_extensions.append(PyconExtension())
    return config

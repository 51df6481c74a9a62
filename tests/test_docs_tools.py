"""The MkDocs hook that renders docstring examples as code (tools/mkdocs_pycon.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import markdown

_spec = importlib.util.spec_from_file_location("mkdocs_pycon", Path(__file__).parents[1] / "tools" / "mkdocs_pycon.py")
assert _spec is not None and _spec.loader is not None
pycon = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pycon)


def test_sessions_are_fenced_and_existing_fences_are_left_alone():
    lines = ["Intro:", "  >>> f([1])", "  ... ", "  [[1], [2]]", "", "```python", ">>> not a session", "```", ">>> g()"]
    assert pycon.fence_sessions(lines) == [
        "Intro:", "", "  ```pycon", "  >>> f([1])", "  ... ", "  [[1], [2]]", "  ```", "",
        "```python", ">>> not a session", "```", "", "```pycon", ">>> g()", "```",
    ]


def test_a_docstring_example_renders_as_one_code_block_not_as_quotes_or_links():
    doc = "The kernel.\n\n>>> k.matrix.tolist()\n[[Fraction(1, 2)], [Fraction(1, 2)]]"
    html = markdown.markdown(doc, extensions=[pycon.PyconExtension(), "fenced_code"])
    assert "<blockquote>" not in html and "<a " not in html
    assert html.count("<code") == 1 and "[[Fraction(1, 2)], [Fraction(1, 2)]]" in html

"""Sphinx roles in docstrings become cross-references on the API pages (tools/mkdocs_pycon.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import markdown

_spec = importlib.util.spec_from_file_location("mkdocs_pycon_roles", Path(__file__).parents[1] / "tools" / "mkdocs_pycon.py")
assert _spec is not None and _spec.loader is not None
pycon = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(pycon)


def test_roles_become_optional_autorefs_outside_code():
    lines = ["A :class:`~catkit.kernel.Kernel`, :func:`check` and :mod:`catkit.info`.", "```", ":class:`X`", "```",
             "Code ``:meth:`m` `` stays."]
    out = pycon.roles_to_autorefs(lines, resolve={"check": "catkit.axioms.statement.check"}.get)
    assert out[0] == ('A <autoref identifier="catkit.kernel.Kernel" optional><code>Kernel</code></autoref>, '
                      '<autoref identifier="catkit.axioms.statement.check" optional><code>check</code></autoref> and '
                      '<autoref identifier="catkit.info" optional><code>catkit.info</code></autoref>.')
    assert out[1:] == lines[1:]  # fences and code spans untouched


def test_unresolvable_names_stay_as_written():
    def resolve(name: str) -> str:
        raise KeyError(name)

    (line,) = pycon.roles_to_autorefs([":class:`~fractions.Fraction`"], resolve=resolve)
    assert 'identifier="fractions.Fraction"' in line and "<code>Fraction</code>" in line


def test_in_a_markdown_conversion_the_roles_leave_no_colons():
    html = markdown.markdown("See :class:`~catkit.Kernel` and :meth:`allclose`.", extensions=[pycon.PyconExtension()])
    assert ":class:" not in html and ":meth:" not in html and html.count("<autoref") == 2

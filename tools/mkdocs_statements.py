"""MkDocs hook: the catalogue of statements (docs/statements.md), generated from catkit.axioms' registry at build time.

The page holds a marker; at build time this hook replaces it by one entry per registered statement (code,
name, statement, kind, where it is expected to hold, symbolic proof sizes, sources, notes), so the page
cannot drift from the registry. Every entry is a heading with a stable anchor:

* ``stmt-<code>`` for a statement (lower case, e.g. ``stmt-a7``, ``stmt-b11-weak-union``);
* ``stmt-<item>`` for an item with several statements (``stmt-b11``, ``stmt-c1``);
* ``stmt-section-a``, ``stmt-section-b``, ``stmt-section-c`` for the three parts.

Docs pages link to them as ``statements.md#stmt-b5``; docstrings (rendered on API pages anywhere in the
site) as ``[B5][stmt-b5]``, which autorefs resolves.

>>> anchor("B11-weak-union"), item_of("B11-weak-union"), item_of("copy-natural")
('stmt-b11-weak-union', 'B11', 'copy-natural')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MARKER = "<!-- catkit:statements -->"

SECTIONS = {
    "A": "A. Markov categories: the axioms",
    "B": "B. Probability: determinism, conditionals, Bayesian inversion, independence, statistics",
    "C": "C. Information: divergences, entropies, mutual information",
}

_ITEM = re.compile(r"^([A-Z]\d+)(?:-|$)")
_SELF = re.compile(r";?\s*MATH\.md(?: section)? ?§?[A-C]\d*(?: \([^)]*\))?(?: and [A-C]\d+)?")


def anchor(code: str) -> str:
    """The anchor of a statement or an item: ``stmt-`` and the code in lower case, punctuation as ``-``."""
    return "stmt-" + re.sub(r"[^a-z0-9]+", "-", code.lower()).strip("-")


def item_of(code: str) -> str:
    """The catalogue item a code belongs to (``B11`` for ``B11-weak-union``; the code itself otherwise)."""
    m = _ITEM.match(code)
    return m.group(1) if m else code


def _section_of(stmts: Mapping[str, Any]) -> dict[str, str]:
    """Section letter per code: the code's own letter, or the letter most codes of its module have."""
    by_module: dict[str, dict[str, int]] = {}
    for code, s in stmts.items():
        m = _ITEM.match(code)
        if m:
            counts = by_module.setdefault(s.build.__module__, {})
            counts[code[0]] = counts.get(code[0], 0) + 1
    out = {}
    for code, s in stmts.items():
        counts = by_module.get(s.build.__module__, {})
        out[code] = code[0] if _ITEM.match(code) else (max(counts, key=lambda k: counts[k]) if counts else "A")
    return out


def _esc(text: str) -> str:
    from catkit.paper.html import md_escape

    return md_escape(text, cell=False)


def _cell(text: str) -> str:
    from catkit.paper.html import md_escape

    return md_escape(text)


def statements_markdown(stmts: Mapping[str, Any] | None = None, models: Mapping[str, Any] | None = None) -> str:
    """The catalogue as Markdown: sections, items, one entry per statement (the registry's order).

    >>> md = statements_markdown()
    >>> "{ #stmt-a7 }" in md and "{ #stmt-section-b }" in md and "MATH.md" not in md
    True
    """
    if stmts is None or models is None:
        from catkit.axioms import MODELS, load_all

        stmts = load_all() if stmts is None else stmts
        models = MODELS if models is None else models
    section = _section_of(stmts)
    items: dict[str, list[str]] = {}
    for code in stmts:
        items.setdefault(item_of(code), []).append(code)
    model_keys = [k for k in models if any(k in s.expected for s in stmts.values())]
    out: list[str] = []
    done_sections: set[str] = set()
    done_items: set[str] = set()
    for code, s in stmts.items():
        sec = section[code]
        if sec not in done_sections:
            done_sections.add(sec)
            out += [f"## {_esc(SECTIONS.get(sec, sec))} {{ #{anchor('section-' + sec)} }}", ""]
        item = item_of(code)
        level = "###"
        if len(items[item]) > 1 and code != item:  # a statement coded like its item heads the item itself
            level = "####"
            if item not in done_items and item not in items[item]:
                done_items.add(item)
                out += [f"### {item} {{ #{anchor(item)} }}", ""]
        out += [f"{level} {_esc(code)}: {_esc(s.name)} {{ #{anchor(code)} }}", ""]
        sizes = ", ".join("×".join(map(str, (sz * 2)[:2])) for sz in s.symbolic_sizes)  # as catkit check shows them
        meta = f"*{s.kind}*" + (f" · proved symbolically for all kernels of sizes {sizes}" if sizes else "")
        out += [f"> {_esc(s.text)}", "", meta, ""]
        header = [models[k].name for k in model_keys]
        cells = ["holds" if s.expected.get(k) else "**fails**" if k in s.expected else "—" for k in model_keys]
        out += ["| " + " | ".join(map(_cell, header)) + " |", "|" + " --- |" * len(header), "| " + " | ".join(cells) + " |", ""]
        source = _SELF.sub("", s.source).strip(" ;")
        if source:
            out += [f"**Source**: {_esc(source)}", ""]
        if s.note:
            out += [f"**Note**: {_esc(s.note)}", ""]
        out += [f"`catkit check --only {code}`", ""]
    return "\n".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """MkDocs event: fill the marker of the page that has one."""
    if MARKER in markdown:
        return markdown.replace(MARKER, statements_markdown())
    return markdown

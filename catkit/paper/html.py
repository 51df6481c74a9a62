"""The report as one self-contained HTML page, rendered from its Markdown by markdown-it-py.

The page is CommonMark with GitHub's tables; raw HTML in the Markdown is shown as
text, never passed through.  Figures named by a relative path are read from the
report folder and embedded as ``data:`` URIs, so ``report.html`` is a single file
that can be mailed or attached as it is.

>>> page = markdown_page("# Title\\n\\n| a | b |\\n| --- | --- |\\n| x \\\\| y | `2*x` |\\n")
>>> "<td>x | y</td>" in page, "<code>2*x</code>" in page
(True, True)

:func:`md_escape` makes a value safe to put into Markdown (a table cell, a list item):

>>> md_escape("|V| = 2*x")
'\\\\|V\\\\| = 2\\\\*x'
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt

__all__ = ["markdown_page", "md_escape", "MIME"]

#: image types embedded as data: URIs, by file suffix
MIME = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em;
       line-height: 1.45; color: #1b1b1b; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: 3px 7px; vertical-align: top; }
th { background: #f3f3f3; } tbody tr:nth-child(even) { background: #fafafa; }
code { background: #f2f2f2; padding: 0 .25em; border-radius: 3px; font-size: .92em; }
blockquote { margin: .6em 0; padding: .2em 1em; border-left: 4px solid #ccc; color: #444; }
img { max-width: 100%; height: auto; }
"""

_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_SPECIAL = re.compile(r"([\\*|])")


def md_escape(value: object, *, cell: bool = True) -> str:
    """``str(value)`` made safe for a Markdown table cell (or, with ``cell=False``, a list item or paragraph).

    Backslashes, ``*`` (sympy writes products with it: it would turn into italics) and
    ``|`` (it would end a table cell) are escaped outside code spans; a newline becomes
    a space (a table row is one line).  Backticks are kept: they render as code.  Inside
    a code span only a table cell's ``|`` is escaped (GFM splits the row into cells first).

    >>> md_escape("E = -3*log(3)/16 + 7*log(2)/4")
    'E = -3\\\\*log(3)/16 + 7\\\\*log(2)/4'
    >>> md_escape("`a|b` and |V|\\nnext"), md_escape("`a|b`", cell=False)
    ('`a\\\\|b` and \\\\|V\\\\| next', '`a|b`')
    """
    s = str(value).replace("\r\n", " ").replace("\n", " ")
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(s):
        out.append(_SPECIAL.sub(r"\\\1", s[pos : m.start()]))
        out.append(m.group(0).replace("|", "\\|") if cell else m.group(0))
        pos = m.end()
    out.append(_SPECIAL.sub(r"\\\1", s[pos:]))
    return "".join(out)


def _renderer() -> MarkdownIt:
    # commonmark without raw HTML (the report's text comes from data: show it, never interpret it)
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(["table", "strikethrough"])


def _embed(tokens: Sequence[Any], base: Path | None) -> None:
    """Replace relative image sources by data: URIs of the files they name under ``base``."""
    for tok in tokens:
        if tok.children:
            _embed(tok.children, base)
        if tok.type != "image" or base is None:
            continue
        src = str(tok.attrs.get("src", ""))
        if not src or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I) or src.startswith("/"):
            continue  # already a URI or an absolute path: left as it is
        path = (base / src).resolve()
        mime = MIME.get(path.suffix.lower())
        if mime is None or not path.is_file() or base.resolve() not in path.parents:
            continue
        tok.attrs["src"] = f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def markdown_page(markdown: str, *, base: str | Path | None = None, title: str | None = None) -> str:
    """A complete HTML page from Markdown (CommonMark + tables), images under ``base`` embedded.

    The title defaults to the first heading's text.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>')
    >>> page = markdown_page("# Report\\n\\n![a dot](dot.svg)\\n\\n- one\\n- two *x*\\n", base=d)
    >>> page.count("data:image/svg+xml;base64,"), "<title>Report</title>" in page, page.count("<li>")
    (1, True, 2)
    >>> "<ul>" in page and "<em>x</em>" in page and "dot.svg" not in page
    True
    """
    md = _renderer()
    tokens = md.parse(markdown)
    _embed(tokens, Path(base) if base is not None else None)
    body = md.renderer.render(tokens, md.options, {})
    if title is None:
        heading = next((tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"), "catkit report")
        title = heading
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>\n<body>\n{body}</body></html>\n"
    )

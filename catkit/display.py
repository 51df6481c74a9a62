"""How kernels show themselves: ``repr`` (round-trips), the text table of ``print``, and the HTML and LaTeX
tables of notebooks.  :class:`~catkit.kernel.Kernel`'s display methods call these functions.

Only a window of a big kernel is read (its first rows and columns), and a structural kernel (copy, swap, a
projection) is read from its index map, so showing a kernel of a huge object never builds its matrix.

>>> from catkit import Kernel, Wire
>>> print(text_table(Kernel([["1/4", "3/4"]], cod=Wire(["h", "t"]))))
Kernel Wire(1) → Wire(['h', 't'])  [exact, FinStoch]
     h    t
0  1/4  3/4
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

import numpy as np

from catkit.models import FINSTOCH
from catkit.objects import Obj

if TYPE_CHECKING:  # the kernel module imports this one
    from catkit.kernel import Kernel

__all__ = ["REPR_MAX_ENTRIES", "kernel_repr", "window", "caption", "text_table", "html_table", "latex_array", "label"]

#: kernels with more entries than this show a one-line summary as their ``repr`` instead of their entries
REPR_MAX_ENTRIES = 256


def kernel_repr(k: Kernel) -> str:
    """The ``repr`` of a kernel: an expression that rebuilds it (entries, objects, backend, model), or a
    summary line for a kernel of more than :data:`REPR_MAX_ENTRIES` entries.

    >>> from catkit import Kernel, Wire
    >>> kernel_repr(Kernel.state(["1/2", "1/2"], Wire(2)))
    "Kernel(['1/2', '1/2'], cod=Wire(2), backend='exact')"
    >>> kernel_repr(Kernel.uniform(Wire(300)))
    '<Kernel I → Wire(300): exact, FinStoch>'
    """
    b, dom, cod = k.backend, k.dom, k.cod
    if dom.size * cod.size > REPR_MAX_ENTRIES:
        return f"<Kernel {dom} → {cod}: {b.describe(k.storage)}, {k.model.name}>"
    if k.generic:
        if not dom:
            return f"Kernel.point({cod}, {next(iter(k.as_function().values()))!r})"
        fn = k.as_function()
        call = "(lambda *x: _f[x])" if len(dom) != 1 else "_f.__getitem__"
        return f"Kernel.from_function({call.replace('_f', repr(fn))}, dom={dom}, cod={cod})"
    entries = [[b.literal(x) for x in r] for r in b.tolist(k.storage)]
    args = [repr(entries[0] if not dom else entries)]
    if dom:
        args.append(f"dom={dom}")
    args.append(f"cod={cod}")
    args.append(f"backend={b.name!r}")
    if k.model is not FINSTOCH:
        args.append(f"model={k.model.key!r}")
    args += b.repr_options(k.storage)
    return f"Kernel({', '.join(args)})"


def window(k: Kernel, max_rows: int, max_cols: int) -> tuple[list[str], list[str], list[list[Any]]]:
    """Labels of the first ``max_rows`` rows and ``max_cols`` columns and their raw entries.

    >>> from catkit import Kernel, Wire
    >>> window(Kernel.copy(Wire(["a", "b"])), 1, 2)
    (['a'], ['a,a', 'a,b'], [[Fraction(1, 1), Fraction(0, 1)]])
    """
    b, nr, nc = k.backend, min(k.dom.size, max_rows), min(k.cod.size, max_cols)
    idx = k.indices
    if idx is not None:  # structural: read the index map, do not build the one-hot matrix
        one, zero = b.tolist(b.from_entries([[1, 0]]))[0]
        rows = [[one if idx[i] == j else zero for j in range(nc)] for i in range(nr)]
    else:
        rows = b.tolist(b.take(k.storage, np.arange(nr), np.arange(nc)))
    return [label(k.dom, i) for i in range(nr)], [label(k.cod, j) for j in range(nc)], rows


def caption(k: Kernel) -> str:
    """The first line of a kernel's tables: its objects, backend and model.

    >>> from catkit import Kernel, Wire
    >>> caption(Kernel.copy(Wire(2)))
    'Kernel Wire(2) → Wire(2) @ Wire(2)  [exact, FinSet]'
    """
    how = k.backend.describe(k.storage) if k.indices is None else "exact"
    return f"Kernel {k.dom} → {k.cod}  [{how}, {k.model.name}]"


def text_table(k: Kernel, max_rows: int = 32, max_cols: int = 16) -> str:
    """The table ``print(kernel)`` shows: one row per input, one column per output, labels shown.

    >>> from catkit import Kernel, Wire
    >>> print(text_table(Kernel.uniform(Wire(20)), max_cols=3))
    Kernel I → Wire(20)  [exact, FinStoch]
          0     1     2  …
    ·  1/20  1/20  1/20  …
    """
    b = k.backend
    row_labels, col_labels, rows = window(k, max_rows, max_cols)
    more_cols = ["…"] if len(col_labels) < k.cod.size else []
    header = ["", *col_labels, *more_cols]
    body = [[row_labels[i], *(b.fmt(x) for x in r), *more_cols] for i, r in enumerate(rows)]
    if len(rows) < k.dom.size:
        body.append(["…"] * len(header))
    widths = [max(len(r[c]) for r in [header, *body]) for c in range(len(header))]
    lines = [caption(k)]
    for r in [header, *body]:
        lines.append("  ".join(s.rjust(w) if c else s.ljust(w) for c, (s, w) in enumerate(zip(r, widths))).rstrip())
    return "\n".join(lines)


def html_table(k: Kernel, max_rows: int = 20, max_cols: int = 12) -> str:
    """The HTML table of a kernel in a notebook (``_repr_html_``): exact entries as fractions, and how many
    rows and columns are not shown.

    >>> from catkit import Kernel, Wire
    >>> html_table(Kernel.uniform(Wire(3)), max_cols=2).count("<td>1/3</td>"), "1 more column" in html_table(Kernel.uniform(Wire(3)), max_cols=2)
    (2, True)
    >>> html = Kernel([["1/3", "2/3"]], cod=Wire(["h", "t"]))._repr_html_()  # Kernel's notebook display is this
    >>> "<th>h</th>" in html, "<td>1/3</td>" in html, html.count("<tr>")
    (True, True, 2)
    """
    b = k.backend
    row_labels, col_labels, rows = window(k, max_rows, max_cols)
    more_r, more_c = k.dom.size - len(rows), k.cod.size - len(col_labels)
    corner = "" if not k.dom else escape(f"{k.dom} \\ {k.cod}")
    head = f'<th style="text-align:left">{corner}</th>' + "".join(f"<th>{escape(c)}</th>" for c in col_labels)
    head += f"<th>… {more_c} more column{'s' * (more_c > 1)}</th>" if more_c else ""
    body = []
    for lab, r in zip(row_labels, rows):
        cells = "".join(f"<td>{escape(b.fmt(x))}</td>" for x in r) + ("<td>…</td>" if more_c else "")
        body.append(f'<tr><th style="text-align:left">{escape(lab)}</th>{cells}</tr>')
    if more_r:
        body.append(f'<tr><td colspan="{len(col_labels) + 1 + bool(more_c)}">… {more_r} more row{"s" * (more_r > 1)}</td></tr>')
    return (f'<table class="catkit-kernel"><caption style="text-align:left">{escape(caption(k))}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def latex_array(k: Kernel, max_rows: int = 20, max_cols: int = 12) -> str:
    """The LaTeX of a kernel (``_repr_latex_``): an ``array`` with labelled rows and columns.

    >>> from catkit import Kernel, Wire
    >>> latex_array(Kernel.state(["1/2", "1/2"], Wire(2)))
    '$\\\\begin{array}{l|cc}  & \\\\text{0} & \\\\text{1} \\\\\\\\ \\\\hline \\\\cdot & \\\\frac{1}{2} & \\\\frac{1}{2} \\\\end{array}$'
    """
    b = k.backend
    row_labels, col_labels, rows = window(k, max_rows, max_cols)
    more_r, more_c = k.dom.size - len(rows), k.cod.size - len(col_labels)
    cols = len(col_labels) + bool(more_c)
    lines = [" & ".join(["", *(_latex_text(c) for c in col_labels), *([r"\cdots"] if more_c else [])])]
    for lab, r in zip(row_labels, rows):
        lines.append(" & ".join([_latex_text(lab), *(b.latex(x) for x in r), *([r"\cdots"] if more_c else [])]))
    if more_r:
        lines.append(" & ".join([r"\vdots"] * (cols + 1)))
    body = (r" \\ \hline " if len(lines) > 1 else "").join(lines[:2]) + "".join(r" \\ " + ln for ln in lines[2:])
    return rf"$\begin{{array}}{{l|{'c' * cols}}} {body} \end{{array}}$"


def label(obj: Obj, i: int) -> str:
    """The label of the ``i``-th element of ``obj`` as table text (``·`` for the unit's one element).

    >>> from catkit import Wire
    >>> label(Wire(["a", "b"]) @ Wire(2), 3), label(Obj(), 0)
    ('b,1', '·')
    """
    x = obj.label(i)
    return "·" if not obj else (str(x[0]) if len(x) == 1 else ",".join(map(str, x)))


def _latex_text(s: str) -> str:
    special = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "_": r"\_",
               "%": r"\%", "^": r"\^{}", "~": r"\~{}"}
    return r"\text{" + "".join(special.get(ch, ch) for ch in s) + "}" if s != "·" else r"\cdot"

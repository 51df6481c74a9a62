"""Pictures of theorem statements: each hypothesis and the conclusion as an equation of string diagrams.

Each equation is drawn with :func:`catkit.diagrams.drawing.draw_equation` and the pictures are
stacked in one figure, labelled ``assume NAME`` and ``show``.

>>> from catkit.prover.language import EXAMPLE, parse
>>> fig = draw_statement(parse(EXAMPLE).theorems[0].statement)
>>> [ax.get_title(loc="left") for ax in fig.axes]
['assume det_f: deterministic(f)', 'assume det_g: deterministic(g)', 'show: deterministic(f >> g)']
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from catkit.category import Equation
from catkit.prover.language import TheoremStatement

__all__ = ["draw_statement"]


def _png(eq: Equation) -> Any:
    from matplotlib.image import imread

    from catkit.diagrams.drawing import draw_equation

    fig = draw_equation(eq.lhs, eq.rhs)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    buf.seek(0)
    return imread(buf, format="png")


def draw_statement(statement: TheoremStatement, path: str | Path | None = None, dpi: int = 100) -> Any:
    """One figure with every hypothesis and the conclusion; saved to ``path`` when given (``.png``, ``.svg``, ``.pdf``).

    Returns the matplotlib :class:`~matplotlib.figure.Figure` (no pyplot state is touched).

    >>> import os, tempfile
    >>> from catkit.prover.language import EXAMPLE, parse
    >>> out = os.path.join(tempfile.mkdtemp(), "det_compose.png")
    >>> _ = draw_statement(parse(EXAMPLE).theorems[0].statement, out)
    >>> os.path.getsize(out) > 1000
    True
    """
    from matplotlib.figure import Figure

    rows = [(f"assume {n}: {e.text}", e) for n, e in statement.hypotheses] + [(f"show: {statement.conclusion.text}",
                                                                                statement.conclusion)]
    images = [_png(e) for _, e in rows]
    width = max(im.shape[1] for im in images) / 80
    heights = [im.shape[0] / 80 + 0.5 for im in images]
    fig = Figure(figsize=(max(width, 4.0), sum(heights) + 0.6))
    fig.suptitle(f"{statement.name} [{statement.theory}]" +
                 (f", assuming {', '.join(statement.axioms)}" if statement.axioms else ""), fontsize=11)
    top = 1 - 0.6 / (sum(heights) + 0.6)
    y = top
    for (label, _), im, h in zip(rows, images, heights):
        frac = h / (sum(heights) + 0.6)
        ax = fig.add_axes((0.02, y - frac, 0.96, frac * 0.85))
        ax.imshow(im)
        ax.set_axis_off()
        ax.set_title(label, loc="left", fontsize=9)
        y -= frac
    if path is not None:
        p = Path(path)
        fig.savefig(p, format=p.suffix.lstrip(".").lower() or "png", dpi=dpi)
    return fig

"""Drawing string diagrams with matplotlib (top to bottom, one row per layer).

Generators are labelled boxes; copy is a black dot where a wire forks, discard
a black dot where a wire ends; swaps and permutations are crossing wires.
Wire types are written at the top (domain) and bottom (codomain).

>>> from catkit.diagrams import Box, Copy, Discard, Ty
>>> X, Y = Ty("X"), Ty("Y")
>>> fig = draw(Box("f", X, Y) >> Copy(Y) >> (Y @ Discard(Y)))
>>> len(fig.axes[0].patches) > 0
True
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from catkit.diagrams.syntax import Diagram, DiagramTypeError, Wiring

__all__ = ["draw", "draw_equation"]

_BOX_H = 0.44
_WIRE = {"color": "black", "linewidth": 1.2, "zorder": 1}


def _layout(d: Diagram) -> list[list[float]]:
    """x positions of the wires at each stage: wire ``j`` at ``x = j`` (so wires left of a
    box keep their place and those right of it shift by the change in width)."""
    return [[float(j) for j in range(len(w))] for w in d.wires()]


def _draw_on(ax: Any, d: Diagram, x0: float = 0.0, show_types: bool = True) -> float:
    """Draw ``d`` on ``ax`` starting at ``x0``; return the width used."""
    stages = _layout(d)
    wires = d.wires()
    width = max([1.0] + [len(w) for w in wires])
    for i, (o, box) in enumerate(d.layers):
        top, bottom, mid = -float(i), -float(i + 1), -(i + 0.5)
        xs_in, xs_out = stages[i], stages[i + 1]
        k, m = len(box.dom), len(box.cod)
        for j in range(len(xs_in)):  # wires passing by
            if o <= j < o + k:
                continue
            j2 = j if j < o else j - k + m
            ax.plot([x0 + xs_in[j], x0 + xs_out[j2]], [top, bottom], **_WIRE)
        if isinstance(box, Wiring):
            uses = [box.wiring.count(a) for a in range(k)]
            for a in range(k):
                xa = x0 + xs_in[o + a]
                if uses[a] == 1:
                    b = box.wiring.index(a)
                    ax.plot([xa, x0 + xs_out[o + b]], [top, bottom], **_WIRE)
                    continue
                ax.plot([xa, xa], [top, mid], **_WIRE)
                ax.plot([xa], [mid], "o", color="black", markersize=6, zorder=3)
                for b, src in enumerate(box.wiring):
                    if src == a:
                        ax.plot([xa, x0 + xs_out[o + b]], [mid, bottom], **_WIRE)
            continue
        xs = [xs_in[o + a] for a in range(k)] + [xs_out[o + b] for b in range(m)] or [float(o)]
        left, right = min(xs) - 0.35, max(xs) + 0.35
        for a in range(k):
            ax.plot([x0 + xs_in[o + a]] * 2, [top, mid + _BOX_H / 2], **_WIRE)
        for b in range(m):
            ax.plot([x0 + xs_out[o + b]] * 2, [mid - _BOX_H / 2, bottom], **_WIRE)
        ax.add_patch(Rectangle((x0 + left, mid - _BOX_H / 2), right - left, _BOX_H, facecolor="white", edgecolor="black",
                               linewidth=1.2, zorder=2))
        ax.text(x0 + (left + right) / 2, mid, box.name, ha="center", va="center", fontsize=11, zorder=4)
    n = len(d.layers)
    if show_types:
        for j, a in enumerate(d.dom):
            ax.text(x0 + stages[0][j] + 0.08, 0.12, a.name, fontsize=9, ha="left", va="bottom", color="#444444")
        for j, a in enumerate(d.cod):
            ax.text(x0 + stages[-1][j] + 0.08, -n - 0.12, a.name, fontsize=9, ha="left", va="top", color="#444444")
    if not d.layers:
        for j in range(len(d.dom)):
            ax.plot([x0 + j, x0 + j], [0, -1], **_WIRE)
    return width


def _finish(fig: Figure, ax: Any, width: float, height: float, path: str | Path | None, dpi: int) -> Figure:
    ax.set_xlim(-0.8, width - 0.2)
    ax.set_ylim(-height - 0.5, 0.5)
    ax.set_aspect("equal")
    ax.axis("off")
    if path is not None:
        p = Path(path)
        fmt = p.suffix.lstrip(".").lower() or "png"
        if fmt not in ("png", "svg", "pdf"):
            raise DiagramTypeError(f"cannot draw to {str(p)!r}: use a .png, .svg or .pdf path")
        fig.savefig(p, format=fmt, dpi=dpi, bbox_inches="tight")
    return fig


def draw(d: Diagram, path: str | Path | None = None, *, scale: float = 0.8, dpi: int = 100, show_types: bool = True) -> Figure:
    """Draw a diagram; save it to ``path`` (``.png``, ``.svg`` or ``.pdf``) when given.

    Returns the matplotlib :class:`~matplotlib.figure.Figure` (no pyplot state is touched).

    >>> import os, tempfile
    >>> from catkit.diagrams import Box, Copy, Ty
    >>> out = os.path.join(tempfile.mkdtemp(), "copy.svg")
    >>> _ = draw(Copy(Ty("X")) >> (Box("f", "X", "Y") @ Ty("X")), out)
    >>> os.path.getsize(out) > 1000
    True
    """
    if not isinstance(d, Diagram):
        raise DiagramTypeError(f"draw needs a Diagram, got {d!r}")
    height = max(1, len(d.layers))
    width = max([1.0] + [len(w) for w in d.wires()])
    fig = Figure(figsize=(scale * (width + 0.6), scale * (height + 1)))
    ax = fig.add_axes((0, 0, 1, 1))
    _draw_on(ax, d, 0.0, show_types)
    return _finish(fig, ax, width, height, path, dpi)


def draw_equation(*diagrams: Diagram, path: str | Path | None = None, symbol: str = "=", scale: float = 0.8,
                  dpi: int = 100) -> Figure:
    """Draw diagrams side by side separated by ``symbol`` (e.g. the two sides of an axiom).

    >>> from catkit.diagrams import Copy, Swap, Ty
    >>> X = Ty("X")
    >>> fig = draw_equation(Copy(X) >> Swap(X, X), Copy(X))
    >>> len(fig.axes[0].texts) >= 1
    True
    """
    if not diagrams:
        raise DiagramTypeError("draw_equation needs at least one diagram")
    height = max(max(1, len(d.layers)) for d in diagrams)
    widths = [max([1.0] + [len(w) for w in d.wires()]) for d in diagrams]
    total = sum(widths) + 1.2 * (len(diagrams) - 1)
    fig = Figure(figsize=(scale * (total + 0.6), scale * (height + 1)))
    ax = fig.add_axes((0, 0, 1, 1))
    x = 0.0
    for i, d in enumerate(diagrams):
        if i:
            ax.text(x - 0.7, -height / 2, symbol, fontsize=16, ha="center", va="center")
        _draw_on(ax, d, x)
        x += widths[i] + 1.2
    return _finish(fig, ax, total, height, path, dpi)

"""Drawing string diagrams (top to bottom) with matplotlib; the same picture in TikZ is :mod:`catkit.diagrams.tikz`.

Layers that act on different wires share a row (so ``f @ g`` is two boxes side
by side); generators are labelled boxes, states (no inputs) triangles pointing
up with their wires leaving the base, effects (no outputs) triangles pointing
down; copy is a black dot where a wire forks, discard a black dot where a wire
ends; swaps and permutations are crossing wires.  Wire types are written at the
top (domain) and bottom (codomain).

>>> from catkit.diagrams import Box, Copy, Discard, Ty
>>> X, Y = Ty("X"), Ty("Y")
>>> fig = draw(Box("f", X, Y) >> Copy(Y) >> (Y @ Discard(Y)))
>>> len(fig.axes[0].patches) > 0
True

The layout is data (:func:`layout`): a list of shapes that both renderers draw.

>>> [type(s).__name__ for s in layout(Box("f", X, Y) @ Box("g", Y, X)).shapes].count("Rect")
2
>>> layout(Box("f", X, Y) @ Box("g", Y, X)).height   # side by side: one row
1.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from matplotlib.figure import Figure
from matplotlib.patches import Polygon, Rectangle

from catkit.diagrams.syntax import Box, Diagram, DiagramTypeError, Ty, Wiring

__all__ = ["draw", "draw_equation", "layout", "equation_layout", "Layout", "Line", "Dot", "Rect", "Triangle", "Label"]

_BOX_H = 0.44
_TRI_H = 0.5
_HALF = 0.35  # half the extra width of a box beyond its outermost wires
_GAP = 1.2  # between the diagrams of an equation


class Line(NamedTuple):
    """A wire segment from ``(x0, y0)`` to ``(x1, y1)``."""

    x0: float
    y0: float
    x1: float
    y1: float


class Dot(NamedTuple):
    """A black dot: where a wire is copied or discarded."""

    x: float
    y: float


class Rect(NamedTuple):
    """A generator's box, its corners and its label."""

    x0: float
    y0: float
    x1: float
    y1: float
    label: str


class Triangle(NamedTuple):
    """A state (apex up, base below) or an effect (apex down): its three corners and its label's anchor."""

    points: tuple[tuple[float, float], ...]
    label: str
    at: tuple[float, float]


class Label(NamedTuple):
    """Text: a wire type (``role="type"``) or an equation's symbol (``role="symbol"``)."""

    x: float
    y: float
    text: str
    role: str


@dataclass
class Layout:
    """The shapes of a picture (y grows upwards: the diagram runs from ``y = 0`` down to ``-height``)."""

    shapes: list[Any] = field(default_factory=list)
    width: float = 1.0
    height: float = 1.0


@dataclass
class _Row:
    """Boxes that act on disjoint wires of the row's input ``wires``, drawn side by side."""

    wires: Ty
    xs_in: list[float]  # where the row's input wires are (the previous row's outputs)
    cur: list[tuple[Any, ...]]  # the wires after the row's boxes so far: ("p", input index) or ("o", box index, j)
    boxes: list[tuple[Box, list[int]]] = field(default_factory=list)  # box, its input indices
    order: list[tuple[str, int]] = field(default_factory=list)  # left to right: ("p", passing input) or ("b", box)


@dataclass
class _Geometry:
    xs_out: list[float]  # by output index (the row's cur)
    ports: list[tuple[list[float], list[float], float]]  # per box: its input wires' x, its outputs' x, its left edge
    passing: list[tuple[float, float]]  # (x at the top, x at the bottom) of the wires passing by


def _new_row(wires: Ty, xs_in: list[float]) -> _Row:
    n = len(wires)
    return _Row(wires, xs_in, [("p", i) for i in range(n)], [], [("p", i) for i in range(n)])


def _rows(d: Diagram) -> list[_Row]:
    """Group consecutive layers into rows: a layer joins the current row when it reads only wires that
    pass through that row untouched (contiguous ones)."""
    rows: list[_Row] = []
    wires = d.dom
    row: _Row | None = None
    for o, box in d.layers:
        k = len(box.dom)
        if row is None or not _reads_passing(row, o, k):
            row = _new_row(wires, _geometry(row).xs_out if row is not None else [float(j) for j in range(len(wires))])
            rows.append(row)
        _place(row, o, box)
        wires = wires[:o] @ box.cod @ wires[o + k :]
    return rows


def _reads_passing(row: _Row, o: int, k: int) -> bool:
    """Whether the wires ``o .. o + k`` after the row's boxes so far are row inputs passing by, side by side."""
    seg = row.cur[o : o + k]
    if not all(s[0] == "p" for s in seg):
        return False
    return not seg or [s[1] for s in seg] == list(range(seg[0][1], seg[0][1] + k))


def _place(row: _Row, o: int, box: Box) -> None:
    k = len(box.dom)
    seg = row.cur[o : o + k]
    b = len(row.boxes)
    row.boxes.append((box, [s[1] for s in seg]))
    if k:
        at = row.order.index(("p", seg[0][1]))
        row.order[at : at + k] = [("b", b)]
    else:  # a state: right after what makes the wire on its left
        left = row.cur[o - 1] if o else None
        at = 0 if left is None else row.order.index(("p", left[1]) if left[0] == "p" else ("b", left[1])) + 1
        row.order.insert(at, ("b", b))
    row.cur[o : o + k] = [("o", b, j) for j in range(len(box.cod))]


def _geometry(row: _Row) -> _Geometry:
    """x positions, left to right: a wire keeps its x unless something on its left pushes it right; a box
    sits under its first input (or further right, if pushed), one column per port of its wider side."""
    out_of: dict[tuple[str, int], list[float]] = {}
    ports: dict[int, tuple[list[float], list[float], float]] = {}
    passing: list[tuple[float, float]] = []
    cursor = 0.0
    for kind, i in row.order:
        if kind == "p":
            x = max(row.xs_in[i], cursor)
            out_of[("p", i)] = [x]
            passing.append((row.xs_in[i], x))
            cursor = x + 1
            continue
        box, ins = row.boxes[i]
        xs_in = [row.xs_in[a] for a in ins]
        start = max(xs_in[0], cursor) if xs_in else cursor
        xs_out = [start + j for j in range(len(box.cod))]
        out_of[("b", i)] = xs_out
        ports[i] = (xs_in, xs_out, start)
        cursor = start + max(len(box.dom), len(box.cod), 1)
    xs = [out_of[("p", s[1])][0] if s[0] == "p" else out_of[("b", s[1])][s[2]] for s in row.cur]
    return _Geometry(xs, [ports[i] for i in range(len(row.boxes))], passing)


def layout(d: Diagram, x0: float = 0.0, *, height: float | None = None, show_types: bool = True) -> Layout:
    """The shapes of ``d`` drawn from ``x = x0``; with ``height``, rows are stretched to fill it.

    >>> from catkit.diagrams import Box, Copy, Ty
    >>> lay = layout(Box("p", Ty(), Ty("X")) >> Copy(Ty("X")))
    >>> [type(s).__name__ for s in lay.shapes if not isinstance(s, (Line, Label))]
    ['Triangle', 'Dot']
    """
    if not isinstance(d, Diagram):
        raise DiagramTypeError(f"cannot draw {d!r}: not a Diagram")
    rows = _rows(d)
    n = max(1, len(rows))
    H = float(height) if height is not None else float(n)
    step = H / n
    shapes: list[Any] = []
    xs_end = [float(j) for j in range(len(d.dom))]
    width = max(1.0, float(len(d.dom)))
    for i, row in enumerate(rows):
        top, bottom = -i * step, -(i + 1) * step
        mid = (top + bottom) / 2
        geo = _geometry(row)
        shapes += [Line(x0 + a, top, x0 + b, bottom) for a, b in geo.passing]
        for (box, _), (in_x, out_x, start) in zip(row.boxes, geo.ports):
            width = max([width, start + max(len(box.dom), len(box.cod), 1), *(x + 1 for x in in_x)])
            in_x, out_x, start = [x0 + x for x in in_x], [x0 + x for x in out_x], x0 + start
            if isinstance(box, Wiring):
                shapes += _wiring(box, in_x, out_x, top, mid, bottom)
            else:
                shapes += _generator(box, in_x, out_x, start, top, mid, bottom)
        xs_end = geo.xs_out
        width = max([width, *(x + 1 for x in xs_end)])
    if show_types:
        shapes += [Label(x0 + j + 0.08, 0.12, a.name, "type") for j, a in enumerate(d.dom)]
        shapes += [Label(x0 + x + 0.08, -H - 0.12, a.name, "type") for x, a in zip(xs_end, d.cod)]
    if not rows:
        shapes += [Line(x0 + j, 0.0, x0 + j, -H) for j in range(len(d.dom))]
    return Layout(shapes, width, H)


def _wiring(box: Wiring, in_x: list[float], out_x: list[float], top: float, mid: float, bottom: float) -> list[Any]:
    out: list[Any] = []
    for a, xa in enumerate(in_x):
        targets = [out_x[b] for b, src in enumerate(box.wiring) if src == a]
        if len(targets) == 1:
            out.append(Line(xa, top, targets[0], bottom))
            continue
        out += [Line(xa, top, xa, mid), Dot(xa, mid)]
        out += [Line(xa, mid, xb, bottom) for xb in targets]
    return out


def _generator(box: Box, in_x: list[float], out_x: list[float], start: float, top: float, mid: float,
               bottom: float) -> list[Any]:
    k, m = len(in_x), len(out_x)
    ports_in = [start + a for a in range(k)]  # an input pushed right bends into its port
    left, right = start - _HALF, start + max(k, m, 1) - 1 + _HALF
    cx = (left + right) / 2
    if (k == 0) != (m == 0):  # a state or an effect: a triangle
        state = k == 0
        base, apex = (mid - _TRI_H / 2, mid + _TRI_H / 2) if state else (mid + _TRI_H / 2, mid - _TRI_H / 2)
        wires = [Line(x, base, x, bottom) for x in out_x] if state else [Line(x, top, p, base) for x, p in zip(in_x, ports_in)]
        label_y = base + (apex - base) * 0.35
        return [*wires, Triangle(((left, base), (right, base), (cx, apex)), box.name, (cx, label_y))]
    y0, y1 = mid - _BOX_H / 2, mid + _BOX_H / 2
    wires = [Line(x, top, p, y1) for x, p in zip(in_x, ports_in)] + [Line(x, y0, x, bottom) for x in out_x]
    return [*wires, Rect(left, y0, right, y1, box.name)]


def equation_layout(*diagrams: Diagram, symbol: str = "=", show_types: bool = True) -> Layout:
    """Diagrams side by side, separated by ``symbol``, each stretched to the tallest one's height.

    >>> from catkit.diagrams import Copy, Swap, Ty
    >>> X = Ty("X")
    >>> lay = equation_layout(Copy(X) >> Swap(X, X), Copy(X))
    >>> [s.text for s in lay.shapes if isinstance(s, Label) and s.role == "symbol"]
    ['=']
    """
    if not diagrams:
        raise DiagramTypeError("an equation needs at least one diagram")
    height = float(max(max(1, len(_rows(d))) for d in diagrams))
    out = Layout([], 0.0, height)
    x = 0.0
    for i, d in enumerate(diagrams):
        if i:
            out.shapes.append(Label(x - _GAP / 2 - 0.1, -height / 2, symbol, "symbol"))
        lay = layout(d, x, height=height, show_types=show_types)
        out.shapes += lay.shapes
        x += lay.width + _GAP
    out.width = x - _GAP
    return out


# ---------------------------------------------------------------------- matplotlib
_WIRE: dict[str, Any] = {"color": "black", "linewidth": 1.2, "zorder": 1}


def _render(lay: Layout, path: str | Path | None, scale: float, dpi: int) -> Figure:
    fig = Figure(figsize=(scale * (lay.width + 0.6), scale * (lay.height + 1)))
    ax = fig.add_axes((0, 0, 1, 1))
    for s in lay.shapes:
        if isinstance(s, Line):
            ax.plot([s.x0, s.x1], [s.y0, s.y1], **_WIRE)
        elif isinstance(s, Dot):
            ax.plot([s.x], [s.y], "o", color="black", markersize=6, zorder=3)
        elif isinstance(s, Rect):
            ax.add_patch(Rectangle((s.x0, s.y0), s.x1 - s.x0, s.y1 - s.y0, facecolor="white", edgecolor="black",
                                   linewidth=1.2, zorder=2))
            ax.text((s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2, s.label, ha="center", va="center", fontsize=11, zorder=4)
        elif isinstance(s, Triangle):
            ax.add_patch(Polygon(list(s.points), closed=True, facecolor="white", edgecolor="black", linewidth=1.2, zorder=2))
            ax.text(*s.at, s.label, ha="center", va="center", fontsize=10, zorder=4)
        elif s.role == "symbol":
            ax.text(s.x, s.y, s.text, fontsize=16, ha="center", va="center")
        else:
            ax.text(s.x, s.y, s.text, fontsize=9, ha="left", va="bottom" if s.y > 0 else "top", color="#444444")
    ax.set_xlim(-0.8, lay.width - 0.2)
    ax.set_ylim(-lay.height - 0.5, 0.5)
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
    return _render(layout(d, show_types=show_types), path, scale, dpi)


def draw_equation(*diagrams: Diagram, path: str | Path | None = None, symbol: str = "=", scale: float = 0.8,
                  dpi: int = 100, show_types: bool = True) -> Figure:
    """Draw diagrams side by side separated by ``symbol`` (e.g. the two sides of an axiom).

    >>> from catkit.diagrams import Copy, Swap, Ty
    >>> X = Ty("X")
    >>> fig = draw_equation(Copy(X) >> Swap(X, X), Copy(X))
    >>> "=" in [t.get_text() for t in fig.axes[0].texts]
    True
    """
    if not diagrams:
        raise DiagramTypeError("draw_equation needs at least one diagram")
    for d in diagrams:
        if not isinstance(d, Diagram):
            raise DiagramTypeError(f"draw_equation needs Diagrams, got {d!r}")
    return _render(equation_layout(*diagrams, symbol=symbol, show_types=show_types), path, scale, dpi)

"""Drawing: files are produced, non-empty, and a standard diagram matches its golden image."""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.image import imread  # noqa: E402

from catkit.diagrams import Box, Copy, DiagramTypeError, Discard, Swap, Ty  # noqa: E402
from catkit.diagrams.drawing import draw, draw_equation  # noqa: E402

GOLDEN = Path(__file__).parent / "golden" / "standard_diagram.png"
X, Y = Ty("X"), Ty("Y")


def standard_diagram():
    """A state, a copy, a box on one branch, a discard and a swap."""
    f = Box("f", X, Y)
    return Box("p", Ty(), X) >> Copy(X) >> (f @ X) >> (Y @ Copy(X)) >> (Y @ X @ Discard(X)) >> Swap(Y, X)


def _gray(path: Path, block: int = 4) -> np.ndarray:
    img = imread(path)[..., :3].mean(axis=2)
    h, w = (img.shape[0] // block) * block, (img.shape[1] // block) * block
    return img[:h, :w].reshape(h // block, block, w // block, block).mean(axis=(1, 3))


def test_png_and_svg_are_produced(tmp_path):
    d = standard_diagram()
    png, svg = tmp_path / "d.png", tmp_path / "d.svg"
    d.draw(png)
    d.draw(svg)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in svg.read_bytes()
    ink = _gray(png, 1) < 0.5
    assert 0.005 < ink.mean() < 0.3  # something is drawn, and not a black page
    fig = draw_equation(d, d, path=tmp_path / "eq.png", symbol="=")
    assert (tmp_path / "eq.png").stat().st_size > 1000 and fig.axes


def test_black_dots_for_copy_and_discard():
    fig = draw(Copy(X) >> (X @ Discard(X)))
    dots = [ln for ln in fig.axes[0].lines if ln.get_marker() == "o"]
    assert len(dots) == 2  # one where the wire forks, one where a copy ends
    labels = [t.get_text() for t in draw(Box("f", X, Y)).axes[0].texts]
    assert "f" in labels and "X" in labels and "Y" in labels


def test_bad_path_is_named(tmp_path):
    with pytest.raises(DiagramTypeError, match="use a .png, .svg or .pdf path"):
        draw(Box("f", X, Y), tmp_path / "d.gif")


def test_golden_image(tmp_path):
    out = tmp_path / "standard.png"
    draw(standard_diagram(), out, dpi=60)
    if os.environ.get("CATKIT_UPDATE_GOLDEN"):
        GOLDEN.write_bytes(out.read_bytes())
    a, b = _gray(out), _gray(GOLDEN)
    assert a.shape == b.shape, f"image size changed: {a.shape} vs golden {b.shape}"
    diff = np.abs(a - b)
    assert diff.mean() < 0.01 and (diff > 0.25).mean() < 0.01, f"drawing differs from {GOLDEN}: mean {diff.mean():.4f}"


# ---------------------------------------------------------------------- layout: rows, triangles
from hypothesis import given, settings  # noqa: E402

from catkit.diagrams import Id  # noqa: E402
from catkit.diagrams.drawing import Dot, Line, Rect, Triangle, layout  # noqa: E402
from catkit.testing import diagrams  # noqa: E402


def _kinds(d):
    return [type(s).__name__ for s in layout(d).shapes if not isinstance(s, Line) and type(s).__name__ != "Label"]


def test_parallel_boxes_share_a_row():
    f, g = Box("f", X, Y), Box("g", Y, X)
    for d in (f @ g, (f @ Y) >> (Y @ g), (X @ g) >> (f @ X)):
        lay = layout(d)
        rects = [s for s in lay.shapes if isinstance(s, Rect)]
        assert lay.height == 1.0 and len(rects) == 2 and rects[0].y0 == rects[1].y0, d
        assert rects[0].x1 < rects[1].x0 or rects[1].x1 < rects[0].x0  # side by side, not overlapping
    # control: g reads f's output, so they are stacked
    stacked = layout(f >> g)
    assert stacked.height == 2.0 and len({s.y0 for s in stacked.shapes if isinstance(s, Rect)}) == 2


@settings(max_examples=60, database=None)
@given(diagrams(atoms=("X", "Y"), max_layers=8, max_width=4))
def test_boxes_of_a_row_never_overlap(d):
    spans: dict[float, list[tuple[float, float]]] = {}
    for s in layout(d).shapes:
        if isinstance(s, Rect):
            spans.setdefault(round((s.y0 + s.y1) / 2, 6), []).append((s.x0, s.x1))
        elif isinstance(s, Triangle):
            xs, ys = [p[0] for p in s.points], [p[1] for p in s.points]
            spans.setdefault(round((min(ys) + max(ys)) / 2, 6), []).append((min(xs), max(xs)))
    for row in spans.values():
        row.sort()
        assert all(a[1] < b[0] for a, b in zip(row, row[1:])), row


def test_states_and_effects_are_triangles():
    p, e = Box("p", Ty(), X), Box("e", X, Ty())
    (state,) = [s for s in layout(p).shapes if isinstance(s, Triangle)]
    (effect,) = [s for s in layout(e).shapes if isinstance(s, Triangle)]
    apex_s, apex_e = state.points[2][1], effect.points[2][1]
    assert apex_s > state.points[0][1] and apex_e < effect.points[0][1]  # apex up for a state, down for an effect
    assert state.label == "p" and effect.label == "e"
    assert _kinds(Box("f", X, Y)) == ["Rect"] and _kinds(Copy(X) >> (X @ Discard(X))) == ["Dot", "Dot"]
    assert _kinds(Box("p", Ty(), X) @ Box("q", Ty(), Y)) == ["Triangle", "Triangle"]


def test_layout_keeps_every_wire_connected():
    """Every wire end of a row meets a wire of the next row (no dangling segments)."""
    d = standard_diagram()
    lay = layout(d, show_types=False)
    ends = {}
    for s in lay.shapes:
        if isinstance(s, Line):
            for pt in ((s.x0, s.y0), (s.x1, s.y1)):
                ends[pt] = ends.get(pt, 0) + 1
    rows = {round(-y) for (_, y) in ends if float(y).is_integer()}
    inner = [(x, y) for (x, y), n in ends.items() if float(y).is_integer() and 0 < -y < lay.height]
    assert rows and all(ends[pt] >= 2 for pt in inner), sorted(pt for pt in inner if ends[pt] < 2)
    assert layout(Id(X @ Y)).height == 1.0 and sum(isinstance(s, Line) for s in layout(Id(X @ Y)).shapes) == 2
    assert any(isinstance(s, Dot) for s in lay.shapes)

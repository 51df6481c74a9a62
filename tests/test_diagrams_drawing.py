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

"""TikZ export: the same layout as the matplotlib drawing, valid TeX (compiled when pdflatex is installed)."""

import re
import shutil
import subprocess

import pytest

from catkit.diagrams import Box, Copy, DiagramTypeError, Discard, Swap, Ty, to_tikz
from catkit.diagrams.drawing import Dot, Line, Rect, Triangle, equation_layout, layout

X, Y = Ty("X"), Ty("Y")


def sample():
    f, m = Box("f", X, Y), Box("m", X @ Y, Y)
    return (Box("p", Ty(), X) @ Box("q_1", Ty(), X)) >> (Copy(X) @ f) >> (X @ m) >> Swap(X, Y) >> (Y @ Box("e", X, Ty()))


def _coords(tex: str) -> list[tuple[float, float]]:
    return [(float(a), float(b)) for a, b in re.findall(r"\((-?[\d.]+),(-?[\d.]+)\)", tex)]


def test_tikz_draws_every_shape_of_the_layout():
    d = sample()
    shapes = layout(d).shapes
    tex = to_tikz(d)
    assert tex.startswith("\\begin{tikzpicture}") and tex.rstrip().endswith("\\end{tikzpicture}")
    assert tex.count("{") == tex.count("}")
    assert len(re.findall(r"\\draw\[line width=0.8pt\] \(", tex)) == sum(isinstance(s, Line) for s in shapes)
    assert tex.count("rectangle") == sum(isinstance(s, Rect) for s in shapes) == 2
    assert tex.count("-- cycle") == sum(isinstance(s, Triangle) for s in shapes) == 3
    assert tex.count("circle") == sum(isinstance(s, Dot) for s in shapes) == 1
    # the coordinates are the layout's (rounded to 3 decimals)
    line = next(s for s in shapes if isinstance(s, Line))
    assert (round(line.x0, 3), round(line.y0, 3)) in _coords(tex)
    assert "q\\_1" in tex and tex.count("{Y}") == 1  # labels escaped; the codomain written


def test_equations_math_and_errors():
    lhs, rhs = Box("f", X, X) >> Discard(X), Discard(X)
    tex = to_tikz(lhs, rhs, symbol="≠")
    assert "$\\neq$" in tex and len(equation_layout(lhs, rhs).shapes) > len(layout(lhs).shapes)
    assert Box("k_{gen}", X, Y).to_tikz(math=True).count("$k_{gen}$") == 1
    assert Box("k_{gen}", X, Y).to_tikz().count("k\\_\\{gen\\}") == 1
    with pytest.raises(DiagramTypeError, match="at least one diagram"):
        to_tikz()
    with pytest.raises(DiagramTypeError, match="needs Diagrams"):
        to_tikz("f")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_standalone_compiles_with_pdflatex(tmp_path):
    tex = to_tikz(sample(), Box("r", Ty(), Y), symbol="=", standalone=True)
    kpse = subprocess.run(["kpsewhich", "standalone.cls"], capture_output=True, text=True)
    if not kpse.stdout.strip():  # a minimal TeX Live without latex-extra: the same picture in an article
        tex = tex.replace("\\documentclass[tikz, border=4pt]{standalone}", "\\documentclass{article}\n\\usepackage{tikz}")
    (tmp_path / "d.tex").write_text(tex, encoding="utf-8")
    proc = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "d.tex"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert (tmp_path / "d.pdf").read_bytes()[:5] == b"%PDF-"
    # control: broken TeX does not compile
    (tmp_path / "bad.tex").write_text(tex.replace("\\end{tikzpicture}", ""), encoding="utf-8")
    bad = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "bad.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0

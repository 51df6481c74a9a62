"""Draw the pictures of the docs (docs/img/*.png) from code: `python tools/make_doc_images.py`.

The report's figures on docs/paper.md (docs/img/report/) are copied from a `./tasks report` run.

Run it after an intended change of the drawing (tests/golden/ holds the test suite's reference image).
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from catkit.diagrams import Box, Copy, Discard, Swap, Ty, draw_equation  # noqa: E402

IMG = Path(__file__).resolve().parent.parent / "docs" / "img"


def main() -> None:
    X, Y = Ty("X"), Ty("Y")
    f = Box("f", X, Y)
    standard = Box("p", Ty(), X) >> Copy(X) >> (f @ X) >> (Y @ Copy(X)) >> (Y @ X @ Discard(X)) >> Swap(Y, X)
    standard.draw(IMG / "standard_diagram.png")
    draw_equation(f >> Copy(Y), Copy(X) >> (f @ f), symbol="≠", path=IMG / "copy_not_natural.png")
    draw_equation(f >> Discard(Y), Discard(X), path=IMG / "markov_discard.png")
    draw_equation(Box("f", X, Y) @ Box("g", Y, X), (Box("f", X, Y) @ Y) >> (Y @ Box("g", Y, X)),
                  path=IMG / "interchange.png")


if __name__ == "__main__":
    main()

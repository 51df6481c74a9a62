"""Kernel display in notebooks (HTML and LaTeX) and calling a kernel on a tuple of labels."""

from html.parser import HTMLParser

import pytest
import sympy as sp

from catkit import Kernel, Wire
from catkit.objects import ObjError


class _Cells(HTMLParser):
    """Rows of a table as lists of (tag, text, colspan)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, str, int]]] = []
        self._cell: list[str] | None = None
        self._tag, self._span = "", 1

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell, self._tag, self._span = [], tag, int(dict(attrs).get("colspan") or 1)

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append((self._tag, "".join(self._cell), self._span))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _rows(html: str) -> list[list[tuple[str, str, int]]]:
    p = _Cells()
    p.feed(html)
    return p.rows


def test_html_table_has_labels_and_exact_fractions():
    f = Kernel([["1/3", "2/3"], [1, 0]], dom=Wire(["rain", "sun"]), cod=Wire(["wet", "dry"]))
    rows = _rows(f._repr_html_())
    assert [c[1] for c in rows[0][1:]] == ["wet", "dry"]
    assert [[c[1] for c in r] for r in rows[1:]] == [["rain", "1/3", "2/3"], ["sun", "1", "0"]]
    assert all(sum(c[2] for c in r) == 3 for r in rows)  # rectangular


def test_html_escapes_labels_and_truncates_big_kernels():
    f = Kernel.uniform(Wire(40), dom=Wire(["<b>", "a&b", *range(38)]))
    html = f._repr_html_()
    assert "&lt;b&gt;" in html and "a&amp;b" in html and "<b>" not in html
    rows = _rows(html)
    assert len(rows) == 1 + 20 + 1 and "20 more rows" in rows[-1][0][1]
    widths = {sum(c[2] for c in r) for r in rows}
    assert widths == {1 + 12 + 1}  # label, twelve columns, the '…' column
    assert "28 more columns" in rows[0][-1][1]


def test_structural_kernels_display_without_their_matrix():
    c = Kernel.copy(Wire(3**8))  # its matrix would have 6561 × 43M entries
    rows = _rows(c._repr_html_(max_rows=3, max_cols=2))
    assert [[x[1] for x in r[:3]] for r in rows[1:4]] == [["0", "1", "0"], ["1", "0", "0"], ["2", "0", "0"]]
    assert "0,0" in c.table(max_rows=2, max_cols=2)
    assert c._mm is None


def test_latex_is_an_array_with_fractions_and_symbols():
    f = Kernel([["1/3", "2/3"], ["-1/2", "3/2"]], cod=Wire(["a_1", "b"]), model="signed")
    tex = f._repr_latex_()
    assert tex.startswith(r"$\begin{array}{l|cc}") and tex.endswith(r"\end{array}$")
    assert r"\frac{1}{3}" in tex and r"-\frac{1}{2}" in tex and r"\text{a\_1}" in tex
    body = tex[len(r"$\begin{array}{l|cc}"):-len(r"\end{array}$")]
    assert [row.count("&") for row in body.split(r"\\")] == [2, 2, 2]
    p = sp.Symbol("p")
    assert "1 - p" in Kernel.state([p, 1 - p])._repr_latex_()
    big = Kernel.uniform(Wire(30), Wire(30))._repr_latex_()
    assert r"\cdots" in big and r"\vdots" in big and big.count(r"\frac{1}{30}") == 20 * 12


def test_calling_on_a_tuple_without_parentheses():
    f = Kernel.from_function(lambda a, b: (a, b), Wire(["x", "y"]) @ Wire(2), Wire(["x", "y"]) @ Wire(2))
    assert f("y", 1) == f(("y", 1)) == Kernel.point(f.cod, ("y", 1))
    tuples = Kernel.uniform(Wire(2), Wire([(0, 0), (0, 1)]))  # one wire whose elements are tuples
    assert tuples(0, 1) == tuples((0, 1))
    p = Kernel.state(["1/4", "3/4"])
    assert p() == p
    with pytest.raises(ObjError, match="takes one element of"):
        f("y", 1, 0)

"""Write a notebook from a list of (kind, source) cells: `python tools/make_notebook.py spec.py out.ipynb`.

The spec file defines CELLS = [("md", "..."), ("code", "..."), ...]. Notebooks are stored without outputs;
the test suite executes them.
"""

import runpy
import sys

import nbformat


def build(cells: list[tuple[str, str]]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for kind, src in cells:
        src = src.strip("\n")
        nb.cells.append(nbformat.v4.new_markdown_cell(src) if kind == "md" else nbformat.v4.new_code_cell(src))
    return nb


if __name__ == "__main__":
    spec, out = sys.argv[1], sys.argv[2]
    nbformat.write(build(runpy.run_path(spec)["CELLS"]), out)

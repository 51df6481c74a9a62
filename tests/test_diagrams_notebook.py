"""The diagrams notebook executes top to bottom."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NB = ROOT / "notebooks" / "04_string_diagrams_and_proofs.ipynb"


def test_notebook_runs():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NB, as_version=4)
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    text = "".join(o.get("text", "") for o in outputs)
    assert "proved assuming positivity  positivity_product" in text and "broken  " in text
    assert "proved  det_compose" in text and "BROKEN" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the drawings

"""The language-model notebook executes top to bottom (nbclient), with a fresh model cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "05_language_models_as_kernels.ipynb"


def test_notebook_05_executes(tmp_path, monkeypatch):
    monkeypatch.setenv("CATKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PYTHONPATH", f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    resources = {"metadata": {"path": str(NOTEBOOK.parent)}}
    nbclient.NotebookClient(nb, timeout=240, kernel_name="python3", resources=resources).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "encoder >> head == generation: True" in text
    assert "marginal of the joint is the context law: True" in text
    gap = float(text.split("gap to the entropy rate ")[1].split(";")[0])
    assert gap < 0.05

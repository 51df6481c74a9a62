"""Execute every notebook in notebooks/ top to bottom, once each (a failing cell fails the test), and check
what the tours teach: each notebook with its own assertions runs them on the same execution."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _texts(outputs: list) -> str:
    return "".join(o.get("text", "") for o in outputs)


def _images(outputs: list) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs)


def _diagrams_and_proofs(outputs: list) -> None:
    text = _texts(outputs)
    assert "proved assuming positivity  positivity_product" in text and "broken  " in text
    assert "proved  det_compose" in text and "BROKEN" in text
    assert _images(outputs)  # the drawings


def _language_models(outputs: list) -> None:
    text = _texts(outputs)
    assert "encoder >> head == generation: True" in text
    assert "marginal of the joint is the context law: True" in text
    gap = float(text.split("gap to the entropy rate ")[1].split(";")[0])
    assert gap < 0.05  # trained from scratch in this run (a fresh cache)


def _bayesian_network_lecture(outputs: list) -> None:
    text = _texts(outputs)
    assert "P(rain | wet = yes)  = 19/51" in text and "P(rain, wet) / P(wet) = 19/51" in text
    assert "d-separated given {wet}: False  independent: False" in text and "sprinkler = yes) = 5/21" in text
    assert "True True" in text  # the diagram evaluates to the joint, and its marginal to the query
    assert _images(outputs) == 2  # the network and its marginal, drawn


CHECKS: dict[str, Callable[[list], None]] = {
    "04_string_diagrams_and_proofs.ipynb": _diagrams_and_proofs,
    "05_language_models_as_kernels.ipynb": _language_models,
    "07_bayesian_network_lecture.ipynb": _bayesian_network_lecture,
}


def test_every_check_names_a_notebook():
    assert set(CHECKS) <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes(path, monkeypatch, tmp_path):
    # the kernel is a subprocess: make it import this checkout of catkit, with a cache of its own
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("CATKIT_CACHE_DIR", str(tmp_path / "cache"))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert outputs
    if path.name in CHECKS:
        CHECKS[path.name](outputs)

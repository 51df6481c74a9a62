"""The Bayesian-network lecture (notebook 07) executes and teaches the right numbers: the exact posterior,
the same number by Bayes' rule on the joint, explaining away, and the pictures."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NB = ROOT / "notebooks" / "07_bayesian_network_lecture.ipynb"


def test_lecture_runs_and_shows_its_answers(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    nb = nbformat.read(NB, as_version=4)
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "P(rain | wet = yes)  = 19/51" in text and "P(rain, wet) / P(wet) = 19/51" in text
    assert "d-separated given {wet}: False  independent: False" in text and "sprinkler = yes) = 5/21" in text
    assert "True True" in text  # the diagram evaluates to the joint, and its marginal to the query
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2  # the network and its marginal, drawn

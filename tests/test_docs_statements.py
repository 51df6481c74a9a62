"""The docs site: the catalogue page generated from the registry, links into it, notebooks in the nav."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import yaml

from catkit.axioms import MODELS, load_all

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
_spec = importlib.util.spec_from_file_location("mkdocs_statements", ROOT / "tools" / "mkdocs_statements.py")
assert _spec is not None and _spec.loader is not None
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)


def _anchors(md: str) -> list[str]:
    return re.findall(r"\{ #([a-z0-9-]+) \}", md)


def test_every_registered_statement_has_an_entry_with_its_expected_outcomes():
    reg = load_all()
    md = hook.statements_markdown()
    anchors = _anchors(md)
    assert len(anchors) == len(set(anchors))
    for code, s in reg.items():
        assert hook.anchor(code) in anchors, code
        entry = md.split(f"{{ #{hook.anchor(code)} }}", 1)[1].split("\n#", 1)[0]
        lines = entry.splitlines()
        sep = next(i for i, ln in enumerate(lines) if ln.startswith("| --- |"))
        row = [c.strip() for c in lines[sep + 1].strip("|").split("|")]
        expected = ["holds" if s.expected.get(k) else "**fails**" if k in s.expected else "—"
                    for k in MODELS if any(k in t.expected for t in reg.values())]
        assert row == expected, code
        assert f"catkit check --only {code}`" in entry


def test_the_catalogue_follows_the_registry():
    reg = dict(load_all())
    extra = reg.pop("A7")
    without = hook.statements_markdown(reg, MODELS)
    assert hook.anchor("A7") not in _anchors(without) and hook.anchor("A6") in _anchors(without)
    reg["A7"] = extra


def test_the_page_has_the_marker_and_the_hook_fills_it():
    page = (DOCS / "statements.md").read_text(encoding="utf-8")
    assert page.count(hook.MARKER) == 1
    filled = hook.on_page_markdown(page, None, None, None)
    assert hook.MARKER not in filled and "{ #stmt-b5 }" in filled
    assert hook.on_page_markdown("# other", None, None, None) == "# other"


def test_docs_link_into_the_catalogue_not_to_math_md():
    anchors = set(_anchors(hook.statements_markdown()))
    links = 0
    for path in DOCS.rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert "MATH.md" not in text, path
        for target in re.findall(r"statements\.md#([a-z0-9-]+)", text):
            links += 1
            assert target in anchors, (path, target)
    assert links >= 15


def test_site_config_lists_every_notebook_and_has_no_placeholder_url():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "example.invalid" not in text
    config = yaml.load(text, Loader=yaml.BaseLoader)  # no custom tags in this config
    assert "autorefs" in config["plugins"]  # headings (stmt-* anchors) are then cross-reference targets from docstrings
    nav = str(config["nav"])
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        assert f"notebooks/{nb.name}" in nav, nb.name
    assert (DOCS / "notebooks").resolve() == (ROOT / "notebooks").resolve()

"""The distribution: its name, and an installed (non-editable) wheel that works away from the checkout."""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_distribution_name_and_version():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert meta["name"] == "catkit-markov"  # "catkit" on PyPI is an unrelated package
    assert meta["dynamic"] == ["version"] and meta["scripts"] == {"catkit": "catkit.cli:main"}
    install = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    assert "pip install catkit\n" not in install and "pip install catkit " not in install and "catkit-markov" in install


def _setuptools_ok() -> bool:
    if importlib.util.find_spec("setuptools") is None:
        return False
    import setuptools

    return int(setuptools.__version__.split(".")[0]) >= 77


@pytest.mark.skipif(not _setuptools_ok(), reason="building the wheel needs setuptools >= 77 (the [dev] extra has it)")
def test_wheel_carries_the_proofs_and_runs_outside_the_checkout(tmp_path):
    src = tmp_path / "src"  # a copy: building writes build/ and *.egg-info next to the sources
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "catkit", src / "catkit", symlinks=True, ignore=ignore)
    shutil.copytree(ROOT / "proofs", src / "proofs", ignore=ignore)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("catkit_markov-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    proofs = sorted(n for n in names if n.startswith("catkit/_proofs/"))
    assert proofs == sorted(f"catkit/_proofs/{p.name}" for p in (ROOT / "proofs").glob("*.proof")) and proofs
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)  # what an installer puts into site-packages
    script = (
        "import catkit, importlib.metadata as md, sys\n"
        "from catkit.cli import main\n"
        "print(catkit.__file__)\n"
        "print(md.version('catkit-markov') == catkit.__version__)\n"
        "sys.exit(main(['prove']))\n"
    )
    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", script], cwd=run_dir, env=env, capture_output=True, text=True, timeout=300)
    lines = proc.stdout.splitlines()
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert Path(lines[0]).is_relative_to(site)  # the installed copy ran, not the checkout
    assert lines[1] == "True"
    assert ", 0 broken" in lines[-1] and re.match(r"[1-9]\d* theorems: [1-9]\d* proved", lines[-1]), lines[-1]

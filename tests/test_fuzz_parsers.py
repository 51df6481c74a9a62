"""Fuzzing the readers of untrusted input (hypothesis): numbers as text, kernel entries, source specs,
command-line arguments and, through the public ``catkit prove`` command only, proof files.

Each reader may accept or refuse, but it must refuse with catkit's own error (one line and exit status 2
on a command line), never crash, hang or evaluate anything; accepted numbers must be read exactly.
"""

from __future__ import annotations

import json
import string
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catkit import Kernel
from catkit.cli import main
from catkit.errors import CatkitError
from catkit.parse import EntryParseError, parse_rational

NUMBERISH = st.text(alphabet=string.digits + "+-./eE _x" + "\t", max_size=30)
ANY_TEXT = st.text(max_size=60)

_fast = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)


@_fast
@given(st.one_of(NUMBERISH, ANY_TEXT))
def test_parse_rational_reads_exactly_or_refuses(text):
    try:
        v = parse_rational(text)
    except EntryParseError as e:
        assert str(e) and "\n" not in str(e)
        return
    assert isinstance(v, Fraction)
    t = text.strip().replace(" ", "").replace("\t", "")
    # an independent reading of the accepted text: Python's Decimal for decimals, Fraction for p/q
    expected = Fraction(*map(int, t.split("/"))) if "/" in t else Fraction(Decimal(t))
    assert v == expected


@_fast
@given(st.fractions(max_denominator=10**12), st.integers(-(10**30), 10**30), st.integers(-300, 300))
def test_written_rationals_round_trip(x, m, e):
    assert parse_rational(f"{x.numerator}/{x.denominator}") == x
    assert parse_rational(f"{m}e{e}") == m * Fraction(10) ** e
    assert parse_rational(f"{m}.5E{e:+d}") == (m + Fraction(1, 2) * (1 if m >= 0 and not str(m).startswith("-") else -1)) * Fraction(10) ** e


@_fast
@given(st.lists(st.one_of(NUMBERISH, ANY_TEXT, st.integers(-3, 3), st.none()), min_size=1, max_size=4),
       st.sampled_from(["exact", "sympy", "numpy", None]))
def test_kernel_entries_refused_or_read(row, backend):
    try:
        k = Kernel([row], backend=backend)
    except CatkitError as e:
        assert isinstance(e, (ValueError, TypeError)) and str(e)
        return
    assert k.cod.size == len(row)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=True) | st.text(max_size=8) | st.sampled_from(["1/2", "1", "0"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
SPEC_FIELDS = {
    "kind": st.sampled_from(["finite-state", "other"]) | JSON,
    "exact": st.booleans() | JSON,
    "vocab": st.lists(st.sampled_from(["a", "b", "c"]), max_size=3) | JSON,
    "states": st.lists(st.sampled_from(["s", "t"]), max_size=2) | JSON,
    "initial": st.lists(st.sampled_from(["1", "0", "1/2", 0.5, "x"]), max_size=2) | JSON,
    "transitions": JSON,
    "name": st.text(max_size=5) | JSON,
}


@_fast
@given(st.fixed_dictionaries({}, optional=SPEC_FIELDS))
def test_source_specs_refused_or_read(spec):
    from catkit.sources import FiniteStateSource

    try:
        src = FiniteStateSource.from_spec(spec)
    except CatkitError as e:
        assert str(e)
        return
    assert FiniteStateSource.from_spec(src.spec()).spec() == src.spec()


@_fast
@given(st.text(max_size=300))
def test_spec_files_refused_or_read(tmp_path_factory, text):
    from catkit.sources import read_spec

    p = tmp_path_factory.mktemp("spec") / "s.json"
    p.write_text(text)
    try:
        read_spec(p)
    except CatkitError:
        return
    json.loads(text)  # only valid JSON can be accepted


OPTION_VALUES = st.one_of(st.sampled_from(["0", "-1", "nan", "inf", "1e999999999", "", "x", "9" * 5000, "1/0", "--", "cuda", "bogus"]),
                          st.text(max_size=10))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from([
    ["check", "--examples"], ["check", "--only"], ["check", "--model"],
    ["lm", "stats", "--model", "/nonexistent", "--out", "s.json", "--length"],
    ["lm", "evaluate", "--model", "/nonexistent", "--n-seqs"], ["lm", "train", "--device"], ["lm", "train", "--lr"],
    ["lm", "train", "--steps"], ["lm", "evaluate", "--model", "/nonexistent", "--source"], ["report", "--scale"], ["report", "--device"],
]), OPTION_VALUES)
def test_cli_arguments_never_traceback(capsys, tmp_path_factory, monkeypatch, prefix, value):
    """Bad values of every option end in one line and exit 2 before any computation (the model path does not exist,
    so nothing can train)."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
    monkeypatch.setenv("CATKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    argv = [*prefix, value]
    if prefix[0] == "lm" and prefix[1] == "train":
        argv += ["--source", "/nonexistent.json"]  # stops before training whatever the value
    if prefix[0] == "report":
        argv += ["--source", "/nonexistent.json", "--out", str(tmp_path_factory.mktemp("r"))]
    if prefix[0] == "check" and prefix[1] != "--examples":
        argv += ["--examples", "1", "--no-symbolic"]
        if value in ("A1",):
            return
    rc = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if rc != 0:  # a value that happened to be valid (e.g. a real statement code) may run
        assert rc == 2 and len(err.strip().splitlines()) == 1, (argv, err)


# reading only: proof.py belongs to the proofs work, so only "no traceback, a status of 0, 1 or 2" is asserted
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=40), st.sampled_from(["theorem t: x", "qed", "  copy >> discard", "= by", "(" * 200])),
                max_size=6))
def test_proof_files_through_the_cli(capsys, tmp_path_factory, lines):
    p = tmp_path_factory.mktemp("proof") / "f.proof"
    p.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    rc = main(["prove", str(p)])
    err = capsys.readouterr().err
    assert "Traceback" not in err and rc in (0, 1, 2)

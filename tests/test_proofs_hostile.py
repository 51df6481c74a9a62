"""Hostile proof files: each is refused with one clear line naming the file and line (exit 2, no
traceback), or, when it parses, never "proved" unless it follows. Resource cases end quickly."""

import contextlib
import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catkit.proof import EXAMPLE, ProofSyntaxError, check_text, main, parse, semantic_check
from catkit.prover.source import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
HEAD = "theorem t: x\nsource: s\ntypes: X, Y\nboxes: f: X -> Y, g: X -> Y, h: X -> X\n"


def _theorem(body: str) -> str:
    return HEAD + body + "qed\n"


# (name, text, line, message): parse errors at file:line
REFUSED = [
    # ill-typed equations, wherever they are
    ("assume", _theorem("assume bad: f = copy(X)\nshow: f = f\n    f\n  = f  by smc\n"), 5,
     "ill-typed equation 'f = copy(X)': the left side is X → Y, the right side X → X @ X"),
    ("show", _theorem("show: f = copy(X)\n    f\n  = f  by smc\n"), 5, "ill-typed equation"),
    ("have", _theorem("have l: f >> discard(Y) = id(X)\n    f\n  = f  by smc\nshow: f = f\n    f\n  = f  by smc\n"), 5,
     "the left side is X → I, the right side X → X"),
    ("chain line", _theorem("show: f = g\n    f\n  = copy(X)   by markov\n"), 7, "the chain line 'copy(X)' has type X → X @ X"),
    ("composition", _theorem("show: f >> f = f\n"), 5, "ill-typed 'f >> f': cannot compose"),
    ("context", _theorem("assume e: f = g\nshow: f = g\n    f\n  = g  by e in _ >> h\n"), 8, "e does not fit the context '_ >> h'"),
    ("context type", _theorem("assume e: h = id(X)\nshow: h >> f = f\n    h >> f\n  = f  by e in h >> _\n"), 8,
     "e in the context 'h >> _' has type X → X, but the chain is about X → Y"),
    ("predicate", _theorem("assume b: bayes_inverse(f, f, h)\nshow: f = f\n    f\n  = f  by smc\n"), 5,
     "ill-typed 'bayes_inverse(f, f, h)': the prior p must be a state"),
    ("axiom", "axiom a(f: A -> B):\n    then f = copy(A)\n", 2, "ill-typed equation 'f = copy(A)'"),
    ("box type", "theorem t: x\ntypes: X\nboxes: f: X -> Q\n", 3, "unknown name 'Q'"),
    # theories
    ("by markov in cd", _theorem("theory: cd\n").replace("qed\n", "") + "show: f = f\n    f\n  = f  by markov\nqed\n", 8,
     "'by markov' in theorem t, whose theory is cd"),
    ("unknown theory", _theorem("theory: probability\n"), 5, "theory: is one of smc, cd, markov"),
    ("axiom in cd", "theorem t: x\ntheory: cd\ntypes: A, B, C\nboxes: f: A -> B, g: B -> C\nshow: f = f\n    f\n"
     "  = f  by positivity(f, g)\nqed\n", 7, "the axiom positivity is about Markov categories"),
    ("late theory", _theorem("show: f = f\n    f\n  = f  by smc\ntheory: cd\n"), 8, "'theory:' must come before"),
    # axioms
    ("builtin shadowed", "axiom positivity(f: A -> B):\n    then f = f\n", 1, "the axiom 'positivity' is already a built-in axiom"),
    ("axiom twice", "axiom a(f: A -> B):\n    then f = f\naxiom a(f: A -> B):\n    then f = f\n", 3, "already declared at line 1"),
    ("axiom without then", "axiom a(f: A -> B):\n    if f = f\n" + _theorem("show: f = f\n    f\n  = f  by smc\n"), 1, "has no 'then' line"),
    ("axiom arity", "axiom a(f: A -> B):\n    then f = f\n" + _theorem("show: f = f\n    f\n  = f  by a(f, g)\n"), 9,
     "the axiom a takes 1 diagrams, got 2"),
    ("axiom uninstantiated", _theorem("show: f = f\n    f\n  = f  by positivity\n"), 7, "positivity is an axiom: instantiate it"),
    # names and references
    ("unknown fact", _theorem("show: f = f\n    f\n  = f  by nothing\n"), 7, "unknown hypothesis, lemma or axiom 'nothing'"),
    ("self reference", _theorem("have l: f = f\n    f\n  = f  by l\nshow: f = f\n    f\n  = f  by smc\n"), 7, "l cannot be used inside its own proof"),
    ("forward reference", _theorem("have a: f = f\n    f\n  = f  by b\nhave b: f = f\n    f\n  = f  by smc\nshow: f = f\n    f\n  = f  by a\n"), 7,
     "unknown hypothesis, lemma or axiom 'b'"),
    ("late hypothesis", _theorem("show: f = f\n    f\n  = f  by smc\nassume e: f = g\n"), 8, "hypotheses ('assume') come before"),
    ("reserved box", "theorem t: x\ntypes: X\nboxes: copy: X -> X\n", 3, "the name 'copy' is already taken"),
    ("no proof", _theorem("show: f = f\n"), 5, "show conclusion has no proof"),
    ("no step", _theorem("show: f = f\n    f\n"), 6, "the chain of conclusion has no step"),
    ("two shows", _theorem("show: f = f\n    f\n  = f  by smc\nshow: g = g\n"), 8, "has a 'show' after its 'show'"),
    # literal arguments only
    ("arity expression", _theorem("show: copy(X, 0+1) = copy(X)\n"), 5, "unexpected character '+' at column 10"),
    ("arity name", _theorem("show: copy(X, n) = copy(X)\n"), 5, "unknown name 'n'"),
    ("arity diagram", _theorem("show: copy(X, f) = copy(X)\n"), 5, "copy's arity must be an integer literal, got the diagram 'f'"),
    ("arity zero", _theorem("show: copy(X, 0) = discard(X)\n"), 5, "copy's arity must be between 1 and 8, got 0"),
    ("arity huge", _theorem("show: copy(X, 100000000) = copy(X)\n"), 5, "the number 100000000 is far too large"),
    ("arity big", _theorem("show: copy(X, 99) = copy(X)\n"), 5, "copy's arity must be between 1 and 8, got 99"),
    ("arity float", _theorem("show: copy(X, 2.0) = copy(X)\n"), 5, "unexpected character '.'"),
    ("arity negative", _theorem("show: copy(X, -1) = copy(X)\n"), 5, "unexpected character '-'"),
    ("leading zero", _theorem("show: copy(X, 02) = copy(X)\n"), 5, "without leading zeros"),
    ("junk permutation", _theorem("show: permutation(X @ Y, [1, 0, foo]) = swap(X, Y)\n"), 5, "a list holds integer literals only, got 'foo'"),
    ("short permutation", _theorem("show: permutation(X @ Y, [0]) = id(X @ Y)\n"), 5, "[0] is not a permutation of the 2 wires of X @ Y"),
    ("repeated permutation", _theorem("show: permutation(X @ Y, [0, 0]) = id(X @ Y)\n"), 5, "is not a permutation"),
    ("permutation not a list", _theorem("show: permutation(X @ Y, 1) = id(X @ Y)\n"), 5, "must be a list of integer literals"),
    ("a number as a diagram", _theorem("show: f >> 3 = f\n"), 5, "the number 3 is not a diagram"),
    ("unknown function", _theorem("show: eval(f) = f\n"), 5, "eval(...) is not a function"),
    ("keyword argument", _theorem("show: copy(X, n=2) = copy(X)\n"), 5, "expected an equation 'lhs = rhs'"),
    ("attribute", _theorem("show: f.__class__ = f\n"), 5, "unexpected character '.'"),
    ("string", _theorem("show: copy('X') = copy(X)\n"), 5, "unexpected character"),
    ("underscore name", _theorem("show: __import__ = f\n"), 5, "names start with a letter"),
    ("hole outside context", _theorem("show: _ = f\n"), 5, "the hole _ may only appear in a context"),
    ("two holes", _theorem("assume e: h = h\nshow: h = h\n    h\n  = h  by e in _ >> _\n"), 8, "exactly once"),
    # structure
    ("empty", "", 1, "the file has no theorem"),
    ("comments only", "# nothing here\n\n   # indented comment\n", 1, "the file has no theorem"),
    ("axioms only", "axiom a(f: A -> B):\n    then f = f\n", 1, "the file has no theorem"),
    ("unclosed", _theorem("show: f = f\n    f\n  = f  by smc\n").replace("qed\n", ""), 1, "theorem t is not closed with 'qed'"),
    ("unbalanced", _theorem("show: (f = f\n"), 5, "cannot read '(f'"),
    ("control character", _theorem("show: f = f\x07\n"), 5, "control character U+0007"),
]


@pytest.mark.parametrize("name, text, line, message", REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_with_file_and_line(name, text, line, message):
    with pytest.raises(ProofSyntaxError) as e:
        check_text(text, "bad.proof")
    assert e.value.line == line and message in e.value.message, str(e.value)
    assert str(e.value).startswith(f"bad.proof:{line}: ") and "\n" not in str(e.value)


def test_a_wrong_theory_is_broken_not_proved():
    """By cd, f >> discard(Y) = discard(X) is false: the chain cannot reach the statement in theory cd."""
    text = ("theorem t: x\ntheory: cd\ntypes: X, Y\nboxes: f: X -> Y\nshow: f >> discard(Y) = discard(X)\n"
            "    f >> discard(Y)\n  = f >> discard(Y)   by cd\nqed\n")
    assert check_text(text)[0].status == "broken"


def test_silent_axioms_are_not_silent(tmp_path, capsys):
    p = tmp_path / "a.proof"
    p.write_text("axiom alldet(f: A -> B):\n    then deterministic(f)\n" + _theorem(
        "show: deterministic(f)\n    f >> copy(Y)\n  = copy(X) >> (f @ f)   by alldet(f)\n"))
    assert main([str(p)]) == 0
    assert "proved assuming alldet  t:" in capsys.readouterr().out
    assert main(["--strict", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{p}:1: --strict refuses the file-local axiom 'alldet'" in err


# ---------------------------------------------------------------------- resources
def _cli(tmp_path, name: str, data: bytes, *args: str) -> tuple[int, str, str]:
    p = tmp_path / name
    p.write_bytes(data)
    return _run([*args, str(p)])


def _run(args: list[str], timeout: float = 120, process: bool = False) -> tuple[int, str, str]:
    """``catkit prove ARGS``: in this process (fast), or as the real console command (``process``)."""
    if not process:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(args)
        return rc, out.getvalue(), err.getvalue()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])}
    r = subprocess.run([sys.executable, "-m", "catkit", "prove", *args], capture_output=True, text=True, timeout=timeout,
                       env=env, cwd=ROOT)
    return r.returncode, r.stdout, r.stderr


def _assert_clean_refusal(rc: int, err: str, where: str) -> None:
    assert rc == 2 and "Traceback" not in err and err.count("\n") == 1 and where in err, err


def test_a_fifty_thousand_term_chain_is_refused_without_recursion(tmp_path):
    chain = " >> ".join(["h"] * 50_000)
    (tmp_path / "long.proof").write_text(_theorem(f"show: {chain} = h\n"))
    rc, _, err = _run([str(tmp_path / "long.proof")], process=True)  # the real command: no traceback on stderr
    _assert_clean_refusal(rc, err, "long.proof:5: the line has")


def test_term_and_depth_bounds_within_a_line():
    with pytest.raises(ProofSyntaxError, match="more than 1000 terms"):
        parse(_theorem("show: " + ">>".join(["h"] * 1200) + " = h\n"))
    with pytest.raises(ProofSyntaxError, match="nested more than 64 deep"):
        parse(_theorem("show: " + "(" * 200 + "h" + ")" * 200 + " = h\n"))


def test_a_long_valid_chain_checks_quickly():
    n = 600
    chain = ">>".join(["h"] * n)
    text = _theorem(f"show: {chain} = {chain}\n    {chain}\n  = {chain}   by smc\n")
    (r,) = check_text(text)
    assert r.ok and len(r.theorem.conclusion.lhs.layers) == n


def test_huge_files_and_long_chains_are_refused(tmp_path):
    rc, _, err = _cli(tmp_path, "big.proof", b"# " + b"x" * 100 + b"\n" * (MAX_FILE_BYTES // 50))
    _assert_clean_refusal(rc, err, "big.proof:1: the file has")
    steps = "".join("  = h   by smc\n" for _ in range(600))
    with pytest.raises(ProofSyntaxError, match="more than 500 lines"):
        parse(_theorem("show: h = h\n    h\n" + steps))


# ---------------------------------------------------------------------- encodings and file kinds
@pytest.mark.parametrize("data, where", [
    (EXAMPLE.encode().replace(b"closed", b"clos\xe9d"), "bad.proof:1: the file is not valid UTF-8 (byte 0xe9 at column 54)"),
    (EXAMPLE.encode("utf-16"), "bad.proof:1: the file is not valid UTF-8 (byte 0xff"),
    (EXAMPLE.encode().replace(b"types: X, Y, Z", b"types: X, Y, Z\x00"), "bad.proof:3: control character U+0000"),
])
def test_bad_encodings(tmp_path, data, where):
    rc, _, err = _cli(tmp_path, "bad.proof", data)
    _assert_clean_refusal(rc, err, where)


def test_a_byte_order_mark_is_accepted(tmp_path, capsys):
    p = tmp_path / "bom.proof"
    p.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.encode())
    assert main([str(p)]) == 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_without_opening_it(tmp_path):
    (tmp_path / "a.proof").write_text(EXAMPLE)
    os.mkfifo(tmp_path / "pipe.proof")
    rc, _, err = _run([str(tmp_path)], timeout=60, process=True)  # blocking on the FIFO would time out here
    _assert_clean_refusal(rc, err, "pipe.proof:1: not a regular file (a FIFO): refused without opening it")
    # in-process too, guarded by a thread so a regression cannot hang the suite
    out: list[int] = []
    t = threading.Thread(target=lambda: out.append(main([str(tmp_path / "pipe.proof")])), daemon=True)
    t.start()
    t.join(30)
    assert out == [2]


def test_directories_devices_missing_and_empty_inputs(tmp_path):
    (tmp_path / "dir.proof").mkdir()
    rc, _, err = _run([str(tmp_path)])
    _assert_clean_refusal(rc, err, "dir.proof:1: not a regular file (a directory)")
    empty = tmp_path / "empty"
    empty.mkdir()
    rc, _, err = _run([str(empty)])
    _assert_clean_refusal(rc, err, "no *.proof files in this directory")
    rc, _, err = _run([str(tmp_path / "missing.proof")])
    _assert_clean_refusal(rc, err, "missing.proof:1: no such proof file or directory")
    rc, _, err = _cli(tmp_path, "e.proof", b"")
    _assert_clean_refusal(rc, err, "e.proof:1: the file has no theorem")
    if os.path.exists("/dev/zero"):
        (tmp_path / "z").mkdir()
        os.symlink("/dev/zero", tmp_path / "z" / "zero.proof")
        rc, _, err = _run([str(tmp_path / "z")])
        _assert_clean_refusal(rc, err, "not a regular file (a character device)")


def test_bad_options_end_in_one_line(tmp_path):
    rc, _, err = _run(["--samples", "0", str(ROOT / "proofs" / "markov.proof")])
    _assert_clean_refusal(rc, err, "--samples must be between 1 and 1000")
    rc, _, err = _run(["--only", "nope", str(ROOT / "proofs" / "markov.proof")])
    _assert_clean_refusal(rc, err, "no theorem named 'nope'")


# ---------------------------------------------------------------------- fuzz
_PIECES = ["theorem t: x\n", "types: X, Y\n", "boxes: f: X -> Y, h: X -> X\n", "theory: cd\n", "assume e: f = f\n",
           "assume d: deterministic(h)\n", "show: ", "have l: ", "    ", "  = ", " by ", "smc", "markov", "e", "l", " in ",
           "_", "f", "h", "copy(X)", "copy(X, 3)", "discard(Y)", "swap(X, Y)", "permutation(X @ Y, [1, 0])", " >> ",
           " @ ", "(", ")", " = ", "qed\n", "\n", "axiom a(f: A -> B):\n", "    then f = f\n", "positivity(h, h)", "#",
           "[", "]", ",", "0", "7", "\t", "é", "\x00", "I", "id(X)"]


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_fuzzed_texts_parse_or_fail_with_a_proof_syntax_error(pieces):
    text = "".join(pieces)
    try:
        results = check_text(text, "fuzz.proof")
    except ProofSyntaxError as e:
        assert str(e).startswith("fuzz.proof:") and "\n" not in str(e)
        return
    for r in results:
        assert r.status in ("proved", "broken")
        rep = semantic_check(r.theorem, samples=1, tries=2)  # models of whatever parsed: no crash
        if r.ok and not r.theorem.axioms:
            assert not rep.failures

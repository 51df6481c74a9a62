"""``catkit check --module user.py``: a user's own statements, checked like catkit's; bad modules exit 2."""

import textwrap

import pytest

from catkit.cli import main

USER = textwrap.dedent('''
    from catkit import Kernel, Wire
    from catkit.axioms import Statement
    from catkit.structure import conditional, recombine

    def right_unit(gen):
        X, Y = gen.obj("X"), gen.obj("Y")
        f = gen.kernel(X, Y, "f")
        return [("f >> id = f", f >> Kernel.id(Y), f)]

    def copy_natural(gen):
        X, Y = gen.obj("X"), gen.obj("Y")
        f = gen.kernel(X, Y, "f")
        return [("f >> copy = copy >> (f @ f)", f >> Kernel.copy(Y), Kernel.copy(X) >> (f @ f))]

    def disintegrate(gen):
        p = gen.kernel((), Wire(2) @ Wire(2), "p")
        m = p.marginal(0)
        return [("p = p_X then p|X", p, recombine(m, conditional(p, [0]), [0]))]

    def disintegrate_formula(gen):
        p = gen.kernel((), Wire(2) @ Wire(2), "p")
        return [("p = p_X then p|X", p, recombine(p.marginal(0), conditional(p, [0], strict=False), [0]))]

    STATEMENTS = [
        Statement("U1", "right unit", "f >> id = f", "mine", right_unit, kind="theorem",
                  expected={"finstoch": True, "signed": True}, symbolic_sizes=((2, 3),)),
        Statement("U2", "copy is natural", "f >> copy = copy >> (f @ f)", "mine", copy_natural, kind="non-theorem",
                  expected={"finstoch": False, "finset": True}),
        Statement("U3", "disintegration", "p = p_X then p|X", "mine", disintegrate, kind="theorem",
                  expected={"finstoch": True, "signed": True}),
        Statement("U4", "disintegration formula", "p = p_X then p|X", "mine", disintegrate_formula, kind="theorem",
                  expected={"finstoch": True, "signed": False}),
    ]
''')


@pytest.fixture()
def user_module(tmp_path):
    path = tmp_path / "user.py"
    path.write_text(USER, encoding="utf-8")
    return path


def test_user_statements_are_checked(user_module, capsys):
    code = main(["check", "--module", str(user_module), "--model", "finstoch", "--model", "finset", "--examples", "30"])
    out = capsys.readouterr().out
    assert code == 0, out
    table = out.split("\n\n")[0]
    rows = {line.split()[0]: line for line in table.splitlines() if line[:2] in ("U1", "U2", "U3", "U4")}
    assert set(rows) == {"U1", "U2", "U3", "U4"}
    assert "holds (30)" in rows["U1"] and "proved (2×3)" in rows["U1"]
    assert "fails (as expected)" in rows["U2"] and "A1 " not in out  # only the user's statements


def test_no_conditional_is_reported_as_what_it_is(user_module, capsys):
    code = main(["check", "--module", str(user_module), "--only", "U3", "--model", "signed", "--examples", "50", "--no-symbolic"])
    out = capsys.readouterr().out
    assert code == 1  # expected to hold on signed FinStoch, and it does not as written
    assert "U3 fails on signed FinStoch: equation 'a conditional exists'" in out
    assert "NoConditionalError" in out and "strict=False" in out and "p = Kernel(" in out
    assert "ERROR" not in out
    # control: with strict=False the formula itself is checked, and its counterexample is an equation
    assert main(["check", "--module", str(user_module), "--only", "U4", "--model", "signed", "--examples", "50",
                 "--no-symbolic"]) == 0
    out = capsys.readouterr().out
    assert "U4 fails on signed FinStoch: equation 'p = p_X then p|X'" in out and "NoConditionalError" not in out


def test_only_filters_within_the_module(user_module, capsys):
    assert main(["check", "--module", str(user_module), "--only", "U1", "--model", "finstoch", "--no-symbolic",
                 "--examples", "5"]) == 0
    assert "U2" not in capsys.readouterr().out
    assert main(["check", "--module", str(user_module), "--only", "A1"]) == 2
    assert "unknown statement code(s) 'A1'; choose from U1, U2, U3, U4" in capsys.readouterr().err


@pytest.mark.parametrize("source, message", [
    (None, "no such file"),
    ("x = (", "failed to load (line 1): SyntaxError"),
    ("import catkit\n\nraise RuntimeError('boom')\n", "failed to load (line 3): RuntimeError: boom"),
    ("x = 1\n", "defines no statements"),
    ("STATEMENTS = [1]\n", "STATEMENTS in"),
])
def test_bad_modules_exit_2_with_one_line(tmp_path, capsys, source, message):
    path = tmp_path / "bad.py"
    if source is not None:
        path.write_text(source, encoding="utf-8")
    assert main(["check", "--module", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("catkit check: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_not_a_python_file(tmp_path, capsys):
    path = tmp_path / "user.txt"
    path.write_text("x = 1", encoding="utf-8")
    assert main(["check", "--module", str(path)]) == 2
    assert "is not a Python file" in capsys.readouterr().err

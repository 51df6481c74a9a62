"""Writing the report folder: Markdown, HTML, JSON and the figures' index.

>>> from catkit.paper.result import ClaimResult
>>> rs = [ClaimResult(3, "exact", "NLL decomposition", "holds", "CE = KL + H", {"CE": 1.5}, margin=0.0)]
>>> print(claims_table(rs).splitlines()[4])
| 3 | NLL decomposition | v2, Thm 5.1 | holds | — | holds |
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from catkit.paper.claims import CLAIMS, PAPER
from catkit.paper.html import markdown_page, md_escape
from catkit.paper.result import ClaimResult

__all__ = ["claims_table", "details_markdown", "controls_summary", "write_report", "overall_verdict"]


def overall_verdict(results: Sequence[ClaimResult]) -> str:
    """One verdict for a claim from its checks: fails if any check fails, holds if all hold.

    >>> from catkit.paper.result import ClaimResult as R
    >>> overall_verdict([R(1, "exact", "a", "holds", ""), R(1, "lm", "b", "inconclusive", "")])
    'inconclusive'
    """
    verdicts = {r.verdict for r in results}
    if not verdicts:
        return "—"
    if "fails" in verdicts:
        return "fails"
    if verdicts == {"holds"}:
        return "holds"
    return "inconclusive"


def _mode_cell(results: Sequence[ClaimResult]) -> str:
    if not results:
        return "—"
    v = overall_verdict(results)
    n_fail = sum(r.verdict == "fails" for r in results)
    return v if len(results) == 1 or v == "holds" else f"{v} ({n_fail} of {len(results)} checks fail)" if n_fail else v


def claims_table(results: Sequence[ClaimResult]) -> str:
    """The summary table: claim, source, exact result, LM result, verdict.

    One row per claim of the paper; a failing check in either mode makes the claim fail:

    >>> rs = [ClaimResult(3, "exact", "decomposition", "holds", "CE = KL + H"), ClaimResult(3, "lm", "loss", "fails", "loss ≈ CE")]
    >>> lines = claims_table(rs).splitlines()
    >>> len(lines), lines[4]
    (14, '| 3 | NLL decomposition | v2, Thm 5.1 | holds | fails | fails |')
    """
    lines = ["| claim | title | source | exact | LM | verdict |", "| --- | --- | --- | --- | --- | --- |"]
    for n, c in CLAIMS.items():
        mine = [r for r in results if r.claim == n]
        ex = [r for r in mine if r.mode == "exact"]
        lm = [r for r in mine if r.mode == "lm"]
        lines.append(f"| {n} | {md_escape(c.title)} | {md_escape(c.source)} | {_mode_cell(ex)} | {_mode_cell(lm)} | {overall_verdict(mine)} |")
    return "\n".join(lines)


def details_markdown(results: Sequence[ClaimResult]) -> str:
    """Every check with its verdict, what it was expected to conclude, how it was decided, its control and the
    control's outcome, its relation, margin and error bar, claim by claim.

    >>> r = ClaimResult(3, "exact", "decomposition", "holds", "CE = KL + H", {"CE": 1.5}, margin=0.0, expected="holds",
    ...                 decided_by="exact", control="KL reversed", control_verdict="fails")
    >>> md = details_markdown([r])
    >>> md.count("_not checked in this run_"), [ln for ln in md.splitlines() if ln.startswith(("| exact", "- "))]
    (11, ['| exact | decomposition | **holds** | holds | exact | KL reversed: fails ✓ | CE = KL + H | 0 |  |', '- *exact, decomposition*: CE = 1.5'])
    >>> note_only = ClaimResult(4, "lm", "check", "inconclusive", "a ≤ b", note="no checkpoints")
    >>> [ln for ln in details_markdown([note_only]).splitlines() if ln.startswith("- ")]
    ['- *lm, check*: no checkpoints']
    """
    out = []
    for n, c in CLAIMS.items():
        mine = [r for r in results if r.claim == n]
        out.append(f"### Claim {n}: {c.title} ({c.source})\n\n> {c.statement}\n")
        if not mine:
            out.append("_not checked in this run_\n")
            continue
        out.append("| mode | check | verdict | expected | decided by | control | relation | margin | error bar |\n"
                   "| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for r in mine:
            cells = [md_escape(x) for x in r.row()]
            out.append(f"| {cells[1]} | {cells[3]} | **{cells[2]}** | {md_escape(r.expected or '—')} | {md_escape(r.decided_by)} | "
                       f"{md_escape(r.control_cell())} | {cells[4]} | {cells[5]} | {cells[6]} |")
        out.append("")
        for r in mine:
            if r.quantities or r.note:
                q = ", ".join(f"{md_escape(k, cell=False)} = {md_escape(_short(v), cell=False)}" for k, v in r.quantities.items())
                out.append(f"- *{r.mode}, {md_escape(r.check, cell=False)}*: " + ". ".join(x for x in (q, md_escape(r.note, cell=False)) if x))
        out.append("")
    return "\n".join(out)


def controls_summary(results: Sequence[ClaimResult]) -> str:
    """One line: how many checks ran a control, and how many controls concluded as they must.

    >>> controls_summary([ClaimResult(1, "exact", "c", "holds", "", control="noise", control_verdict="fails"),
    ...                   ClaimResult(1, "exact", "i", "holds", "", evidence=False)])
    '1 of 1 controls concluded as they must (1 identity shown without one).'
    """
    ran = [r for r in results if r.control_verdict is not None]
    ok = sum(bool(r.control_as_expected) for r in ran)
    ident = sum(not r.evidence for r in results)
    bad = [f"claim {r.claim} ({r.mode}): {r.check}" for r in ran if r.control_defect]
    unsure = len(ran) - ok - len(bad)
    line = f"{ok} of {len(ran)} controls concluded as they must ({ident} identit{'y' if ident == 1 else 'ies'} shown without one)."
    if unsure:
        line += f" {unsure} inconclusive."
    return line + (" Defective checks (their control holds): " + "; ".join(bad) + "." if bad else "")


def _short(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    s = str(v)
    return s if len(s) <= 80 else s[:77] + "..."


def write_report(out: Path, results: Sequence[ClaimResult], figures: dict[str, str], header: str, findings: Sequence[str]) -> Path:
    """Write report.md, report.html and results.json into ``out`` (figures are already there).

    ``figures`` maps a caption to a file name relative to ``out``.

    >>> import json, tempfile
    >>> rs = [ClaimResult(7, "exact", "the constant", "fails", "d² ≤ ½ KL", finding=True)]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     md = write_report(Path(d), rs, {}, "a header", ["Claim 7: C = 1/2 is too small"])
    ...     files = sorted(p.name for p in Path(d).iterdir())
    ...     text = md.read_text(encoding="utf-8")
    ...     saved = json.loads((Path(d) / "results.json").read_text(encoding="utf-8"))
    >>> files, md.name
    (['report.html', 'report.md', 'results.json'], 'report.md')
    >>> "- Claim 7: C = 1/2 is too small" in text, [(r["claim"], r["verdict"], r["finding"]) for r in saved]
    (True, [(7, 'fails', True)])
    """
    out.mkdir(parents=True, exist_ok=True)
    md = [f"# catkit report: {PAPER}\n", header, "\n## Claims\n", claims_table(results), "", controls_summary(results), ""]
    if findings:
        md += ["\n## Findings: where the paper is wrong or imprecise\n"] + [f"- {f}" for f in findings] + [""]
    if figures:
        md.append("\n## Figures\n")
        for caption, name in figures.items():
            md += [f"![{caption}]({name})", f"*{caption}*", ""]
    md += ["\n## Details\n", details_markdown(results)]
    text = "\n".join(md)
    (out / "report.md").write_text(text, encoding="utf-8")
    (out / "report.html").write_text(markdown_page(text, base=out), encoding="utf-8")
    (out / "results.json").write_text(json.dumps([r.to_json() for r in results], indent=1), encoding="utf-8")
    return out / "report.md"

"""The proof checker behind ``catkit prove`` (see ``docs/proofs.md``).

* :mod:`.language` — the proof language and its parser (type-checks everything at parse time);
* :mod:`.expr` — diagram expressions, read iteratively without ``eval``;
* :mod:`.source` — reading untrusted files (regular files only, size bounds, strict UTF-8);
* :mod:`.check` — the checker, and what each theorem rests on;
* :mod:`.semantic` — evaluation on random exact models and counter-models;
* :mod:`.draw` — pictures of statements;
* :mod:`.cli` — ``catkit prove``.

>>> from catkit.prover import load_proofs
>>> t = load_proofs()["det_compose"]
>>> print(t.statement)
det_compose [cd]: for all f: X → Y, g: Y → Z,
  if det_f: deterministic(f)
 and det_g: deterministic(g)
  then deterministic(f >> g)
"""

from catkit.prover.check import StepResult, TheoremResult, Uses, check_theorem, equal_in
from catkit.prover.cli import SHIPPED_PROOFS, check_paths, check_text, load_files, load_proofs, main, report, summary
from catkit.prover.draw import draw_statement
from catkit.prover.errors import ProofSyntaxError
from catkit.prover.language import (
    BUILTIN,
    EXAMPLE,
    PREDICATES,
    Claim,
    Equation,
    Justification,
    ProofFile,
    Schema,
    Step,
    Theorem,
    TheoremStatement,
    load,
    parse,
)
from catkit.prover.semantic import Evaluation, Model, Need, SemanticReport, construct_model, evaluate, semantic_check

__all__ = [
    "BUILTIN",
    "EXAMPLE",
    "PREDICATES",
    "SHIPPED_PROOFS",
    "Claim",
    "Equation",
    "Evaluation",
    "Justification",
    "Model",
    "Need",
    "ProofFile",
    "ProofSyntaxError",
    "Schema",
    "SemanticReport",
    "Step",
    "StepResult",
    "Theorem",
    "TheoremResult",
    "TheoremStatement",
    "Uses",
    "check_paths",
    "check_text",
    "check_theorem",
    "construct_model",
    "draw_statement",
    "equal_in",
    "evaluate",
    "load",
    "load_files",
    "load_proofs",
    "main",
    "parse",
    "report",
    "semantic_check",
    "summary",
]

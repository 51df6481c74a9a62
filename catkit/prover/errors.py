"""The one error a malformed proof file raises (its message starts with ``file:line:``)."""

from __future__ import annotations

from catkit.errors import CatkitError

__all__ = ["ProofSyntaxError"]


class ProofSyntaxError(CatkitError, ValueError):
    """A malformed proof file: the message starts with ``file:line:`` and is one line.

    ``catkit prove`` prints it and exits with status 2.

    >>> e = ProofSyntaxError("bad.proof", 3, "unknown name 'Q'")
    >>> str(e), e.line
    ("bad.proof:3: unknown name 'Q'", 3)
    """

    def __init__(self, file: str, line: int, message: str) -> None:
        message = " ".join(message.split())  # one line, whatever the cause said
        super().__init__(f"{file}:{line}: {message}")
        self.file, self.line, self.message = file, line, message

"""Reading proof files without trusting them: regular files only, a size bound, strict UTF-8.

A FIFO, a device or a directory named ``*.proof`` is refused before it is opened (opening a
FIFO blocks); the file is opened non-blocking and checked again on the open descriptor, so a
file swapped for a FIFO in between is refused too.  Invalid UTF-8, NUL and other control
characters are reported with the line they are on.

>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> p = os.path.join(d, "x.proof")
>>> _ = open(p, "wb").write(b"theorem t: caf\\xe9\\n")
>>> read_source(p)
Traceback (most recent call last):
...
catkit.prover.errors.ProofSyntaxError: .../x.proof:1: the file is not valid UTF-8 (byte 0xe9 at column 15)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from catkit.prover.errors import ProofSyntaxError

__all__ = ["MAX_FILE_BYTES", "MAX_LINE_CHARS", "read_source", "check_text_limits", "proof_files"]

#: the largest proof file read (the shipped library is about 40 KB)
MAX_FILE_BYTES = 1 << 20
#: the longest line accepted
MAX_LINE_CHARS = 4000

_KINDS = [(stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")]


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def read_source(path: str | Path) -> str:
    """The text of a proof file, or a :class:`ProofSyntaxError` naming what is wrong with it.

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> fifo = os.path.join(d, "pipe.proof")
    >>> os.mkfifo(fifo)
    >>> try:
    ...     read_source(fifo)
    ... except ProofSyntaxError as e:
    ...     print(e.message)
    not a regular file (a FIFO): refused without opening it
    """
    name = str(path)
    try:
        st = os.stat(name)
    except OSError as e:
        raise ProofSyntaxError(name, 1, f"cannot read the file: {e.strerror or e}") from None
    if not stat.S_ISREG(st.st_mode):
        raise ProofSyntaxError(name, 1, f"not a regular file ({_kind(st.st_mode)}): refused without opening it")
    if st.st_size > MAX_FILE_BYTES:
        raise ProofSyntaxError(name, 1, f"the file has {st.st_size} bytes; proof files are limited to {MAX_FILE_BYTES}")
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise ProofSyntaxError(name, 1, f"cannot open the file: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped for something else since the first look
            raise ProofSyntaxError(name, 1, f"not a regular file ({_kind(st.st_mode)})")
        chunks, total = [], 0
        while True:
            b = os.read(fd, 1 << 16)
            if not b:
                break
            total += len(b)
            if total > MAX_FILE_BYTES:
                raise ProofSyntaxError(name, 1, f"the file has more than {MAX_FILE_BYTES} bytes; proof files are limited to that")
            chunks.append(b)
    except OSError as e:
        raise ProofSyntaxError(name, 1, f"cannot read the file: {e.strerror or e}") from None
    finally:
        os.close(fd)
    return decode(b"".join(chunks), name)


def decode(data: bytes, name: str = "<proof>") -> str:
    """Strict UTF-8 (a leading byte-order mark is dropped); errors give the line and column.

    >>> decode(b"a\\nb\\x00", "x.proof")
    Traceback (most recent call last):
    ...
    catkit.prover.errors.ProofSyntaxError: x.proof:2: control character U+0000 at column 2 (proof files are text)
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise ProofSyntaxError(name, line, f"the file is not valid UTF-8 (byte 0x{data[e.start]:02x} at column {col})") from None
    check_text_limits(text, name)
    return text


def check_text_limits(text: str, name: str = "<proof>") -> None:
    """Refuse control characters (other than tab and line ends) and over-long lines.

    >>> check_text_limits("x" * 5000, "x.proof")
    Traceback (most recent call last):
    ...
    catkit.prover.errors.ProofSyntaxError: x.proof:1: the line has 5000 characters; lines are limited to 4000
    """
    for lineno, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise ProofSyntaxError(name, lineno, f"the line has {len(line)} characters; lines are limited to {MAX_LINE_CHARS}")
        for col, ch in enumerate(line, 1):
            if (ord(ch) < 32 and ch not in "\t\r") or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029\ufeff":
                raise ProofSyntaxError(name, lineno, f"control character U+{ord(ch):04X} at column {col} (proof files are text)")


def proof_files(paths: list[str | Path]) -> list[Path]:
    """The files to check: a directory stands for its ``*.proof`` entries (sorted), a file for itself.

    Entries are not opened here (a FIFO among them is refused by :func:`read_source`).

    >>> import tempfile
    >>> proof_files([tempfile.mkdtemp()])
    Traceback (most recent call last):
    ...
    catkit.prover.errors.ProofSyntaxError: /...: no *.proof files in this directory
    """
    out: list[Path] = []
    for p in map(Path, paths):
        try:
            st = os.stat(p)
        except OSError as e:
            raise ProofSyntaxError(str(p), 1, f"no such proof file or directory ({e.strerror or e})") from None
        if stat.S_ISDIR(st.st_mode):
            found = sorted(q for q in p.iterdir() if q.name.endswith(".proof"))
            if not found:
                raise ProofSyntaxError(str(p), 1, "no *.proof files in this directory")
            out += found
        else:
            out.append(p)
    return out

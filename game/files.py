"""Reading files a person points at: type and size are checked before a byte is read.

Every file the game reads on someone's say-so (saves, settings, user scenarios, report
inputs, workshop session files and decision sheets) goes through :func:`read_bytes` or
:func:`read_text`. A folder, a device (``/dev/zero``), a FIFO or a socket is refused
without waiting on it, and so is a file over the caller's size limit; the refusal is a
:class:`FileRefused`, an :class:`OSError` whose message is one line for a person.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from engine.formatting import number

KIB = 1024
MIB = 1024 * KIB


class FileRefused(OSError):
    """A file that is not read (missing, not a regular file, too big, unreadable)."""

    def __init__(self, path: Path | str, reason: str, code: int = 0) -> None:
        super().__init__(f"{Path(path).name}: {reason}")
        self.path = Path(path)
        self.reason = reason
        self.code = code

    def __str__(self) -> str:
        return str(self.args[0])


def _size(n: int) -> str:
    return f"{number(n / MIB, 1)} MB" if n >= MIB else f"{max(1, n // KIB)} KB"


def os_reason(exc: OSError) -> str:
    """What went wrong with a file, in words: "permission denied", "the disk is full"..."""
    if isinstance(exc, FileRefused):
        return exc.reason
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.ENOENT:
        return "no such file"
    return (exc.strerror or str(exc) or exc.__class__.__name__).lower()


def check_regular(path: Path | str, limit: int, follow: bool = True) -> int:
    """The size of ``path`` if it is a regular file of at most ``limit`` bytes, else refuse.

    ``follow=False`` refuses a symbolic link too (files the game owns are never links).
    """
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError as exc:
        raise FileRefused(path, os_reason(exc), exc.errno or 0) from None
    if stat.S_ISLNK(st.st_mode):
        raise FileRefused(path, "is a link, not a file")
    if stat.S_ISDIR(st.st_mode):
        raise FileRefused(path, "is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(path, "is not a regular file (a device, pipe or socket)")
    if st.st_size > limit:
        raise FileRefused(path, f"is {_size(st.st_size)}; the limit is {_size(limit)}")
    return st.st_size


def read_bytes(path: Path | str, limit: int, follow: bool = True, head: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, or FileRefused.

    The file is opened without blocking (a FIFO swapped in after the check cannot hang
    the game) and its type and size are checked again on the open descriptor. ``head``
    reads only the first bytes (a file signature).
    """
    check_regular(path, limit, follow)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileRefused(path, os_reason(exc), exc.errno or 0) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileRefused(path, "is not a regular file (a device, pipe or socket)")
        chunks, total = [], 0
        want = limit + 1 if head is None else min(head, limit + 1)
        while total < want:
            chunk = os.read(fd, min(MIB, want - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except FileRefused:
        raise
    except OSError as exc:
        raise FileRefused(path, os_reason(exc), exc.errno or 0) from None
    finally:
        os.close(fd)
    if total > limit:  # the file grew after the check
        raise FileRefused(path, f"is over the limit of {_size(limit)}")
    return b"".join(chunks)


def read_text(path: Path | str, limit: int, follow: bool = True) -> str:
    """The UTF-8 text of the regular file ``path`` (see :func:`read_bytes`)."""
    data = read_bytes(path, limit, follow)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(path, "is not UTF-8 text") from None


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not a number strict JSON allows")


def read_json(path: Path | str, limit: int, follow: bool = True) -> Any:
    """The strict JSON document in the regular file ``path`` (see :func:`read_bytes`).

    ``NaN`` and ``Infinity`` are refused like any other damage: raises FileRefused, or
    ValueError / RecursionError for text that is not strict JSON (bad UTF-8 included).
    """
    text = read_bytes(path, limit, follow).decode("utf-8")
    return json.loads(text, parse_constant=_not_json)

"""Output escaping: authored or typed text made safe for a terminal and for spreadsheets.

Scenario files, decision sheets, saves and team names are data written by someone else, and
they reach three kinds of output that would otherwise interpret them:

* **HTML** (the exported report, pygame_gui's text boxes and tooltips): escaped with
  :func:`html.escape` where the page is assembled (``game.report_export``, the scenes, and
  :func:`game.scenes.base.with_tip` for every tooltip).
* **CSV**: :func:`csv_writer` neutralises text cells a spreadsheet would run as a formula.
* **The terminal**: :func:`terminal` shows control characters (ANSI escape sequences, a
  carriage return that overwrites a line, a newline that forges one) as visible escapes.

See docs/security.md.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 control characters and DEL (terminal escapes), and the bidirectional controls
that reorder what a terminal shows (Trojan Source)."""


def terminal(text: object) -> str:
    """``text`` with every control character shown as a visible escape (``\\x1b``, ``\\n``).

    For text from a file (titles, team names, problems quoting a file) printed by the CLI: no
    ANSI sequence reaches the terminal and no newline or carriage return forges a line.
    """
    return _CONTROL.sub(_visible, str(text))


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}.get(code) or (
        f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    )


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text starting with ``= + - @``, a tab or a
    carriage return gets a leading ``'``; numbers, booleans and None stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class SafeWriter:
    """A :func:`csv.writer` whose every cell goes through :func:`csv_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row, text cells neutralised."""
        self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows, text cells neutralised."""
        for row in rows:
            self.writerow(row)


def csv_writer(stream: IO[str], **options: Any) -> SafeWriter:
    """The CSV writer every Crossroads export uses (options as for :func:`csv.writer`)."""
    return SafeWriter(stream, **options)

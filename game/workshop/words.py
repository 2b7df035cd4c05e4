"""Workshop messages in the reader's language, English wherever a machine or the CLI reads them.

A refusal (:class:`~game.workshop.session.WorkshopError`) is printed by the CLI, written to
logs and sent over the network, all in English; a screen shows it in the player's language.
So a message is a :class:`Phrase`: a ``str`` whose text is the English sentence (every
existing use of the message is unchanged) that also remembers its key and values, and
:func:`shown` puts it in the language on screen.

Importing this module is light (the store and the wire use it in small processes); the
translation machinery is loaded when a message is made.

A message from a host arrives as English text only (the protocol has no message codes, and a
host may run another language than its teams): :func:`shown` recognises it by the English
templates of the ``ws_errors`` and ``workshop_people`` namespaces and translates it; a text
it does not recognise (an older or newer host, the engine's own words) is shown as it came.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

NAMESPACE = "ws_errors"
RECOGNISED = (NAMESPACE, "workshop_people")
"""Namespaces whose English messages a host may send (recognised and translated)."""
MIN_LITERAL = 4
"""Fewest characters of fixed text a template needs to be recognised as a whole message."""


class Phrase(str):
    """English text that remembers its translation key and values (see the module's doc)."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, /, **values: Any) -> Phrase:
        import i18n

        import game.translation  # noqa: F401  (configures python-i18n's files)

        english = str(i18n.t(key, locale="en", **values))
        made = super().__new__(cls, english)
        made.key = key
        made.values = values
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.key, self.values))


def _rebuild(key: str, values: dict[str, Any]) -> Phrase:
    return Phrase(key, **values)


def phrase(key: str, /, **values: Any) -> Phrase:
    """The message ``key`` ("namespace.key") with its values: English as a ``str``,
    translated by :func:`shown`."""
    return Phrase(key, **values)


def whose(team: str) -> Phrase:
    """A team as the owner of something: "Team B's", "Falcons'" (German: "von Team B")."""
    return Phrase(
        f"{NAMESPACE}.whose_s" if team.endswith(("s", "S")) else f"{NAMESPACE}.whose", team=team
    )


def shown(text: Any) -> str:
    """``text`` in the player's language: a :class:`Phrase` translated, an English workshop
    message (from a host) recognised and translated, anything else as it is."""
    from game.translation import t

    if isinstance(text, Phrase):
        values = {k: shown(v) if isinstance(v, str) else v for k, v in text.values.items()}
        return t(text.key, **values)
    text = str(text)
    found = _recognise(text, top=True)
    if found is None:
        return text
    key, values = found
    return t(key, **values)


def _recognise(text: str, top: bool = False) -> tuple[str, dict[str, Any]] | None:
    """The ``ws_errors`` key and values whose English template gives ``text`` (None: none).

    ``top``: a whole message, never a bare owner such as "Team B's" (those templates are
    mostly placeholder and would take any message ending the same way)."""
    if not text:
        return None
    from game.translation import t

    for key, pattern, literal in _patterns():
        if top and literal < MIN_LITERAL:
            continue
        match = pattern.fullmatch(text)
        if match is None:
            continue
        values: dict[str, Any] = {}
        for name, value in match.groupdict().items():
            if name == "count" and value.isdigit():
                values[name] = int(value)
            else:
                inner = _recognise(value)
                values[name] = t(inner[0], **inner[1]) if inner else value
        return key, values
    return None


@cache
def _patterns() -> list[tuple[str, re.Pattern[str], int]]:
    """Every English template of the namespace as a pattern, the most literal text first
    (each form of a plural is a template of its own)."""
    from game.translation import catalogue

    found: list[tuple[int, str, re.Pattern[str]]] = []
    for key, value in catalogue("en").items():
        if not key.startswith(tuple(f"{n}." for n in RECOGNISED)):
            continue
        forms = value.values() if isinstance(value, dict) else [value]
        for template in forms:
            pattern, literal = _pattern(template)
            found.append((literal, key, pattern))
    found.sort(key=lambda item: -item[0])
    return [(key, pattern, literal) for literal, key, pattern in found]


_PLACEHOLDER = re.compile(r"%\{(\w+)\}|%%")


def _pattern(template: str) -> tuple[re.Pattern[str], int]:
    """A template as a pattern (each placeholder a group) and how many literal characters
    it has."""
    parts: list[str] = []
    literal = 0
    seen: set[str] = set()
    at = 0
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[at : m.start()]))
        literal += m.start() - at
        name = m.group(1)
        if name is None:
            parts.append("%")
            literal += 1
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>.+?)")
        at = m.end()
    parts.append(re.escape(template[at:]))
    literal += len(template) - at
    return re.compile("".join(parts), re.DOTALL), literal

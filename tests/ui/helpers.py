"""Drive the game through the real event queue: posted mouse clicks and key presses."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pygame
import pygame_gui

from game.app import App

FRAME = 1 / 60


def frames(app: App, n: int = 2) -> None:
    """Run ``n`` frames (events are processed at the start of each)."""
    for _ in range(n):
        app.frame(FRAME)


def until(app: App, condition: Any, what: str, timeout: float = 30.0) -> None:
    """Run frames until ``condition()`` holds (fails with ``what`` and the screen's text):
    for work the screen does in the background (never an assertion on speed)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited for {what}; on screen ({app.top.name}):\n{texts(app)}")
        frames(app, 1)
        time.sleep(0.01)


def elements(app: App) -> Iterator[Any]:
    """Every live pygame_gui element of the top scene."""
    if app.top is not None and app.top.root is not None:
        yield from _walk(app.top.root)


def _walk(element: Any) -> Iterator[Any]:
    if not element.alive():
        return
    yield element
    container = element.get_container() if hasattr(element, "get_container") else None
    if container is not None and container is not element:
        for child in list(container.elements):
            yield from _walk(child)


def buttons(app: App) -> list[pygame_gui.elements.UIButton]:
    """Visible, enabled buttons of the top scene in creation order."""
    return [
        e
        for e in elements(app)
        if isinstance(e, pygame_gui.elements.UIButton) and e.visible and e.is_enabled
    ]


def find_button(app: App, text: str) -> pygame_gui.elements.UIButton:
    """The visible, enabled button whose text starts with ``text``."""
    shown = buttons(app)
    for label in (text, *_in_language(text)):
        found = [b for b in shown if plain(b.text).startswith(label)]
        if found:
            return found[0]
    raise AssertionError(f"no button '{text}' among {[b.text for b in shown]}")


def _in_language(text: str) -> list[str]:
    """What the English label ``text`` reads in the game's language (tests written against
    English labels also drive a German game): each translation whose English starts with
    ``text`` (up to its first placeholder), or whose English template ``text`` fills
    ("10 minutes" from "%{minutes} minutes")."""
    import re

    from game import translation

    if translation.language() == "en":
        return []
    out = []
    for key, value in translation.catalogue("en").items():
        if not isinstance(value, str):
            continue
        if value.startswith(text):
            out.append(translation.t(key).split("%{")[0].rstrip())
        elif "%{" in value:
            parts = re.split(r"%\{(\w+)\}", value)
            pattern = "".join(
                re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)
            )
            match = re.fullmatch(pattern, text)
            if match:
                out.append(translation.t(key, **match.groupdict()))
    return [label for label in out if label]


def plain(text: str) -> str:
    """``text`` without the marks the pseudo-language wraps translations in."""
    return text.replace("‹", "").replace("›", "")


def click_at(app: App, pos: tuple[int, int], n_frames: int = 2) -> None:
    """Post a left click at ``pos`` and run frames."""
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))
    )
    frames(app, 1)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    frames(app, n_frames)


def click(app: App, text: str) -> None:
    """Click the button labelled ``text`` (its centre, through the event queue), scrolled into
    view first as a person would (a screen larger than the window scrolls)."""
    from game.widgets.focus import bring_into_view

    button = find_button(app, text)
    bring_into_view(button)
    frames(app, 1)
    click_at(app, button.rect.center)


def press(app: App, key: int, mod: int = 0, text: str = "") -> None:
    """Post a key press (down and up) and run frames."""
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=text, scancode=0)
    )
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=text, scancode=0))
    frames(app, 2)


def texts(app: App, keep: Any = None) -> str:
    """All text on screen (labels, buttons and text boxes), joined for assertions; ``keep``
    (element -> bool) narrows it to some elements, e.g. one panel's."""
    out = []
    for e in elements(app):
        if not e.visible or (keep is not None and not keep(e)):
            continue
        if isinstance(e, (pygame_gui.elements.UILabel, pygame_gui.elements.UIButton)):
            out.append(e.text)
        elif isinstance(e, pygame_gui.elements.UITextBox):
            out.append(e.html_text)
    return plain("\n".join(out))

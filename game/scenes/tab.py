"""A tab of the quarter hub: builds its widgets into the hub's content panel from its desk."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

import pygame

from game.translation import t
from game.widgets.text import fit, font

if TYPE_CHECKING:
    from game.desk import Desk
    from game.scenes.hub import HubScene


def fit_label(text: str, size: int, width: int, scale: float, bold: bool = False) -> str:
    """``text`` as it is when it fits a label ``width`` layout units wide at ``size`` points,
    else shortened with an ellipsis. Measured as drawn, at the UI ``scale`` (fonts are rounded
    to whole points, so a text that fits in layout units may not fit on screen)."""
    face = font(max(8, round(size * scale)), bold=bold)
    room = int(width * scale)
    if face.size(text)[0] <= room:
        return text
    return fit(text, face, room - 4)


class _Words:
    """A tab's words in the player's language, read from its namespace whenever they are read
    (on the tab class as on a tab): ``Tab.title`` and ``Tab.hint``."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, tab: Tab | None, cls: type[Tab]) -> str:
        return t(f"{cls.namespace}.{self.key}") if cls.namespace else ""


class Tab(ABC):
    """One tab. ``roles`` lists the roles that see it (:meth:`shown`); :attr:`title` names it
    and :attr:`hint` says what to do on it, both in the player's language from the translation
    namespace ``namespace`` (its ``title`` and ``hint`` keys)."""

    namespace = ""
    roles: tuple[str, ...] = ("pm", "cpo")
    title = _Words("title")
    hint = _Words("hint")

    def __init__(self, hub: HubScene) -> None:
        self.hub = hub

    @classmethod
    def shown(cls, desk: Desk) -> bool:
        """Does ``desk`` see this tab? Its role must be one of :attr:`roles`; a tab may ask
        for more (the People tab: a firm with colleagues)."""
        return desk.role in cls.roles

    @property
    def desk(self) -> Desk:
        """The desk the hub is bound to (solo game or workshop team)."""
        return self.hub.desk

    @abstractmethod
    def build(self, area: pygame.Rect, container: Any) -> None:
        """Create the tab's widgets inside ``container`` (``area`` is its local rect)."""

    def update(self, dt: float) -> None:  # noqa: B027 - optional hook
        """Per-frame work while the tab is on show (polling a background job); most need none."""

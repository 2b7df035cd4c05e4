"""Keyboard focus and scrolling lists: the focused control is always in view."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pygame_gui.elements import UIScrollingContainer

if TYPE_CHECKING:
    from game.scenes.base import Scene


class FocusScroller:
    """Scrolls a scrolling list so the control the keyboard focus moved to is in view.

    The app's Tab order reaches controls scrolled out of sight; a scene calls :meth:`update`
    every frame and the list follows the focus ring (only when the focus has moved).
    """

    def __init__(self) -> None:
        self._last: Any = None

    def update(self, scene: Scene) -> None:
        """Bring the focused control into view if it sits in a scrolled-away list row."""
        element = scene.app.focused_element()
        if element is None or element is self._last:
            return
        self._last = element
        for scroller in scene.manager.get_sprite_group().sprites():
            if (
                isinstance(scroller, UIScrollingContainer)
                and scroller.alive()
                and element.ui_container is scroller.scrollable_container
            ):
                _scroll_to(scroller, element)
                return


def _scroll_to(scroller: UIScrollingContainer, element: Any) -> None:
    bar = scroller.vert_scroll_bar
    view = scroller.rect
    if bar is None or (element.rect.top >= view.top and element.rect.bottom <= view.bottom):
        return
    total = max(1, scroller.scrolling_height)
    target = element.relative_rect.top - (view.height - element.rect.height) // 2
    bar.set_scroll_from_start_percentage(max(0.0, target / total))

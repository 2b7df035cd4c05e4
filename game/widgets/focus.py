"""Keyboard focus and scrolling: the focused control is always in view (lists, scrolled
screens); the app calls :func:`bring_into_view` whenever the focus lands on another control."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pygame_gui.elements import UIScrollingContainer

if TYPE_CHECKING:
    pass


def bring_into_view(element: Any) -> None:
    """Scroll every scrolling container around ``element`` (a list, a scrolled screen) so the
    element is in view, the innermost first; an element already in view moves nothing."""
    scrollers = {
        id(s.scrollable_container): s
        for s in element.ui_manager.get_sprite_group().sprites()
        if isinstance(s, UIScrollingContainer) and s.alive()
    }
    parent = element.ui_container
    while parent is not None:
        scroller = scrollers.get(id(parent))
        if scroller is not None:
            _scroll_to(scroller, element)
        above = getattr(parent, "ui_container", None)
        parent = None if above is parent else above


def _scroll_to(scroller: UIScrollingContainer, element: Any) -> None:
    """Centre ``element`` in ``scroller``'s view along each axis where it is out of view."""
    view = scroller._view_container.rect  # the visible part, without the scroll bars
    content = scroller.scrollable_container.rect
    box = element.rect
    axes = (
        (scroller.vert_scroll_bar, box.top, box.bottom, content.top, view.top, view.bottom),
        (scroller.horiz_scroll_bar, box.left, box.right, content.left, view.left, view.right),
    )
    moved = False
    for bar, start, end, origin, view_start, view_end in axes:
        if bar is None or (start >= view_start and end <= view_end):
            continue
        view_size = view_end - view_start
        target = start - origin - (view_size - min(end - start, view_size)) // 2
        total = (
            scroller.scrolling_height
            if bar is scroller.vert_scroll_bar
            else (scroller.scrolling_width)
        )
        bar.set_scroll_from_start_percentage(max(0.0, target / max(1, total)))
        moved = True
    if moved:
        scroller.update(0.0)  # move the content now, so an outer scroller sees where it is

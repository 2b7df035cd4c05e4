"""The scene base class: a full-window panel of pygame_gui widgets plus keyboard actions.

A scene builds its widgets in :meth:`Scene.build` from the current window size, so a resize
or a text-scale change simply rebuilds it. Widgets made with the helpers here are registered
for keyboard focus (Tab order = creation order) and carry their action, so a mouse click and
Enter on the focused control run the same code.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.elements import (
    UIButton,
    UIHorizontalSlider,
    UILabel,
    UIPanel,
    UIScrollingContainer,
    UITextBox,
    UITextEntryLine,
)

from game.translation import t
from game.widgets.text import tooltip

if TYPE_CHECKING:
    from game.app import App

Action = Callable[[], None]
Change = Callable[[Any], None]
MARGIN = 24
GAP = 12
ROW = 36


def oid(object_id: str | None) -> ObjectID | None:
    """A pygame_gui ObjectID for a theme block name such as '#primary'."""
    return ObjectID(object_id=object_id) if object_id else None


class Scene(ABC):
    """One screen: builds widgets, maps them to actions, reacts to keys."""

    name = "scene"
    overlay = False

    def __init__(self, app: App) -> None:
        self.app = app
        self.root: UIPanel | None = None
        self.viewport: UIScrollingContainer | None = None  # when the screen outgrows the window
        self._actions: dict[Any, Action] = {}
        self._changes: dict[Any, Change] = {}
        self._steps: dict[Any, float] = {}  # a slider's arrow-key step
        self._focus: list[Any] = []
        self.anchors: dict[str, list[Any]] = {}  # named controls a guide may point at

    # ------------------------------------------------------------------ life cycle
    @property
    def manager(self) -> pygame_gui.UIManager:
        """The app's pygame_gui manager."""
        return self.app.manager

    @property
    def width(self) -> int:
        """Width of the scene in pixels."""
        return self.app.size[0]

    @property
    def height(self) -> int:
        """Height of the scene in pixels."""
        return self.app.size[1]

    @property
    def scale(self) -> float:
        """How much larger than layout units widgets are drawn (the text size setting)."""
        return self.app.ui_scale

    def px(self, rect: pygame.Rect) -> pygame.Rect:
        """A rect in layout units as screen pixels."""
        s = self.scale
        if s == 1.0:
            return pygame.Rect(rect)
        x, y = round(rect.x * s), round(rect.y * s)
        return pygame.Rect(x, y, round(rect.right * s) - x, round(rect.bottom * s) - y)

    def panel(
        self, rect: pygame.Rect, *, container: Any = None, object_id: str | None = None
    ) -> UIPanel:
        """A panel (card, bar) at ``rect`` in layout units."""
        return UIPanel(
            self.px(rect),
            manager=self.manager,
            container=self._parent(container),
            object_id=oid(object_id),
        )

    def scroller(self, rect: pygame.Rect, *, container: Any = None) -> UIScrollingContainer:
        """A vertically scrolling container at ``rect`` in layout units."""
        return UIScrollingContainer(
            self.px(rect),
            manager=self.manager,
            container=self._parent(container),
            allow_scroll_x=False,
        )

    def scroll_area(self, scroller: UIScrollingContainer, width: int, height: int) -> None:
        """Set the scrollable content size of ``scroller`` in layout units."""
        size = self.px(pygame.Rect(0, 0, width, height)).size
        scroller.set_scrollable_area_dimensions(size)

    def setup(self) -> None:
        """Create the root panel and the scene's widgets."""
        self._actions.clear()
        self._changes.clear()
        self._steps.clear()
        self._focus.clear()
        self.anchors.clear()
        # The scene's place in the stack (not the stack's size): a rebuild of every scene
        # keeps each above the ones below it, so an overlay is never drawn beneath.
        scenes = self.app.scenes
        depth = scenes.index(self) + 1 if self in scenes else len(scenes)
        full = self.px(pygame.Rect(0, 0, self.width, self.height))
        window = pygame.Rect((0, 0), self.app.screen.get_size())
        container = None
        if full.w > window.w or full.h > window.h:
            # Large text on a small window: the screen keeps its layout and scrolls (mouse
            # wheel, Shift+wheel, the scroll bars, or Tab, which brings the focus into view).
            self.viewport = UIScrollingContainer(
                window,
                starting_height=1 + 40 * depth,
                manager=self.manager,
                allow_scroll_x=full.w > window.w,
                allow_scroll_y=full.h > window.h,
            )
            self.viewport.set_scrollable_area_dimensions(full.size)
            container = self.viewport
        self.root = UIPanel(
            full,
            starting_height=1 + 40 * depth,
            manager=self.manager,
            container=container,
            object_id=oid("#overlay" if self.overlay else "#screen"),
        )
        self.build()

    def teardown(self) -> None:
        """Destroy the scene's widgets."""
        if self.root is not None:
            self.root.kill()
            self.root = None
        if self.viewport is not None:
            self.viewport.kill()
            self.viewport = None

    def rebuild(self) -> None:
        """Recreate the widgets from current data (keeps the focus order fresh)."""
        self.teardown()
        self.setup()

    def _forget_dead(self) -> None:
        """Drop killed widgets from the action and focus registries (partial rebuilds)."""
        self._focus = [e for e in self._focus if e.alive()]
        self._actions = {e: a for e, a in self._actions.items() if e.alive()}
        self._changes = {e: c for e, c in self._changes.items() if e.alive()}
        self._steps = {e: v for e, v in self._steps.items() if e.alive()}

    def refresh(self) -> None:
        """Rebuild after a change made here, keeping the keyboard focus where it was."""
        focus = self.app.focus_index
        self.rebuild()
        self.app.focus_index = focus

    def hide(self) -> None:
        """Hide while another scene covers this one."""
        if self.root is not None:
            hide_panel(self.root)
        if self.viewport is not None:
            self.viewport.hide()

    def show(self) -> None:
        """Show again after the covering scene closed."""
        if self.viewport is not None:
            self.viewport.show()
        if self.root is not None:
            self.root.show()

    def resume(self) -> None:  # noqa: B027 - optional hook
        """Called when the scene becomes the top again (refresh data shown)."""

    @abstractmethod
    def build(self) -> None:
        """Create this scene's widgets inside ``self.root``."""

    # ------------------------------------------------------------------ input
    def activate(self, element: Any) -> None:
        """Run the action of a clicked (or Enter-activated) control."""
        action = self._actions.get(element)
        if action is not None and element.is_enabled:
            action()

    def changed(self, event: pygame.event.Event) -> None:
        """Run the change handler of a slider, drop-down or text entry."""
        handler = self._changes.get(event.ui_element)
        if handler is not None:
            handler(event)

    def nudge(self, element: Any, direction: int) -> bool:
        """Left/Right on a focused slider: move it one step and run its change handler.

        Returns False when ``element`` is not one of this scene's sliders.
        """
        step = self._steps.get(element)
        if step is None or not element.is_enabled:
            return False
        lo, hi = element.value_range
        value = min(hi, max(lo, element.get_current_value() + direction * step))
        element.set_current_value(value)
        self._changes[element](None)
        return True

    def on_back(self) -> None:
        """Esc: go back to the previous scene."""
        self.app.pop()

    def on_reload(self) -> None:
        """F5: reload the scenario from disk (the authors' loop)."""
        from game.scenes.flow import reload_scenario

        reload_scenario(self.app)

    def on_enter(self) -> None:  # noqa: B027 - optional hook
        """Enter with nothing focused (scenes with one obvious next step override this)."""

    def on_key(self, event: pygame.event.Event) -> None:  # noqa: B027 - optional hook
        """Any other key (number keys for tabs, arrows)."""

    def update(self, dt: float) -> None:  # noqa: B027 - optional hook
        """Per-frame update (animations); most scenes need none."""

    def draw_over(self, surface: pygame.Surface) -> None:  # noqa: B027 - optional hook
        """Draw on top of the widgets (the coach's highlight); most scenes draw nothing."""

    def anchor(self, name: str, *elements: Any) -> None:
        """Name controls (their rects together) for a guide to point at, e.g. "pricing:price"."""
        self.anchors[name] = list(elements)

    def anchor_rect(self, name: str) -> pygame.Rect | None:
        """The screen rect around the live, visible controls named ``name`` (None: none)."""
        rects = [e.rect for e in self.anchors.get(name, ()) if e.alive() and e.visible]
        return rects[0].unionall(rects[1:]) if rects else None

    def focusables(self) -> list[Any]:
        """Controls reachable with Tab, in order."""
        return [e for e in self._focus if e.alive() and e.visible and e.is_enabled and e.rect.w > 0]

    # ------------------------------------------------------------------ widget helpers
    def _parent(self, container: Any) -> Any:
        return container if container is not None else self.root

    def button(
        self,
        rect: pygame.Rect,
        text: str,
        action: Action | None,
        *,
        tip: str | None = None,
        container: Any = None,
        object_id: str | None = None,
        enabled: bool = True,
    ) -> UIButton:
        """A button that runs ``action`` on click or Enter."""
        element = UIButton(
            self.px(rect),
            text,
            manager=self.manager,
            container=self._parent(container),
            tool_tip_text=tip,
            object_id=oid(object_id),
        )
        element.tool_tip_delay = 0.5
        if action is not None:
            self._actions[element] = action
        if not enabled:
            element.disable()
        self._focus.append(element)
        return element

    def label(
        self,
        rect: pygame.Rect,
        text: str,
        *,
        container: Any = None,
        object_id: str | None = None,
        tip: str | None = None,
    ) -> UILabel:
        """A one-line label (use :meth:`text` for anything that may wrap)."""
        element = UILabel(
            self.px(rect),
            text,
            manager=self.manager,
            container=self._parent(container),
            object_id=oid(object_id),
        )
        return with_tip(element, tip)

    def text(
        self,
        rect: pygame.Rect,
        html: str,
        *,
        container: Any = None,
        object_id: str | None = None,
        tip: str | None = None,
    ) -> UITextBox:
        """A wrapping, scrolling text box (pygame_gui's HTML subset: <b>, <i>, <br>, <font>).

        A negative height makes the box as tall as its text (it never scrolls).
        """
        place = self.px(rect)
        if rect.h < 0:
            place.h = -1
        element = UITextBox(
            html,
            place,
            manager=self.manager,
            container=self._parent(container),
            object_id=oid(object_id),
        )
        return with_tip(element, tip)

    def slider(
        self,
        rect: pygame.Rect,
        value: float,
        value_range: tuple[float, float],
        on_change: Change,
        *,
        step: float | None = None,
        tip: str | None = None,
        container: Any = None,
    ) -> UIHorizontalSlider:
        """A horizontal slider; ``on_change`` receives the new value.

        It takes the keyboard focus in creation order; Left/Right move it by ``step`` (or a
        twentieth of its range).
        """
        kwargs = {"click_increment": step} if step else {}
        element = UIHorizontalSlider(
            self.px(rect),
            value,
            value_range,
            manager=self.manager,
            container=self._parent(container),
            **kwargs,
        )
        with_tip(element, tip)
        self._changes[element] = lambda event: on_change(element.get_current_value())
        self._steps[element] = step or (value_range[1] - value_range[0]) / 20
        self._focus.append(element)
        return element

    def entry_line(
        self,
        rect: pygame.Rect,
        value: str,
        on_change: Change,
        *,
        allowed: str | None = None,
        tip: str | None = None,
        container: Any = None,
    ) -> UITextEntryLine:
        """A one-line text entry; ``on_change`` receives the text after every edit."""
        element = UITextEntryLine(
            self.px(rect), manager=self.manager, container=self._parent(container)
        )
        if allowed == "numbers":
            element.set_allowed_characters("numbers")
        elif allowed == "decimal":
            element.set_allowed_characters([*"0123456789.,"])
        element.set_text(value)
        with_tip(element, tip)
        self._changes[element] = lambda event: on_change(element.get_text())
        self._focus.append(element)
        return element

    def stepper(
        self,
        rect: pygame.Rect,
        name: str,
        value: float,
        value_range: tuple[float, float],
        step: float,
        fmt: Callable[[float], str],
        on_set: Callable[[float], None],
        *,
        tip: str | None = None,
        container: Any = None,
        anchor: str | None = None,
    ) -> UILabel:
        """One numeric decision: name, [−] value [+] (keyboard) and a slider (mouse).

        ``on_set`` receives the new value, clamped to ``value_range``; the returned value
        label is updated while the slider moves. ``anchor`` names the whole row for a guide.
        """
        lo, hi = value_range
        name_w = min(340, rect.w * 2 // 5)
        row = [
            self.label(
                pygame.Rect(rect.x, rect.y, name_w, rect.h), name, container=container, tip=tip
            )
        ]
        x = rect.x + name_w

        def set_to(v: float) -> None:
            on_set(min(hi, max(lo, v)))
            self.refresh()

        lower = self.button(
            pygame.Rect(x, rect.y, 34, rect.h),
            "−",
            lambda: set_to(value - step),
            container=container,
            tip=t("widgets.stepper.lower", step=fmt(step)),
        )
        shown = self.label(
            pygame.Rect(x + 38, rect.y, 110, rect.h), fmt(value), container=container, tip=tip
        )
        raise_ = self.button(
            pygame.Rect(x + 152, rect.y, 34, rect.h),
            "+",
            lambda: set_to(value + step),
            container=container,
            tip=t("widgets.stepper.raise", step=fmt(step)),
        )
        row += [lower, shown, raise_]
        slider_x = x + 196
        if rect.right - slider_x >= 80:

            def slid(v: float) -> None:
                v = round(v / step) * step
                shown.set_text(fmt(v))
                on_set(min(hi, max(lo, v)))

            row.append(
                self.slider(
                    pygame.Rect(slider_x, rect.y + 4, rect.right - slider_x, rect.h - 8),
                    min(hi, max(lo, value)),
                    (lo, hi),
                    slid,
                    step=step,
                    tip=tip,
                    container=container,
                )
            )
        if anchor:
            self.anchor(anchor, *row)
        return shown


def with_tip(element: Any, tip: str | None) -> Any:
    """Give ``element`` a tooltip (shown after half a second of hovering) if ``tip`` is set.

    ``tip`` is plain text: :func:`game.widgets.text.tooltip` escapes it.
    """
    if tip:
        tooltip(element, tip)
    return element


def hide_panel(panel: UIPanel) -> None:
    """Hide a panel and close any tooltip open over its widgets (hide() leaves them up)."""
    stack = [panel]
    while stack:
        element = stack.pop()
        if element.tool_tip is not None:
            element.tool_tip.kill()
            element.tool_tip = None
        container = element.get_container() if hasattr(element, "get_container") else None
        if container is not None:
            stack.extend(e for e in container.elements if e is not element)
    panel.hide()


def grid(area: pygame.Rect, columns: int, rows: int, gap: int = GAP) -> list[pygame.Rect]:
    """Split ``area`` into equal cells, row by row (for cards and button rows)."""
    w = (area.w - gap * (columns - 1)) // columns
    h = (area.h - gap * (rows - 1)) // rows
    return [
        pygame.Rect(area.x + c * (w + gap), area.y + r * (h + gap), w, h)
        for r in range(rows)
        for c in range(columns)
    ]

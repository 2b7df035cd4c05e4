"""The coach on the quarter hub: a short instruction panel and a ring around the real control.

:mod:`game.coach` decides what to say (a walkthrough step, or the start-of-quarter note);
this draws it. The panel is placed beside its target by :func:`game.coach.place` so it never
covers the control it points at (and covers as few others as it can); the ring is drawn
over the widgets each frame, following the control if the tab is rebuilt. The coach is
re-asked only when something it looks at changes (the draft, the tab, its own state), so
the frame loop stays cheap.
"""

from __future__ import annotations

import html
import math
import time
from typing import TYPE_CHECKING, Any

import pygame
from pygame_gui.elements import UILabel, UIPanel, UIScrollingContainer

from game import palette
from game.coach import Coach, Facts, Note, Step, facts_of, place
from game.scenes.base import GAP, ROW, oid
from game.translation import t
from game.widgets.text import font, plain, text_height

if TYPE_CHECKING:
    from game.scenes.hub import HubScene
    from game.scenes.tab import Tab

RING: palette.Colour = palette.SKY_BLUE
"""Colour of the coach's ring (the keyboard focus ring is yellow, primary buttons orange)."""
STEP_W = 420
NOTE_W = 480
LAYER = 30  # above the tab content panels, below dialogs (a scene above is +40)
TAB_IDS = {
    "research": "Research",
    "roadmap": "Roadmap",
    "pricing": "Pricing & marketing",
    "market": "Market",
}
"""The coach's name for a hub tab (:attr:`game.coach.Step.tab`, its English title), by the
tab's module: a step finds its tab whatever the language shows on the tab."""


def tab_id(tab: Tab) -> str:
    """The coach's name for ``tab`` (its title for a tab no step happens on)."""
    return TAB_IDS.get(type(tab).__module__.rsplit(".", 1)[-1], tab.title)


class CoachOverlay:
    """The coach's panel and ring on one hub (rebuilt with the hub)."""

    def __init__(self, hub: HubScene, coach: Coach) -> None:
        self.hub = hub
        self.coach = coach
        self.panel: UIPanel | None = None
        self.step: Step | None = None
        self.note: Note | None = None
        self.target = ""  # anchor name of the control the ring is around ('' for none)
        self._open = False  # the step's tab is on show
        self._seen: tuple[Any, ...] | None = None
        self._shown: tuple[Any, ...] = (None, None, False, -1)

    # ------------------------------------------------------------------ state
    def _signature(self) -> tuple[Any, ...]:
        """Everything the coach's answer depends on (cheap to compute every frame)."""
        desk = self.hub.desk
        c = self.coach
        return (
            c.level,
            c.index,
            c.skipped,
            tuple(sorted(c.dismissed)),
            self.hub.current,
            desk.quarter,
            desk.draft.model_dump_json(exclude_unset=True),
        )

    def update(self) -> None:
        """Ask the coach again if anything it looks at changed; rebuild the panel if needed."""
        if self._signature() == self._seen:
            return
        desk = self.hub.desk
        facts = facts_of(desk, self.hub.submit_verb, solo=self._solo())
        step = self.coach.step(facts, desk.draft, tab_id(self.hub.tab))
        note = self.coach.note(facts) if step is None else None
        self._seen = self._signature()  # the walkthrough may have moved on
        shown = (step, note, self._tab_open(step), self.hub.current)
        if shown != self._shown:  # a new tab: the panel finds its place among its controls
            self._shown = shown
            self.step, self.note, self._open, _ = shown
            self._build(facts)
            # pygame_gui lists what it draws in its own update, which already ran this frame:
            # without this the old panel would show for one more frame, the new one not yet.
            self.hub.manager.get_sprite_group().update_visibility()

    def _solo(self) -> bool:
        """True for a solo game (End quarter plays it), False for a workshop team (Hand in)."""
        from game.session import Session

        return isinstance(self.hub.desk, Session)

    def _tab_open(self, step: Step | None) -> bool:
        """True when the step's tab is the one on show (or it happens in the top bar)."""
        return step is not None and (step.tab == "" or tab_id(self.hub.tab) == step.tab)

    # ------------------------------------------------------------------ panel
    def _build(self, facts: Facts) -> None:
        """(Re)make the panel for the current step or note (none: no panel)."""
        if self.panel is not None:
            self.panel.kill()
            self.panel = None
            self.hub._forget_dead()
        if self.step is not None:
            number, total = self.coach.position(facts)
            title = (t("coach.overlay.step", number=number, total=total), self.step.title)
            body = html.escape(plain(self.step.text))
            ids = [tab_id(tab) for tab in self.hub.tabs]
            if not self._open and self.step.tab in ids:
                key = ids.index(self.step.tab) + 1
                shown = html.escape(self.hub.tabs[key - 1].title)
                body += "<br>" + t("coach.overlay.open_tab", tab=shown, number=key)
            buttons = [
                (t("common.next"), self.next_step),
                (t("coach.overlay.skip"), self.skip),
            ]
            self.target = self._target_name()
            self._make(STEP_W, title, body, buttons)
        elif self.note is not None:
            body = (
                f"<b>{t('coach.overlay.changed')}</b> {html.escape(plain(self.note.changed))}<br>"
                f"<b>{t('coach.overlay.worth_trying')}</b> "
                f"{html.escape(plain(self.note.suggestion))}"
            )
            self.target = ""
            title = (
                t("coach.overlay.quarter", quarter=self.hub.desk.quarter),
                t("coach.overlay.note_title"),
            )
            self._make(NOTE_W, title, body, [(t("coach.overlay.got_it"), self.ok)])
        else:
            self.target = ""

    def _target_name(self) -> str:
        """The anchor the ring goes around: the step's tab button until that tab is open."""
        assert self.step is not None
        if self._open:
            return self.step.target
        return f"tab:{self.step.tab}"

    def _make(self, w: int, title: tuple[str, str], body: str, buttons: list[Any]) -> None:
        """The panel beside the target: (small line, heading), the text (the panel grows to
        hold it) and the buttons."""
        hub = self.hub
        size = (w, 60 + text_height(body, w - 16) + ROW + 20)
        rect = pygame.Rect(place(self._target_box(), size, self._bounds(), self._obstacles()))
        self.panel = UIPanel(
            hub.px(rect),
            starting_height=LAYER,
            manager=hub.manager,
            container=hub.root,
            object_id=oid("#card"),
        )
        h = size[1]
        small, heading = title
        hub.label(pygame.Rect(12, 6, w - 24, 22), small, container=self.panel, object_id="#muted")
        hub.label(
            pygame.Rect(12, 28, w - 24, 30), heading, container=self.panel, object_id="#heading"
        )
        hub.text(pygame.Rect(8, 60, w - 16, h - 60 - ROW - 18), body, container=self.panel)
        bw = (w - 24 - GAP * (len(buttons) - 1)) // len(buttons)
        for i, (text, action) in enumerate(buttons):
            hub.button(
                pygame.Rect(12 + i * (bw + GAP), h - ROW - 10, bw, ROW),
                text,
                action,
                container=self.panel,
                object_id="#primary" if i == 0 and len(buttons) == 1 else None,
                tip=t("coach.overlay.got_it_tip")
                if len(buttons) == 1
                else (t("coach.overlay.next_tip") if i == 0 else t("coach.overlay.skip_tip")),
            )

    def _bounds(self) -> tuple[int, int, int, int]:
        """Where the panel may go: the tab content area (layout units)."""
        from game.scenes.hub import HINT_H, TAB_H, TOP_H

        top = TOP_H + TAB_H + 4
        return (12, top, self.hub.width - 24, self.hub.height - top - HINT_H - 4)

    def _layout(self, rect: pygame.Rect) -> tuple[int, int, int, int]:
        """A screen rect in layout units."""
        s = self.hub.scale
        return (round(rect.x / s), round(rect.y / s), round(rect.w / s), round(rect.h / s))

    def _target_rect(self) -> pygame.Rect | None:
        """The target control's screen rect now (None: nothing to point at)."""
        if not self.target:
            return None
        if self.target.startswith("tab:"):
            ids = [tab_id(tab) for tab in self.hub.tabs]
            title = self.target[4:]
            if title not in ids:
                return None
            return self.hub.tab_buttons[ids.index(title)].rect
        return self.hub.anchor_rect(self.target)

    def _target_box(self) -> tuple[int, int, int, int] | None:
        rect = self._target_rect()
        return self._layout(rect) if rect is not None else None

    def _obstacles(self) -> list[tuple[int, int, int, int]]:
        """Every control and text on show the panel should rather not cover (layout units):
        a label only as wide as its text, containers not at all, the target left out."""
        target = self._target_rect()
        out = []
        for element in _visible(self.hub.root):
            rect = element.rect
            if isinstance(element, UILabel):
                rect = pygame.Rect(rect.x, rect.y, _label_width(element, self.hub.scale), rect.h)
            if target is None or not target.contains(rect):
                out.append(self._layout(rect))
        return out

    # ------------------------------------------------------------------ actions
    def next_step(self) -> None:
        """Go on to the next step without doing this one."""
        self.coach.next()

    def skip(self) -> None:
        """Stop the walkthrough for this game."""
        self.coach.skip()

    def ok(self) -> None:
        """Close this quarter's note."""
        self.coach.dismiss(self.hub.desk.quarter)

    # ------------------------------------------------------------------ drawing
    def draw(self, surface: pygame.Surface) -> None:
        """The ring around the target control (gently pulsing) and around the panel."""
        if self.panel is None or not self.panel.visible:
            return
        pygame.draw.rect(surface, RING, self.panel.rect.inflate(2, 2), 2, 8)
        rect = self._target_rect()
        if rect is None:
            return
        pulse = 0.5 + 0.5 * math.sin(time.monotonic() * 4.0)
        width = 3 + round(2 * pulse)
        pygame.draw.rect(surface, RING, rect.inflate(10, 10), width, 8)


def _visible(root: Any) -> list[Any]:
    """The visible leaf widgets under ``root`` (containers are walked, not listed)."""
    out = []
    stack = [root]
    while stack:
        element = stack.pop()
        if element is None or not element.alive() or not element.visible:
            continue
        if isinstance(element, UIPanel | UIScrollingContainer):
            container = element.get_container()
            stack.extend(e for e in container.elements if e is not element)
        elif element.rect.w > 0:
            out.append(element)
    return out


def _label_width(label: UILabel, scale: float) -> int:
    """The width of a left-aligned label's text on screen (at most the label's)."""
    return min(label.rect.w, round((font(15).size(label.text)[0] + 12) * scale))

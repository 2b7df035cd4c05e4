"""What the PMs share with the CPO in company mode: the PM's "Share with the CPO" screen and
the CPO's Shared tab (studies and notes shared so far).

A PM's studies are that PM's until shared (:func:`engine.company_mode.visible_studies`); a
shared study reaches the CPO's belief once the quarter is played.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pygame

from engine.company_mode import NOTE_MAX
from game.company_seat import directs, shares_studies
from game.scenes.base import GAP, MARGIN, ROW, Scene
from game.scenes.tab import Tab
from game.translation import t

if TYPE_CHECKING:
    from engine.company_mode import StudyRef
    from engine.scenario import Scenario
    from game.app import App
    from game.company_seat import CompanySeat, ShareDraft
    from game.desk import Desk
    from game.scenes.hub import HubScene


def study_words(scenario: Scenario, study: StudyRef) -> str:
    """A study in words: "Q2 · Survey · Families"."""
    methods = {m.id: m.name for m in scenario.research}
    segments = {g.id: g.name for g in scenario.segments}
    return t(
        "company_ui.study",
        quarter=study.quarter,
        method=methods.get(study.method, study.method),
        segment=segments.get(study.segment, study.segment),
    )


class ShareScene(Scene):
    """The PM picks which of their studies to share with the CPO, and writes a short note."""

    name = "company_share"

    def __init__(self, app: App, hub: HubScene) -> None:
        super().__init__(app)
        self.hub = hub
        desk = hub.desk
        assert shares_studies(desk)
        self.desk: ShareDraft = desk  # type: ignore[assignment]

    def build(self) -> None:
        desk = self.desk
        w = self.width - 2 * MARGIN
        self.label(
            pygame.Rect(MARGIN, MARGIN, w, 40), t("company_ui.share_heading"), object_id="#heading"
        )
        self.label(
            pygame.Rect(MARGIN, MARGIN + 44, w, 26),
            t("company_ui.share_intro"),
            object_id="#muted",
        )
        top = MARGIN + 80
        bottom = self.height - MARGIN - ROW - GAP - 2 * ROW - GAP
        scroller = self.scroller(pygame.Rect(MARGIN, top, w, bottom - top))
        chosen = desk.share.studies
        before = desk.shared_already()
        y = 0
        studies = desk.studies()
        if not studies:
            self.label(
                pygame.Rect(0, 0, w - 30, 26), t("company_ui.no_studies"), container=scroller
            )
            y = 30
        for study in studies:
            words = study_words(self.hub.desk.scenario, study)
            if (study.quarter, study.method, study.segment) in before:
                self.label(
                    pygame.Rect(0, y, w - 30, ROW),
                    t("company_ui.shared_before", study=words),
                    container=scroller,
                    object_id="#muted",
                )
            else:
                on = study in chosen
                self.button(
                    pygame.Rect(0, y, min(w - 30, 640), ROW),
                    t("company_ui.sharing" if on else "company_ui.share_this", study=words),
                    lambda s=study: self._toggle(s),
                    container=scroller,
                    object_id="#tab_active" if on else None,
                    tip=t("company_ui.share_tip"),
                )
            y += ROW + 6
        self.scroll_area(scroller, w - 30, y)
        self.label(
            pygame.Rect(MARGIN, bottom + GAP, w, ROW),
            t("company_ui.note", most=NOTE_MAX),
        )
        self.entry_line(
            pygame.Rect(MARGIN, bottom + GAP + ROW, w, ROW),
            desk.share.note,
            desk.set_note,
            tip=t("company_ui.note_tip"),
        )
        self.button(
            pygame.Rect(self.width - MARGIN - 240, self.height - MARGIN - ROW, 240, ROW),
            t("company_ui.share_done"),
            self.done,
            object_id="#primary",
        )
        self.app.focus_index = 0

    def _toggle(self, study: StudyRef) -> None:
        self.desk.toggle_share(study)
        self.refresh()

    def done(self) -> None:
        """Back to the hub, which shows what is now shared."""
        self.app.pop()
        self.hub.refresh()

    def on_back(self) -> None:
        self.done()


def share_button(tab: Tab, rect: pygame.Rect, container: Any) -> None:
    """The research tab's "Share with the CPO" button (a company PM's desk only)."""
    desk = tab.desk
    if not shares_studies(desk):
        return
    hub = tab.hub
    count = len(desk.share.studies)  # type: ignore[attr-defined]
    hub.button(
        rect,
        t("company_ui.share_button", count=count),
        lambda: hub.app.push(ShareScene(hub.app, hub)),
        container=container,
        tip=t("company_ui.share_button_tip"),
    )


class SharedTab(Tab):
    """The CPO's view of what the PMs shared: the studies (in the CPO's belief) and notes."""

    namespace = "company_ui.shared_tab"
    roles = ("cpo",)

    @classmethod
    def shown(cls, desk: Desk) -> bool:
        """Only a company CPO's desk has PMs who share."""
        return directs(desk)

    def build(self, area: pygame.Rect, container: Any) -> None:
        seat: CompanySeat = self.desk  # type: ignore[assignment]
        s = seat.scenario
        studies = [
            "• " + html.escape(study_words(s, study) + f" ({seat.line_name(line)})", quote=False)
            for study, line in seat.shared_by()
        ] or ["• " + html.escape(t("company_ui.nothing_shared"), quote=False)]
        notes = [
            "• "
            + html.escape(
                t(
                    "company_ui.note_line",
                    quarter=n.quarter,
                    person=seat.pm_name(n.line),
                    line=seat.line_name(n.line),
                    note=n.text,
                )
            )
            for n in seat.notes_to_cpo()
        ] or ["• " + html.escape(t("company_ui.no_notes"), quote=False)]
        half = (area.w - 3 * GAP) // 2
        self.hub.text(
            pygame.Rect(area.x + GAP, area.y + GAP, half, area.h - 2 * GAP),
            f"<b>{html.escape(t('company_ui.shared_studies'), quote=False)}</b><br>"
            + html.escape(t("company_ui.shared_studies_about"), quote=False)
            + "<br><br>"
            + "<br>".join(studies),
            container=container,
        )
        self.hub.text(
            pygame.Rect(area.x + 2 * GAP + half, area.y + GAP, half, area.h - 2 * GAP),
            f"<b>{html.escape(t('company_ui.notes'), quote=False)}</b><br><br>"
            + "<br>".join(notes),
            container=container,
        )

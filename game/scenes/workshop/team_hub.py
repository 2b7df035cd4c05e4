"""A workshop team at the keyboard: the solo hub, bound to the team's desk, with Hand in.

Reached only through the privacy screen (:mod:`game.scenes.workshop.handover`). The tabs are
the solo hub's own, so a team decides everything a solo player can (a CPO team included:
culture initiatives, mentoring, bets, incubation, sunsets, the hiring freeze). The top bar
shows the round clock; Hand in confirms and records the decisions, and the acknowledgement
appears only once :meth:`TeamDesk.hand_in` returned, i.e. once they are on disk. Esc leaves
without handing in (asking first).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from game.scenes.hub import HubScene
from game.scenes.workshop.common import problems_html
from game.translation import t

if TYPE_CHECKING:
    from game.app import App
    from game.scenes.workshop.common import RoundClock
    from game.workshop.session import WorkshopSession
    from game.workshop.team_desk import TeamDesk


class TeamHubScene(HubScene):
    """A workshop team's hub (hot-seat or over the network): Hand in instead of End quarter,
    rounds instead of quarters, and a status line kept current every frame."""

    @property
    def submit_verb(self) -> str:  # type: ignore[override]
        """The hub's submit action in words."""
        return t("workshop.hand_in")

    @property
    def submit_tip(self) -> str:  # type: ignore[override]
        """What handing in does."""
        return t("workshop.hand_in_tip")

    @property
    def handed_in(self) -> bool:
        """True when the team has already handed in this round (handing in again replaces it)."""
        return bool(getattr(self.desk, "handed_in", False))

    def period_name(self) -> str:
        return t("workshop.round")

    def submit_text(self) -> str:
        if self.handed_in:
            return t("workshop.hand_in_again_round", round=self.desk.quarter)
        return t("workshop.hand_in_round", round=self.desk.quarter)

    def confirm_words(self) -> tuple[str, str]:
        return t("workshop.hand_in_confirm", round=self.desk.quarter), t("workshop.hand_in")

    def on_reload(self) -> None:
        """F5 reloads nothing: a workshop plays the copy of the scenario stored in its session."""

    def update(self, dt: float) -> None:
        """Keep the status line (round clock, connection) current."""
        super().update(dt)
        label = getattr(self, "status_label", None)
        if label is not None and label.alive():
            text = self.status_text()
            if text != label.text:
                label.set_text(text)


class WorkshopTeamHubScene(TeamHubScene):
    """One team's hub for the open round, seeing only its own firm."""

    name = "workshop_team_hub"

    def __init__(self, app: App, session: WorkshopSession, team: str, clock: RoundClock) -> None:
        from game.workshop.team_desk import TeamDesk

        self.session = session
        self.clock = clock
        self.team_desk: TeamDesk = TeamDesk(session, team)
        super().__init__(app, self.team_desk)

    def status_text(self) -> str:
        """Round, cash and the round clock."""
        return f"{super().status_text()} · {self.clock.short_text()}"

    def back_button(self) -> tuple[str, str]:
        return t("workshop.leave"), t("workshop.leave_tip")

    def _play(self) -> None:
        """Record the decisions; the acknowledgement shows only once they are on disk."""
        from game.scenes.dialog import show_message
        from game.scenes.workshop.handover import WorkshopSubmittedScene
        from game.workshop.session import WorkshopError

        desk = self.team_desk
        try:
            warnings = desk.hand_in()
        except WorkshopError as exc:
            show_message(self.app, t("workshop.not_handed_in"), problems_html(exc))
            return
        self.app.replace(
            WorkshopSubmittedScene(self.app, self.session, desk.team, self.clock, warnings)
        )

    def on_back(self) -> None:
        """Leave without handing in (asks first)."""
        from game.scenes.dialog import DialogScene

        earlier = (
            t("workshop.earlier_stays")
            if self.team_desk.handed_in
            else t("workshop.nothing_handed_in")
        )
        self.app.push(
            DialogScene(
                self.app,
                t("workshop.leave_question"),
                t("workshop.not_recorded", earlier=html.escape(earlier)),
                [(t("workshop.leave_button"), self.app.pop), (t("workshop.keep_deciding"), None)],
            )
        )

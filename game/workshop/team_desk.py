"""A workshop team's decision desk: the hub's tabs bound to one team of a session.

The desk works in the ids of the team's own market (in a shared market its firm is a clone,
``teamboard_a``), so every hub tab reads it exactly as it reads the solo game. It sees only
what :meth:`WorkshopSession.team_view` lets the team see: public market results and its own
organisation, beliefs and explanations. Handing in translates the draft back to the
scenario's own ids (:class:`~engine.teams.TeamMap`) and records it through
:meth:`WorkshopSession.submit`, which acknowledges only once the decisions are on disk.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from engine.decisions import Decisions
from engine.scenario import Scenario
from game.coach import Coach
from game.desk import DraftDesk
from game.scenes.glossary import ROLE_NAMES

if TYPE_CHECKING:
    from engine.decision_check import Problem
    from engine.lines import Outlook
    from engine.simulation import Simulation
    from engine.view import FirmView
    from game.workshop.session import TeamView, WorkshopSession


class TeamDesk(DraftDesk):
    """One team's seat for the open round of a workshop session."""

    @property  # type: ignore[override]
    def no_preview(self) -> str:
        """Why there is no preview: a hot-seat workshop offers none."""
        from game.translation import t

        return t("ws_join.no_preview_hot_seat")

    def __init__(self, session: WorkshopSession, team: str) -> None:
        super().__init__()
        self.session = session
        self.team = session.team(team)
        worlds = session.worlds()
        self._sim = worlds.sims[self.team]
        self.map = worlds.maps[self.team]
        self.scenario: Scenario = self._sim.scenario
        self.role = session.info.role
        self.firm_id = self.map.firm
        self.team_view: TeamView = session.team_view(self.team)
        self.draft: Decisions = self.map.to_market(session.next_draft(self.team))
        level = session.info.coach
        self.coach = Coach(level) if level != "none" else None  # off unless the facilitator

    # ------------------------------------------------------------------ the desk
    @property
    def quarter(self) -> int:
        """The open round."""
        return self.team_view.round

    @property
    def quarters(self) -> int:
        """Rounds in the session."""
        return self.team_view.rounds

    @property
    def heading(self) -> str:
        """Team and role, for the top bar."""
        return f"{self.team} · {ROLE_NAMES[self.role]}"

    @property
    def handed_in(self) -> bool:
        """True when the team has already handed in this round (handing in again replaces it)."""
        return self.team_view.submitted

    def view(self) -> FirmView:
        """The team's own firm: public results plus its own organisation, nothing more."""
        return self.team_view.firm

    def scorecard(self) -> dict[str, Any]:
        """The team's score, grade, objectives and competencies so far."""
        return self.team_view.scorecard

    def previous(self) -> Decisions | None:
        """The decisions the team played last round (in its market's ids)."""
        last = self.session.last_decisions(self.team)
        return self.map.to_market(last) if last is not None else None

    def preview_sim(self) -> Simulation | None:
        """The team's market: a preview plays a copy of it (rounds are never resolved while a
        team sits at its hub)."""
        return self._sim

    def engine_problems(self, decisions: Decisions) -> list[Problem]:
        """The engine's check in the team's market, messages in the scenario's own ids."""
        found = self._sim.problems(self.firm_id, decisions)
        return [replace(p, message=self.map.local_text(p.message)) for p in found]

    def engine_outlook(self, decisions: Decisions) -> Outlook:
        """The engine's portfolio outlook in the team's market (its own firm only)."""
        return self._sim.outlook(self.firm_id, decisions)

    # ------------------------------------------------------------------ hand in
    def authored(self) -> Decisions:
        """The draft in the scenario's own ids (what the session records)."""
        decisions, shape = self.decisions()
        if decisions is None:
            from game.workshop.session import WorkshopError
            from game.workshop.words import phrase, whose

            raise WorkshopError(
                phrase(
                    "ws_errors.not_well_formed",
                    what=phrase("ws_errors.decisions_of", whose=whose(self.team)),
                ),
                [str(p) for p in shape],
            )
        return self.map.to_team(decisions)

    def hand_in(self) -> list[str]:
        """Record the draft for the open round; returns the warnings (played as given).

        Raises :class:`~game.workshop.session.WorkshopError` in words when anything is
        wrong; nothing is recorded then.
        """
        return self.session.submit(self.team, self.authored())

"""The briefing before quarter 1: story, objectives, your company and the market."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from engine.formatting import count, money
from engine.scoring import OBJECTIVES_SHARE
from game.scenes.base import GAP, MARGIN, ROW, Scene, grid
from game.scenes.role_choice import ROLES
from game.widgets.text import plain

if TYPE_CHECKING:
    from game.app import App
    from game.session import ScenarioEntry

ARCHETYPES = {
    "incumbent": "holds its position and moves price slowly",
    "price_follower": "follows price moves",
    "fast_follower": "copies the leader's best features after a delay",
    "innovator": "chases under-served needs, sometimes with big jumps",
    "niche": "focuses on one segment",
    "best_response": "picks the move that looks most profitable",
}


def paragraphs(text: str) -> str:
    """YAML block text as HTML: blank lines separate paragraphs, single newlines are spaces."""
    blocks = [" ".join(b.split()) for b in text.split("\n\n") if b.strip()]
    return "<br><br>".join(html.escape(plain(b)) for b in blocks)


class BriefingScene(Scene):
    """Four panels of text; Start begins quarter 1."""

    name = "briefing"

    def __init__(self, app: App, entry: ScenarioEntry, role: str, seed: int) -> None:
        from game.coach import default_level

        super().__init__(app)
        self.entry = entry
        self.role = role
        self.seed = seed
        assert entry.scenario is not None
        self.coach: str = default_level(entry.scenario)

    def build(self) -> None:
        s = self.entry.scenario
        assert s is not None
        self.label(
            pygame.Rect(MARGIN, MARGIN, self.width - 2 * MARGIN, 40),
            f"{s.title} — you are the {ROLES[self.role][0]}",
            object_id="#heading",
        )
        area = pygame.Rect(
            MARGIN, MARGIN + 52, self.width - 2 * MARGIN, self.height - 2 * MARGIN - 52 - ROW - GAP
        )
        story, objectives, company, market = grid(area, 2, 2)
        self.text(story, "<b>The story</b><br>" + paragraphs(s.briefing))
        self.text(objectives, self._objectives())
        self.text(company, self._company())
        self.text(market, self._market())
        by = self.height - MARGIN - ROW
        self.button(pygame.Rect(MARGIN, by, 160, ROW), "Back", self.app.pop, tip="Esc")
        self.button(
            pygame.Rect(self.width - MARGIN - 260, by, 260, ROW),
            "Start quarter 1",
            self.start,
            object_id="#primary",
            tip="Open the quarter hub: make your decisions on each tab, then End quarter.",
        )
        self._coach_button(by)
        self.app.focus_index = 1

    def _coach_button(self, y: int) -> None:
        """The coach level, cycled by a click or Enter (made after Start: Start keeps the focus)."""
        from game.coach import LEVEL_NAMES, LEVEL_TIPS

        w = min(420, self.width - 2 * MARGIN - 160 - 260 - 4 * GAP)
        self.button(
            pygame.Rect((self.width - w) // 2, y, w, ROW),
            f"Coach: {LEVEL_NAMES[self.coach]}",
            self.cycle_coach,
            tip=f"{LEVEL_TIPS[self.coach]} Click or Enter for the next choice. You can change it "
            "later in the pause menu (Esc).",
        )

    def cycle_coach(self) -> None:
        """Next coach level: guided, hints, off."""
        from game.coach import next_level

        self.coach = next_level(self.coach)
        self.refresh()

    def _objectives(self) -> str:
        s = self.entry.scenario
        assert s is not None
        mine = [o for o in s.objectives if self.role in o.roles]
        total = sum(o.weight for o in mine)
        rows = [
            f"• {html.escape(plain(o.description))} <font color='#a8b3c1'>"
            f"({o.weight / total:.0%} of the objectives)</font>"
            for o in mine
        ]
        share = round(100 * OBJECTIVES_SHARE)
        rows.append(
            f"<font color='#a8b3c1'>Objectives are {share}% of your score; the rest is how you "
            "play, all game long: research, delivery, your customers and your team. A target "
            "already met at the start is a guardrail: keep it.</font>"
        )
        return "<b>Your objectives</b><br>" + "<br>".join(rows)

    def _company(self) -> str:
        s = self.entry.scenario
        assert s is not None
        firm = s.player_firms()[0]
        lines = [
            f"<b>Your company: {html.escape(firm.name)}</b>",
            f"Cash: {html.escape(money(firm.cash, s.currency))}",
        ]
        for p in firm.products:
            if self.role not in p.roles:
                continue
            customers = sum(p.customers.values())
            team = p.team
            people = f", {team.engineers} engineers" if team else ""
            pm = (
                f", PM {html.escape(team.pm.name)}"
                if team and team.pm and self.role == "cpo"
                else ""
            )
            lines.append(
                f"• <b>{html.escape(p.name)}</b>: {html.escape(money(p.price, s.currency))} "
                f"per customer per quarter, {count(customers)} customers{people}{pm}"
            )
        return "<br>".join(lines)

    def _market(self) -> str:
        s = self.entry.scenario
        assert s is not None
        lines = ["<b>The market</b>"]
        for seg in s.segments:
            lines.append(
                f"• <b>{html.escape(seg.name)}</b> ({count(seg.size)} potential "
                f"customers): {html.escape(seg.description)}"
            )
        rivals = [f for f in s.firms if f.controller == "ai"]
        if rivals:
            lines.append("<b>Rivals</b>")
        for f in rivals:
            style = ARCHETYPES.get(f.ai.archetype, "") if f.ai else ""
            lines.append(f"• <b>{html.escape(f.name)}</b>: {html.escape(f.description or style)}")
        return "<br>".join(lines)

    def start(self) -> None:
        """Create the game and open the quarter hub."""
        from game.scenes.flow import start_game

        start_game(self.app, self.entry, self.role, self.seed, self.coach)

    def on_enter(self) -> None:
        self.start()

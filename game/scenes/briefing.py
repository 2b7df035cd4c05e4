"""The briefing before quarter 1: story, objectives, your company and the market."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from engine.formatting import count, money, pct
from engine.phrases import Words
from engine.scoring import OBJECTIVES_SHARE
from game.scenes.base import GAP, MARGIN, ROW, Scene, grid
from game.scenes.glossary import ROLE_NAMES
from game.translation import t, words
from game.widgets.text import plain

if TYPE_CHECKING:
    from game.app import App
    from game.session import ScenarioEntry

ARCHETYPES: Words[str] = words(
    "briefing.archetype",
    ("incumbent", "price_follower", "fast_follower", "innovator", "niche", "best_response"),
)
"""How each AI archetype plays, in words (a rival without its own description)."""


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
            t("briefing.heading", title=s.title, role=ROLE_NAMES[self.role]),
            object_id="#heading",
        )
        area = pygame.Rect(
            MARGIN, MARGIN + 52, self.width - 2 * MARGIN, self.height - 2 * MARGIN - 52 - ROW - GAP
        )
        story, objectives, company, market = grid(area, 2, 2)
        self.text(story, f"<b>{t('briefing.story')}</b><br>" + paragraphs(s.briefing))
        self.text(objectives, self._objectives())
        self.text(company, self._company())
        self.text(market, self._market())
        by = self.height - MARGIN - ROW
        self.button(pygame.Rect(MARGIN, by, 160, ROW), t("common.back"), self.app.pop, tip="Esc")
        self.button(
            pygame.Rect(self.width - MARGIN - 260, by, 260, ROW),
            t("briefing.start"),
            self.start,
            object_id="#primary",
            tip=t("briefing.start_tip"),
        )
        self._coach_button(by)
        self.app.focus_index = 1

    def _coach_button(self, y: int) -> None:
        """The coach level, cycled by a click or Enter (made after Start: Start keeps the focus)."""
        from game.coach import LEVEL_NAMES, LEVEL_TIPS

        w = min(420, self.width - 2 * MARGIN - 160 - 260 - 4 * GAP)
        self.button(
            pygame.Rect((self.width - w) // 2, y, w, ROW),
            t("briefing.coach", level=LEVEL_NAMES[self.coach]),
            self.cycle_coach,
            tip=t("briefing.coach_tip", tip=LEVEL_TIPS[self.coach]),
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
            f"{t('briefing.weight', share=pct(o.weight / total, 0))}</font>"
            for o in mine
        ]
        share = pct(round(100 * OBJECTIVES_SHARE) / 100, 0)
        rows.append(f"<font color='#a8b3c1'>{t('briefing.objectives_share', share=share)}</font>")
        return f"<b>{t('briefing.objectives')}</b><br>" + "<br>".join(rows)

    def _company(self) -> str:
        s = self.entry.scenario
        assert s is not None
        firm = s.player_firms()[0]
        lines = [
            f"<b>{t('briefing.company', name=html.escape(firm.name))}</b>",
            t("briefing.cash", cash=html.escape(money(firm.cash, s.currency))),
        ]
        for p in firm.products:
            if self.role not in p.roles:
                continue
            customers = sum(p.customers.values())
            team = p.team
            people = t("briefing.people", engineers=team.engineers) if team else ""
            pm = (
                t("briefing.pm", name=html.escape(team.pm.name))
                if team and team.pm and self.role == "cpo"
                else ""
            )
            product = t(
                "briefing.product",
                name=f"<b>{html.escape(p.name)}</b>",
                price=html.escape(money(p.price, s.currency)),
                customers=count(customers),
            )
            lines.append(f"• {product}{people}{pm}")
        return "<br>".join(lines)

    def _market(self) -> str:
        s = self.entry.scenario
        assert s is not None
        lines = [f"<b>{t('briefing.market')}</b>"]
        for seg in s.segments:
            segment = t(
                "briefing.segment",
                name=f"<b>{html.escape(seg.name)}</b>",
                size=count(seg.size),
                description=html.escape(seg.description),
            )
            lines.append(f"• {segment}")
        rivals = [f for f in s.firms if f.controller == "ai"]
        if rivals:
            lines.append(f"<b>{t('briefing.rivals')}</b>")
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

"""The decision desk: what the hub and every tab bind to, whoever is deciding.

A desk is one decision-maker's seat for the quarter being decided: the scenario of its market,
its role, its own firm as it may see it (public market history plus its own organisation and
beliefs), the draft :class:`~engine.decisions.Decisions` being edited, the problems with that
draft in words, and a way to hand it in. The solo game (:class:`game.session.Session`) and a
hot-seat workshop team (:class:`game.workshop.team_desk.TeamDesk`) are two desks behind the
same hub, so every decision the solo hub offers is offered to a team too.

:class:`DraftDesk` holds what every desk does the same way; a desk supplies only where its
view, its checks and its hand-in come from. Nothing here computes a simulation result: views
and problems come from the engine, and the wording of a draft from
:func:`engine.decisions.describe`.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Protocol

from engine.decisions import Decisions, ProductDecision, describe
from engine.scenario import Product, Scenario
from game.translation import t

if TYPE_CHECKING:
    from engine.company import OrgView
    from engine.decision_check import Problem
    from engine.lines import Outlook
    from engine.preview import Preview
    from engine.report import TurnReport
    from engine.research import Belief
    from engine.simulation import Simulation
    from engine.view import FirmView
    from game.coach import Coach


class Desk(Protocol):
    """The protocol every hub tab binds to."""

    scenario: Scenario
    role: str
    firm_id: str
    draft: Decisions
    coach: Coach | None  # the tutorial coach on this desk (None: never offered)

    @property
    def quarter(self) -> int:
        """The quarter (or workshop round) being decided, 1-based."""
        ...

    @property
    def quarters(self) -> int:
        """How many quarters (rounds) this game has."""
        ...

    @property
    def heading(self) -> str:
        """Who is deciding, for the top bar: firm or team, and role."""
        ...

    def view(self) -> FirmView:
        """The desk's own firm as it may see it now (history: public results + its own)."""
        ...

    def history(self) -> list[TurnReport]:
        """The quarter reports this desk may see, quarter 0 first."""
        ...

    def org(self) -> OrgView:
        """The organisation part of the view: culture, lines, beliefs, capacity."""
        ...

    def products(self) -> list[Product]:
        """The product lines this desk decides, in scenario order."""
        ...

    def product_draft(self, product_id: str) -> ProductDecision:
        """The draft decision for one product (created on first use)."""
        ...

    def belief(self) -> Belief:
        """What the firm believes about the market."""
        ...

    def believed_ideals(self) -> list[tuple[str, dict[str, tuple[float, float]]]]:
        """Per segment: name and the believed ideal (mean, sd) per attribute."""
        ...

    def scorecard(self) -> dict[str, Any]:
        """Score, grade, objectives and competencies so far."""
        ...

    def problems(self) -> tuple[list[str], list[str]]:
        """(errors, warnings) of the draft in words: errors block, warnings play as given."""
        ...

    def summary(self) -> list[str]:
        """The draft in words, every choice stated (the confirmation before handing in)."""
        ...

    def problems_for(self, where: str) -> list[str]:
        """The messages of the draft's problems at ``where`` (e.g. "forecast") or inside it."""
        ...

    def outlook(self) -> Outlook:
        """The engine's portfolio outlook for the draft: each line's plan and why, the bets."""
        ...

    def preview(self, draft: Decisions) -> Preview | None:
        """The engine's expected effect of ``draft``'s prices and marketing on next quarter.

        None when this desk offers no preview (:attr:`DraftDesk.no_preview` says why);
        ``ValueError`` in words when the draft's prices or marketing are refused. Slow
        (tens of milliseconds): call it from a background job, with a copy of the draft.
        """
        ...


class DraftDesk(ABC):
    """What every desk does the same way; subclasses say where the view and checks come from."""

    scenario: Scenario
    role: str
    firm_id: str
    draft: Decisions
    coach: Coach | None = None
    PREVIEWS_KEPT = 32
    """Previews of this quarter's drafts remembered (a slider visits many prices)."""

    def __init__(self) -> None:
        self.sim_lock = threading.Lock()  # the simulation: stepped, or copied by a preview
        self._previews: dict[tuple[int, str], Preview] = {}

    @property
    def no_preview(self) -> str:
        """Why :meth:`preview` returns None on this desk (shown where the preview would be);
        a desk may say it in its own words (set it, or override it)."""
        said: str | None = getattr(self, "_no_preview", None)
        return t("desk.no_preview") if said is None else said

    @no_preview.setter
    def no_preview(self, words: str) -> None:
        self._no_preview = words

    # ------------------------------------------------------------------ supplied by a desk
    @abstractmethod
    def view(self) -> FirmView:
        """The desk's own firm as it may see it now."""

    @abstractmethod
    def engine_problems(self, decisions: Decisions) -> list[Problem]:
        """The engine's check of well-formed decisions (errors first), messages in words."""

    @abstractmethod
    def engine_outlook(self, decisions: Decisions) -> Outlook:
        """The engine's portfolio outlook of well-formed decisions for the desk's firm."""

    # ------------------------------------------------------------------ shared
    def history(self) -> list[TurnReport]:
        """The quarter reports this desk may see, quarter 0 first."""
        return self.view().history

    def org(self) -> OrgView:
        """The organisation part of the view: culture, lines, beliefs, capacity."""
        org = self.view().organisation
        assert org is not None, "a player firm always has an organisation view"
        return org

    def products(self) -> list[Product]:
        """The product lines this desk decides now, in scenario order (a sunset line is gone)."""
        firm = next(f for f in self.scenario.firms if f.id == self.firm_id)
        lines = self.org().lines
        return [
            p for p in firm.products if self.role in p.roles and (p.team is None or p.id in lines)
        ]

    def product_draft(self, product_id: str) -> ProductDecision:
        """The draft decision for one product (created on first use, marked as chosen)."""
        if product_id not in self.draft.products:
            # Reassigning (not mutating) marks ``products`` as set on the draft.
            self.draft.products = {**self.draft.products, product_id: ProductDecision()}
        return self.draft.products[product_id]

    def belief(self) -> Belief:
        """What the firm believes about the market (shared by all its lines)."""
        return next(iter(self.org().lines.values())).belief

    def believed_ideals(self) -> list[tuple[str, dict[str, tuple[float, float]]]]:
        """Per segment: name and the believed ideal (mean, sd) per attribute."""
        belief = self.belief()
        return [
            (seg.name, {a: (e.mean, e.sd) for a, e in belief.ideals[seg.id].items()})
            for seg in self.scenario.segments
        ]

    def decisions(self) -> tuple[Decisions | None, list[Problem]]:
        """The draft as well-formed decisions (only the choices made), or its shape problems."""
        from engine.decision_check import parse  # numpy-heavy: loaded when a game starts

        return parse(self.draft)

    def checked(self) -> list[Problem]:
        """Every problem with the draft: its shape problems, else the engine's check."""
        decisions, shape = self.decisions()
        return shape if decisions is None else self.engine_problems(decisions)

    def problems(self) -> tuple[list[str], list[str]]:
        """(errors, warnings) of the draft in words: errors block, warnings play as given."""
        from engine.decision_check import in_words

        found = [(p.severity, in_words(p, self.scenario)) for p in self.checked()]
        return (
            [text for severity, text in found if severity == "error"],
            [text for severity, text in found if severity == "warning"],
        )

    def problems_for(self, where: str) -> list[str]:
        """The messages of the draft's problems at ``where`` (e.g. "forecast") or inside it."""
        return [
            p.message for p in self.checked() if p.where == where or p.where.startswith(f"{where}.")
        ]

    def outlook(self) -> Outlook:
        """The engine's portfolio outlook for the draft (an empty draft while it is not well
        formed): each line's plan as it will be played and why, the bets, incubation."""
        decisions, _ = self.decisions()
        return self.engine_outlook(decisions or Decisions())

    def previous(self) -> Decisions | None:
        """The decisions played last quarter (None before the first)."""
        return None

    def preview_sim(self) -> Simulation | None:
        """The simulation a preview copies (None: this desk offers no preview)."""
        return None

    def preview(self, draft: Decisions) -> Preview | None:
        """The engine's expected effect of ``draft``'s prices and marketing on next quarter.

        Remembered per quarter and draft (moving a slider back costs nothing) and
        thread-safe: a background job calls it with a copy of the draft. None when the desk
        offers no preview (:attr:`no_preview`); ``ValueError`` in words when the prices or
        marketing are refused.
        """
        from engine.decision_check import in_words
        from engine.preview import preview, pricing_part

        sim = self.preview_sim()
        if sim is None:
            return None
        with self.sim_lock:
            part = pricing_part(sim, self.firm_id, draft)
            key = (sim.state.quarter, part.model_dump_json())
            if key not in self._previews:
                errors = [p for p in self.engine_problems(part) if p.severity == "error"]
                if errors:
                    raise ValueError(in_words(errors[0], self.scenario))
                if len(self._previews) >= self.PREVIEWS_KEPT:
                    self._previews.clear()
                self._previews[key] = preview(sim, self.firm_id, part)
            return self._previews[key]

    def summary(self) -> list[str]:
        """The draft in words, every choice stated (the confirmation before handing in)."""
        decisions, _ = self.decisions()
        return describe(
            self.scenario,
            decisions or self.draft,
            self.history()[-1],
            self.previous(),
            full=True,
            ai_lines=[p.id for p in self.products()] if self.role == "cpo" else (),
        )

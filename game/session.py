"""The seam between the screens and the engine: one game in progress.

A :class:`Session` holds the scenario, the role, the seed, the engine's ``Simulation``, the
decision log and the draft ``Decisions`` the player is editing. Screens read view data from
it and write decisions into the draft; :meth:`Session.end_quarter` checks the draft and steps
the engine. Nothing here computes a simulation result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from engine.decisions import Decisions, ProductDecision
from engine.loader import ScenarioError, load_scenario
from engine.scenario import Product, Scenario
from game import paths
from game.saves import SaveData, SaveError, autosave_path, content_hash, read_save, write_save

COMPARISON_BOTS = ("hold", "random", "balanced")
"""Bots the debrief compares the player with: do nothing, play at random, play sensibly."""

if TYPE_CHECKING:  # the simulation (numpy) is imported only when a game starts
    from engine.company import OrgView
    from engine.report import TurnReport
    from engine.research import Belief
    from engine.view import FirmView


@dataclass(frozen=True)
class ScenarioEntry:
    """A scenario file as listed on the picker: valid (``scenario``) or not (``problems``)."""

    path: Path
    digest: str
    scenario: Scenario | None = None
    problems: list[str] = field(default_factory=list)
    bundled: bool = True

    @property
    def title(self) -> str:
        """Title to list: the scenario's, or the file name when it is invalid."""
        return self.scenario.title if self.scenario else self.path.name


def read_scenario(path: Path, bundled: bool = True) -> ScenarioEntry:
    """Load and validate one scenario file; problems are returned, never raised."""
    try:
        digest = content_hash(path.read_bytes())
    except OSError as exc:
        return ScenarioEntry(
            path, "", None, [f"{path.name}: cannot read ({exc.strerror})"], bundled
        )
    try:
        return ScenarioEntry(path, digest, load_scenario(path), [], bundled)
    except ScenarioError as exc:
        return ScenarioEntry(path, digest, None, [str(p) for p in exc.problems], bundled)


def list_scenarios() -> list[ScenarioEntry]:
    """Bundled scenarios first, then the user's own folder (``*.yaml`` and ``*.yml``)."""
    user = paths.user_scenarios_dir()
    own = sorted([*user.glob("*.yaml"), *user.glob("*.yml")])
    return [read_scenario(p) for p in paths.bundled_scenarios()] + [
        read_scenario(p, bundled=False) for p in own
    ]


class Session:
    """One game: scenario + role + seed + the decisions made so far."""

    def __init__(self, entry: ScenarioEntry, role: str, seed: int) -> None:
        if entry.scenario is None:
            raise ValueError(f"{entry.path.name} is not a valid scenario")
        from engine.simulation import Simulation  # numpy-heavy: loaded when a game starts

        self.entry = entry
        self.scenario: Scenario = entry.scenario
        self.role = role
        self.seed = seed
        self.firm_id = self.scenario.player_firms()[0].id
        self.sim = Simulation(self.scenario, seed, role=role)
        self.sim.reset()
        self.log: list[dict[str, Decisions]] = []
        self.reports: list[TurnReport] = []
        self._view: FirmView | None = None
        self.draft = self._next_draft()

    # ------------------------------------------------------------------ view data
    @property
    def quarter(self) -> int:
        """The quarter being decided (1-based)."""
        return len(self.log) + 1

    @property
    def finished(self) -> bool:
        """True once every quarter of the scenario has been played."""
        return len(self.log) >= self.scenario.quarters

    @property
    def last(self) -> TurnReport | None:
        """The latest quarter's report (None before quarter 1 is played)."""
        return self.reports[-1] if self.reports else None

    def products(self) -> list[Product]:
        """The player's product lines visible in this role, in scenario order."""
        firm = next(f for f in self.scenario.firms if f.id == self.firm_id)
        return [p for p in firm.products if self.role in p.roles]

    def product_draft(self, product_id: str) -> ProductDecision:
        """The draft decision for one product (created on first use)."""
        return self.draft.products.setdefault(product_id, ProductDecision())

    def view(self) -> FirmView:
        """What the player may see now (the engine's view; cached until the next quarter)."""
        if self._view is None:
            self._view = self.sim.view(self.firm_id)
        return self._view

    def org(self) -> OrgView:
        """The organisation part of the view: culture, lines, beliefs, capacity."""
        org = self.view().organisation
        assert org is not None, "a player firm always has an organisation view"
        return org

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

    def scorecard(self) -> dict[str, Any]:
        """Score, grade, objectives and competencies so far (the engine's scorecard)."""
        return self.sim.scorecard(self.firm_id)

    def bot_comparison(self, bots: tuple[str, ...] = COMPARISON_BOTS) -> list[dict[str, Any]]:
        """Built-in bots played on the same scenario, role and seed: luck versus skill.

        Each entry holds the bot's name and its engine scorecard (score, grade, ...).
        """
        from engine.bots import play
        from engine.simulation import Simulation

        out = []
        for name in bots:
            sim = Simulation(self.scenario, self.seed, role=self.role)
            play(sim, name)
            out.append({"bot": name, **sim.scorecard(self.firm_id)})
        return out

    # ------------------------------------------------------------------ turn
    def problems(self) -> tuple[list[str], list[str]]:
        """(errors, warnings) of the draft in words: errors block the quarter, warnings don't."""
        try:
            decisions = Decisions.model_validate(self.draft.model_dump())
        except ValidationError as exc:
            return ([str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()], [])
        found = self.sim.problems(self.firm_id, decisions)
        return (
            [p.message for p in found if p.severity == "error"],
            [p.message for p in found if p.severity == "warning"],
        )

    def end_quarter(self, autosave: bool = True) -> TurnReport:
        """Play the draft: step the engine, log the decisions, autosave, start a new draft."""
        if self.finished:
            raise ValueError("the game is over: every quarter has been played")
        decisions = Decisions.model_validate(self.draft.model_dump())
        report = self.sim.step({self.firm_id: decisions})
        self.log.append({self.firm_id: decisions})
        self.reports.append(report)
        self._view = None
        self.draft = self._next_draft()
        if autosave:
            self.autosave_quietly()
        return report

    def _next_draft(self) -> Decisions:
        """Next quarter's draft: last quarter's standing choices, one-off choices cleared."""
        if not self.log:
            return Decisions()
        previous = self.log[-1][self.firm_id]
        lines = self.org().lines
        products = {
            pid: ProductDecision(
                price=d.price,
                marketing=dict(d.marketing),
                roadmap=[i for i in d.roadmap if i not in lines[pid].shipped],
                split=d.split,
            )
            for pid, d in previous.products.items()
            if pid in lines
        }
        return Decisions(
            products=products,
            hiring_freeze=previous.hiring_freeze,
            themes=dict(previous.themes),
            mentoring=dict(previous.mentoring),
            bets=[b for b in previous.bets if b not in self.org().bets_resolved],
        )

    # ------------------------------------------------------------------ saves
    def save_data(self) -> SaveData:
        """What a save file holds for this game."""
        return SaveData(
            scenario_id=self.scenario.id,
            scenario_path=str(self.entry.path),
            scenario_hash=self.entry.digest,
            seed=self.seed,
            role=self.role,
            log=list(self.log),
        )

    def save(self, path: Path | None = None) -> Path:
        """Write the game to ``path`` (default: the autosave) atomically."""
        target = path or autosave_path()
        write_save(target, self.save_data())
        return target

    def autosave_quietly(self) -> str | None:
        """Autosave; returns a message instead of raising when the disk refuses."""
        try:
            self.save()
        except OSError as exc:
            return f"Could not autosave: {exc.strerror or exc}"
        return None

    @classmethod
    def from_save(cls, path: Path | None = None) -> Session:
        """Rebuild a saved game by replaying its decision log; raises SaveError in words."""
        data = read_save(path or autosave_path())
        entry = read_scenario(Path(data.scenario_path))
        if entry.scenario is None:
            raise SaveError(
                f"the saved game's scenario {Path(data.scenario_path).name} cannot be loaded"
            )
        if entry.scenario.id != data.scenario_id or entry.digest != data.scenario_hash:
            raise SaveError(
                f"the scenario '{data.scenario_id}' has changed since this game was saved, "
                "so it cannot resume exactly"
            )
        if data.role not in entry.scenario.roles:
            raise SaveError(f"the saved role '{data.role}' is not offered by this scenario")
        session = cls(entry, data.role, data.seed)
        for decisions in data.log:
            session.draft = decisions[session.firm_id]
            session.end_quarter(autosave=False)
        return session

"""The seam between the screens and the engine: one game in progress.

A :class:`Session` holds the scenario, the role, the seed, the engine's ``Simulation``, the
decision log and the draft ``Decisions`` the player is editing. Screens read view data from
it and write decisions into the draft; :meth:`Session.end_quarter` checks the draft and steps
the engine. Nothing here computes a simulation result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from engine.decisions import Decisions, ProductDecision
from engine.loader import ScenarioError, load_scenario
from engine.report import TurnReport
from engine.scenario import Product, Scenario
from game import paths
from game.saves import SaveData, SaveError, autosave_path, content_hash, read_save, write_save


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

    def believed_ideals(self) -> list[tuple[str, dict[str, tuple[float, float]]]]:
        """Per segment: name and the believed ideal (mean, sd) per attribute, from research.

        Reads ``FirmView.belief`` (an ``engine.research.Belief``); empty while the engine
        does not report beliefs in the firm's view.
        """
        belief = getattr(self.sim.view(self.firm_id), "belief", None)
        if belief is None:
            return []
        return [
            (seg.name, {a: (e.mean, e.sd) for a, e in belief.ideals[seg.id].items()})
            for seg in self.scenario.segments
        ]

    def objective_lines(self) -> list[str]:
        """The scenario's objectives in words."""
        return [o.description for o in self.scenario.objectives]

    # ------------------------------------------------------------------ turn
    def problems(self) -> list[str]:
        """Every reason the draft cannot be played this quarter, in words (empty: fine)."""
        try:
            Decisions.model_validate(self.draft.model_dump())
        except ValidationError as exc:
            return [str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()]
        return []

    def end_quarter(self) -> TurnReport:
        """Play the draft: step the engine, log the decisions, autosave, start a new draft."""
        if self.finished:
            raise ValueError("the game is over: every quarter has been played")
        decisions = Decisions.model_validate(self.draft.model_dump())
        report = self.sim.step({self.firm_id: decisions})
        self.log.append({self.firm_id: decisions})
        self.reports.append(report)
        self.draft = self._next_draft()
        self.autosave_quietly()
        return report

    def _next_draft(self) -> Decisions:
        """Next quarter's draft: last quarter's standing choices, one-off choices cleared."""
        if not self.log:
            return Decisions()
        previous = self.log[-1][self.firm_id]
        products = {
            pid: ProductDecision(
                price=d.price, marketing=dict(d.marketing), roadmap=list(d.roadmap), split=d.split
            )
            for pid, d in previous.products.items()
        }
        return Decisions(
            products=products,
            hiring_freeze=previous.hiring_freeze,
            themes=dict(previous.themes),
            mentoring=dict(previous.mentoring),
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
            session.log.append(decisions)
            session.reports.append(session.sim.step(decisions))
            session.draft = session._next_draft()
        return session

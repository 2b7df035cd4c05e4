"""The seam between the screens and the engine: one game in progress.

A :class:`Session` holds the scenario, the role, the seed, the engine's ``Simulation``, the
decision log and the draft ``Decisions`` the player is editing; it is the solo game's
:class:`~game.desk.Desk`. Screens read view data from it and write decisions into the draft;
:meth:`Session.end_quarter` checks the draft and steps the engine. It also keeps the coach
(:mod:`game.coach`) and the trainee's reflections, which are saved with the game, and
lets price previews (:mod:`engine.preview`, through :meth:`DraftDesk.preview`) copy its
simulation from a background job; the desk's lock keeps a copy from being taken while a
quarter is played. Nothing here computes a simulation result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.decisions import Decisions, carry_forward
from engine.loader import MAX_BYTES, ScenarioError, load_scenario, load_scenario_text
from engine.scenario import Scenario
from game import paths
from game.coach import Coach
from game.desk import DraftDesk
from game.files import os_reason, read_bytes
from game.saves import (
    Reflection,
    SaveData,
    SaveError,
    autosave_path,
    content_hash,
    quietly,
    read_save,
    write_save,
)
from game.scenario_choice import upgrade_line
from game.scenes.glossary import ROLE_NAMES
from game.translation import t

if TYPE_CHECKING:  # the simulation (numpy) is imported only when a game starts
    from engine.decision_check import Problem
    from engine.lines import Outlook
    from engine.report import TurnReport
    from engine.simulation import Simulation
    from engine.view import FirmView


@dataclass(frozen=True)
class ScenarioEntry:
    """A scenario file as listed on the picker: valid (``scenario``) or not (``problems``)."""

    path: Path
    digest: str
    scenario: Scenario | None = None
    problems: list[str] = field(default_factory=list)
    bundled: bool = True
    text: str | None = None  # the file's text as read (copied into saves)

    @property
    def title(self) -> str:
        """Title to list: the scenario's, or the file name when it is invalid."""
        return self.scenario.title if self.scenario else self.path.name

    @property
    def note(self) -> str:
        """The older-format note for a file converted on load ('' when it is current)."""
        if self.scenario is None:
            return ""
        return upgrade_line(self.scenario, self.path) or ""


def read_scenario(path: Path, bundled: bool = True) -> ScenarioEntry:
    """Load and validate one scenario file; problems are returned, never raised.

    The file's type and size are checked before it is read (a link to ``/dev/zero`` or a
    FIFO among the user's scenarios is listed as a problem, not read).
    """
    try:
        data = read_bytes(path, MAX_BYTES)
    except OSError as exc:
        return ScenarioEntry(
            path, "", None, [f"{path.name}: cannot read ({os_reason(exc)})"], bundled
        )
    digest = content_hash(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # the loader says where the bad byte is
        text = None
    try:
        from game.translation import language  # the author's text in the player's language

        scenario = (
            load_scenario(path, language())
            if text is None
            else load_scenario_text(
                text.lstrip("\ufeff"), str(path), folder=path.parent, language=language()
            )
        )
        return ScenarioEntry(path, digest, scenario, [], bundled, text)
    except ScenarioError as exc:
        return ScenarioEntry(path, digest, None, [str(p) for p in exc.problems], bundled)


def list_scenarios() -> list[ScenarioEntry]:
    """Bundled scenarios first, then the user's own folder (``*.yaml`` and ``*.yml``)."""
    user = paths.user_scenarios_dir()
    own = sorted([*user.glob("*.yaml"), *user.glob("*.yml")])
    return [read_scenario(p) for p in paths.bundled_scenarios()] + [
        read_scenario(p, bundled=False) for p in own
    ]


class Session(DraftDesk):
    """One solo game: scenario + role + seed + the decisions made so far (a :class:`Desk`)."""

    @property
    def no_preview(self) -> str:  # type: ignore[override]
        """Why a finished game shows no preview."""
        return t("session.no_preview")

    def __init__(self, entry: ScenarioEntry, role: str, seed: int, coach: str = "none") -> None:
        if entry.scenario is None:
            raise ValueError(f"{entry.path.name} is not a valid scenario")
        from engine.simulation import Simulation  # numpy-heavy: loaded when a game starts

        super().__init__()
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
        self.coach = Coach(coach)
        self.reflections: dict[int, Reflection] = {}

    # ------------------------------------------------------------------ the desk
    @property
    def quarter(self) -> int:
        """The quarter being decided (1-based)."""
        return len(self.log) + 1

    @property
    def quarters(self) -> int:
        """How many quarters the scenario has."""
        return self.scenario.quarters

    @property
    def heading(self) -> str:
        """Firm and role, for the top bar."""
        return f"{self.scenario.player_firms()[0].name} · {ROLE_NAMES[self.role]}"

    @property
    def finished(self) -> bool:
        """True once every quarter of the scenario has been played."""
        return len(self.log) >= self.scenario.quarters

    @property
    def last(self) -> TurnReport | None:
        """The latest quarter's report (None before quarter 1 is played)."""
        return self.reports[-1] if self.reports else None

    def view(self) -> FirmView:
        """What the player may see now (the engine's view; cached until the next quarter)."""
        if self._view is None:
            self._view = self.sim.view(self.firm_id)
        return self._view

    def engine_problems(self, decisions: Decisions) -> list[Problem]:
        """The engine's check of the decisions against the firm's state now."""
        return self.sim.problems(self.firm_id, decisions)

    def engine_outlook(self, decisions: Decisions) -> Outlook:
        """The engine's portfolio outlook of the decisions for the firm now."""
        return self.sim.outlook(self.firm_id, decisions)

    def previous(self) -> Decisions | None:
        """The decisions played last quarter (None before the first)."""
        return self.log[-1][self.firm_id] if self.log else None

    def scorecard(self) -> dict[str, Any]:
        """Score, grade, objectives and competencies so far (the engine's scorecard)."""
        return self.sim.scorecard(self.firm_id)

    def preview_sim(self) -> Simulation | None:
        """The game's simulation: a preview plays a copy of it (None once the game is over)."""
        return None if self.finished else self.sim

    # ------------------------------------------------------------------ reflections
    def reflection_question(self) -> str:
        """The question to reflect on after the latest quarter (the engine's prompt)."""
        from engine.debrief import reflection_prompt

        if self.last is None:
            return ""
        asked = [r.question for r in self.reflections.values()]
        prompt = reflection_prompt(self.scenario, self.sim.history, self.firm_id, asked)
        return str(prompt["question"])

    def reflect(self, quarter: int, question: str, answer: str | None) -> None:
        """Keep the answer (None or blank: skipped) to a quarter's question, and autosave."""
        text = (answer or "").strip()
        self.reflections[quarter] = Reflection(quarter, question, text or None)
        self.autosave_quietly()

    # ------------------------------------------------------------------ turn
    def end_quarter(self, autosave: bool = True) -> TurnReport:
        """Play the draft: step the engine, log the decisions, autosave, start a new draft."""
        if self.finished:
            raise ValueError("the game is over: every quarter has been played")
        decisions, shape = self.decisions()
        if decisions is None:
            raise ValueError("; ".join(str(p) for p in shape))
        with self.sim_lock:  # never while a preview copies the simulation
            report = self.sim.step({self.firm_id: decisions})
        self.log.append({self.firm_id: decisions})
        self.reports.append(report)
        self._view = None
        self.draft = self._next_draft()
        if autosave:
            self.autosave_quietly()
        return report

    def _next_draft(self) -> Decisions:
        """Next quarter's draft: the one carry-forward rule over last quarter's decisions."""
        org = self.org()
        return carry_forward(
            self.previous(),
            lines=set(org.lines),
            shipped={i for line in org.lines.values() for i in line.shipped},
            resolved_bets=set(org.bets_resolved),
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
            scenario_text=self.entry.text,
            coach=self.coach.level,
            reflections=tuple(self.reflections[q] for q in sorted(self.reflections)),
        )

    def save(self, path: Path | None = None) -> Path:
        """Write the game to ``path`` (default: the autosave) atomically."""
        target = path or autosave_path()
        write_save(target, self.save_data())
        return target

    def autosave_quietly(self) -> str | None:
        """Autosave; returns a message instead of raising when the disk refuses."""
        return quietly(self.save)

    @classmethod
    def from_save(cls, path: Path | None = None) -> Session:
        """Rebuild a saved game by replaying its decision log; raises SaveError in words.

        A save that carries the scenario's text (format 2) resumes from that copy wherever
        the scenario file is now; a format 1 save reads the scenario from its path.
        """
        data = read_save(path or autosave_path())
        entry = _saved_scenario(data)
        if entry.scenario is None:
            file = Path(data.scenario_path).name
            raise SaveError(
                t("session.scenario_unloadable_why", file=file, problem=entry.problems[0])
                if entry.problems
                else t("session.scenario_unloadable", file=file)
            )
        if entry.scenario.id != data.scenario_id or entry.digest != data.scenario_hash:
            raise SaveError(t("session.scenario_changed", id=data.scenario_id))
        if data.role not in entry.scenario.roles:
            raise SaveError(t("session.role_not_offered", role=data.role))
        if len(data.log) > entry.scenario.quarters:
            raise SaveError(
                t(
                    "session.too_many_quarters",
                    played=len(data.log),
                    quarters=entry.scenario.quarters,
                )
            )
        try:
            session = cls(entry, data.role, data.seed)
        except Exception as exc:  # untrusted numbers reaching the engine
            raise SaveError(t("session.cannot_start", error=exc.__class__.__name__)) from None
        for q, decisions in enumerate(data.log, start=1):
            session._replay(q, decisions)
        session.coach = Coach(data.coach or "none")
        session.reflections = {r.quarter: r for r in data.reflections}
        return session

    def _replay(self, quarter: int, decisions: dict[str, Decisions]) -> None:
        """Play one saved quarter again; anything wrong with it is a SaveError in words."""
        if self.firm_id not in decisions:
            firms = ", ".join(sorted(decisions)[:3]) or t("session.no_firms")
            raise SaveError(
                t("session.no_firm", firm=self.firm_id, quarter=quarter, firms=firms[:80])
            )
        try:
            errors = [
                p for p in self.engine_problems(decisions[self.firm_id]) if p.severity == "error"
            ]
            if errors:
                raise SaveError(
                    t(
                        "session.refused",
                        quarter=quarter,
                        reason=str(errors[0]).splitlines()[0][:160],
                    )
                )
            self.draft = decisions[self.firm_id]
            self.end_quarter(autosave=False)
        except SaveError:
            raise
        except Exception as exc:  # a hand-edited save must never end the game
            raise SaveError(
                t("session.cannot_replay", quarter=quarter, error=exc.__class__.__name__)
            ) from None


def _saved_scenario(data: SaveData) -> ScenarioEntry:
    """The scenario a save was played on: its saved copy, else the file at its path."""
    path = Path(data.scenario_path)
    bundled = path.parent == paths.bundled_scenarios_dir()
    if data.scenario_text is None:
        return read_scenario(path, bundled)
    text = data.scenario_text
    digest = content_hash(text.encode("utf-8", "surrogatepass"))
    try:
        # a base named by path (extends: base.yaml) is read beside the original file
        source = f"{path.name} (saved copy)"
        from game.translation import language  # the author's text in the player's language

        scenario = load_scenario_text(
            text.lstrip("\ufeff"), source, folder=path.parent, language=language()
        )
    except ScenarioError as exc:
        return ScenarioEntry(path, digest, None, [str(p) for p in exc.problems[:1]], bundled)
    return ScenarioEntry(path, digest, scenario, [], bundled, text)

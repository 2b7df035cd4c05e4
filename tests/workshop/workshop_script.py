"""A scripted workshop for the tests: four bot-run teams and the engine driven directly.

:class:`Reference` plays the same scenario, seed and resolution as a session, straight
through the engine (``shared_market`` + one ``Simulation``, or one ``Simulation`` per team),
with a different bot per team; its decisions, in the scenario's own ids, are what the teams
hand in to the session under test.
"""

from __future__ import annotations

import numpy as np
import yaml

from engine.bots import make_bot
from engine.decisions import Decisions
from engine.loader import load_scenario
from engine.report import TurnReport
from engine.scenario import Scenario
from engine.simulation import Simulation
from engine.teams import TeamMap, shared_market, team_ids
from game.paths import find_scenario
from game.workshop.session import WorkshopSession

TEAMS = ["Alpha", "Bravo", "Charlie", "Delta"]
BOT_NAMES = ["balanced", "greedy_share", "profit", "customer_centric"]
SEED = 11
RESOLUTION = 200
ROUNDS = 3


def tutorial() -> Scenario:
    """The bundled tutorial scenario."""
    path = find_scenario("tutorial")
    assert path is not None
    return load_scenario(path)


def create_session(
    mode: str, role: str = "pm", scenario: str = "tutorial", session_id: str | None = None
) -> WorkshopSession:
    """A new session of the scripted teams, seed, rounds and resolution."""
    path = find_scenario(scenario)
    assert path is not None
    return WorkshopSession.create(
        path.read_text(),
        teams=TEAMS,
        mode=mode,  # type: ignore[arg-type]
        role=role,
        seed=SEED,
        rounds=ROUNDS,
        resolution=RESOLUTION,
        session_id=session_id,
    )


class Reference:
    """The engine driven directly, one bot per team."""

    def __init__(self, scenario: Scenario, mode: str, role: str = "pm") -> None:
        ids = team_ids(TEAMS)
        if mode == "shared":
            market = shared_market(scenario, ids, dict(zip(ids, TEAMS, strict=True)))
            sim = Simulation(market, seed=SEED, role=role, resolution=RESOLUTION)
            self.sims = dict.fromkeys(TEAMS, sim)
            self.maps = {t: TeamMap.of(scenario, i) for t, i in zip(TEAMS, ids, strict=True)}
        else:
            self.sims = {
                t: Simulation(scenario, seed=SEED, role=role, resolution=RESOLUTION) for t in TEAMS
            }
            self.maps = {t: TeamMap.identity(scenario) for t in TEAMS}
        self.mode = mode
        self.bots = {
            t: make_bot(b, np.random.default_rng(k))
            for k, (t, b) in enumerate(zip(TEAMS, BOT_NAMES, strict=True))
        }

    def decide(self) -> dict[str, Decisions]:
        """Each team's bot decisions for the next round, in the scenario's own ids."""
        out = {}
        for t in TEAMS:
            m = self.maps[t]
            out[t] = m.to_team(self.bots[t].decide(self.sims[t].view(m.firm)))
        return out

    def step(self, decisions: dict[str, Decisions], inject: list[str] | None = None) -> None:
        """Play one round with these decisions (authored ids)."""
        if self.mode == "shared":
            sim = self.sims[TEAMS[0]]
            sim.step(
                {self.maps[t].firm: self.maps[t].to_market(d) for t, d in decisions.items()},
                inject=inject or [],
            )
        else:
            for t, d in decisions.items():
                m = self.maps[t]
                self.sims[t].step({m.firm: m.to_market(d)}, inject=inject or [])

    def last(self, team: str) -> TurnReport:
        """The latest report of the team's market."""
        return self.sims[team].history[-1]


def sheet(session_id: str, team: str, round_: int, decisions: Decisions) -> str:
    """A decision sheet holding ``decisions``."""
    data = {
        "session": session_id,
        "team": team,
        "round": round_,
        "decisions": decisions.model_dump(mode="json", exclude_unset=True),
    }
    return yaml.safe_dump(data, sort_keys=False)

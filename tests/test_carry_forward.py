"""One carry-forward rule: the solo game's next draft and a workshop team keeping its course.

``engine.decisions.carry_forward`` keeps the standing choices (price, marketing, split, roadmap
order minus shipped items, hiring freeze, themes, mentoring, the incubation team, bets still
being funded) and clears the one-off ones (research, hires, layoffs, initiatives, sunsets, the
forecast). The solo :class:`~game.session.Session` and a workshop team that does not hand in
must carry exactly the same choices.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engine.decisions import (
    CapacitySplit,
    Decisions,
    Forecast,
    ProductDecision,
    ResearchOrder,
    carry_forward,
)
from game.paths import find_scenario
from game.session import Session, read_scenario

sys.path.insert(0, str(Path(__file__).parent / "workshop"))
from workshop_script import TEAMS, create_session


def _full(role: str) -> Decisions:
    """One quarter with every kind of choice the role can make (tutorial ids)."""
    if role == "pm":
        return Decisions(
            products={
                "teamboard": ProductDecision(
                    price=290.0,
                    marketing={"smb": 40_000.0},
                    roadmap=["onboarding", "mobile"],
                    split=CapacitySplit(features=0.6, debt=0.3, discovery=0.1),
                    research=[ResearchOrder(method="interviews", segment="smb")],
                    layoffs=1,
                )
            },
            forecast=Forecast(revenue=1_000_000.0, share=0.15),
            initiatives=["blameless_postmortems"],
            hiring_freeze=True,
        )
    return Decisions(
        products={"teamboard": ProductDecision(layoffs=1)},
        themes={"teamboard": "retention"},
        mentoring={"teamboard": 0.3},
        bets=["ai_lab"],
        incubation=1,
        initiatives=["blameless_postmortems"],
        hiring_freeze=True,
    )


def test_the_rule_keeps_standing_choices_and_clears_one_offs() -> None:
    carried = carry_forward(
        _full("pm"), lines={"teamboard"}, shipped={"onboarding"}, resolved_bets=set()
    )
    pd = carried.products["teamboard"]
    assert pd.price == 290.0 and pd.marketing == {"smb": 40_000.0}
    assert pd.split == CapacitySplit(features=0.6, debt=0.3, discovery=0.1)
    assert pd.roadmap == ["mobile"]  # the shipped item is dropped
    assert pd.research == [] and pd.hires == 0 and pd.layoffs == 0
    assert carried.forecast is None and carried.initiatives == [] and carried.sunset == []
    assert carried.hiring_freeze is True


def test_a_cpo_carries_only_what_it_set_and_bets_until_they_resolve() -> None:
    """Bets stand until decided; the incubation team stands like a freeze (it is not reset
    to 0 when a bet is decided: with no bet funded its engineers stay on their lines)."""
    cpo = _full("cpo")
    carried = carry_forward(cpo, lines={"teamboard"}, shipped=set(), resolved_bets=set())
    assert carried.themes == {"teamboard": "retention"} and carried.mentoring == {"teamboard": 0.3}
    assert carried.bets == ["ai_lab"] and carried.incubation == 1
    # the CPO set only layoffs on the line: nothing of the line is carried, the AI PM decides
    assert "teamboard" not in carried.products
    decided = carry_forward(cpo, lines={"teamboard"}, shipped=set(), resolved_bets={"ai_lab"})
    assert decided.bets == [] and decided.incubation == 1
    gone = carry_forward(cpo, lines=set(), shipped=set(), resolved_bets=set())
    assert gone.themes == {} and gone.mentoring == {}  # a sunset line's choices go with it


def _tutorial_session(role: str) -> Session:
    path = find_scenario("tutorial")
    assert path is not None
    return Session(read_scenario(path), role, 11)


@pytest.mark.parametrize("role", ["pm", "cpo"])
def test_solo_and_workshop_carry_the_same_choices(tmp_path: Path, role: str) -> None:
    """The same decisions played solo and by a workshop team: the next quarter starts alike."""
    workshop = create_session("parallel", role=role)
    solo = _tutorial_session(role)
    solo.sim = type(solo.sim)(solo.scenario, 11, role=role, resolution=200)
    solo.sim.reset()
    solo._view = None
    decisions = _full(role)
    workshop.submit(TEAMS[0], decisions)
    for team in TEAMS[1:]:
        workshop.submit(team, Decisions())
    workshop.resolve()
    solo.draft = decisions
    solo.end_quarter(autosave=False)
    # The team's desk starts round 2 from the same draft the solo game starts quarter 2 from,
    # and a team that does not hand in keeps exactly that course.
    team_next = workshop.next_draft(TEAMS[0])
    assert team_next.model_dump(exclude_unset=True) == solo.draft.model_dump(exclude_unset=True)
    assert team_next.model_dump(exclude_unset=True)  # something was carried
    kept = workshop.resolve(keep_course=True)
    assert TEAMS[0] in kept.kept_course
    played = workshop.played(TEAMS[0])[-1]
    assert played.model_dump(exclude_unset=True) == solo.draft.model_dump(exclude_unset=True)
    workshop.close()

"""Company mode on screen (issue 20): a CPO and two PMs at one laptop, the AI in the third
line's seat, two quarters through the screens; the same seed and turns give the engine's own
reports; a PM's study reaches the CPO only when shared; the CPO's direction and the flags
show on the hubs; solo with the AI in the other seats; the role choice reaches it."""

from __future__ import annotations

import pytest
from company_script import (
    SEED,
    classroom_q1,
    cpo_q1,
    hand_in,
    hot_seat,
    portfolio,
    tutor_q1,
)
from helpers import buttons, click, click_at, frames, texts

from engine.company_mode import CpoTurn, Direction, PmTurn, Share, StudyRef, combine, seat_belief
from engine.decisions import Decisions, ProductDecision, ResearchOrder


def test_two_hot_seat_quarters_match_the_engine_driven_directly(app):
    from engine.simulation import Simulation

    session = hot_seat(app)
    assert app.top.name == "company_handover"
    assert "Pass the laptop to Mara, CPO" in texts(app)
    click(app, "I am Mara")
    assert app.top.name == "company_hub"
    cpo_q1(app.top.desk)
    hand_in(app)
    assert app.top.name == "company_handover"
    assert "Pass the laptop to Ana, PM of Quill Classroom" in texts(app)
    assert "Win the families" not in texts(app)  # nothing of Mara's screens is on show
    click(app, "I am Ana")
    classroom_q1(app.top.desk)
    hand_in(app)
    assert "Pass the laptop to Kwame, PM of Quill Tutor" in texts(app)
    click(app, "I am Kwame")
    hub = app.top
    shown = texts(app)
    assert "Theme: Growth" in shown and "Win the families" in shown  # the CPO's direction
    assert "$1,000" in shown
    tutor_q1(hub.desk)
    hub.refresh()
    frames(app, 1)
    assert "over the CPO's budget" in texts(app)  # flagged before handing in
    hand_in(app)
    assert session.quarter == 2 and len(session.reports) == 1
    assert app.top.name == "company_handover" and "Mara" in texts(app)
    click(app, "I am Mara")
    assert app.top.name == "company_results"
    assert "over the CPO's budget" in texts(app)
    click(app, "Plan quarter 2")
    assert app.top.name == "company_hub"
    assert "over the CPO's budget" in texts(app)  # on the CPO's hub too
    hand_in(app)
    for person in ("Ana", "Kwame"):
        click(app, f"I am {person}")
        assert app.top.name == "company_results"
        click(app, "Plan quarter 2")
        hand_in(app)
    assert session.quarter == 3

    # The engine driven directly with the same seed and turns gives the same reports.
    s = session.scenario
    sim = Simulation(s, SEED, role="cpo")
    sim.reset()
    firm = s.player_firms()[0].id
    q1_cpo = CpoTurn(
        decisions=Decisions(themes={"tutor": "growth"}),
        direction={"tutor": Direction(budget=1000.0, strategy="Win the families")},
    )
    q1_pms = {
        "classroom": PmTurn(decision=ProductDecision(marketing={"schools": 60000.0})),
        "tutor": PmTurn(
            decision=ProductDecision(
                price=29.0, research=[ResearchOrder(method="survey", segment="families")]
            )
        ),
    }
    played = session.played
    assert played[0].cpo == q1_cpo and played[0].pms == q1_pms
    assert played[1].cpo.decisions.themes == {"tutor": "growth"}  # the theme stands
    for turn, (cpo, pms) in zip(
        session.reports, [(q1_cpo, q1_pms), (played[1].cpo, played[1].pms)], strict=True
    ):
        decisions, _ = combine(s, cpo, pms)
        report = sim.step({firm: decisions})
        for f in report.firms:
            assert report.firms[f] == turn.firms[f]


def test_a_study_reaches_the_cpo_only_when_shared(app):
    session = hot_seat(app)
    for person, decide in (("Mara", cpo_q1), ("Ana", classroom_q1), ("Kwame", tutor_q1)):
        click(app, f"I am {person}")
        decide(app.top.desk)
        hand_in(app)
    study = (1, "survey", "families")
    s, firm = session.scenario, session.firm_id
    history = session.sim.history
    without = seat_belief(s, firm, history, set()).ideals["families"]
    with_it = seat_belief(s, firm, history, {study}).ideals["families"]
    assert without != with_it
    assert session.desk("cpo").belief().ideals["families"] == without
    assert (
        session.desk("cpo").view().organisation.lines["tutor"].belief.ideals["families"] == without
    )
    assert session.desk("pm:tutor").belief().ideals["families"] == with_it
    assert session.desk("pm:classroom").belief().ideals["families"] == without

    for person in ("Mara", "Ana"):  # quarter 2: Mara and Ana hand in as they stand
        click(app, f"I am {person}")
        click(app, "Plan quarter 2")
        hand_in(app)
    click(app, "I am Kwame")
    click(app, "Plan quarter 2")
    hub = app.top
    hub.show_tab(next(i for i, tab in enumerate(hub.tabs) if tab.namespace == "research"))
    click(app, "Share with the CPO")
    assert app.top.name == "company_share"
    click(app, "Share: Q1 · Survey · Families")
    app.top.desk.set_note("Families want a cheaper plan")
    click(app, "Done")
    assert app.top is hub and "Share with the CPO (1)" in texts(app)
    assert hub.desk.turn().share == Share(
        studies=[StudyRef(quarter=1, method="survey", segment="families")],
        note="Families want a cheaper plan",
    )
    hand_in(app)
    assert session.quarter == 3
    history = session.sim.history
    assert (
        session.desk("cpo").belief().ideals["families"]
        == (seat_belief(s, firm, history, {study}).ideals["families"])
    )
    click(app, "I am Mara")
    click(app, "Plan quarter 3")
    hub = app.top
    hub.show_tab(next(i for i, tab in enumerate(hub.tabs) if tab.namespace.endswith("shared_tab")))
    shown = texts(app)
    assert "Q1 · Survey · Families (Quill Tutor)" in shown
    assert "Families want a cheaper plan" in shown


def test_the_cpo_sets_budget_and_strategy_on_the_portfolio_tab(app):
    session = hot_seat(app)
    click(app, "I am Mara")
    hub = app.top
    hub.show_tab(next(i for i, tab in enumerate(hub.tabs) if tab.namespace == "portfolio"))
    frames(app, 1)
    # per line, in order: the mentoring stepper, then the budget stepper
    lowers = [b for b in buttons(app) if b.text == "−"]
    click_at(app, lowers[1].rect.center)  # Classroom's budget: one step below no limit
    budget = session.desk("cpo").direction["classroom"].budget
    assert budget is not None and budget > 0


def test_solo_pm_with_the_ai_in_every_other_seat(app):
    from game.company_session import CompanySession
    from game.scenes.company import start_company

    session = CompanySession(portfolio(), SEED, {"pm:tutor": None})
    assert session.bots == {"cpo": "balanced", "pm:classroom": "ai", "pm:exam_prep": "ai"}
    start_company(app, session)
    frames(app, 2)
    assert app.top.name == "company_hub" and "From the CPO:" in texts(app)
    hand_in(app)
    assert app.top.name == "company_results"
    click(app, "Plan quarter 2")
    assert app.top.name == "company_hub" and session.quarter == 2


def test_solo_company_plays_as_the_engine_plays_bots_in_every_seat(app):
    """A solo CPO who hands in the bot's decisions gets the reports of company_mode.play."""
    from engine.company_mode import play
    from engine.simulation import Simulation
    from game.company_session import CompanySession

    session = CompanySession(portfolio(), SEED, {"pm:tutor": None}, {"cpo": "balanced"})
    session.hand_in("pm:tutor")  # an untouched PM draft: the line falls to the AI PM
    sim = Simulation(session.scenario, SEED, role="cpo")
    sim.reset()
    bots = {"cpo": "balanced", "pm:tutor": "ai"}
    [turns] = play(sim, bots, 1)
    assert turns.report.firms == session.reports[0].firms


def test_the_role_choice_offers_company_mode(app):
    from game.scenes.role_choice import RoleChoiceScene

    app.push(RoleChoiceScene(app, portfolio()))
    frames(app, 2)
    click(app, "Play as a company")
    assert app.top.name == "company_setup"
    click(app, "PM of Quill Tutor: the AI")  # Kwame's seat to a person
    click(app, "Start the company")
    assert app.top.name == "company_handover"
    assert app.company is not None and list(app.company.people) == ["cpo", "pm:tutor"]


def test_a_save_replays_the_company(app, tmp_path):
    from game.company_session import CompanySession

    session = CompanySession(portfolio(), SEED, {"cpo": None, "pm:tutor": None})
    cpo_q1(session.desk("cpo"))
    tutor_q1(session.desk("pm:tutor"))
    session.desk("pm:tutor").toggle_share(StudyRef(quarter=1, method="survey", segment="families"))
    session.hand_in("cpo")
    session.hand_in("pm:tutor")
    session.save(tmp_path / "company.json")
    again = CompanySession.load(tmp_path / "company.json")
    assert again.reports[0].firms == session.reports[0].firms
    assert again.shared == session.shared and again.quarter == 2


def test_a_seat_not_at_the_table_is_refused_in_words():
    from game.company_session import CompanySession

    with pytest.raises(ValueError, match="no line 'chess'"):
        CompanySession(portfolio(), SEED, {"pm:chess": None})


def test_the_handover_and_the_results_go_on_with_enter(app):
    import pygame
    from helpers import press

    session = hot_seat(app)
    press(app, pygame.K_RETURN)  # "I am Mara" has the focus
    assert app.top.name == "company_hub" and app.top.seat_id == "cpo"
    for seat in list(session.people):
        session.hand_in(seat)
    from game.scenes.company import CompanyHandoverScene

    app.reset_to(CompanyHandoverScene(app, session, "pm:tutor"))
    press(app, pygame.K_RETURN)
    assert app.top.name == "company_results"
    press(app, pygame.K_RETURN)
    assert app.top.name == "company_hub" and app.top.seat_id == "pm:tutor"


def test_a_pm_seat_is_checked_as_its_line_will_play() -> None:
    """A roadmap left to the AI PM is not "nothing planned": the PM seat's check sees the line
    as it will be played, and only its own line's problems."""
    from company_script import PEOPLE, SEED, portfolio

    from game.company_session import CompanySession

    session = CompanySession(portfolio(), SEED, PEOPLE)
    desk = session.desk("pm:tutor")
    desk.product_draft("tutor").price = 36.0  # the PM sets a price, leaves the roadmap
    as_given = session.sim.problems(desk.firm_id, desk.decisions()[0])
    assert any("Nothing planned" in p.message for p in as_given)  # the engine, unplanned
    _, warnings = desk.problems()
    assert not any("Nothing planned" in w for w in warnings), warnings
    played = session.sim.as_played(desk.firm_id, desk.draft)
    assert played.products["tutor"].roadmap  # the AI PM planned what the PM left unset
    errors, _ = desk.problems()
    assert errors == []

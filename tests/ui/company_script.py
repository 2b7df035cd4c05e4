"""Company mode's screens in one walk, for the layout, keyboard and translation checks."""

from __future__ import annotations

from pathlib import Path

from helpers import click, frames, texts

from engine.decisions import ResearchOrder

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = {"cpo": "Mara", "pm:classroom": "Ana", "pm:tutor": "Kwame"}
SEED = 11


def portfolio():
    from game.session import read_scenario

    return read_scenario(ROOT / "scenarios" / "portfolio.yaml")


def hot_seat(app):
    """A company game for Mara (CPO), Ana (Classroom) and Kwame (Tutor), on the handover."""
    from game.company_session import CompanySession
    from game.scenes.company import start_company

    session = CompanySession(portfolio(), SEED, PEOPLE)
    start_company(app, session)
    frames(app, 2)
    return session


def hand_in(app) -> None:
    """Hand in from the hub on show, confirming in the dialog."""
    click(app, "Hand in Q")
    assert app.top.name == "dialog", texts(app)
    click(app, "Hand in")


def cpo_q1(desk) -> None:
    """Mara's quarter 1: Tutor grows, on a $1,000 budget with a strategy."""
    desk.draft.themes = {"tutor": "growth"}
    desk.set_direction("tutor", budget=1000.0, strategy="Win the families")


def tutor_q1(desk) -> None:
    """Kwame's quarter 1: a survey of families (over the CPO's budget) and a lower price."""
    pd = desk.product_draft("tutor")
    pd.research = [ResearchOrder(method="survey", segment="families")]
    pd.price = 29.0


def classroom_q1(desk) -> None:
    """Ana's quarter 1: more marketing to schools."""
    desk.product_draft("classroom").marketing = {"schools": 60000.0}


def company_screens(app):
    """Every company-mode screen, for the layout, keyboard and translation checks (the
    debrief's views after playing the game to the end)."""
    from game.company_session import CompanySession
    from game.scenes.company import CompanyHubScene, CompanyResultsScene, start_company
    from game.scenes.company_setup import CompanySetupScene
    from game.scenes.company_sharing import ShareScene

    entry = portfolio()
    app.push(CompanySetupScene(app, entry, SEED))
    yield "company setup"
    session = CompanySession(entry, SEED, {"cpo": None, "pm:tutor": None})
    start_company(app, session)
    yield "company handover"
    app.top.go_on()
    hub = app.top
    cpo_q1(hub.desk)
    for i, tab in enumerate(hub.tabs):
        hub.show_tab(i)
        yield f"company cpo:{tab.title}"
    session.hand_in("cpo")
    app.reset_to(CompanyHubScene(app, session, "pm:tutor"))
    hub = app.top
    tutor_q1(hub.desk)
    for i, tab in enumerate(hub.tabs):
        hub.show_tab(i)
        yield f"company pm:{tab.title}"
    app.push(ShareScene(app, hub))
    yield "company share"
    app.pop()
    report = session.hand_in("pm:tutor")
    app.reset_to(CompanyResultsScene(app, session, "cpo", report))
    yield "company results"
    from game.scenes.company_debrief import VIEWS, CompanyDebriefScene

    session.desk("pm:tutor").set_note("Families want a cheaper plan")
    while not session.finished:
        for seat in list(session.people):
            session.hand_in(seat)
    app.reset_to(CompanyDebriefScene(app, session))
    for i, view in enumerate(VIEWS):
        app.top.show_view(i)
        yield f"company debrief:{view}"

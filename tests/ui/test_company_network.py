"""Company seats over the network: a CPO and two PMs of one company, each in their own window.

A company workshop (two companies, the portfolio scenario) is served by a real host on
127.0.0.1; each seat's copy of Crossroads joins with its own code and is driven through the
event queue. Every wait polls the screen with a deadline; nothing asserts how fast anything
is. The round's results are checked against the engine driven directly with the same turns.
"""

from __future__ import annotations

import pygame_gui
import pytest
from helpers import buttons, click, click_at, frames, texts, until
from test_network_client import Hosted, hand_in, join, type_text

from engine.company_mode import CpoTurn, Direction, PmTurn, Share, StudyRef, combine
from engine.decisions import ResearchOrder
from game.workshop import client as client_module
from game.workshop import remote_desk

Entry = pygame_gui.elements.UITextEntryLine
SEED = 5
STRATEGY = "Win the families"


class CompanyHosted(Hosted):
    """A 2-company session of the portfolio scenario (parallel worlds unless told) served
    in-process."""

    def __init__(self, folder, mode: str = "parallel") -> None:
        from game.workshop.company_seats import seat_key

        super().__init__(folder, "portfolio", ("Alpha", "Beta"), mode, seed=SEED, company=True)
        self.seats = {
            k: self.codes[seat_key("Alpha", k)] for k in ("cpo", "pm:tutor", "pm:classroom")
        }

    def resolve(self) -> object:
        """The facilitator plays the round over HTTP."""
        return self.facilitator(lambda c: c.resolve(keep_course=True))


@pytest.fixture
def hosted(tmp_path, monkeypatch, request):
    """A hosted company session (parallel worlds, or the mode a test asks for); network
    back-off, debounces and refreshes shortened."""
    from game.scenes.workshop import seat_hub

    monkeypatch.setattr(client_module, "BACKOFF_S", (0.05, 0.1, 0.2))
    monkeypatch.setattr(remote_desk, "PUSH_AFTER_S", 0.3)
    monkeypatch.setattr(remote_desk, "RETRY_S", 0.3)
    monkeypatch.setattr(seat_hub, "COMPANY_REFRESH_S", 0.5)
    h = CompanyHosted(tmp_path / "workshops", getattr(request, "param", "parallel"))
    yield h
    h.stop()


def seat_hub(app, hosted: CompanyHosted, seat: str):
    """Join with the seat's code and reach its hub."""
    join(app, hosted.url, hosted.seats[seat])
    until(app, lambda: app.top.name == "workshop_remote_hub", f"the {seat} hub")
    return app.top


def tab_named(hub, namespace: str) -> int:
    return next(i for i, tab in enumerate(hub.tabs) if tab.namespace == namespace)


def every_tab_text(app) -> str:
    """The text of every tab of the hub on show (each visited in turn)."""
    hub = app.top
    out = []
    for i in range(len(hub.tabs)):
        hub.show_tab(i)
        frames(app, 1)
        out.append(texts(app))
    hub.show_tab(0)
    return "\n".join(out)


def test_a_company_plays_a_round_over_the_network(make_app, hosted):
    from engine.simulation import Simulation
    from game.scenes.workshop.seat_hub import RemoteSeatHubScene

    cpo_app, tutor_app, class_app = make_app(), make_app(), make_app()

    # -- everyone joins with their own code
    cpo_hub = seat_hub(cpo_app, hosted, "cpo")
    assert isinstance(cpo_hub, RemoteSeatHubScene)
    assert "Alpha · CPO" in texts(cpo_app)
    assert "Shared" in [tab.title for tab in cpo_hub.tabs]
    tutor_hub = seat_hub(tutor_app, hosted, "pm:tutor")
    assert "Alpha · PM of Quill Tutor" in texts(tutor_app)
    tutor = tutor_hub.seat
    assert [p.name for p in tutor.products()] == ["Quill Tutor"]
    class_hub = seat_hub(class_app, hosted, "pm:classroom")
    classroom = class_hub.seat

    # -- the CPO: a theme for Tutor, a budget (one step down) and a strategy on the portfolio
    cpo = cpo_hub.seat
    cpo.draft.themes = {cpo.market_id("tutor"): "growth"}
    cpo_hub.show_tab(tab_named(cpo_hub, "portfolio"))
    frames(cpo_app, 2)
    lowers = [b for b in buttons(cpo_app) if b.text == "−"]
    click_at(cpo_app, lowers[3].rect.center)  # per line: mentoring, then budget; Tutor second
    budget = cpo.direction[cpo.market_id("tutor")].budget
    assert budget is not None and budget > 0
    entries = [e for e in cpo_hub.focusables() if isinstance(e, Entry)]
    type_text(cpo_app, entries[1], STRATEGY)
    frames(cpo_app, 2)  # the entry's change event is handled in the next frame
    assert cpo.direction[cpo.market_id("tutor")].strategy == STRATEGY
    until(cpo_app, lambda: cpo.answered(), "the host's check of the CPO's draft")
    hand_in(cpo_app)
    until(cpo_app, lambda: cpo_app.top.name == "workshop_remote_waiting", "the CPO waiting")

    # -- the Tutor PM sees the direction on its hub (fetched from the host)
    until(tutor_app, lambda: STRATEGY in texts(tutor_app), "the CPO's direction on the PM hub")
    shown = texts(tutor_app)
    assert "From the CPO:" in shown and "Theme: Growth" in shown
    assert "CPO" in shown and "Handed in:" in shown

    # -- the Tutor PM orders a survey of families, shares it, lowers the price
    line = tutor.line
    tutor.product_draft(line).research = [ResearchOrder(method="survey", segment="families")]
    tutor_hub.show_tab(tab_named(tutor_hub, "research"))
    frames(tutor_app, 1)
    click(tutor_app, "Share with the CPO")
    assert tutor_app.top.name == "company_share"
    click(tutor_app, "Share: Q1 · Survey · Families")
    click(tutor_app, "Done")
    assert "Share with the CPO (1)" in texts(tutor_app)
    tutor.product_draft(line).price = 29.0

    # -- the Classroom PM: a price nobody else sees, a study it keeps to itself; hands in
    cl = classroom.line
    classroom.product_draft(cl).price = 123.0
    classroom.product_draft(cl).research = [ResearchOrder(method="interviews", segment="schools")]
    until(class_app, lambda: classroom.answered(), "the host's check")
    hand_in(class_app)
    until(class_app, lambda: class_app.top.name == "workshop_remote_waiting", "waiting")

    # -- the Tutor PM's hub learns that Classroom handed in, and nothing of what it decided
    until(
        tutor_app,
        lambda: "Handed in: CPO, PM of Quill Classroom ·" in texts(tutor_app),
        "the seats that handed in",
    )
    until(
        tutor_app,
        lambda: tutor.part.handed_in.get("pm:classroom") is True,
        "the company part fetched again",
    )
    assert tutor.part.pm_turns == {} and set(tutor.part.lines) >= {"tutor"}
    assert "$123" not in every_tab_text(tutor_app)  # another line's PM decisions: nowhere
    until(tutor_app, lambda: tutor.answered(), "the host's check")
    hand_in(tutor_app)
    until(tutor_app, lambda: tutor_app.top.name == "workshop_remote_waiting", "waiting")
    assert hosted.session().seat_status()["Alpha"] == {
        "cpo": True,
        "pm:classroom": True,
        "pm:tutor": True,
        "pm:exam_prep": False,
    }

    # -- the facilitator plays the round; everyone sees the results
    hosted.resolve()
    for app in (cpo_app, tutor_app, class_app):
        until(app, lambda a=app: a.top.name == "workshop_remote_results", "the results")

    # -- the results are the engine's own for the same turns
    scenario = hosted.session().scenario
    cpo_turn = CpoTurn(
        decisions=cpo.map.to_team(cpo.decisions()[0]),
        direction={"tutor": Direction(budget=budget, strategy=STRATEGY)},
    )
    pm_turns = {
        "tutor": PmTurn(
            decision=tutor.map.to_team(tutor.decisions()[0]).products["tutor"],
            share=Share(studies=[StudyRef(quarter=1, method="survey", segment="families")]),
        ),
        "classroom": PmTurn(
            decision=classroom.map.to_team(classroom.decisions()[0]).products["classroom"]
        ),
    }
    decisions, flags = combine(scenario, cpo_turn, pm_turns)
    sim = Simulation(scenario, seed=SEED, role="cpo", resolution=200)
    sim.reset()
    firm = scenario.player_firms()[0].id
    expected = sim.step({firm: decisions}).firms[firm]
    for app in (cpo_app, tutor_app, class_app):
        got = app.top.package.firm.history[-1].firms[firm]
        assert (got.revenue, got.profit, got.cash) == (
            expected.revenue,
            expected.profit,
            expected.cash,
        )

    # -- round 2: the CPO sees the shared study, never the Classroom PM's unshared one
    click(cpo_app, "Next round")
    until(cpo_app, lambda: cpo_app.top.name == "workshop_remote_hub", "the CPO's round 2")
    cpo2 = cpo_app.top.seat
    assert [(s.quarter, s.method, s.segment, s.line) for s in cpo2.part.shared] == [
        (1, "survey", "families", "tutor")
    ]
    findings = cpo2.view().history[-1].organisation[cpo2.firm_id].research
    seen = {(f["method"], f["segment"]) for f in findings}  # an AI PM's studies are the CPO's
    assert ("survey", "families") in seen and ("interviews", "schools") not in seen
    hub = cpo_app.top
    hub.show_tab(tab_named(hub, "company_ui.shared_tab"))
    frames(cpo_app, 1)
    shown = every_tab_text(cpo_app)
    assert "Q1 · Survey · Families (Quill Tutor)" in shown
    assert "Interviews · Schools" not in shown
    assert [f.text for f in flags] == [f.text for f in cpo2.played_flags()]
    assert "Traceback" not in shown


@pytest.mark.parametrize("hosted", ["parallel", "shared"], indirect=True)
def test_a_seats_extra_draft_is_kept_on_the_host_and_found_again(make_app, hosted):
    """The CPO's direction and a PM's share travel with the kept draft; a second join (a
    crashed window, another laptop) finds them again from the host's package."""
    cpo_app, tutor_app = make_app(), make_app()
    cpo = seat_hub(cpo_app, hosted, "cpo").seat
    cpo.set_direction(cpo.market_id("tutor"), budget=5000.0, strategy=STRATEGY)
    tutor = seat_hub(tutor_app, hosted, "pm:tutor").seat
    study = StudyRef(quarter=1, method="survey", segment="families")
    tutor.product_draft(tutor.line).research = [ResearchOrder(method="survey", segment="families")]
    tutor.toggle_share(study)
    tutor.set_note("Families want a cheaper plan")

    def kept(seat: str) -> dict:
        return hosted.session().seat_draft("Alpha", seat)[1]

    until(cpo_app, lambda: kept("cpo").get("direction"), "the direction kept on the host")
    assert kept("cpo")["direction"]["tutor"] == {"budget": 5000.0, "strategy": STRATEGY}
    until(tutor_app, lambda: kept("pm:tutor").get("share"), "the share kept on the host")
    # the PM's hub reads the CPO's kept direction (the host's live status)
    until(tutor_app, lambda: STRATEGY in texts(tutor_app), "the direction on the PM's hub")
    # a live flag from the host's check: the survey ($8,000) is over the $5,000 budget
    until(tutor_app, lambda: "over the CPO's budget" in texts(tutor_app), "the live flag")
    assert [f.text for f in tutor.flags()] == [w for w in tutor.problems()[1] if "budget" in w]
    assert not any("Company:" in w for w in tutor.problems()[1])  # said once, in words
    for desk in (cpo, tutor):
        desk.link.close()  # the windows crash: nothing left properly
        remote_desk.draft_path(desk.session_id, desk.keeper).unlink(missing_ok=True)
    again = seat_hub(make_app(), hosted, "cpo").seat
    assert again.direction[again.market_id("tutor")] == Direction(budget=5000.0, strategy=STRATEGY)
    pm = seat_hub(make_app(), hosted, "pm:tutor").seat
    assert pm.share == Share(studies=[study], note="Families want a cheaper plan")
    assert pm.shared_already() == set() and study in pm.studies()


def test_a_seat_hub_says_why_there_is_no_preview(make_app, hosted):
    app = make_app()
    hub = seat_hub(app, hosted, "pm:tutor")
    assert hub.seat.preview(hub.seat.draft) is None
    assert "no preview" in hub.seat.no_preview
    hub.show_tab(tab_named(hub, "pricing"))
    until(app, lambda: "A company workshop shows no preview" in texts(app), "the reason in words")
    assert "Traceback" not in texts(app)


def test_a_pm_changes_its_hand_in_and_finds_its_share(make_app, hosted):
    from game.scenes.workshop.seat_hub import RemoteSeatHubScene

    app = make_app()
    tutor = seat_hub(app, hosted, "pm:tutor").seat
    study = StudyRef(quarter=1, method="survey", segment="families")
    tutor.product_draft(tutor.line).research = [ResearchOrder(method="survey", segment="families")]
    tutor.toggle_share(study)
    until(app, lambda: tutor.answered(), "the host's check")
    hand_in(app)
    until(app, lambda: app.top.name == "workshop_remote_waiting", "the waiting room")
    shown = texts(app)
    assert "Shared with the CPO: Q1 · Survey · Families" in shown
    until(app, lambda: "Your company: Handed in: PM of Quill Tutor (you)" in texts(app), "seats")
    click(app, "Change our decisions")
    until(app, lambda: app.top.name == "workshop_remote_hub", "the hub again")
    assert isinstance(app.top, RemoteSeatHubScene)
    assert app.top.seat.share.studies == [study]
    assert "Hand in again" in texts(app)

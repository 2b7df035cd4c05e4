"""WorkshopSession: refusals write nothing, rewinds replay exactly, teams see only their own."""

from __future__ import annotations

from pathlib import Path

import pytest
from workshop_script import TEAMS, Reference, create_session, tutorial

from engine.decisions import Decisions
from game.paths import find_scenario
from game.workshop.session import WorkshopError, WorkshopSession
from game.workshop.sheet import parse_sheet


def _session(mode: str, role: str = "pm", scenario: str = "tutorial") -> WorkshopSession:
    return create_session(mode, role, scenario)


def _play_round(session: WorkshopSession, ref: Reference) -> dict[str, Decisions]:
    decisions = ref.decide()
    for team, dec in decisions.items():
        session.submit(team, dec)
    ref.step(decisions)
    session.resolve()
    return decisions


def _firm_results(session: WorkshopSession) -> dict[str, dict]:
    return {
        t: session.reports(t)[-1].firms[session.firm(t)].__dict__ | {"q": session.resolved}
        for t in TEAMS
    }


def _log(session: WorkshopSession) -> dict:
    data = session.store.export()
    for row in data["journal"]:
        row.pop("at")
    return data


@pytest.mark.parametrize("mode", ["shared", "parallel"])
def test_rewind_then_re_resolve_reproduces_the_round(mode: str) -> None:
    session = _session(mode)
    ref = Reference(tutorial(), mode)
    _play_round(session, ref)
    _play_round(session, ref)
    before = {t: session.reports(t)[-1].to_dict() for t in TEAMS}
    assert session.rewind() == 2
    assert session.current_round == 2 and all(session.submitted().values())
    assert session.reports("Alpha")[-1].quarter == 1  # replayed from the log, not the cache
    session.resolve()
    after = {t: session.reports(t)[-1].to_dict() for t in TEAMS}
    assert after == before
    # A fresh process-like open replays the same results from the file alone.
    again = WorkshopSession.open(session.id)
    assert {t: again.reports(t)[-1].to_dict() for t in TEAMS} == before
    assert again.leaderboard() == session.leaderboard()


def test_parallel_rewind_with_new_decisions_changes_only_that_team() -> None:
    session = _session("parallel")
    ref = Reference(tutorial(), "parallel")
    _play_round(session, ref)
    decisions = _play_round(session, ref)
    before = _firm_results(session)
    session.rewind()
    changed = decisions["Bravo"].model_copy(deep=True)
    line = changed.products["teamboard"]
    changed.products["teamboard"] = line.model_copy(update={"price": (line.price or 300.0) * 0.7})
    session.submit("Bravo", changed)
    session.resolve()
    after = _firm_results(session)
    assert after["Bravo"] != before["Bravo"]
    assert after["Bravo"]["revenue"] != before["Bravo"]["revenue"]
    for team in ("Alpha", "Charlie", "Delta"):
        assert after[team] == before[team]
    # Round 1 of every team is untouched too.
    for team in TEAMS:
        assert session.reports(team)[1].to_dict() == ref.sims[team].history[1].to_dict()


def test_shared_rewind_with_new_decisions_is_reproducible() -> None:
    session = _session("shared")
    ref = Reference(tutorial(), "shared")
    _play_round(session, ref)
    session.submit("Alpha", Decisions())
    session.rewind()  # round 1 again: the round-2 submission is discarded with it
    assert session.current_round == 1
    assert session.store.submissions(2) == {}
    assert "discarded 1 submission(s)" in session.store.journal()[-1][2]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda s: s.replace("roadmap: []", "roadmap: [warp_drive]"), "unknown backlog item"),
        (
            lambda s: s.replace('"features": 0.7', '"features": 0.9'),
            "capacity split must add up to 100% (it adds up to 120%)",
        ),
        (lambda s: s.replace("layoffs: 0", "layoffs: 99"), "cannot lay off 99"),
        (lambda s: s.replace('team: "Alpha"', 'team: "Bravo"'), "for team Bravo, not Alpha"),
        (lambda s: s.replace("round: 1", "round: 2"), "for round 2, but round 1 is open"),
        (lambda s: s.replace("hires: 0", "hires: [0"), "not valid YAML"),
        (lambda s: s.replace("price:", "prise:"), "prise: unknown field"),
        (lambda s: s.replace("price: 300.0", 'price: "cheap"'), "price: Input should be"),
        (lambda s: "- just\n- a list\n", "a decision sheet is a mapping"),
    ],
)
def test_bad_sheets_are_refused_and_change_nothing(edit, expected: str, tmp_path: Path) -> None:
    from game.workshop.sheet import template

    session = _session("shared")
    session.submit("Charlie", Decisions())
    before = _log(session)
    text = edit(template(session, "Alpha"))
    with pytest.raises(WorkshopError) as info:
        decisions = parse_sheet(text, "alpha.yaml", session, "Alpha")
        session.submit("Alpha", decisions)
    assert expected in str(info.value)
    assert "nothing was recorded" in str(info.value)
    assert _log(session) == before
    assert session.submitted()["Alpha"] is False


def test_every_problem_is_listed_at_once() -> None:
    session = _session("parallel")
    bad = {
        "products": {
            "teamboard": {"price": -5, "roadmap": ["slack", "nope"], "layoffs": 99},
            "planly_app": {"price": 1},
        },
        "initiatives": ["pizza"],
    }
    with pytest.raises(WorkshopError) as info:
        session.submit("Delta", bad)
    problems = info.value.problems
    assert len(problems) >= 5
    text = "\n".join(problems)
    for part in (
        "price must be above zero",
        "Chat integration depends on Public API",
        "unknown backlog item 'nope'",
        "cannot lay off 99",
        "unknown culture initiative 'pizza'",
    ):
        assert part in text
    assert session.store.journal() == []


def test_team_view_shows_only_the_teams_own_organisation() -> None:
    session = _session("shared")
    ref = Reference(tutorial(), "shared")
    _play_round(session, ref)
    view = session.team_view("Bravo")
    assert view.team == "Bravo" and view.round == 2 and not view.submitted
    firm = view.firm.firm
    assert firm == "player_bravo" and list(view.firm.products) == ["teamboard_bravo"]
    for report in view.firm.history[1:]:
        assert list(report.organisation) == [firm]
        assert all(d.firm == firm for d in report.drivers)
    # The full (facilitator) report still has every team's organisation.
    assert len(session.reports("Bravo")[-1].organisation) == len(TEAMS)
    session.submit("Bravo", Decisions())
    assert session.team_view("Bravo").decisions == Decisions()


def test_inject_is_logged_and_replayed() -> None:
    session = _session("parallel")
    with pytest.raises(WorkshopError, match="inject deck"):
        session.inject("not_an_event")
    session.inject("viral_post")
    for t in TEAMS:
        session.submit(t, Decisions())
    session.resolve()
    events = session.reports("Alpha")[-1].events
    assert [e["id"] for e in events if e["source"] == "injected"] == ["viral_post"]
    fresh = WorkshopSession.open(session.id)
    assert fresh.reports("Delta")[-1].to_dict() == session.reports("Delta")[-1].to_dict()


def test_cache_follows_the_log_written_by_another_process() -> None:
    first = _session("parallel")
    other = WorkshopSession.open(first.id)
    first.leaderboard()  # builds the cache at round 0
    for t in TEAMS:
        other.submit(t, Decisions())
    other.resolve()
    assert first.resolved == 1
    assert first.leaderboard() == other.leaderboard()
    assert first.reports("Alpha")[-1].quarter == 1


def test_cpo_sessions_keep_which_line_fields_the_cpo_set() -> None:
    session = _session("shared", role="cpo", scenario="portfolio")
    dec = Decisions.model_validate(
        {"themes": {"tutor": "growth"}, "products": {"tutor": {"price": 30.0}}}
    )
    session.submit("Alpha", dec)
    stored = session.store.submissions(1)["Alpha"].decisions
    assert stored == {"themes": {"tutor": "growth"}, "products": {"tutor": {"price": 30.0}}}
    session.resolve(keep_course=True)
    report = session.reports("Alpha")[-1]
    assert report.products["tutor_alpha"].price == 30.0
    assert report.products["tutor_bravo"].price != 30.0


def test_setup_problems_are_listed() -> None:
    text = (find_scenario("tutorial") or Path()).read_text()
    with pytest.raises(WorkshopError) as info:
        WorkshopSession.create(
            text,
            teams=["A", "a", ""],
            mode="mixed",
            role="ceo",
            seed=-1,
            rounds=99,  # type: ignore[arg-type]
        )
    text_ = str(info.value)
    for part in (
        "team names must be different",
        "team names cannot be empty",
        "mode must be",
        "cannot be played as 'ceo'",
        "seed must be",
        "rounds must be between 1 and 12",
    ):
        assert part in text_


def test_warnings_are_accepted_and_reported() -> None:
    session = _session("parallel")
    items = ["onboarding", "mobile", "api", "uptime", "refactor", "gantt"]
    split = {"features": 0.2, "debt": 0.4, "discovery": 0.4}
    dec = {"products": {"teamboard": {"roadmap": items, "split": split}}}
    warnings = session.submit("Alpha", dec)
    assert any("over capacity" in w and "crunch" in w for w in warnings)
    assert session.decisions(1)["Alpha"].products["teamboard"].roadmap == items


def test_the_leaderboard_of_an_earlier_round_is_the_one_shown_then() -> None:
    """leaderboard(r) is the board as it stood after round r, also in a reopened session."""
    session = _session("shared")
    ref = Reference(tutorial(), "shared")
    shown = [session.leaderboard()]
    for _ in range(2):
        _play_round(session, ref)
        shown.append(session.leaderboard())
    assert [session.leaderboard(r) for r in range(3)] == shown
    assert shown[0] != shown[2]
    again = WorkshopSession.open(session.id)
    assert [again.leaderboard(r) for r in range(3)] == shown
    with pytest.raises(WorkshopError, match="no round -1"):
        again.leaderboard(-1)

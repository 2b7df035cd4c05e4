"""What a network workshop keeps in the session file: join codes, hand-in receipts, kept
drafts and round deadlines (the host's own behaviour is tested in test_network*.py)."""

from __future__ import annotations

import re
import time

import pytest
from workshop_script import TEAMS, create_session

from engine.decisions import Decisions, ProductDecision
from game.workshop.session import WorkshopError, WorkshopSession
from game.workshop.store import CODE_ALPHABET, FACILITATOR
from game.workshop.wire import CODE, WireError, normalise_code, normalise_url, shown_code


def _priced(price: float) -> Decisions:
    return Decisions(products={"teamboard": ProductDecision(price=price)})


def test_join_codes_are_random_distinct_kept_and_typeable() -> None:
    session = create_session("shared", "pm", "tutorial")
    codes = session.join_codes()
    assert set(codes) == {*TEAMS, FACILITATOR}
    assert len(set(codes.values())) == len(codes)  # every team and the facilitator differ
    for code in codes.values():
        assert CODE.fullmatch(code) and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01OIL")  # nothing to misread from a projector
    # 31 symbols ** 8 places: about 40 bits.
    assert 39 < 8 * __import__("math").log2(len(CODE_ALPHABET)) < 41
    again = WorkshopSession.open(session.id)  # another copy of the session agrees
    assert again.join_codes() == codes
    other = create_session("shared", "pm", "tutorial")
    assert not set(other.join_codes().values()) & set(codes.values())


def test_codes_are_normalised_from_what_people_type() -> None:
    assert normalise_code(" abcd-2345 ") == "ABCD2345"
    assert shown_code("ABCD2345") == "ABCD-2345"
    assert normalise_url("192.168.1.20") == "http://192.168.1.20:8765"
    assert normalise_url("host.local:9000/") == "http://host.local:9000"
    for bad in ("", "not an address!", "ftp://x", "1.2.3.4:99999", "h:0"):
        with pytest.raises(WireError):
            normalise_url(bad)


def test_a_retried_hand_in_is_recorded_once_with_the_same_answer() -> None:
    session = create_session("parallel", "pm", "tutorial")
    first = session.submit("Alpha", _priced(290), receipt_id="receipt-0001")
    second = session.submit("Alpha", _priced(290), receipt_id="receipt-0001")
    assert second == first
    assert len(session.store.all_submissions(1)) == 1
    # A different id is a new hand-in (it replaces the earlier one, as always).
    session.submit("Alpha", _priced(310), receipt_id="receipt-0002")
    assert len(session.store.all_submissions(1)) == 2
    assert session.decisions(1)["Alpha"].products["teamboard"].price == 310
    # Another team cannot claim Alpha's receipt.
    with pytest.raises(WorkshopError, match="another team"):
        session.submit("Bravo", _priced(300), receipt_id="receipt-0001")


def test_a_kept_draft_comes_back_until_the_team_hands_in() -> None:
    session = create_session("shared", "pm", "tutorial")
    assert session.kept_draft("Alpha") is None
    session.keep_draft("Alpha", _priced(275))
    again = WorkshopSession.open(session.id)  # a host restarted, or another copy
    kept = again.kept_draft("Alpha")
    assert kept is not None and kept.products["teamboard"].price == 275
    assert again.kept_draft("Bravo") is None  # drafts are per team
    with pytest.raises(WorkshopError, match="not well formed"):
        session.keep_draft("Alpha", {"products": {"teamboard": {"price": "cheap"}}})
    assert session.kept_draft("Alpha").products["teamboard"].price == 275
    session.submit("Alpha", _priced(280))
    assert session.kept_draft("Alpha") is None  # the hand-in is the draft now
    assert session.next_draft("Alpha").products["teamboard"].price == 280


def test_a_deadline_closes_hand_in_and_lets_the_round_resolve() -> None:
    session = create_session("shared", "pm", "tutorial")
    assert session.deadline() is None
    at = session.set_deadline(10)
    assert at is not None and abs(at - (time.time() + 600)) < 5
    session.submit("Alpha", _priced(290))  # before the deadline: recorded
    session.store.set_deadline(1, time.time() - 1)  # the deadline passes
    assert session.deadline_passed()
    mark = session.store.change_mark()
    with pytest.raises(WorkshopError, match=re.compile("closed at .*nothing was recorded")):
        session.submit("Bravo", _priced(300))
    assert session.store.change_mark() == mark
    result = session.resolve()  # the late teams keep their course without being asked
    assert set(result.kept_course) == set(TEAMS) - {"Alpha"}
    assert session.deadline() is None  # round 2 has no deadline until one is set
    for bad in (0, -5, 24 * 60 + 1, float("nan"), float("inf")):
        with pytest.raises(WorkshopError, match="deadline"):
            session.set_deadline(bad)
    session.set_deadline(5)
    session.set_deadline(None)
    assert session.deadline() is None


def test_rewinding_a_round_reopens_it_without_its_deadline() -> None:
    session = create_session("shared", "pm", "tutorial")
    for team in TEAMS:
        session.submit(team, _priced(300))
    session.set_deadline(1)
    session.resolve()
    session.set_deadline(1)
    session.rewind()
    assert session.current_round == 1 and session.deadline() is None
    session.submit("Alpha", _priced(305))  # teams may hand in again

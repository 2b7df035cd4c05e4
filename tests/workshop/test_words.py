"""Workshop messages: English wherever a machine or the CLI reads them, the player's language
on screen, and a host's English message translated on the team's screen."""

from __future__ import annotations

import pickle

import pytest

from game.translation import set_language
from game.workshop.session import WorkshopError, _team_problems
from game.workshop.words import Phrase, phrase, shown, whose


@pytest.fixture
def german():
    set_language("de")
    yield
    set_language("en")


def test_a_phrase_is_its_english_sentence_in_any_language(german) -> None:
    made = phrase("ws_errors.round_waiting", round=2, teams="A, B")
    assert isinstance(made, str) and isinstance(made, Phrase)
    assert (
        made
        == "round 2 is waiting for A, B (resolve with keep-course to let them keep their course)"
    )
    error = WorkshopError(phrase("ws_errors.cannot_create"), [phrase("ws_errors.team_empty")])
    assert str(error) == "cannot create the session\n  - team names cannot be empty"
    assert pickle.loads(pickle.dumps(made)) == made


def test_the_english_possessive_is_unchanged() -> None:
    assert phrase("ws_errors.decisions_of", whose=whose("Team B")) == "Team B's decisions"
    assert phrase("ws_errors.decisions_of", whose=whose("Falcons")) == "Falcons' decisions"


def test_shown_translates_a_phrase_and_leaves_english_in_english() -> None:
    made = phrase("ws_errors.session_ended", rounds=4)
    assert shown(made) == "the session has ended after round 4"
    set_language("de")
    try:
        assert shown(made) == "die Sitzung ist nach Runde 4 beendet"
        assert shown(_team_problems(["A", "a"])[0]) == "Teamnamen müssen sich unterscheiden"
    finally:
        set_language("en")


def test_a_hosts_english_message_is_recognised_and_translated(german) -> None:
    sent = str(phrase("ws_errors.decisions_problems", whose=whose("Team B"), round=1, count=2))
    assert type(sent) is str  # what arrives over the network: text only
    assert shown(sent) == (
        "die Entscheidungen von Team B für Runde 1 haben 2 Problem(e); nichts wurde gespeichert"
    )
    assert shown("the host refused this join code") == "der Host hat diesen Beitrittscode abgelehnt"


def test_text_it_does_not_know_is_shown_as_it_came(german) -> None:
    for text in ("", "Price must be at least $1", "a note about Bob's"):
        assert shown(text) == text

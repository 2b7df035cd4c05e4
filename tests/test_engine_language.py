"""The engine's sentences follow phrases.use(): German words, the same numbers as English."""

from __future__ import annotations

import re
from typing import Any

from market_scenarios import tutorial

from engine import phrases
from engine.bots import play
from engine.kpis import KPIS
from engine.scoring import competency_label
from engine.simulation import Simulation
from engine.whatif import BOT_WAYS, Outcome, Style, bot_name, describe


def _numbers(value: Any) -> Any:
    """``value`` with every string blanked: what is left are the numbers (and the shape)."""
    if isinstance(value, dict):
        return {k: _numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers(v) for v in value]
    return None if isinstance(value, str) else value


def _run() -> list[dict[str, Any]]:
    sim = Simulation(tutorial(), seed=5)
    return [report.to_dict() for report in play(sim, "random", 3)]


def test_a_german_tutorial_writes_german_drivers_with_the_same_numbers() -> None:
    english = _run()
    phrases.use("de")
    try:
        german = _run()
    finally:
        phrases.use("en")
    assert _numbers(german) == _numbers(english)
    for en_report, de_report in zip(english, german, strict=True):
        pairs = list(zip(en_report["drivers"], de_report["drivers"], strict=True))
        assert pairs
        for en_exp, de_exp in pairs:
            assert en_exp["summary"] != de_exp["summary"]
            assert not re.search(r"\b(rose|fell|held|your|Share in|pts)\b", de_exp["summary"])
            assert de_exp["summary"].endswith(".")
        shares = [e["summary"] for e in de_report["drivers"] if e["kpi"] == "share"]
        assert all(s.startswith("Anteil in ") for s in shares)
        texts = {d["text"] for e in de_report["drivers"] for d in e["drivers"]}
        assert "Zufall (welche Kunden gerade wechselten)" in texts
    assert _run() == english  # and back to English, word for word


def test_kpis_competencies_and_bots_in_german(german: None) -> None:
    assert KPIS["revenue"].label == "Umsatz"
    assert KPIS["share"].heading == "Anteil"
    assert KPIS["cash"].description.endswith(".")
    assert competency_label("leadership") == "Führung"
    assert bot_name("balanced") == "Ausgewogen"
    assert BOT_WAYS["hold"] == "Preise und Marketing so belassen"


def test_what_if_sentences_in_german(german: None) -> None:
    sc = tutorial(100)
    yours = Outcome(40.0, "D", 0.22, 1000.0, 12_345.0, 0.6, 0.6)
    theirs = Outcome(61.0, "C", 0.31, 1200.0, 23_456.0, 0.7, 0.7)
    mine = Style(studies=1, price=1.0, marketing=5_000.0, shipped=2, initiatives=0)
    its = Style(studies=4, price=0.9, marketing=9_000.0, shipped=2, initiatives=1)
    first, second = describe(sc, 4, "balanced", yours, theirs, mine, its)
    assert first.startswith("Hätten Sie nach Q4 weiter in Discovery investiert")
    assert "31,0 % statt Ihrer 22,0 %" in first and "23.456 $" in first
    assert second == (
        "Ab Q5: Der Bot führte 4 Marktstudien durch (Sie: 1), setzte die Preise im Schnitt "
        "10 % niedriger an als Sie, gab pro Quartal 4.000 $ mehr für Marketing aus und "
        "startete 1 Kulturinitiative (Sie: 0)."
    )


def test_what_if_sentences_in_english_are_unchanged() -> None:
    sc = tutorial(100)
    yours = Outcome(40.0, "D", 0.22, 1000.0, 12_345.0, 0.6, 0.6)
    theirs = Outcome(61.0, "C", 0.31, 1200.0, 23_456.0, 0.7, 0.7)
    mine = Style(studies=1, price=1.0, marketing=5_000.0, shipped=2, initiatives=0)
    its = Style(studies=4, price=0.9, marketing=9_000.0, shipped=2, initiatives=1)
    first, second = describe(sc, 0, "greedy_share", yours, theirs, mine, its)
    assert first.startswith(
        "Had you cut prices and poured money into marketing from the start, the greedy share "
        "policy reached 31.0% share instead of your 22.0%"
    )
    assert second == (
        "Over the whole game it ran 4 research studies (you: 1), priced 10% lower than you on "
        "average, spent $4,000 more on marketing a quarter and started 1 culture initiatives "
        "(you: 0)."
    )

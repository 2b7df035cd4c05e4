"""The debrief report in German: German headings and figures, text still escaped, the
``crossroads report --language`` option, and English left as it was."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from market_scenarios import tutorial
from test_cli_report import run_json, small_tutorial  # noqa: F401 (fixtures)
from test_debrief import scripted_log

from engine.debrief import build_report
from game.cli import main
from game.commands.report import LANGUAGE_CODES
from game.report_export import kpi_csv, report_html
from game.report_figures import render_all
from game.translation import LANGUAGES, language, set_language

SEED = 4
HOSTILE = "<script>alert('x')</script> & Co"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """A report whose firm and scenario names try to inject markup."""
    sc = tutorial(300)
    log = scripted_log(sc.quarters)
    data = build_report(sc, SEED, "pm", log, bots=("hold", "profit"), spread_seeds=1).to_dict()
    data["firm_name"] = HOSTILE
    data["title"] = HOSTILE
    data["firms"][data["firm"]]["name"] = HOSTILE
    data["reflections"] = [
        {"quarter": 1, "question": "Why <b>?", "answer": "<img src=x>", "happened": []},
        {"quarter": 2, "question": "And then?", "answer": None, "happened": ["x < y"]},
    ]
    return data


def german_page(report: dict[str, Any]) -> str:
    set_language("de")
    return report_html(report, render_all(report))


def test_the_german_report_has_german_headings_and_figures(report: dict[str, Any]) -> None:
    text = german_page(report)
    assert text.startswith('<!DOCTYPE html>\n<html lang="de">')
    for heading in (
        "<h2>Ziele</h2>",
        "<h2>Ihr Markt</h2>",
        "<h2>Kompetenzen</h2>",
        "<h2>Glück oder Können? Sie gegen die Bots</h2>",
        "<h2>Was wäre, wenn?</h2>",
        "<h2>Wendepunkte</h2>",
        "<h2>Was Sie über die Kunden dachten</h2>",
        "<h2>Kultur und technische Schulden</h2>",
        "<h2>KPI-Verlauf</h2>",
        "<h2>Entscheidungen im Zeitverlauf</h2>",
        "<h2>Zum Besprechen</h2>",
        "<h2>Ihre Reflexionen</h2>",
        "<th class='num'>Quartal</th>",
        "<figcaption>Marktanteil und Umsatz im Vergleich zur Konkurrenz</figcaption>",
        "übersprungen",
        "Die Endpunktzahl besteht zu 70 % aus den Zielen",
    ):
        assert heading in text, heading
    for english in ("<h2>Objectives</h2>", "<h2>Turning points</h2>", "Talk it through"):
        assert english not in text
    # Every key was found (python-i18n answers a missing key with the key itself).
    assert not re.search(r"\b(report|figures|debrief)\.[a-z_]+\.?[a-z_]*\b", text)


def test_the_german_report_still_escapes_every_text(report: dict[str, Any]) -> None:
    text = german_page(report)
    assert "<script" not in text.lower()
    assert "<img src=x>" not in text and "<b>?" not in text
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co"
    assert f"<h1>Debriefing: {escaped}</h1>" in text
    assert f'<p class="meta">{escaped} · Rolle PM · Seed {SEED} ·' in text
    assert f"<title>Debriefing: {escaped}</title>" in text
    assert "Ihre Antwort: &lt;img src=x&gt;" in text
    assert "<li>x &lt; y</li>" in text


def test_english_is_back_after_german(report: dict[str, Any]) -> None:
    german_page(report)
    set_language("en")
    text = report_html(report, [])
    assert '<html lang="en">' in text and "<h2>Objectives</h2>" in text
    assert "<h2>Ziele</h2>" not in text


def test_report_command_writes_german_with_english_csv_columns(
    run_json: Path,  # noqa: F811
    small_tutorial: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert tuple(LANGUAGES) == LANGUAGE_CODES
    base = ["report", str(run_json), "--scenario", str(small_tutorial), "--no-bots", "--data"]
    assert main([*base, "-o", str(tmp_path / "de.html"), "--language", "de"]) == 0
    assert language() == "en"  # the command restores the language it found
    page = (tmp_path / "de.html").read_text(encoding="utf-8")
    assert '<html lang="de">' in page and "gespielt vom Bot „Ausgewogen“" in page
    assert "<h2>Ziele</h2>" in page
    assert main([*base, "-o", str(tmp_path / "en.html")]) == 0
    english = (tmp_path / "en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "played by the balanced bot" in english
    assert "Score" in capsys.readouterr().out  # the command's own words stay English
    for name in ("-kpis.csv", "-decisions.csv"):
        de = (tmp_path / f"de{name}").read_text(encoding="utf-8")
        en = (tmp_path / f"en{name}").read_text(encoding="utf-8")
        assert next(csv.reader(io.StringIO(de))) == next(csv.reader(io.StringIO(en)))


def test_kpi_csv_columns_do_not_depend_on_the_language(report: dict[str, Any]) -> None:
    english = kpi_csv(report)
    set_language("de")
    assert kpi_csv(report) == english


def test_report_command_refuses_an_unknown_language(run_json: Path, tmp_path: Path) -> None:  # noqa: F811
    with pytest.raises(SystemExit) as exc:
        main(["report", str(run_json), "-o", str(tmp_path / "r.html"), "--language", "fr"])
    assert exc.value.code == 2


def test_no_report_text_bypasses_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole report (the engine's sentences included) built in the pseudo-language: every
    word of its visible text comes from a translation, the scenario or a number."""
    import html as markup

    from pseudo import activate, author_text, leftovers

    activate(monkeypatch)
    sc = tutorial(300)
    data = build_report(sc, SEED, "pm", scripted_log(6), bots=("hold",), spread_seeds=1)
    page = report_html(data.to_dict(), {})
    body = re.sub(r"(?s)<(style|head)\b.*?</\1>", " ", page)
    words = leftovers(body, author_text(sc))
    shown = markup.unescape(re.sub(r"<[^>]+>", " ", body))
    assert not words, [(w, shown[max(0, shown.find(w) - 60) : shown.find(w) + 30]) for w in words]

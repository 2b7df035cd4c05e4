"""The CPO's Portfolio tab: each line's plan, last quarter, numbers and reasons, with names.

Played through the real event queue (solo game and a workshop team): the texts on the tab are
the engine's outlook of the draft, escaped, and no id leaks into them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pygame
import pygame_gui
import pytest
import yaml
from helpers import buttons, click, click_at, elements, frames, press, texts
from test_playthrough import end_quarter, go_to_tab

from engine.scenario import Scenario
from game.paths import find_scenario


def _start(app, path: Path, role: str = "cpo") -> None:
    """Start a game of the scenario at ``path`` and go to its hub."""
    from game.scenes.flow import start_game
    from game.session import read_scenario

    start_game(app, read_scenario(path, bundled=False), role, 3)
    frames(app, 2)
    while app.top.name != "hub":
        press(app, pygame.K_RETURN)


def _bundled(name: str) -> Path:
    path = find_scenario(name)
    assert path is not None
    return path


def tab_text(app) -> str:
    """The text of the Portfolio tab's own panel (not the top bar, tabs or hint)."""
    panel = app.top.panels[app.top.current]
    return texts(app, lambda e: _inside(e, panel))


def _inside(element, panel) -> bool:
    container = element.ui_container
    while container is not None:
        if container is panel.get_container():
            return True
        parent = getattr(container, "ui_container", None)
        container = None if parent is container else parent
    return False


def assert_no_ids(shown: str, scenario: Scenario) -> None:
    """No scenario id is left once every name is taken out of the text."""
    names = [p.name for _, p in scenario.products()] + [b.name for b in scenario.backlog]
    names += [b.name for b in scenario.bets] + [m.name for m in scenario.research]
    names += [s.name for s in scenario.segments] + [a.name for a in scenario.attributes]
    text = html.unescape(re.sub(r"<[^>]+>", " ", shown))
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    ids = {b.id for b in scenario.backlog} | {p.id for _, p in scenario.products()}
    ids |= {b.id for b in scenario.bets} | {m.id for m in scenario.research}
    ids |= {s.id for s in scenario.segments} | {a.id for a in scenario.attributes}
    leaked = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text))
    assert not leaked, f"ids {leaked} on the Portfolio tab:\n{text}"


def test_each_line_shows_its_plan_numbers_and_why_with_names(app):
    """The tutorial as CPO: before quarter 1 and after two quarters with a bet."""
    _start(app, _bundled("tutorial"))
    session = app.session
    go_to_tab(app, "Portfolio")
    shown = tab_text(app)
    outlook = session.outlook()
    assert set(outlook.lines) == {"teamboard", "insights"}
    for plan in outlook.lines.values():
        assert f"{plan.name} · PM {plan.pm}" in shown
        assert f"<b>{plan.planned:.0f}</b> points planned for <b>{plan.capacity:.0f}</b>" in shown
        assert all(html.escape(i.name) in shown for i in plan.items)
        assert all(html.escape(r[:1].upper() + r[1:]) in shown for r in plan.reasons)
    assert "Plan for quarter 1" in shown and "Where it starts" in shown
    assert "No theme: the PM follows their own style" in shown
    assert "AI planning lab" in shown and "Funded 0 of 2" in shown
    assert_no_ids(shown, session.scenario)

    click(app, "Fund")
    plus = [b for b in buttons(app) if b.text == "+"]
    click_at(app, plus[-1].rect.center)  # the incubation team (the right column's stepper)
    click_at(app, [b for b in buttons(app) if b.text == "+"][-1].rect.center)
    assert session.draft.bets == ["ai_lab"] and session.draft.incubation == 2
    assert "2 engineers work in incubation this quarter, lent by Teamboard" in tab_text(app)
    for _ in range(2):
        end_quarter(app)
        press(app, pygame.K_RETURN)
    assert session.quarter == 3 and session.draft.incubation == 2  # the team stands
    go_to_tab(app, "Portfolio")
    shown = tab_text(app)
    assert "Quarter 2: what happened" in shown and "Plan for quarter 3" in shown
    for plan in session.outlook().lines.values():
        assert plan.last is not None
        said = [*plan.last.reasons, *plan.last.shipped_text]
        assert said, f"{plan.name}: nothing said about quarter 2"
        assert all(html.escape(r[:1].upper() + r[1:]) in shown for r in said)
    decided = session.org().bets_resolved["ai_lab"]
    assert ("It paid off: AI schedule assistant unlocked" if decided else "It did not pay off") in (
        shown
    )
    assert "no bet is being funded: they stay on their lines" in shown
    assert_no_ids(shown, session.scenario)


def test_a_theme_replans_the_line_at_once(app):
    _start(app, _bundled("portfolio"))
    session = app.session
    go_to_tab(app, "Portfolio")
    first = session.products()[0]
    click(app, "Theme: none")
    assert session.draft.themes == {first.id: "growth"}
    shown = tab_text(app)
    assert "Theme: Growth" in shown and "Theme Growth: win customers" in shown
    plan = session.outlook().lines[first.id]
    assert plan.theme == "growth"
    assert all(html.escape(i.name) in shown for i in plan.items)
    assert_no_ids(shown, session.scenario)


@pytest.mark.parametrize("scenario", ["portfolio", "culture_turnaround", "disruptor"])
def test_cpo_scenarios_say_why_without_ids(app, scenario):
    """Two quarters played as CPO: every line says what happened, in names."""
    _start(app, _bundled(scenario))
    session = app.session
    for _ in range(2):
        end_quarter(app)
        press(app, pygame.K_RETURN)
    go_to_tab(app, "Portfolio")
    shown = tab_text(app)
    for plan in session.outlook().lines.values():
        assert html.escape(plan.name) in shown
        assert plan.last is not None
        assert all(html.escape(r[:1].upper() + r[1:]) in shown for r in plan.last.reasons)
    assert_no_ids(shown, session.scenario)


def test_names_are_escaped_on_the_tab(app, tmp_path):
    """Markup in a line, PM, item or bet name is shown as text, never read as markup."""
    data = yaml.safe_load(_bundled("tutorial").read_text(encoding="utf-8"))
    mark = "<b>x</b>&"
    for product in data["firms"][0]["products"]:
        product["name"] += mark
        product["team"]["pm"]["name"] += mark
    for item in [*data["backlog"], data["bets"][0]]:  # names translated: {en: ..., de: ...}
        name = item["name"]
        item["name"] = (
            {k: v + mark for k, v in name.items()} if isinstance(name, dict) else (name + mark)
        )
    path = tmp_path / "marked.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _start(app, path)
    go_to_tab(app, "Portfolio")
    boxes = [
        e.html_text
        for e in elements(app)
        if isinstance(e, pygame_gui.elements.UITextBox) and _inside(e, app.top.panels[2])
    ]
    assert boxes and any("&lt;b&gt;x&lt;/b&gt;&amp;" in b for b in boxes)
    assert not any("<b>x</b>" in b for b in boxes)
    assert "Teamboard<b>x</b>&" in texts(app)  # labels draw text as it is


def test_a_workshop_cpo_team_sees_its_lines(app):
    """A CPO team's Portfolio tab (shared market: the team's own clones) reads the same."""
    from test_workshop_screens import new_session, open_team_hub

    session = new_session(app, "shared", role="cpo")
    open_team_hub(app, "Alpha")
    go_to_tab(app, "Portfolio")
    shown = tab_text(app)
    desk = app.top.desk
    outlook = desk.outlook()
    assert "Plan for round 1" in shown
    for plan in outlook.lines.values():
        assert html.escape(plan.name) in shown and "Alpha" in plan.name
    assert_no_ids(shown, desk.scenario)
    session.close()


def test_many_lines_scroll_with_their_overview(app, tmp_path):
    """Seven lines: the overview joins the cards in the scrolling list, nothing is crowded."""
    data = yaml.safe_load(_bundled("tutorial").read_text(encoding="utf-8"))
    products = data["firms"][0]["products"]
    insights = next(p for p in products if p["id"] == "insights")
    for k in range(2, 7):
        products.append({**insights, "id": f"insights{k}", "name": f"Insights copy {k}"})
    path = tmp_path / "many.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _start(app, path)
    go_to_tab(app, "Portfolio")
    themes = [b for b in buttons(app) if b.text.startswith("Theme:")]
    assert len(themes) == 7
    lists = [
        e
        for e in elements(app)
        if isinstance(e, pygame_gui.elements.UIScrollingContainer) and _inside(e, app.top.panels[2])
    ]
    assert any(themes[0].ui_container is s.scrollable_container for s in lists)
    shown = tab_text(app)
    assert "Nothing to build: this line's backlog is empty" in shown
    assert_no_ids(shown, app.session.scenario)

"""Moves between screens that involve the game in progress: new game, continue, F5 reload."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from game.saves import SaveError, autosave_path, company_autosave_path, latest_autosave
from game.scenes.dialog import show_message
from game.session import ScenarioEntry, Session, read_scenario
from game.translation import t

if TYPE_CHECKING:
    from game.app import App


def problems_html(problems: list[str], limit: int = 30) -> str:
    """Validation problems as text-box HTML, one per line."""
    shown = [html.escape(p) for p in problems[:limit]]
    more = len(problems) - limit
    if more > 0:
        shown.append(t("flow.more", count=more))
    return "<br>".join(shown)


def start_game(
    app: App, entry: ScenarioEntry, role: str, seed: int, coach: str | None = None
) -> None:
    """Start a new game and open the quarter hub (``coach``: the coach level; None: the
    scenario's default, guided for an introductory scenario)."""
    from game.coach import default_level
    from game.scenes.hub import HubScene

    assert entry.scenario is not None
    app.session = Session(entry, role, seed, coach or default_level(entry.scenario))
    app.session.autosave_quietly()
    app.reset_to(HubScene(app))


def continue_game(app: App) -> None:
    """Resume the game autosaved last, solo or company, or explain why it cannot be resumed
    (the file is left as it is). A finished game opens its debrief."""
    from game.company_session import CompanySession
    from game.scenes.company import start_company
    from game.scenes.debrief import DebriefScene
    from game.scenes.hub import HubScene

    latest = latest_autosave()
    try:
        if latest == company_autosave_path():
            start_company(app, CompanySession.load(latest))
            return
        app.session = Session.from_save(autosave_path())
    except (SaveError, OSError) as exc:
        show_message(
            app,
            t("flow.cannot_continue"),
            t("flow.cannot_continue_body", reason=html.escape(str(exc))),
        )
        return
    app.company = None
    app.reset_to(DebriefScene(app) if app.session.finished else HubScene(app))


def has_autosave() -> bool:
    """True when a solo or a company autosave exists (it may still turn out unusable)."""
    return latest_autosave() is not None


def reload_scenario(app: App) -> None:
    """F5: reread the current scenario from disk and restart it, or show its errors."""
    session = app.session
    if session is None:  # nothing loaded yet (the scenario picker rescans on its own)
        return
    entry = read_scenario(session.entry.path, session.entry.bundled)
    if entry.scenario is None:
        show_message(
            app,
            t("flow.has_errors", file=entry.path.name),
            t("flow.fix_these") + "<br><br>" + problems_html(entry.problems),
        )
        return
    role = session.role if session.role in entry.scenario.roles else entry.scenario.roles[0]
    start_game(app, entry, role, session.seed, session.coach.level)

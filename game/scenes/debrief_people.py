"""The Debrief screen's Colleagues view (issue 19): trust over the game and the promises.

Shown only when the player had colleagues. On the left a line chart of each colleague's
trust at the end of every quarter (Start is the starting trust), each line with its own
marker and pattern as well as its colour; on the right the story in short, every promise
made with its outcome in words, and the quarters that changed a relationship. Drawn from
:func:`engine.relationships.relationships` over the session's own history (no replay).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pygame

from engine.formatting import pct, points
from game import palette
from game.scenes.base import GAP
from game.scenes.dashboard import quarter_labels
from game.translation import t
from game.widgets.chart import LineChart, Series
from game.widgets.text import plain

if TYPE_CHECKING:
    from engine.relationships import Relationships
    from game.scenes.base import Scene

MUTED = "#a8b3c1"


def trust_series(rel: Relationships) -> list[Series]:
    """One line per colleague ("Sales (Dana Okafor)"), trust per quarter from the start."""
    return [Series(c.who, list(c.trust), palette.series(i)) for i, c in enumerate(rel.colleagues)]


def _outcome(outcome: str, closed: int | None) -> str:
    """A promise's outcome in words, coloured (kept: good, broken: bad) and bold."""
    words = html.escape(t(f"debrief_people.outcome.{outcome}", quarter=closed or 0))
    colour = {"kept": palette.GOOD, "broken": palette.BAD}.get(outcome, palette.MUTED)
    return f"<font color='{palette.hex_colour(colour)}'><b>{words}</b></font>"


def relationships_html(rel: Relationships) -> str:
    """The story in short, every promise with its outcome, the relationship turning points."""
    story = "<br>".join(html.escape(plain(s)) for s in rel.sentences)
    promises = [
        "• "
        + t(
            "debrief_people.screen.promise",
            made=p.made,
            who=html.escape(plain(p.who)),
            text=html.escape(plain(p.text)),
        )
        + f" <font color='{MUTED}'>({t('debrief_people.screen.due', due=p.due)})</font> — "
        + _outcome(p.outcome, p.closed)
        for p in rel.promises
    ] or [f"<font color='{MUTED}'>{t('debrief_people.screen.none')}</font>"]
    moments = [
        "• "
        + t(
            "debrief_people.screen.moment",
            quarter=tp.quarter,
            text=html.escape(plain(tp.text)),
            change=points(tp.change, 0),
        )
        for tp in rel.turning_points
    ] or [f"<font color='{MUTED}'>{t('debrief_people.screen.no_turning')}</font>"]
    return (
        f"<b>{t('debrief_people.screen.story')}</b><br>{story}"
        f"<br><br><b>{t('debrief_people.screen.promises')}</b><br>"
        + "<br>".join(promises)
        + f"<br><br><b>{t('debrief_people.screen.turning')}</b><br>"
        + "<br>".join(moments)
    )


def build_relationships(scene: Scene, body: pygame.Rect, rel: Relationships) -> LineChart:
    """Lay the Colleagues view out in ``body``: the trust chart left, the words right."""
    left_w = (body.w - GAP) * 3 // 5
    quarters = max(len(c.trust) for c in rel.colleagues)
    chart = LineChart(
        scene.px(pygame.Rect(body.x, body.y, left_w, body.h)),
        scene.manager,
        scene.root,
        t("debrief_people.screen.chart"),
        trust_series(rel),
        quarter_labels(quarters),
        lambda v: pct(v, 0),
        t("debrief_people.screen.chart_tip"),
        scene.scale,
    )
    scene.text(
        pygame.Rect(body.x + left_w + GAP, body.y, body.w - left_w - GAP, body.h),
        relationships_html(rel),
        tip=t("debrief_people.screen.tip"),
    )
    return chart

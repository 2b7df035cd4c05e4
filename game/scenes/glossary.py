"""What every metric and decision means, in words: the tooltips of every screen."""

from __future__ import annotations

from engine.kpis import GLOSSARY, KPIS

METRICS = {k: KPIS[k].description for k in GLOSSARY}
"""Tooltip text of the metrics the screens show, from the KPI registry."""

DECISIONS = {
    "price": "Price per customer per quarter. Lower prices win price-sensitive segments but "
    "cut revenue from every existing customer; rivals may follow.",
    "marketing": "Marketing spend in this segment this quarter. It builds goodwill that "
    "decays over time and makes customers aware of your product; they cannot choose a "
    "product they have never heard of.",
    "roadmap": "Backlog items the team works on this quarter, in priority order. Unfinished "
    "work carries over. An item whose dependencies have not shipped cannot start.",
    "split": "How engineering capacity is divided: features (the roadmap), debt paydown "
    "(faster delivery later, better quality) and discovery (research and improvement).",
    "research": "Research tells you what a segment really wants. Each study narrows the "
    "uncertainty of your estimates; costs money and discovery capacity.",
    "hires": "Engineers to hire. New hires cost a hiring fee, count half until they have "
    "assimilated, and add coordination overhead.",
    "layoffs": "Engineers to let go: saves salary, costs severance and hurts morale.",
    "forecast": "Your forecast of next quarter's revenue and share. It is scored for "
    "calibration: good PMs know what their decisions will do.",
    "initiatives": "Culture initiatives cost money and/or capacity and move culture "
    "dimensions after a delay.",
    "themes": "Each line's theme tells its AI PM what to optimise: growth, retention, profit "
    "or quality. With no theme the PM follows their own style. The line's plan below "
    "changes as soon as you change its theme.",
    "mentoring": "Share of your time spent mentoring each line's PM. Mentoring raises their "
    "skill, faster when psychological safety is high.",
    "bets": "Innovation bets cost money each quarter until they are decided, and may unlock new "
    "backlog items. An incubation team raises their chances while a bet is funded.",
    "sunset": "Close a product line: its customers leave and its team is freed.",
    "freeze": "A hiring freeze stops all hiring and backfill of people who leave.",
}

ROLE_NAMES = {"pm": "Product Manager", "cpo": "Chief Product Officer"}

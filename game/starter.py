"""The commented starter scenario written by ``crossroads new``.

It is the smallest complete market (two segments, two attributes, the player's product and
one AI rival) with a comment on every block, so an author can grow it one section at a time
and run ``crossroads validate`` after each change. A test checks that it validates.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.scenario import Scenario

NAME_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,39}$")

_TEMPLATE = """\
# yaml-language-server: $schema=__SCHEMA__
# A Crossroads scenario. Check it with:  crossroads validate __FILE__
# Every field is described in docs/authoring.md; your editor completes keys from the schema.
id: __ID__
format: 2                   # the scenario file format (crossroads migrate updates old files)
title: "__TITLE__"
summary: >-
  One or two sentences shown in the scenario list: who the player is and what is at stake.
difficulty: easy            # intro, easy, medium or hard
teaches: "The one idea this scenario teaches."
briefing: |
  The story told before quarter 1. Who is the player's company, who are the rivals,
  what does the board want?
roles: [pm]                 # add cpo once every product's team has an AI 'pm' profile
quarters: 8                 # 4 to 24
seed: 1                     # default random seed; same seed and decisions, same game
currency: "$"

# Product dimensions, each scored 0..1 for products and segment ideals.
attributes:
  - id: ease
    name: Ease of use
  - id: power
    name: Power features

# Groups of customers. ideal and weights need a value for every attribute id above.
segments:
  - id: starters
    name: Small teams
    size: 20000             # potential customers at quarter 0
    in_market: 0.3          # fraction already buying in the category
    ideal: {ease: 0.8, power: 0.3}
    weights: {ease: 4.0, power: 1.0}
    reference_price: 200    # money per customer per quarter
  - id: pros
    name: Professional teams
    size: 5000
    in_market: 0.3
    ideal: {ease: 0.5, power: 0.8}
    weights: {ease: 1.5, power: 4.0}
    price_sensitivity: 2.0  # lower: cares less about price
    reference_price: 600

# The player's firm first, then rivals. Every player product needs a team.
firms:
  - id: player
    name: Your company
    controller: player
    cash: 1000000
    products:
      - id: flagship
        name: Flagship
        attributes: {ease: 0.6, power: 0.5}
        price: 300
        unit_cost: 40
        customers: {starters: 800, pros: 300}
        awareness: {starters: 0.3, pros: 0.3}
        team:
          engineers: 6
  - id: rival
    name: Rival Ltd
    controller: ai
    ai: {archetype: incumbent, marketing: 40000}   # see AI archetypes in the reference
    products:
      - id: rival_app
        name: Rival App
        attributes: {ease: 0.4, power: 0.7}
        price: 350
        customers: {starters: 600, pros: 500}
        awareness: {starters: 0.3, pros: 0.5}

# Work the player can schedule. effects: change of each attribute when shipped.
backlog:
  - id: onboarding
    name: Guided onboarding
    product: flagship
    effort: 20              # effort points; an engineer delivers about 10 a quarter
    effects: {ease: 0.06}
  - id: automation
    name: Automation rules
    product: flagship
    effort: 35
    effects: {power: 0.08}
    depends_on: [onboarding]

research:
  - id: interviews
    name: Customer interviews
    cost: 10000
    noise: 0.12
    reveals: [ideals, weights]

events:
  - id: budget_cuts
    title: Budgets tighten
    probability: 0.1        # chance per quarter; use 'quarter: N' to schedule instead
    effects:
      - {type: price_sensitivity, segment: starters, change: 0.2}

objectives:
  - id: share
    description: At least 10% of professional teams by the last quarter
    kpi: share
    segment: pros
    target: 0.10
  - id: profit
    description: Cumulative profit above zero at the end
    kpi: cumulative_profit
    target: 0
    mode: final

debrief:
  - question: What did you learn about the professional teams, and how?
    competency: market_understanding
"""


def scenario_id(name: str) -> str:
    """The scenario id for a file name: lower case, hyphens become underscores."""
    return name.lower().replace("-", "_")


def starter_text(name: str, schema_uri: str = "scenario.schema.json") -> str:
    """The starter scenario for ``name`` (which must match :data:`NAME_PATTERN`)."""
    if not NAME_PATTERN.match(name):
        raise ValueError(
            f"invalid scenario name {name!r}: use letters, digits, '-' or '_', starting with a "
            "letter, at most 40 characters"
        )
    title = re.sub(r"[-_]+", " ", name).strip().capitalize()
    return (
        _TEMPLATE.replace("__SCHEMA__", schema_uri)
        .replace("__FILE__", f"{name}.yaml")
        .replace("__ID__", scenario_id(name))
        .replace("__TITLE__", title)
    )


def extending_text(name: str, base_ref: str, base: Scenario) -> str:
    """A small scenario ``name`` that ``extends: base_ref`` (the validated ``base``).

    It sets only its own id and title; commented examples, built from the base's own ids,
    show how to override a value, add an item and drop one. It validates as written.
    """
    if not NAME_PATTERN.match(name):
        raise ValueError(f"invalid scenario name {name!r}")
    title = re.sub(r"[-_]+", " ", name).strip().capitalize()
    segment = base.segments[0]
    product = next(p for f in base.firms if f.controller == "player" for p in f.products)
    attribute = base.attributes[0].id
    lines = [
        f"# {name}.yaml builds on the scenario '{base_ref}': everything not written here is the",
        '# base\'s. Merge rules: docs/authoring.md, "Building on another scenario". Check it with',
        f"#   crossroads validate {name}.yaml   and see what changed with",
        f"#   crossroads diff {base_ref} {name}.yaml",
        f"extends: {base_ref}",
        f"id: {scenario_id(name)}",
        f"title: {json.dumps(title, allow_nan=False)}",
        "",
        "# Override a value: name the item by its id and write only what changes.",
        "# segments:",
        f"#   - id: {segment.id}",
        f"#     price_sensitivity: {round(segment.price_sensitivity * 1.2, 2)}",
        "#",
        "# Add an item: an id the base does not have is appended to its list.",
        "# backlog:",
        "#   - id: my_feature",
        "#     name: My feature",
        f"#     product: {product.id}",
        "#     effort: 20",
        f"#     effects: {{{attribute}: 0.05}}",
    ]
    if base.backlog:
        lines += [
            "#",
            "# Drop items of the base by id (per list of the mapping that holds it):",
            f"# remove: {{backlog: [{base.backlog[0].id}]}}",
        ]
    return "\n".join(lines) + "\n"

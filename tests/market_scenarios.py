"""Small scenarios for market-engine tests, built as dicts so each test states what matters."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from engine.scenario import Scenario

TUTORIAL = Path(__file__).resolve().parents[1] / "scenarios" / "tutorial.yaml"


def tutorial(resolution: int = 400) -> Scenario:
    """The bundled tutorial with every segment at ``resolution`` synthetic customers."""
    data = yaml.safe_load(TUTORIAL.read_text(encoding="utf-8"))
    for seg in data["segments"]:
        seg["resolution"] = resolution
    return Scenario.model_validate(data)


def segment(seg_id: str = "s1", **overrides: Any) -> dict[str, Any]:
    """A segment over attributes a and b."""
    out: dict[str, Any] = {
        "id": seg_id,
        "name": seg_id.upper(),
        "size": 10_000.0,
        "in_market": 0.2,
        "ideal": {"a": 0.6, "b": 0.5},
        "weights": {"a": 2.0, "b": 1.0},
        "reference_price": 100.0,
        "resolution": 2000,
    }
    out.update(overrides)
    return out


def homogeneous_segment(resolution: int) -> dict[str, Any]:
    """One segment where every customer is alike, in the category without a product and
    looking at the offers every quarter: the closed forms (logit shares, −α(1−s) elasticity)
    hold exactly in quarter 1."""
    return segment(
        in_market=1.0,
        reconsider=1.0,
        bass_p=0.0,
        bass_q=0.0,
        ideal_spread=0.0,
        weight_cv=0.0,
        price_sensitivity=3.3,
        price_sensitivity_cv=0.0,
        outside_utility=-1.0,
        resolution=resolution,
    )


def product(prod_id: str, **overrides: Any) -> dict[str, Any]:
    """A product at the middle of the map, priced at the reference price."""
    out: dict[str, Any] = {
        "id": prod_id,
        "name": prod_id.capitalize(),
        "attributes": {"a": 0.5, "b": 0.5},
        "price": 100.0,
    }
    out.update(overrides)
    return out


def player(products: list[dict[str, Any]], **overrides: Any) -> dict[str, Any]:
    """The player firm (each product gets a small team)."""
    prods = [{**p, "team": p.get("team", {"engineers": 5})} for p in products]
    return {"id": "player", "name": "Us", "controller": "player", "products": prods, **overrides}


def rival(firm_id: str, ai: dict[str, Any], products: list[dict[str, Any]]) -> dict[str, Any]:
    """An AI firm with the archetype block ``ai``."""
    return {
        "id": firm_id,
        "name": firm_id.capitalize(),
        "controller": "ai",
        "ai": ai,
        "products": products,
    }


def scenario(
    firms: list[dict[str, Any]],
    segments: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> Scenario:
    """A validated one- or more-segment scenario over attributes a and b."""
    data: dict[str, Any] = {
        "format": 2,
        "id": "tiny",
        "title": "Tiny",
        "summary": "A tiny test market.",
        "briefing": "Test.",
        "roles": ["pm"],
        "quarters": 12,
        "attributes": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
        "segments": segments or [segment()],
        "firms": copy.deepcopy(firms),
        "objectives": [{"id": "o", "description": "Share", "kpi": "share", "target": 0.1}],
    }
    data.update(overrides)
    return Scenario.model_validate(data)

"""The scenario format: pydantic models for every field an author can write.

A scenario is immutable once validated. Every field carries a description (and a unit
where it has one) because the JSON Schema and ``docs/authoring.md`` are generated from
these models. Models are *strict*: YAML booleans never become numbers and numbers never
become strings, so YAML 1.1 traps (``NO``, ``on``) surface as type errors.

Cross-references (an item naming an unknown product, an event naming an unknown segment,
...) are checked by :func:`reference_problems`, which returns every problem with the
field path it belongs to so the loader can point at the right line. Each check declares the
values it compares (:func:`check_reads`) and each model validator the fields it compares
(``checked_together``), so that the loader can run them on the parts of a file that passed
validation without reporting a problem that a dropped part caused.

Player-facing text fields (:data:`Text`) take a plain string or a mapping of language code to
string; validation keeps the one string of the language asked for (see :class:`Translatable`),
so a validated scenario holds plain strings only and ids are never translated.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Collection, Iterator
from contextvars import ContextVar
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from engine.formatting import count, money_full
from engine.kpis import OBJECTIVE_KPIS
from engine.scenario_format import upgrade

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]{0,39}$",
        description="Identifier: lower-case letters, digits and underscores, starting with a "
        "letter, at most 40 characters.",
    ),
]
MAX_MONEY = 1e12
"""The largest amount of money any field may hold (and the smallest cash balance, negated)."""
MIN_PRICE = 0.01
"""The smallest price or reference price: one cent, so ln(price / reference price) stays finite."""
MAX_STARTING_MARKETING = 1e10
"""The most a player firm may have to spend per quarter to keep its starting awareness."""
Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Money = Annotated[float, Field(ge=0.0, le=MAX_MONEY)]
Role = Literal["pm", "cpo"]
CultureDimension = Literal[
    "morale", "safety", "customer_focus", "innovation", "collaboration", "capability"
]
CULTURE_DIMENSIONS: tuple[str, ...] = (
    "morale",
    "safety",
    "customer_focus",
    "innovation",
    "collaboration",
    "capability",
)
# The KPIs an objective may name: engine.kpis.OBJECTIVE_KPIS, in registry order (a Literal so
# pydantic checks them and the JSON schema lists them).
Kpi = Literal[OBJECTIVE_KPIS]  # type: ignore[valid-type]


class Model(BaseModel):
    """Base for every scenario model: strict types, unknown keys rejected, frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --------------------------------------------------------------------------- translated text

LANGUAGE_PATTERN = r"^[a-z]{2}$"
"""A language code: two lower-case letters (ISO 639-1: en, de, fr, ...)."""
SOURCE_LANGUAGE = "en"
"""The language a scenario is written in when it does not say (its ``language`` field)."""
_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_LANGUAGES: ContextVar[tuple[str, str]] = ContextVar(
    "scenario_languages", default=(SOURCE_LANGUAGE, SOURCE_LANGUAGE)
)
"""(source, wanted) while a scenario validates: what a translated text must give, and which
of its translations the validated scenario holds."""


class Translatable:
    """Marks a player-facing text field that may be written per language.

    The field takes a plain string, or a mapping of language code to string
    (``title: {en: Tutorial, de: Einführung}``) that must give the scenario's source language
    (:data:`SOURCE_LANGUAGE` unless the scenario's ``language`` says otherwise); every
    translation has the field's length bounds and is not empty. Validation keeps ONE string:
    the translation in the language asked for (``context={"language": "de"}`` on
    :meth:`Scenario.model_validate`), else the source language's. The engine therefore only
    ever sees plain strings.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        plain = handler(source)
        bounds: dict[str, Any] = dict(plain)  # a str schema: min_length, max_length
        low, high = max(1, bounds.get("min_length") or 0), bounds.get("max_length")

        def resolve(value: Any) -> Any:
            return translation(value, low, high) if isinstance(value, dict) else value

        return core_schema.no_info_before_validator_function(resolve, plain)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        plain = dict(handler(schema))
        each = {**plain, "minLength": max(1, plain.get("minLength", 0))}
        translated = {
            "type": "object",
            "description": "The text per language code (en, de, ...); it must give the "
            "scenario's language.",
            "patternProperties": {LANGUAGE_PATTERN: each},
            "additionalProperties": False,
            "minProperties": 1,
        }
        return {"anyOf": [plain, translated]}


Text = Annotated[str, Translatable()]
"""Player-facing text: a string, or a mapping of language code to string."""


def translation(texts: dict[Any, Any], low: int = 1, high: int | None = None) -> str:
    """The text of ``texts`` (language code → string) for the scenario being validated.

    Raises a ``translated_text`` error (its context names the language it concerns, and
    ``key`` when the code itself is wrong) for a bad code, a value that is not a non-empty
    string within ``low``..``high`` characters, or a missing source language.
    """
    source, wanted = _LANGUAGES.get()
    if not any(isinstance(code, str) and _LANGUAGE.match(code) for code in texts):
        raise PydanticCustomError(  # not meant as translations: a mapping where text belongs
            "translated_text",
            "Input should be a valid string, or translations like {en: ..., de: ...} (keys "
            "are two-letter language codes); got a mapping with keys: {keys}",
            {"keys": ", ".join(map(str, texts)) or "none"},
        )
    for code, value in texts.items():
        if not isinstance(code, str) or not _LANGUAGE.match(code):
            raise PydanticCustomError(
                "translated_text",
                "'{language}' is not a language code: write two lower-case letters (en, de, fr)",
                {"language": str(code), "key": True},
            )
        if not isinstance(value, str):
            raise PydanticCustomError(
                "translated_text",
                "the '{language}' text must be text",
                {"language": code, "wrong_type": True},
            )
        if len(value) < low:
            raise PydanticCustomError(
                "translated_text", "the '{language}' text is empty", {"language": code}
            )
        if high is not None and len(value) > high:
            raise PydanticCustomError(
                "translated_text",
                "the '{language}' text has {length} characters; at most {high} are allowed",
                {"language": code, "length": len(value), "high": high},
            )
    if source not in texts:
        raise PydanticCustomError(
            "translated_text",
            "translations must include the scenario's language '{language}' (the text "
            "shown when a player's language is missing); got {given}",
            {"language": source, "given": ", ".join(map(str, texts)) or "none"},
        )
    return str(texts.get(wanted, texts[source]))


def _text(description: str, max_length: int = 400, **kwargs: Any) -> Any:
    return Field(min_length=1, max_length=max_length, description=description, **kwargs)


class LintSettings(Model):
    """Lint warnings silenced on one item and everything inside it, and why."""

    ignore: list[Annotated[str, Field(pattern=r"^W[0-9]{3}$")]] = Field(
        min_length=1,
        max_length=20,
        description="Warning codes to silence here, e.g. [W104] (see 'Lint warnings' in "
        "docs/authoring.md).",
    )
    reason: str = _text("Why the warning does not apply, for the next author.", 300)


def _lint() -> Any:
    return Field(
        default=None,
        description="Silence lint warnings of this item (and of everything inside it): "
        "{ignore: [W104], reason: ...}. No effect on the simulation.",
    )


# --------------------------------------------------------------------------- market


class Attribute(Model):
    """One product dimension, scored 0..1 for every product and segment ideal."""

    id: Id
    name: Text = _text("Display name shown to players.", 60)
    description: Text = Field(
        default="", max_length=400, description="What this attribute means to a customer."
    )


class ChurnPrior(Model):
    """Beta(a, b) distribution of customers' per-quarter churn propensity."""

    a: float = Field(
        default=1.0,
        ge=0.001,
        le=1000,
        description="Beta shape a (0.001 makes churn all but vanish). Unit: none (a shape).",
    )
    b: float = Field(
        default=19.0,
        ge=0.001,
        le=1000,
        description="Beta shape b. Mean churn propensity per quarter is a/(a+b). Unit: none "
        "(a shape).",
    )


class Segment(Model):
    """A group of customers with shared needs: size, adoption, tastes and loyalty."""

    id: Id
    name: Text = _text("Display name.", 60)
    description: Text = Field(default="", max_length=600, description="Who these customers are.")
    size: float = Field(
        ge=1, le=1e9, description="Potential market M_s at quarter 0. Unit: real customers."
    )
    growth: float = Field(
        default=0.0,
        ge=-0.5,
        le=1.0,
        description="Growth of M_s per quarter. Unit: fraction per quarter.",
    )
    in_market: Fraction = Field(
        default=0.2,
        description="Fraction of M_s already in the category at quarter 0 (B_0/M_s). Must cover "
        "the products' starting customers in this segment. Unit: fraction.",
    )
    bass_p: float = Field(
        default=0.02,
        ge=0,
        le=4,
        description="Bass innovation coefficient p, per year as published (typical 0.01-0.03; "
        "mean of published studies 0.03). Entry follows the continuous-time Bass curve. Unit: "
        "per year.",
    )
    bass_q: float = Field(
        default=0.4,
        ge=0,
        le=8,
        description="Bass imitation coefficient q, per year as published (typical 0.3-0.5; "
        "mean of published studies 0.38). Unit: per year.",
    )
    reconsider: Fraction = Field(
        default=0.25,
        description="Chance each quarter that an in-category customer without a product looks "
        "at the offers again, on top of their churn propensity (0.25: about once a year). "
        "Unit: probability per quarter.",
    )
    media_cost: float = Field(
        default=1.0,
        ge=0.001,
        le=1e9,
        description="How dear this segment's people are to reach with advertising, relative to "
        "advertising.cost_per_point (2 = twice the spend per head for the same goodwill, e.g. "
        "busy executives). Unit: ratio.",
    )
    ideal: dict[str, Fraction] = Field(
        description="Mean ideal point x̄_s per attribute id. Every attribute must be given. "
        "Unit: 0..1 attribute scale."
    )
    ideal_spread: float = Field(
        default=0.1,
        ge=0,
        le=0.5,
        description="Standard deviation of individual ideal points around the mean. Unit: 0..1 "
        "attribute scale.",
    )
    drift: dict[str, Annotated[float, Field(ge=-0.2, le=0.2)]] = Field(
        default_factory=dict,
        description="Mean change of the ideal per quarter, per attribute id (v_s). Unit: 0..1 "
        "attribute scale per quarter.",
    )
    drift_noise: float = Field(
        default=0.0,
        ge=0,
        le=0.2,
        description="Standard deviation of the random quarterly move of the ideal (σ_s). Unit: "
        "0..1 attribute scale per quarter.",
    )
    weights: dict[str, Annotated[float, Field(ge=0, le=50)]] = Field(
        description="Importance w_sk of each attribute id. Every attribute must be given. "
        "Unit: utility per squared unit of distance from the ideal."
    )
    weight_cv: float = Field(
        default=0.3,
        ge=0,
        le=2,
        description="Coefficient of variation of individual weights (log-normal). Unit: "
        "ratio (σ/mean).",
    )
    price_sensitivity: float = Field(
        default=3.0,
        ge=0.01,
        le=20,
        description="Mean α_s on log price. Among the customers choosing in a quarter the "
        "own-price elasticity is ≈ −α(1−share); α≈3.3 gives −2.6 at 20% share (the installed "
        "base follows as customers look again). Unit: utility per unit of ln(price).",
    )
    price_sensitivity_cv: float = Field(
        default=0.3,
        ge=0,
        le=2,
        description="Coefficient of variation of individual price sensitivity (log-normal). "
        "Unit: ratio (σ/mean).",
    )
    reference_price: float = Field(
        ge=MIN_PRICE,
        le=1e7,
        description="Price p_ref_s at which the price term is zero. Unit: money per customer "
        "per quarter.",
    )
    churn: ChurnPrior = Field(
        default_factory=ChurnPrior, description="Distribution of churn propensity θ_i."
    )
    switching_cost: float = Field(
        default=0.5,
        ge=0,
        le=10,
        description="Utility penalty for choosing a product other than the current one. "
        "Unit: utility.",
    )
    outside_utility: float = Field(
        default=0.0,
        ge=-20,
        le=20,
        description="Utility V_0 of buying nothing (the outside option). Unit: utility.",
    )
    resolution: int = Field(
        default=20_000,
        ge=10,
        le=200_000,
        description="Number of synthetic customers simulated for this segment; each stands for "
        "M_s/resolution real ones. Unit: synthetic customers.",
    )
    lint: LintSettings | None = _lint()


class Advertising(Model):
    """How marketing money turns into goodwill and awareness (adstock + word of mouth)."""

    carryover: Fraction = Field(
        default=0.6,
        description="Goodwill kept from one quarter to the next (λ). Unit: fraction.",
    )
    cost_per_point: float = Field(
        default=500.0,
        ge=1e-6,
        le=1e9,
        description="Spend per 1,000 people of a segment that buys one goodwill point there "
        "(times the segment's media_cost), so the same spend per head gives the same awareness "
        "in a small and a large segment. Unit: money per point per 1,000 people.",
    )
    reach: float = Field(
        default=0.3,
        ge=1e-6,
        le=10,
        description="κ in advertising awareness 1 − exp(−κ·goodwill). Unit: per goodwill point.",
    )
    word_of_mouth: float = Field(
        default=0.5,
        ge=0,
        le=10,
        description="Word-of-mouth awareness per unit of installed-base share of the segment "
        "(capped at 1); combined with advertising as aware = 1 − (1 − ad)·(1 − wom). Unit: "
        "awareness per unit of share.",
    )
    forgetting: Fraction = Field(
        default=0.05,
        description="Fraction of aware non-customers who forget a product each quarter. The "
        "aware fraction itself follows advertising and word of mouth (up and down), so this "
        "decides who knows a product, not how many. Unit: fraction per quarter.",
    )


class Choice(Model):
    """Market-wide utility coefficients of the mixed-logit choice model."""

    quality_weight: float = Field(
        default=1.0,
        ge=0,
        le=20,
        description="β_Q: utility per unit of product quality. Unit: utility per unit of quality.",
    )
    network_weight: float = Field(
        default=0.0,
        ge=0,
        le=20,
        description="β_N (network effects). Unit: utility per unit of ln(1 + installed_j/M_s).",
    )
    churn_gap: float = Field(
        default=0.5,
        ge=0,
        le=10,
        description="How strongly a customer's churn chance rises when a better alternative "
        "exists: θ_i·(1 + churn_gap·max(0, V_best − V_current)). Unit: per unit of utility.",
    )


# --------------------------------------------------------------------------- firms


class PmProfile(Model):
    """The AI product manager running a line when the player is CPO."""

    name: Text = _text("The PM's name.", 60)
    skill: Fraction = Field(
        default=0.5,
        description="How well the PM prioritises and estimates (0 novice, 1 expert). Unit: "
        "fraction.",
    )
    style: Literal["builder", "analyst", "customer", "cautious", "visionary"] = Field(
        default="builder",
        description="Decision style: builder ships features, analyst researches first, "
        "customer chases satisfaction, cautious protects margin, visionary takes big bets.",
    )


class Team(Model):
    """Starting state of the engineering team behind one product line."""

    engineers: int = Field(ge=0, le=5000, description="Experienced engineers. Unit: people.")
    new_hires: int = Field(
        default=0, ge=0, le=5000, description="Engineers still assimilating. Unit: people."
    )
    tech_debt: float = Field(
        default=10.0, ge=0, le=10_000, description="Technical debt. Unit: effort points."
    )
    pm: PmProfile | None = Field(
        default=None, description="AI PM for this line (used when the player is CPO)."
    )


class Product(Model):
    """A product line: position, price, cost, starting customers and awareness."""

    id: Id
    name: Text = _text("Display name.", 60)
    description: Text = Field(default="", max_length=600, description="What the product is.")
    roles: list[Role] = Field(
        default_factory=lambda: ["pm", "cpo"],
        min_length=1,
        max_length=2,
        description="Roles in which this product exists. A CPO-only line is a second line "
        "the PM role does not see.",
    )
    attributes: dict[str, Fraction] = Field(
        description="Position z_jk per attribute id. Every attribute must be given. Unit: "
        "0..1 attribute scale."
    )
    quality: Fraction = Field(
        default=0.7,
        description="Quality (reliability, defects) at quarter 0. Unit: 0..1 quality scale.",
    )
    brand: float = Field(
        default=0.0,
        ge=-5,
        le=5,
        description="β_j: a product-specific utility constant. Unit: utility.",
    )
    price: float = Field(
        ge=MIN_PRICE,
        le=1e7,
        description="Price at quarter 0. Unit: money per customer per quarter.",
    )
    unit_cost: float = Field(
        default=0.0,
        ge=0,
        le=1e7,
        description="Cost to serve one customer. Unit: money per customer per quarter.",
    )
    customers: dict[str, Annotated[float, Field(ge=0, le=1e9)]] = Field(
        default_factory=dict,
        description="Starting customers per segment id. Unit: real customers.",
    )
    awareness: dict[str, Fraction] = Field(
        default_factory=dict,
        description="Starting awareness per segment id: fraction of the segment who know the "
        "product (customers always know it). Unit: fraction.",
    )
    team: Team | None = Field(
        default=None,
        description="Engineering team behind this line (player firms; AI firms may omit).",
    )
    lint: LintSettings | None = _lint()


class Culture(Model):
    """Starting culture dimensions of a firm, each 0..1."""

    morale: Fraction = Field(
        default=0.7, description="How people feel about their work. Unit: 0..1 scale."
    )
    safety: Fraction = Field(
        default=0.6,
        description="Psychological safety: can people take risks and speak up. Unit: 0..1 scale.",
    )
    customer_focus: Fraction = Field(
        default=0.5,
        description="How close teams are to customers; shrinks research noise. Unit: 0..1 scale.",
    )
    innovation: Fraction = Field(
        default=0.5,
        description="Appetite and skill for new ideas; drives breakthroughs. Unit: 0..1 scale.",
    )
    collaboration: Fraction = Field(
        default=0.6,
        description="How well functions work together; raises delivery. Unit: 0..1 scale.",
    )
    capability: Fraction = Field(
        default=0.6,
        description="Engineering and product craft; multiplies capacity. Unit: 0..1 scale.",
    )


class Organisation(Model):
    """Coefficients of the organisation model (DESIGN §4), with sensible defaults."""

    productivity: float = Field(
        default=10.0,
        ge=0.1,
        le=1000,
        description="Effort points one experienced engineer delivers per quarter. Unit: effort "
        "points per person per quarter.",
    )
    salary: Money = Field(
        default=30_000.0, description="Cost per person per quarter. Unit: money per person."
    )
    hiring_cost: Money = Field(
        default=10_000.0, description="One-off cost per hire. Unit: money per person."
    )
    severance: Money = Field(
        default=30_000.0, description="One-off cost per layoff. Unit: money per person."
    )
    assimilation: int = Field(
        default=2,
        ge=0,
        le=8,
        description="Quarters before a new hire counts as experienced. Unit: quarters.",
    )
    brooks: float = Field(
        default=0.01,
        ge=0,
        le=0.1,
        description="Coordination overhead per engineer: capacity × (1 − brooks·team_size), "
        "floored at 0.5. Unit: fraction of capacity per person.",
    )
    debt_half: float = Field(
        default=60.0,
        ge=1,
        le=10_000,
        description="D50: debt at which delivery speed halves, g = 1/(1 + D/D50). Unit: effort "
        "points.",
    )
    debt_quality_drag: float = Field(
        default=0.0005,
        ge=0,
        le=0.1,
        description="Quality lost per quarter per debt point above debt_half/2. Unit: 0..1 "
        "quality scale per effort point per quarter.",
    )
    attrition_base: Fraction = Field(
        default=0.035,
        description="Attrition at morale 0.6 (3.5% typical). Unit: fraction per quarter.",
    )
    attrition_gamma: float = Field(
        default=4.0,
        ge=0,
        le=20,
        description="γ in attrition = base·exp(γ·(0.6 − morale)). Unit: per unit of morale.",
    )
    breakthrough_rate: float = Field(
        default=0.6,
        ge=0,
        le=10,
        description="Poisson rate of breakthrough ideas at innovation = safety = capability = "
        "1. Unit: ideas per quarter.",
    )


class ArchetypeBase(Model):
    """Parameters every AI archetype shares."""

    marketing: Money = Field(
        default=50_000.0,
        description="The firm's marketing spend, split across its products (by customers) and "
        "segments. Unit: money per quarter.",
    )
    improvement: float = Field(
        default=0.01,
        ge=0,
        le=0.2,
        description="Attribute gain from routine R&D. Unit: 0..1 attribute scale per quarter.",
    )


class Incumbent(ArchetypeBase):
    """Holds position; moves price slowly toward its margin target."""

    archetype: Literal["incumbent"]
    max_price_step: float = Field(
        default=0.03,
        ge=0,
        le=0.5,
        description="Largest relative price change. Unit: fraction per quarter.",
    )
    margin_target: Fraction | None = Field(
        default=None,
        description="Gross margin (price − unit cost)/price it steers toward; none = its "
        "starting margin at quarter 0. Unit: fraction.",
    )


class PriceFollower(ArchetypeBase):
    """Follows the price leader: Δp = ρ·Δp_leader."""

    archetype: Literal["price_follower"]
    rho: float = Field(
        default=0.8, ge=0, le=2, description="Fraction of the leader's move. Unit: ratio."
    )
    lag: int = Field(
        default=1, ge=0, le=4, description="Quarters before it reacts. Unit: quarters."
    )


class FastFollower(ArchetypeBase):
    """Copies the leader's best attribute gains after a lag."""

    archetype: Literal["fast_follower"]
    lag: int = Field(
        default=2, ge=1, le=8, description="Quarters before it copies. Unit: quarters."
    )
    copy_fraction: Fraction = Field(
        default=0.8, description="Fraction of the leader's gain it copies. Unit: fraction."
    )


Step = Annotated[
    float,
    Field(
        ge=0,
        le=0.3,
        description="Distance moved toward the target. Unit: 0..1 attribute scale per quarter.",
    ),
]
"""How far an innovator or niche rival moves toward its target each quarter."""


class Innovator(ArchetypeBase):
    """Moves toward an under-served segment ideal, with occasional big jumps."""

    archetype: Literal["innovator"]
    step: Step = 0.03
    jump_probability: Fraction = Field(
        default=0.1, description="Chance of a big jump. Unit: probability per quarter."
    )
    jump_size: float = Field(
        default=0.15, ge=0, le=0.5, description="Size of a big jump. Unit: 0..1 attribute scale."
    )


class Niche(ArchetypeBase):
    """Targets one segment: moves its product toward that segment's ideal."""

    archetype: Literal["niche"]
    target_segment: Id = Field(description="Segment id it serves.")
    step: Step = 0.03


class BestResponse(ArchetypeBase):
    """Scores candidate moves with a segment-level profit model, picks by softmax."""

    archetype: Literal["best_response"]
    candidates: int = Field(
        default=20, ge=10, le=30, description="Candidate moves scored. Unit: moves."
    )
    temperature: float = Field(
        default=0.2,
        ge=0.01,
        le=10,
        description="Softmax temperature τ. Unit: relative profit.",
    )
    inertia: Fraction = Field(
        default=0.3, description="Chance of doing nothing. Unit: probability per quarter."
    )


Archetype = Annotated[
    Incumbent | PriceFollower | FastFollower | Innovator | Niche | BestResponse,
    Field(discriminator="archetype"),
]


class Firm(Model):
    """A company in the market: the player's, or an AI rival with an archetype."""

    id: Id
    name: Text = _text("Display name.", 60)
    description: Text = Field(default="", max_length=600, description="Who they are.")
    controller: Literal["player", "ai"] = Field(
        description="Who makes this firm's decisions: the trainee (player) or the computer."
    )
    ai: Archetype | None = Field(
        default=None, description="Archetype and parameters; required when controller is ai."
    )
    cash: float = Field(
        default=1_000_000.0,
        ge=-MAX_MONEY,
        le=MAX_MONEY,
        description="Cash at quarter 0. Unit: money.",
    )
    culture: Culture = Field(default_factory=Culture, description="Starting culture.")
    products: list[Product] = Field(min_length=1, max_length=8, description="Product lines.")
    lint: LintSettings | None = _lint()

    checked_together: ClassVar[tuple[str, ...]] = ("controller", "ai")
    """The fields the model validator compares (see the module docstring)."""

    @model_validator(mode="after")
    def _ai_needs_archetype(self) -> Firm:
        if self.controller == "ai" and self.ai is None:
            raise ValueError("an ai firm needs an 'ai' block with its archetype")
        if self.controller == "player" and self.ai is not None:
            raise ValueError("a player firm cannot have an 'ai' block")
        return self


# --------------------------------------------------------------------------- work


class BacklogItem(Model):
    """A piece of work the player can put on the roadmap."""

    id: Id
    name: Text = _text("Display name.", 60)
    description: Text = Field(default="", max_length=600, description="What it is and why.")
    product: Id = Field(description="Product id it improves.")
    effort: float = Field(
        ge=0.1, le=10_000, description="Estimated effort shown to players. Unit: effort points."
    )
    effort_uncertainty: float = Field(
        default=0.3,
        ge=0,
        le=2,
        description="σ of the log-normal true effort around the estimate. Unit: ln(effort).",
    )
    effects: dict[str, Annotated[float, Field(ge=-1, le=1)]] = Field(
        default_factory=dict,
        description="True mean change of each attribute id when shipped. Unit: 0..1 "
        "attribute scale.",
    )
    effect_uncertainty: float = Field(
        default=0.5,
        ge=0,
        le=3,
        description="Relative σ of the hidden true effects and of the player's estimate. "
        "Unit: ratio (σ/effect).",
    )
    quality: float = Field(
        default=0.0,
        ge=-1,
        le=1,
        description="Change of product quality when shipped. Unit: 0..1 quality scale.",
    )
    debt: float = Field(
        default=0.0,
        ge=-1000,
        le=1000,
        description="Technical debt added when shipped (negative: a refactor that removes "
        "debt). Unit: effort points.",
    )
    depends_on: list[Id] = Field(
        default_factory=list, max_length=20, description="Item ids that must ship first."
    )
    tags: list[Annotated[str, Field(min_length=1, max_length=30)]] = Field(
        default_factory=list, max_length=10, description="Free labels (e.g. enterprise, debt, ux)."
    )
    breakthrough: bool = Field(
        default=False,
        description="Hidden until a breakthrough opportunity reveals it (innovation × safety "
        "× capability).",
    )
    lint: LintSettings | None = _lint()


class ResearchMethod(Model):
    """A discovery method the player can buy for a segment."""

    id: Id
    name: Text = _text("Display name.", 60)
    description: Text = Field(default="", max_length=600, description="What it involves.")
    cost: Money = Field(description="Cost per segment per quarter. Unit: money.")
    effort: float = Field(
        default=0.0,
        ge=0,
        le=1000,
        description="Discovery capacity it uses. Unit: effort points.",
    )
    noise: float = Field(
        ge=1e-3,
        le=1,
        description="σ of each estimate at customer_focus 0.5. Unit: 0..1 attribute scale.",
    )
    reveals: list[Literal["ideals", "weights", "price_sensitivity", "competitors"]] = Field(
        min_length=1,
        max_length=4,
        description="What it estimates: segment ideals, attribute weights, price "
        "sensitivity, competitor positions.",
    )


class CultureInitiative(Model):
    """A programme that moves culture dimensions after a delay."""

    id: Id
    name: Text = _text("Display name.", 60)
    description: Text = Field(default="", max_length=600, description="What it involves.")
    cost: Money = Field(default=0.0, description="One-off cost. Unit: money.")
    effort: float = Field(
        default=0.0, ge=0, le=1000, description="Capacity used this quarter. Unit: effort points."
    )
    delay: int = Field(
        default=1, ge=0, le=8, description="Quarters before the effect lands. Unit: quarters."
    )
    effects: dict[CultureDimension, Annotated[float, Field(ge=-1, le=1)]] = Field(
        min_length=1,
        description="Change of each culture dimension when it lands. Unit: 0..1 scale.",
    )


class InnovationBet(Model):
    """A CPO-funded exploration that may unlock new items."""

    id: Id
    name: Text = _text("Display name.", 60)
    description: Text = Field(default="", max_length=600, description="The bet.")
    cost: Money = Field(description="Cost per quarter while funded. Unit: money.")
    quarters: int = Field(
        ge=1, le=12, description="Quarters of funding before it resolves. Unit: quarters."
    )
    success: Fraction = Field(
        description="Success chance at innovation = capability = 0.5 (scaled by both). Unit: "
        "probability."
    )
    unlocks: list[Id] = Field(
        min_length=1,
        max_length=20,
        description="Backlog item ids added to the backlog on success.",
    )
    lint: LintSettings | None = _lint()


# --------------------------------------------------------------------------- events


class _Effect(Model):
    pass


class SegmentSize(_Effect):
    """Scales a segment's potential market M_s."""

    type: Literal["segment_size"]
    segment: Id
    change: float = Field(
        ge=-0.9, le=5, description="Relative change (−0.1 = −10%). Unit: fraction."
    )


class SegmentGrowth(_Effect):
    """Adds to a segment's growth rate per quarter."""

    type: Literal["segment_growth"]
    segment: Id
    change: float = Field(
        ge=-0.5, le=0.5, description="Change of growth. Unit: fraction per quarter."
    )


class PriceSensitivity(_Effect):
    """Scales a segment's price sensitivity (recession, budget cuts)."""

    type: Literal["price_sensitivity"]
    segment: Id
    change: float = Field(ge=-0.9, le=5, description="Relative change. Unit: fraction.")


class IdealShift(_Effect):
    """Moves a segment's ideal on one attribute (a new need appears)."""

    type: Literal["ideal_shift"]
    segment: Id
    attribute: Id
    change: float = Field(ge=-1, le=1, description="Change. Unit: 0..1 scale.")


class WeightShift(_Effect):
    """Changes how much a segment cares about one attribute (regulation)."""

    type: Literal["weight_shift"]
    segment: Id
    attribute: Id
    change: float = Field(
        ge=-50, le=50, description="Change of the weight. Unit: utility per squared distance."
    )


class ProductAttribute(_Effect):
    """Moves one product's attribute (a competitor launch)."""

    type: Literal["product_attribute"]
    product: Id
    attribute: Id
    change: float = Field(ge=-1, le=1, description="Change. Unit: 0..1 scale.")


class ProductQuality(_Effect):
    """Changes a product's quality (an outage)."""

    type: Literal["product_quality"]
    product: Id
    change: float = Field(ge=-1, le=1, description="Change. Unit: 0..1 scale.")


class ProductPrice(_Effect):
    """Changes a product's price (a rival's price cut)."""

    type: Literal["product_price"]
    product: Id
    change: float = Field(ge=-0.9, le=5, description="Relative change. Unit: fraction.")


class UnitCost(_Effect):
    """Scales a product's unit cost (supplier, cloud bill)."""

    type: Literal["unit_cost"]
    product: Id
    change: float = Field(ge=-0.9, le=5, description="Relative change. Unit: fraction.")


class Awareness(_Effect):
    """Adds awareness of a product in a segment (viral growth, press)."""

    type: Literal["awareness"]
    product: Id
    segment: Id
    change: float = Field(
        ge=-1, le=1, description="Change of awareness. Unit: fraction of the segment."
    )


class Deal(_Effect):
    """A deal is signed: that many customers of a segment sign up for a product now (people
    already in the category who buy nothing first, then people new to it)."""

    type: Literal["deal"]
    product: Id
    segment: Id
    customers: float = Field(
        gt=0, le=1e8, description="Customers who sign. Unit: people (real, not synthetic)."
    )


FirmRef = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]{0,39}$",
        description="Firm id, or 'player' for every player firm, or 'all'.",
    ),
]


class CultureShock(_Effect):
    """Moves a culture dimension of a firm (a reorg, a public win)."""

    type: Literal["culture"]
    firm: FirmRef = "player"
    dimension: CultureDimension
    change: float = Field(ge=-1, le=1, description="Change. Unit: 0..1 scale.")


class Headcount(_Effect):
    """Adds or removes engineers (a key engineer leaves)."""

    type: Literal["headcount"]
    firm: FirmRef = "player"
    product: Id | None = Field(default=None, description="Line affected (default: first).")
    change: int = Field(
        ge=-1000, le=1000, description="People added (negative: leave). Unit: people."
    )


class TechDebt(_Effect):
    """Adds technical debt to a line (an outage post-mortem finds rot)."""

    type: Literal["tech_debt"]
    firm: FirmRef = "player"
    product: Id | None = Field(default=None, description="Line affected (default: first).")
    change: float = Field(
        ge=-10_000, le=10_000, description="Debt added (negative: removed). Unit: effort points."
    )


class Cash(_Effect):
    """Adds or removes cash (a fine, a grant)."""

    type: Literal["cash"]
    firm: FirmRef = "player"
    change: float = Field(
        ge=-MAX_MONEY, le=MAX_MONEY, description="Cash added (negative: removed). Unit: money."
    )


Effect = Annotated[
    SegmentSize
    | SegmentGrowth
    | PriceSensitivity
    | IdealShift
    | WeightShift
    | ProductAttribute
    | ProductQuality
    | ProductPrice
    | UnitCost
    | Awareness
    | CultureShock
    | Headcount
    | TechDebt
    | Cash
    | Deal,
    Field(discriminator="type"),
]


class Event(Model):
    """Something that happens: scheduled, drawn at random, or injected by a facilitator."""

    id: Id
    title: Text = _text("Headline shown in the news feed.", 80)
    text: Text = Field(default="", max_length=1000, description="Story shown to players.")
    quarter: int | None = Field(
        default=None,
        ge=1,
        le=40,
        description="Scheduled: happens at the start of this quarter. Unit: quarter number.",
    )
    probability: Fraction | None = Field(
        default=None,
        description="Random pool: chance per quarter (at most once per game). Unit: "
        "probability per quarter.",
    )
    earliest: int = Field(
        default=1, ge=1, le=40, description="First quarter it may be drawn. Unit: quarter number."
    )
    latest: int = Field(
        default=40, ge=1, le=40, description="Last quarter it may be drawn. Unit: quarter number."
    )
    effects: list[Effect] = Field(min_length=1, max_length=20, description="Typed effects.")
    lint: LintSettings | None = _lint()

    checked_together: ClassVar[tuple[str, ...]] = ("quarter", "probability", "earliest", "latest")
    """The fields the model validator compares (see the module docstring)."""

    @model_validator(mode="after")
    def _one_trigger(self) -> Event:
        if self.quarter is not None and self.probability is not None:
            raise ValueError(
                "give either 'quarter' (scheduled) or 'probability' (random), not both"
            )
        if self.earliest > self.latest:
            raise ValueError("'earliest' is after 'latest'")
        return self


# --------------------------------------------------------------------------- stakeholders

StakeholderRole = Literal["engineering", "design", "sales", "marketing", "ceo", "cfo", "pm"]
"""Who a colleague is: the four leads a PM works with, and the CEO, the CFO and the line PMs
a CPO works with."""
STAKEHOLDER_ROLES: tuple[str, ...] = (
    "engineering",
    "design",
    "sales",
    "marketing",
    "ceo",
    "cfo",
    "pm",
)
PM_COLLEAGUES = ("engineering", "design", "sales", "marketing")
"""Roles a PM deals with by default; the others are a CPO's colleagues."""


class ShipAsk(Model):
    """Ship a backlog item by the due quarter."""

    type: Literal["ship"]
    item: Id = Field(description="Backlog item id that must ship.")


class SplitAsk(Model):
    """Give at least a share of a line's capacity to debt or discovery every quarter until
    the due quarter."""

    type: Literal["split"]
    part: Literal["debt", "discovery"] = Field(description="Which part of the split.")
    share: Fraction = Field(description="The least share of capacity. Unit: fraction.")
    product: Id | None = Field(
        default=None, description="Line concerned (default: the colleague's line)."
    )


class ResearchAsk(Model):
    """Run studies (of a segment, with a method) by the due quarter."""

    type: Literal["research"]
    count: int = Field(default=1, ge=1, le=10, description="Studies needed. Unit: studies.")
    segment: Id | None = Field(default=None, description="Segment studied (default: any).")
    method: Id | None = Field(default=None, description="Research method (default: any).")


class KpiAsk(Model):
    """Bring a KPI of the firm (or of a segment or line) to a target by the due quarter."""

    type: Literal["kpi"]
    kpi: Kpi
    segment: Id | None = Field(default=None, description="Restrict to one segment.")
    product: Id | None = Field(default=None, description="Restrict to one product line.")
    op: Literal[">=", "<="] = Field(default=">=", description="Direction of the target.")
    target: float = Field(ge=-MAX_MONEY, le=MAX_MONEY, description="Target value.")


class ThemeAsk(Model):
    """(CPO) Give a line a theme every quarter until the due quarter."""

    type: Literal["theme"]
    product: Id = Field(description="The line.")
    theme: Literal["growth", "retention", "profit", "quality"] = Field(description="Its theme.")


class BetAsk(Model):
    """(CPO) Fund an innovation bet by the due quarter."""

    type: Literal["bet"]
    bet: Id = Field(description="Innovation bet id.")


Ask = Annotated[
    ShipAsk | SplitAsk | ResearchAsk | KpiAsk | ThemeAsk | BetAsk, Field(discriminator="type")
]


class Condition(Model):
    """A state a request waits for: a KPI of the firm at the end of the last quarter."""

    kpi: Kpi
    segment: Id | None = Field(default=None, description="Restrict to one segment.")
    product: Id | None = Field(default=None, description="Restrict to one product line.")
    op: Literal[">=", "<="] = Field(default=">=", description="Direction of the test.")
    value: float = Field(ge=-MAX_MONEY, le=MAX_MONEY, description="Threshold.")


class TrustChanges(Model):
    """How a colleague's trust moves with what the player does about a request."""

    kept: float = Field(default=0.15, ge=0, le=1, description="A promise kept. Unit: trust.")
    broken: float = Field(default=-0.25, ge=-1, le=0, description="A promise broken. Unit: trust.")
    declined: float = Field(
        default=-0.05, ge=-1, le=0, description="Declined with a reason. Unit: trust."
    )
    ignored: float = Field(
        default=-0.12, ge=-1, le=0, description="Not answered at all. Unit: trust."
    )


class SmallerScope(Model):
    """A smaller version of a request the player may negotiate for."""

    ask: Ask
    text: Text = _text("The smaller ask in words.", 200)
    value: Fraction = Field(
        default=0.5,
        description="Share of the kept effects the smaller version earns. Unit: fraction.",
    )


class Request(Model):
    """What a colleague asks for, when, and what follows from a promise kept or broken."""

    id: Id
    text: Text = _text("The request in the colleague's words.", 300)
    ask: Ask
    due_in: int = Field(
        default=2,
        ge=1,
        le=12,
        description="Quarters to deliver: asked in quarter q, due at the end of q + due_in - 1.",
    )
    earliest: int = Field(default=1, ge=1, le=40, description="First quarter it may be asked.")
    latest: int = Field(default=40, ge=1, le=40, description="Last quarter it may be asked.")
    when: list[Condition] = Field(
        default_factory=list,
        max_length=5,
        description="States it waits for (all must hold at the end of the last quarter).",
    )
    chance: Fraction = Field(
        default=1.0,
        description="Chance per quarter it is asked once its quarter and conditions have come.",
    )
    negotiable: int = Field(
        default=1, ge=0, le=6, description="Extra quarters the colleague may agree to."
    )
    smaller: SmallerScope | None = Field(
        default=None, description="A smaller version the player may negotiate for."
    )
    kept: list[Effect] = Field(
        default_factory=list, max_length=10, description="What follows a promise kept."
    )
    broken: list[Effect] = Field(
        default_factory=list, max_length=10, description="What follows a promise broken."
    )
    declined: list[Effect] = Field(
        default_factory=list, max_length=10, description="What follows a decline or no answer."
    )
    kept_text: Text = Field(
        default="",
        max_length=200,
        description="Headline when the promise is kept (e.g. 'Northwind signed').",
    )
    broken_text: Text = Field(
        default="",
        max_length=200,
        description="Headline when the promise is broken (e.g. 'Northwind walked away').",
    )
    trust: TrustChanges = Field(default_factory=TrustChanges)
    lint: LintSettings | None = _lint()

    checked_together: ClassVar[tuple[str, ...]] = ("earliest", "latest")

    @model_validator(mode="after")
    def _window(self) -> Request:
        if self.earliest > self.latest:
            raise ValueError("'earliest' is after 'latest'")
        return self


class Stakeholder(Model):
    """A colleague: who they are, what they want, how far they trust the player."""

    id: Id
    role: StakeholderRole = Field(
        description="Engineering, design, sales, marketing (a PM's "
        "colleagues), CEO, CFO or a line's PM (a CPO's)."
    )
    name: Text = _text("The colleague's name.", 60)
    goal: Text = _text("What they want, in a sentence (shown on their card).", 300)
    trust: Fraction = Field(default=0.6, description="Starting trust in the player. Unit: 0..1.")
    product: Id | None = Field(
        default=None, description="The line they work with (default: the first player line)."
    )
    roles: list[Role] | None = Field(
        default=None,
        description="Player roles that deal with them (default: pm for engineering, design, "
        "sales and marketing; cpo for the CEO, the CFO and line PMs).",
    )
    requests: list[Request] = Field(default_factory=list, max_length=12)
    lint: LintSettings | None = _lint()

    def plays_in(self) -> list[str]:
        """The player roles that deal with this colleague."""
        if self.roles is not None:
            return list(self.roles)
        return ["pm"] if self.role in PM_COLLEAGUES else ["cpo"]


# --------------------------------------------------------------------------- scoring


class Objective(Model):
    """A target the trainee is scored on."""

    id: Id
    description: Text = _text("The objective in words, e.g. 'SMB share ≥ 25% by Q8'.", 160)
    kpi: Kpi = Field(description="What is measured (player firm, or one product/segment).")
    segment: Id | None = Field(
        default=None, description="Restrict share/customers/satisfaction to one segment."
    )
    product: Id | None = Field(default=None, description="Restrict to one product line.")
    op: Literal[">=", "<="] = Field(default=">=", description="Direction of the target.")
    target: float = Field(
        ge=-MAX_MONEY, le=MAX_MONEY, description="Threshold. Unit: the KPI's unit."
    )
    by: int | None = Field(
        default=None,
        ge=1,
        le=40,
        description="Quarter the target must be met at (default: the last quarter). Unit: "
        "quarter number.",
    )
    mode: Literal["at", "always", "final"] = Field(
        default="at",
        description="at: met in quarter `by`; always: met every quarter up to `by`; final: "
        "met at the end of the game.",
    )
    weight: float = Field(
        default=1.0,
        ge=0.01,
        le=100,
        description="Share of the final score, relative to the other objectives' weights. "
        "Unit: relative weight.",
    )
    roles: list[Role] = Field(
        default_factory=lambda: ["pm", "cpo"],
        min_length=1,
        max_length=2,
        description="Roles this objective is scored in (a scenario played as PM and as CPO can "
        "ask each for what that role controls).",
    )
    lint: LintSettings | None = _lint()


class DebriefPrompt(Model):
    """A discussion question for the debrief."""

    question: Text = _text("The question.", 400)
    competency: (
        Literal[
            "market_understanding",
            "strategic_thinking",
            "customer_empathy",
            "leadership",
            "collaboration",
        ]
        | None
    ) = Field(default=None, description="Competency the question explores.")


# --------------------------------------------------------------------------- scenario


class Scenario(Model):
    """A whole scenario: market, firms, work, events, objectives and debrief."""

    format: Literal[2] = Field(
        default=2,
        description="Scenario file format. A file without it is format 1 (Bass p/q per "
        "quarter, advertising cost per point whatever the segment's size): it is converted on "
        "load and `crossroads migrate` rewrites it. Unit: none (a version).",
    )
    id: Id
    language: Annotated[str, Field(pattern=LANGUAGE_PATTERN)] = Field(
        default=SOURCE_LANGUAGE,
        description="The language the scenario is written in (two lower-case letters: en, de, "
        "...). Player-facing text may be given per language ({en: ..., de: ...}); such a "
        "mapping must give this language, which players whose language it lacks read.",
    )
    title: Text = _text("Title shown in the scenario list.", 80)
    summary: Text = _text("One or two sentences for the scenario list.", 300)
    difficulty: Literal["intro", "easy", "medium", "hard"] = Field(
        default="medium", description="Label shown to players and facilitators."
    )
    teaches: Text = Field(
        default="", max_length=300, description="The one idea this scenario teaches."
    )
    briefing: Text = _text("The story told before quarter 1.", 4000)
    roles: list[Role] = Field(
        min_length=1, max_length=2, description="Roles this scenario can be played in."
    )
    quarters: int = Field(
        default=12, ge=4, le=24, description="Length of the game. Unit: quarters."
    )
    seed: int = Field(
        default=1, ge=0, le=2**63 - 1, description="Default random seed. Unit: none (a seed)."
    )
    currency: str = Field(default="$", min_length=1, max_length=4, description="Money symbol.")
    attributes: list[Attribute] = Field(min_length=1, max_length=8)
    segments: list[Segment] = Field(min_length=1, max_length=8)
    advertising: Advertising = Field(default_factory=Advertising)
    choice: Choice = Field(default_factory=Choice)
    organisation: Organisation = Field(default_factory=Organisation)
    firms: list[Firm] = Field(min_length=1, max_length=16)
    backlog: list[BacklogItem] = Field(default_factory=list, max_length=200)
    research: list[ResearchMethod] = Field(default_factory=list, max_length=20)
    initiatives: list[CultureInitiative] = Field(default_factory=list, max_length=30)
    bets: list[InnovationBet] = Field(default_factory=list, max_length=20)
    events: list[Event] = Field(default_factory=list, max_length=100)
    inject_deck: list[Id] = Field(
        default_factory=list,
        max_length=100,
        description="Event ids a facilitator may inject in a workshop.",
    )
    stakeholders: list[Stakeholder] = Field(
        default_factory=list,
        max_length=12,
        description="Colleagues the player works with: their goals, trust and requests.",
    )
    objectives: list[Objective] = Field(min_length=1, max_length=20)
    debrief: list[DebriefPrompt] = Field(default_factory=list, max_length=30)
    lint: LintSettings | None = _lint()

    _upgraded: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="wrap")
    @classmethod
    def _read_old_formats(cls, data: Any, handler: Any, info: ValidationInfo) -> Any:
        """A mapping without ``format`` is format 1: convert a copy so it means what it meant.

        Translated texts keep the language asked for in the validation context
        (``{"language": "de"}``), else the scenario's own (see :class:`Translatable`).
        """
        source = data.get("language", SOURCE_LANGUAGE) if isinstance(data, dict) else None
        if not isinstance(source, str) or not _LANGUAGE.match(source):
            source = SOURCE_LANGUAGE  # a bad code is reported on its own line
        wanted = (info.context or {}).get("language") or source
        token = _LANGUAGES.set((source, wanted))
        try:
            if not isinstance(data, dict) or "format" in data:
                return handler(data)
            data = copy.deepcopy(data)
            changes = upgrade(data)
            scenario = handler(data)
            scenario._upgraded = tuple(changes)
            return scenario
        finally:
            _LANGUAGES.reset(token)

    @property
    def upgraded(self) -> tuple[str, ...]:
        """What converting this scenario from format 1 changed (empty: it was current)."""
        return self._upgraded

    # ---- helpers used by the engine and the UI
    def attribute_ids(self) -> list[str]:
        """Attribute ids in scenario order (the column order of every attribute array)."""
        return [a.id for a in self.attributes]

    def segment_ids(self) -> list[str]:
        """Segment ids in scenario order."""
        return [s.id for s in self.segments]

    def player_firms(self) -> list[Firm]:
        """Firms the players control."""
        return [f for f in self.firms if f.controller == "player"]

    def products(self) -> Iterator[tuple[Firm, Product]]:
        """Every (firm, product) pair in scenario order."""
        for firm in self.firms:
            for product in firm.products:
                yield firm, product


Loc = tuple[str | int, ...]
Check = Callable[[Scenario], Iterator[tuple[Loc, str]]]
_READS: dict[Check, frozenset[str]] = {}


def _reads(*fields: str) -> Callable[[Check], Check]:
    """Declare the values (``"Model.field"``) a reference check compares.

    Names need no declaration: ids, the fields that name them, and lists and maps (whose
    entries, when dropped, only take problems away or leave them at or above the entry).
    Everything else a check reads is declared, so that a loader which had to drop such a
    value or stand in for it (it failed validation on its own) can skip the check instead
    of reporting a problem the author did not write. A test reads the checks to keep this
    list complete.
    """

    def declare(check: Check) -> Check:
        _READS[check] = frozenset(fields)
        return check

    return declare


def check_reads(check: Check) -> frozenset[str]:
    """The values ``check`` compares, as declared with :func:`_reads`."""
    return _READS.get(check, frozenset())


def _unique(items: list[Any], where: str) -> Iterator[tuple[Loc, str]]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield (where, i, "id"), f"duplicate id '{item.id}' (an earlier entry has it too)"
        seen.add(item.id)


def _unknown(value: str, known: list[str] | set[str], what: str) -> str:
    import difflib

    hint = difflib.get_close_matches(value, sorted(known), n=1)
    text = f"unknown {what} '{value}'"
    if hint:
        text += f" (did you mean '{hint[0]}'?)"
    elif known:
        text += f"; known: {', '.join(sorted(known))}"
    return text


def _keys(
    mapping: dict[str, Any], known: list[str], loc: Loc, what: str, complete: bool
) -> Iterator[tuple[Loc, str]]:
    for key in mapping:
        if key not in known:
            yield (*loc, key), _unknown(key, known, what)
    if complete:
        missing = [k for k in known if k not in mapping]
        if missing:
            yield loc, f"missing {what}(s): {', '.join(missing)}"


def reference_problems(s: Scenario, unsure: Collection[str] = ()) -> list[tuple[Loc, str]]:
    """Every broken cross-reference in a structurally valid scenario, with its field path.

    Checks that compare a value named in ``unsure`` (``"Model.field"``: one the loader had
    to drop or stand in for) are skipped.
    """
    skip = frozenset(unsure)
    return [
        problem
        for check in REFERENCE_CHECKS
        if not check_reads(check) & skip
        for problem in check(s)
    ]


def _duplicate_ids(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Ids used twice in one list, and product ids used twice across firms."""
    for where, lst in (
        ("attributes", s.attributes),
        ("segments", s.segments),
        ("firms", s.firms),
        ("backlog", s.backlog),
        ("research", s.research),
        ("initiatives", s.initiatives),
        ("bets", s.bets),
        ("events", s.events),
        ("objectives", s.objectives),
    ):
        yield from _unique(lst, where)
    seen_products: dict[str, tuple[int, int]] = {}
    for fi, firm in enumerate(s.firms):
        for pi, product in enumerate(firm.products):
            if product.id in seen_products:
                yield (("firms", fi, "products", pi, "id"), f"duplicate product id '{product.id}'")
            seen_products[product.id] = (fi, pi)


def _segment_references(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Segment ideals and weights name every attribute; drift names only known ones."""
    attrs = s.attribute_ids()
    for i, seg in enumerate(s.segments):
        loc: Loc = ("segments", i)
        yield from _keys(seg.ideal, attrs, (*loc, "ideal"), "attribute", True)
        yield from _keys(seg.weights, attrs, (*loc, "weights"), "attribute", True)
        yield from _keys(seg.drift, attrs, (*loc, "drift"), "attribute", False)


def _firm_references(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Firms' products and niche targets refer to known attributes and segments."""
    attrs = s.attribute_ids()
    segs = s.segment_ids()
    for fi, firm in enumerate(s.firms):
        if isinstance(firm.ai, Niche) and firm.ai.target_segment not in segs:
            yield (
                ("firms", fi, "ai", "target_segment"),
                _unknown(firm.ai.target_segment, segs, "segment"),
            )
        for pi, product in enumerate(firm.products):
            loc = ("firms", fi, "products", pi)
            yield from _keys(product.attributes, attrs, (*loc, "attributes"), "attribute", True)
            yield from _keys(product.customers, segs, (*loc, "customers"), "segment", False)
            yield from _keys(product.awareness, segs, (*loc, "awareness"), "segment", False)


@_reads("Firm.controller", "Product.roles")
def _player_firms(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """A player firm exists, offers a product in every role, and every line has a team."""
    if not s.player_firms():
        yield (("firms",), "no firm has controller: player")
    for fi, firm in enumerate(s.firms):
        if firm.controller != "player":
            continue
        for pi, product in enumerate(firm.products):
            if product.team is None:
                yield (("firms", fi, "products", pi), "a player firm's product needs a 'team'")
        for role in s.roles:
            if not any(role in p.roles for p in firm.products):
                yield (
                    ("firms", fi, "products"),
                    f"no product of this player firm is offered in role '{role}'",
                )
    if "cpo" in s.roles:
        yield from _cpo_lines_without_pm(s)


def _cpo_lines_without_pm(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """In the cpo role every player line needs an AI PM."""
    for fi, firm in enumerate(s.firms):
        if firm.controller != "player":
            continue
        for pi, product in enumerate(firm.products):
            if "cpo" in product.roles and product.team and product.team.pm is None:
                yield (
                    ("firms", fi, "products", pi, "team"),
                    "the cpo role needs an AI 'pm' for every line",
                )


@_reads("Segment.size", "Segment.in_market")
def _starting_customers(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Products cannot start with more customers than a segment has in the market."""
    for si, seg in enumerate(s.segments):
        starting = sum(p.customers.get(seg.id, 0.0) for _, p in s.products())
        if starting > seg.in_market * seg.size + 1e-9:
            yield (
                ("segments", si, "in_market"),
                f"products start with {count(starting)} customers but only "
                f"{count(seg.in_market * seg.size)} are in the market (size × in_market)",
            )


@_reads(
    "Scenario.advertising",
    "Scenario.currency",
    "Advertising.carryover",
    "Advertising.cost_per_point",
    "Advertising.reach",
    "Segment.media_cost",
    "Segment.size",
    "Firm.controller",
)
def _starting_marketing(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """A player firm's starting awareness must not need more than MAX_STARTING_MARKETING.

    The engine starts each player line with the spend that keeps its starting awareness:
    (1 − carryover)·goodwill·cost_per_point·media_cost·size/1000 with
    goodwill = −ln(1 − awareness)/reach (awareness capped at 0.99; word of mouth only lowers
    it). A tiny reach or a huge cost per point makes that spend absurd, so it is refused here
    rather than refused quarter after quarter.
    """
    adv = s.advertising
    segments = {seg.id: seg for seg in s.segments}
    for firm in s.player_firms():
        spend = 0.0
        for product in firm.products:
            for seg_id, aware in product.awareness.items():
                seg = segments.get(seg_id)
                if seg is None:
                    continue  # reported by _firm_references
                goodwill = -math.log1p(-min(aware, 0.99)) / adv.reach
                point = adv.cost_per_point * seg.media_cost * seg.size / 1000.0
                spend += (1.0 - adv.carryover) * goodwill * point
        if spend > MAX_STARTING_MARKETING:
            yield (
                ("advertising", "reach"),
                f"firm '{firm.id}' would need {money_full(spend, s.currency)} of marketing a "
                "quarter to keep its starting awareness (at most "
                f"{money_full(MAX_STARTING_MARKETING, s.currency)}): raise "
                "advertising.reach, lower advertising.cost_per_point (or the segments' "
                "media_cost) or the products' awareness",
            )


def _backlog_references(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Backlog items name known products, attributes and items (never themselves)."""
    attrs = s.attribute_ids()
    products = [p.id for _, p in s.products()]
    items = [b.id for b in s.backlog]
    for i, item in enumerate(s.backlog):
        loc = ("backlog", i)
        if item.product not in products:
            yield ((*loc, "product"), _unknown(item.product, products, "product"))
        yield from _keys(item.effects, attrs, (*loc, "effects"), "attribute", False)
        for di, dep in enumerate(item.depends_on):
            if dep not in items:
                yield ((*loc, "depends_on", di), _unknown(dep, items, "backlog item"))
            elif dep == item.id:
                yield ((*loc, "depends_on", di), "an item cannot depend on itself")


def _bet_references(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Innovation bets unlock known backlog items."""
    items = [b.id for b in s.backlog]
    for i, bet in enumerate(s.bets):
        for ui, unlock in enumerate(bet.unlocks):
            if unlock not in items:
                yield (("bets", i, "unlocks", ui), _unknown(unlock, items, "backlog item"))


def _effect_references(s: Scenario, effects: list[Any], where: Loc) -> Iterator[tuple[Loc, str]]:
    """Typed effects (of an event or a request) name known segments, attributes, products
    and firms."""
    attrs = s.attribute_ids()
    segs = s.segment_ids()
    products = [p.id for _, p in s.products()]
    firm_refs = [*(f.id for f in s.firms), "player", "all"]
    for ei, eff in enumerate(effects):
        loc = (*where, ei)
        if hasattr(eff, "segment") and eff.segment not in segs:
            yield ((*loc, "segment"), _unknown(eff.segment, segs, "segment"))
        if hasattr(eff, "attribute") and eff.attribute not in attrs:
            yield ((*loc, "attribute"), _unknown(eff.attribute, attrs, "attribute"))
        prod = getattr(eff, "product", None)
        if prod is not None and prod not in products:
            yield ((*loc, "product"), _unknown(prod, products, "product"))
        if hasattr(eff, "firm") and eff.firm not in firm_refs:
            yield ((*loc, "firm"), _unknown(eff.firm, firm_refs, "firm"))


def _event_references(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Events' effects (and the inject deck) name known ids."""
    for i, event in enumerate(s.events):
        yield from _effect_references(s, event.effects, ("events", i, "effects"))
    events = [e.id for e in s.events]
    for i, ev in enumerate(s.inject_deck):
        if ev not in events:
            yield (("inject_deck", i), _unknown(ev, events, "event"))


@_reads("Objective.kpi")
def _objective_references(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Objectives name known segments and products; trust needs colleagues."""
    segs = s.segment_ids()
    products = [p.id for _, p in s.products()]
    for i, obj in enumerate(s.objectives):
        loc = ("objectives", i)
        if obj.kpi == "trust" and not s.stakeholders:
            yield ((*loc, "kpi"), "'trust' is your colleagues' trust: add 'stakeholders'")
        if obj.segment is not None and obj.segment not in segs:
            yield ((*loc, "segment"), _unknown(obj.segment, segs, "segment"))
        if obj.product is not None and obj.product not in products:
            yield ((*loc, "product"), _unknown(obj.product, products, "product"))


def _ask_references(s: Scenario, ask: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """An ask (or a condition) names known items, lines, segments, methods and bets."""
    known = {
        "item": ([b.id for b in s.backlog], "backlog item"),
        "product": ([p.id for _, p in s.products()], "product"),
        "segment": (s.segment_ids(), "segment"),
        "method": ([m.id for m in s.research], "research method"),
        "bet": ([b.id for b in s.bets], "innovation bet"),
    }
    for name, (ids, what) in known.items():
        value = getattr(ask, name, None)
        if value is not None and value not in ids:
            yield ((*loc, name), _unknown(value, ids, what))


@_reads("Firm.controller", "Request.ask", "SmallerScope.ask")
def _stakeholder_references(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Colleagues have unique ids, work with a player line, and their requests name known
    ids (asks, conditions, effects)."""
    yield from _unique(s.stakeholders, "stakeholders")
    lines = [p.id for f in s.player_firms() for p in f.products]
    for i, person in enumerate(s.stakeholders):
        loc: Loc = ("stakeholders", i)
        if person.product is not None and person.product not in lines:
            yield ((*loc, "product"), _unknown(person.product, lines, "player line"))
        yield from _unique(person.requests, f"stakeholders.{i}.requests")
        for ri, req in enumerate(person.requests):
            rloc: Loc = (*loc, "requests", ri)
            yield from _ask_references(s, req.ask, (*rloc, "ask"))
            if req.smaller is not None:
                yield from _ask_references(s, req.smaller.ask, (*rloc, "smaller", "ask"))
            for ci, cond in enumerate(req.when):
                yield from _ask_references(s, cond, (*rloc, "when", ci))
            for part in ("kept", "broken", "declined"):
                yield from _effect_references(s, getattr(req, part), (*rloc, part))


@_reads("Scenario.roles", "Stakeholder.role", "Stakeholder.roles")
def _stakeholder_roles(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """A colleague deals with a role the scenario offers."""
    for i, person in enumerate(s.stakeholders):
        if not set(person.plays_in()) & set(s.roles):
            yield (
                ("stakeholders", i, "roles"),
                f"'{person.id}' deals with role(s) {', '.join(person.plays_in())}, which this "
                f"scenario does not offer (roles: {', '.join(s.roles)})",
            )


@_reads("Scenario.quarters", "Request.earliest")
def _within_the_game(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Scheduled events happen, and objectives fall due, within the game."""
    late = f"is after the last quarter ({s.quarters})"
    for i, event in enumerate(s.events):
        if event.quarter is not None and event.quarter > s.quarters:
            yield (("events", i, "quarter"), f"quarter {event.quarter} {late}")
    for i, obj in enumerate(s.objectives):
        if obj.by is not None and obj.by > s.quarters:
            yield (("objectives", i, "by"), f"quarter {obj.by} {late}")
    for i, person in enumerate(s.stakeholders):
        for ri, req in enumerate(person.requests):
            if req.earliest > s.quarters:
                yield (
                    ("stakeholders", i, "requests", ri, "earliest"),
                    f"quarter {req.earliest} {late}",
                )


def _cycles(s: Scenario) -> Iterator[tuple[Loc, str]]:
    """Backlog dependencies form no cycle."""
    deps = {b.id: [d for d in b.depends_on if d != b.id] for b in s.backlog}
    index = {b.id: i for i, b in enumerate(s.backlog)}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = 1
        for dep in deps.get(node, []):
            if dep not in deps:
                continue
            if state.get(dep) == 1:
                return [*path, node, dep]
            if dep not in state:
                found = visit(dep, [*path, node])
                if found:
                    return found
        state[node] = 2
        return None

    for item in deps:
        if item not in state:
            cycle = visit(item, [])
            if cycle:
                start = cycle.index(cycle[-1])
                loop = cycle[start:]
                yield (
                    ("backlog", index[loop[0]], "depends_on"),
                    "dependency cycle: " + " → ".join(loop),
                )


REFERENCE_CHECKS: tuple[Check, ...] = (
    _duplicate_ids,
    _segment_references,
    _firm_references,
    _player_firms,
    _starting_customers,
    _starting_marketing,
    _backlog_references,
    _cycles,
    _bet_references,
    _event_references,
    _objective_references,
    _stakeholder_references,
    _stakeholder_roles,
    _within_the_game,
)
"""Every cross-reference check, in the order :func:`reference_problems` runs them."""

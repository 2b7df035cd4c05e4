"""People tab: the colleagues, their requests this quarter and the promises made to them.

Shown only when the desk's firm has colleagues (``desk.org().people``). Left, one card per
colleague: role and name, what they want, trust as a number and a bar, their mood after last
quarter and why, the promises still open to them. Right, this quarter's requests, each with
what follows and the player's answer (Accept, Negotiate with a later quarter and/or the
smaller version and whether the colleague will agree, Decline with a reason), written to
``desk.draft.responses``; under them every promise with its status. The words that say what
happened are the engine's (``engine.stakeholders``); this tab only lays them out.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pygame

from engine.decisions import RequestResponse
from engine.formatting import number, pct, signed
from engine.phrases import say
from engine.scenario import Request, TrustChanges
from engine.stakeholders import REASONS, named, need, role_name
from game.scenes.base import GAP, ROW
from game.scenes.tab import Tab, fit_label
from game.translation import t
from game.widgets.text import plain
from game.widgets.trust_bar import TrustBar

if TYPE_CHECKING:
    from engine.report import ColleagueResult, PeopleResult, PromiseResult, RequestResult
    from game.desk import Desk

SCROLLBAR = 24
LEFT_W = 400
"""The colleagues' column (layout units); the requests take the rest."""
TRUST_LABEL_W = 180


def who(person: ColleagueResult) -> str:
    """ "Sales (Dana Okafor)": the engine's way of naming a colleague."""
    return named(person.role, person.name)


def role_words(person: ColleagueResult) -> str:
    """A colleague's role in words ("Sales")."""
    return role_name(person.role)


def this_quarter(people: PeopleResult, quarter: int) -> list[RequestResult]:
    """The requests waiting for an answer in ``quarter``."""
    return [r for r in people.requests if r.asked == quarter]


def offers(request: RequestResult, last_quarter: int) -> list[int]:
    """The quarters the player may offer in a negotiation: a later one up to what the
    colleague may agree to (never after the game's last quarter), and the asked quarter
    itself when there is a smaller version to offer."""
    first = request.due if request.smaller else request.due + 1
    latest = max(request.due, min(request.due + request.negotiable, last_quarter))
    return list(range(first, latest + 1))


def colleague_html(person: ColleagueResult, lines: int, line_name: str) -> str:
    """A card's heading: role, name (and line when the firm has several), and their goal."""
    heading = t(
        "people_tab.card",
        role=html.escape(role_words(person)),
        name=html.escape(person.name),
    )
    if lines > 1 and line_name:
        heading += " · " + html.escape(t("people_tab.works_on", line=line_name))
    return heading + "<br>" + t("people_tab.wants", goal=html.escape(plain(person.goal)))


def mood_html(person: ColleagueResult, quarter: int, promises: list[PromiseResult]) -> str:
    """A card's lower part: mood after the last quarter and why, and the open promises."""
    mood = html.escape(t(f"people_tab.mood.{person.mood}"))
    last = quarter - 1
    if last < 1:
        line = t("people_tab.mood_first", mood=mood)
    elif person.why:
        why = " ".join(html.escape(plain(w)) for w in person.why)
        line = t("people_tab.mood_why", quarter=last, mood=mood, why=why)
    else:
        line = t("people_tab.mood_quiet", quarter=last, mood=mood)
    mine = [p for p in promises if p.stakeholder == person.id and p.status == "open"]
    listed = t("people_tab.list_separator").join(
        html.escape(
            t("people_tab.open_promise", text=plain(p.text), due=p.due, progress=p.progress)
            if p.progress
            else t("people_tab.open_promise_new", text=plain(p.text), due=p.due)
        )
        for p in mine
    )
    return (
        line
        + "<br>"
        + t("people_tab.open_promises", promises=listed or html.escape(t("people_tab.none")))
    )


def request_html(request: RequestResult, person: ColleagueResult, spec: Request | None) -> str:
    """What a colleague asks, when it is due, and what follows each answer."""
    parts = [t("people_tab.asks", who=html.escape(who(person)), text=html.escape(request.text))]
    if request.held:
        parts.append(html.escape(t("people_tab.held")))
    latest = request.due + request.negotiable
    parts.append(
        html.escape(
            t("people_tab.due_negotiable", due=request.due, latest=latest)
            if request.negotiable
            else t("people_tab.due", due=request.due)
        )
    )
    if request.smaller:
        parts.append(t("people_tab.smaller", text=html.escape(request.smaller)))
    rule = spec.trust if spec is not None else None
    for key, effects, change in (
        ("if_kept", request.if_kept, rule.kept if rule else None),
        ("if_broken", request.if_broken, rule.broken if rule else None),
        ("if_declined", request.if_declined, rule.declined if rule else None),
    ):
        said = [html.escape(plain(e)) for e in effects]
        if change is not None:
            said.insert(0, html.escape(t("people_tab.trust_kept", change=signed(change, 2))))
        words = t("people_tab.list_separator").join(said) or html.escape(t("people_tab.trust_only"))
        parts.append(t(f"people_tab.{key}", effects=words))
    return "<br>".join(parts)


def promises_html(people: PeopleResult) -> str:
    """Every promise: open ones first, then those kept or broken, newest first."""
    named = {c.id: c for c in people.colleagues}
    order = {"open": 0, "broken": 1, "kept": 1}
    rows = []
    for p in sorted(people.promises, key=lambda p: (order.get(p.status, 2), -(p.closed or 0))):
        person = named.get(p.stakeholder)
        status = html.escape(t(f"people_tab.status.{p.status}"))
        row = t(
            "people_tab.promise_smaller" if p.smaller else "people_tab.promise",
            status=status,
            who=html.escape(who(person) if person else p.stakeholder),
            text=html.escape(plain(p.text)),
            due=p.due,
        )
        if p.progress:
            row += html.escape(t("people_tab.progress", progress=plain(p.progress)))
        rows.append(f"• {row}")
    return "<br>".join(rows) or html.escape(t("people_tab.no_promises"))


def waiting(desk: Desk) -> list[str]:
    """This quarter's requests the draft leaves unanswered, in words (the hand-in's
    warnings: an unanswered request counts as ignored)."""
    people = desk.org().people
    if people is None:
        return []
    named = {c.id: c for c in people.colleagues}
    return [
        t("people_tab.waiting", who=who(named[r.stakeholder]), text=plain(r.text))
        for r in this_quarter(people, desk.quarter)
        if r.key not in desk.draft.responses and r.stakeholder in named
    ]


def commitments(desk: Desk) -> dict[str, str]:
    """Backlog item id -> who it is promised to (or who asks for it) and by when, in words:
    the roadmap's marks. Open promises first; a request waiting for an answer this quarter
    marks an item no promise does."""
    people = desk.org().people
    if people is None:
        return {}
    named = {c.id: c for c in people.colleagues}
    out: dict[str, str] = {}
    for p in people.promises:
        item = p.ask.get("item") if p.ask.get("type") == "ship" else None
        person = named.get(p.stakeholder)
        if p.status == "open" and item and person is not None and item not in out:
            out[item] = t("people_tab.roadmap.promised", who=role_words(person), due=p.due)
    for r in this_quarter(people, desk.quarter):
        item = r.ask.get("item") if r.ask.get("type") == "ship" else None
        person = named.get(r.stakeholder)
        if item and person is not None and item not in out:
            out[item] = t("people_tab.roadmap.asked", who=role_words(person), due=r.due)
    return out


class PeopleTab(Tab):
    """Sets ``responses``: an answer to each of this quarter's requests from colleagues."""

    namespace = "people_tab"

    @classmethod
    def shown(cls, desk: Desk) -> bool:
        """Only for a firm with colleagues: a scenario without them keeps its tabs."""
        return super().shown(desk) and desk.org().people is not None

    def build(self, area: pygame.Rect, container: Any) -> None:
        desk = self.desk
        people = desk.org().people
        assert people is not None, "the People tab is shown only with colleagues"
        left_w = min(LEFT_W, area.w // 3)
        x, y, h = area.x + GAP, area.y + GAP, area.h - 2 * GAP
        left = self.hub.scroller(pygame.Rect(x, y, left_w, h), container=container)
        self._colleagues(left, left_w - SCROLLBAR, people)
        right_x = x + left_w + GAP
        right_w = area.right - GAP - right_x
        right = self.hub.scroller(pygame.Rect(right_x, y, right_w, h), container=container)
        self._requests(right, right_w - SCROLLBAR, people)

    # ------------------------------------------------------------------ colleagues
    def _colleagues(self, scroller: Any, w: int, people: PeopleResult) -> None:
        hub, desk = self.hub, self.desk
        hub.label(
            pygame.Rect(0, 0, w, 30),
            t("people_tab.colleagues"),
            container=scroller,
            object_id="#heading",
        )
        y = 36
        products = desk.products()
        names = {p.id: p.name for p in products}
        for person in people.colleagues:
            y += self._box(
                scroller,
                pygame.Rect(0, y, w, -1),
                colleague_html(person, len(products), names.get(person.line or "", "")),
            )
            change = person.trust - person.trust_before
            shown = (
                t("people_tab.trust_moved", trust=number(person.trust, 2), change=signed(change))
                if abs(change) > 1e-9
                else t("people_tab.trust", trust=number(person.trust, 2))
            )
            tip = t(
                "people_tab.trust_tip",
                name=person.name,
                works=t(f"people_tab.works.{person.role}"),
            )
            hub.label(
                pygame.Rect(0, y + 2, TRUST_LABEL_W, 26),
                fit_label(shown, 15, TRUST_LABEL_W, hub.scale),
                container=scroller,
                tip=tip,
            )
            TrustBar(
                hub.px(pygame.Rect(TRUST_LABEL_W + 6, y + 5, w - TRUST_LABEL_W - 6, 20)),
                hub.manager,
                scroller,
                person.trust,
                person.trust_before,
                tip=tip,
                scale=hub.scale,
            )
            y += 32
            y += self._box(
                scroller,
                pygame.Rect(0, y, w, -1),
                mood_html(person, desk.quarter, people.promises),
            )
            y += 2 * GAP
        hub.scroll_area(scroller, w, y)

    def _box(self, container: Any, rect: pygame.Rect, body: str, tip: str | None = None) -> int:
        """A text box as tall as its text at ``rect``; returns its height in layout units."""
        box = self.hub.text(rect, body, container=container, tip=tip)
        return round(box.rect.height / self.hub.scale) + 4

    # ------------------------------------------------------------------ requests
    def _requests(self, scroller: Any, w: int, people: PeopleResult) -> None:
        hub, desk = self.hub, self.desk
        hub.label(
            pygame.Rect(0, 0, w, 30),
            t("people_tab.requests"),
            container=scroller,
            object_id="#heading",
        )
        y = 36
        asked = this_quarter(people, desk.quarter)
        if not asked:
            hub.label(
                pygame.Rect(0, y, w, 26),
                fit_label(t("people_tab.no_requests"), 15, w, hub.scale),
                container=scroller,
                object_id="#muted",
            )
            y += 34
        named = {c.id: c for c in people.colleagues}
        specs = {f"{s.id}.{r.id}": r for s in desk.scenario.stakeholders for r in s.requests}
        for request in asked:
            person = named[request.stakeholder]
            y += self._box(
                scroller,
                pygame.Rect(0, y, w, -1),
                request_html(request, person, specs.get(request.key)),
            )
            y = self._answer(scroller, w, y + 2, request, person, specs.get(request.key))
            y += 2 * GAP
        hub.label(
            pygame.Rect(0, y, w, 30),
            t("people_tab.promises"),
            container=scroller,
            object_id="#heading",
        )
        y += 36
        y += self._box(scroller, pygame.Rect(0, y, w, -1), promises_html(people))
        hub.scroll_area(scroller, w, y + GAP)

    def _answer(
        self,
        scroller: Any,
        w: int,
        y: int,
        request: RequestResult,
        person: ColleagueResult,
        spec: Request | None,
    ) -> int:
        """The answer controls of one request from ``y``; returns the y below them."""
        hub = self.hub
        reply = self.desk.draft.responses.get(request.key)
        answer = reply.answer if reply is not None else None
        rule = spec.trust if spec is not None else TrustChanges()
        choices = offers(request, self.desk.quarters)
        tips = {
            "accept": t(
                "people_tab.accept_tip",
                due=request.due,
                kept=signed(rule.kept),
                broken=signed(rule.broken),
            ),
            "negotiate": t(
                "people_tab.negotiate_tip" if choices else "people_tab.negotiate_off_tip"
            ),
            "decline": t(
                "people_tab.decline_tip",
                declined=signed(rule.declined),
                ignored=signed(rule.ignored),
            ),
        }
        bx = 0
        for kind, width in (("accept", 120), ("negotiate", 140), ("decline", 120)):
            hub.button(
                pygame.Rect(bx, y, width, ROW),
                t(f"people_tab.{kind}"),
                lambda k=kind: self._choose(request, k),
                container=scroller,
                object_id="#tab_active" if answer == kind else None,
                tip=tips[kind],
                enabled=kind != "negotiate" or bool(choices),
            )
            bx += width + 6
        y += ROW + 4
        said = self._answer_words(request, reply, rule.ignored)
        hub.label(
            pygame.Rect(0, y, w, 26),
            fit_label(said, 15, w, hub.scale),
            container=scroller,
            tip=said,
        )
        y += 30
        refused = ""
        if reply is not None and answer == "negotiate":
            share = spec.smaller.value if spec is not None and spec.smaller else 0.5
            y, refused = self._negotiation(scroller, w, y, request, person, reply, choices, share)
        elif reply is not None and answer == "decline":
            y = self._reasons(scroller, w, y, request, reply)
        for message in self.desk.problems_for(f"responses.{request.key}"):
            if message == refused:
                continue  # the will-they-agree line already says it
            said = plain(message[:1].upper() + message[1:])  # the engine's words, on their own
            hub.label(
                pygame.Rect(0, y, w, 26),
                fit_label(said, 15, w, hub.scale),
                container=scroller,
                object_id="#error",
                tip=said,
            )
            y += 28
        return y

    def _answer_words(
        self, request: RequestResult, reply: RequestResponse | None, ignored: float
    ) -> str:
        if reply is None:
            return t("people_tab.answer.none", ignored=signed(ignored))
        if reply.answer == "accept":
            return t("people_tab.answer.accept", due=request.due)
        if reply.answer == "decline":
            if reply.reason is None:
                return t("people_tab.answer.decline_why")
            return t("people_tab.answer.decline", reason=say(f"decisions.reason.{reply.reason}"))
        due = reply.due if reply.due is not None else request.due
        key = "negotiate_smaller" if reply.smaller else "negotiate"
        return t(f"people_tab.answer.{key}", due=due)

    def _negotiation(
        self,
        scroller: Any,
        w: int,
        y: int,
        request: RequestResult,
        person: ColleagueResult,
        reply: RequestResponse,
        choices: list[int],
        share: float,
    ) -> tuple[int, str]:
        """The offer (quarter buttons, the smaller version, which earns ``share`` of what
        keeping the request would) and whether they will agree; returns the y below and the
        engine's refusal warning for this offer ("" if none)."""
        hub = self.hub
        due = reply.due if reply.due is not None else request.due
        hub.label(pygame.Rect(0, y, 80, ROW), t("people_tab.offer"), container=scroller)
        bx = 84
        for quarter in choices:
            if quarter == request.due and not reply.smaller:
                continue  # the asked quarter is an offer only with the smaller version
            needed = need(quarter - request.due, reply.smaller)
            hub.button(
                pygame.Rect(bx, y, 64, ROW),
                t("people_tab.quarter", quarter=quarter),
                lambda q=quarter: self._offer(request, due=q),
                container=scroller,
                object_id="#tab_active" if quarter == due else None,
                tip=t("people_tab.quarter_tip", quarter=quarter, need=number(needed, 2)),
            )
            bx += 70
        if request.smaller:
            hub.button(
                pygame.Rect(bx + 6, y, 230, ROW),
                t("people_tab.smaller_on") if reply.smaller else t("people_tab.smaller_off"),
                lambda: self._offer(request, smaller=not reply.smaller),
                container=scroller,
                object_id="#tab_active" if reply.smaller else None,
                tip=t("people_tab.smaller_tip", text=request.smaller, share=pct(share, 0)),
            )
        y += ROW + 6
        needed = need(due - request.due, reply.smaller)
        agrees = person.trust + 1e-9 >= needed
        kind = "yes" if agrees else ("no" if request.due > self.desk.quarter else "no_now")
        line = t(
            f"people_tab.agree.{kind}",
            name=person.name,
            trust=number(person.trust, 2),
            need=number(needed, 2),
        )
        hub.label(
            pygame.Rect(0, y, w, 26),
            fit_label(line, 15, w, hub.scale),
            container=scroller,
            object_id="#good" if agrees else "#bad",
            tip=line,
        )
        refused = (
            ""
            if agrees
            else say(
                "checks.negotiate_refused", trust=number(person.trust, 2), need=number(needed, 2)
            )
        )
        return y + 30, refused

    def _reasons(
        self, scroller: Any, w: int, y: int, request: RequestResult, reply: RequestResponse
    ) -> int:
        """The four reasons to decline; returns the y below them."""
        hub = self.hub
        hub.label(pygame.Rect(0, y, 80, ROW), t("people_tab.because"), container=scroller)
        bx = 84
        width = min(150, (w - bx) // len(REASONS) - 6)
        for reason in REASONS:
            hub.button(
                pygame.Rect(bx, y, width, ROW),
                t(f"people_tab.reason.{reason}"),
                lambda r=reason: self._decline(request, r),
                container=scroller,
                object_id="#tab_active" if reply.reason == reason else None,
                tip=t("people_tab.reason_tip", reason=say(f"decisions.reason.{reason}")),
            )
            bx += width + 6
        return y + ROW + 6

    # ------------------------------------------------------------------ answers
    def _set(self, key: str, reply: RequestResponse | None) -> None:
        """Write (or take back) the answer to one request; reassigning marks the field set."""
        draft = self.desk.draft
        others = {k: v for k, v in draft.responses.items() if k != key}
        draft.responses = others if reply is None else {**others, key: reply}
        self.hub.refresh()

    def _choose(self, request: RequestResult, kind: str) -> None:
        """Accept, Negotiate or Decline; the same button again takes the answer back."""
        now = self.desk.draft.responses.get(request.key)
        if now is not None and now.answer == kind:
            self._set(request.key, None)
        elif kind == "accept":
            self._set(request.key, RequestResponse(answer="accept"))
        elif kind == "decline":
            self._set(request.key, RequestResponse(answer="decline"))
        else:
            choices = offers(request, self.desk.quarters)
            later = [q for q in choices if q > request.due]
            if later:
                self._set(request.key, RequestResponse(answer="negotiate", due=later[0]))
            else:
                self._set(
                    request.key,
                    RequestResponse(answer="negotiate", due=request.due, smaller=True),
                )

    def _offer(
        self, request: RequestResult, due: int | None = None, smaller: bool | None = None
    ) -> None:
        """Change the negotiation's quarter or scope (always a valid offer)."""
        now = self.desk.draft.responses.get(request.key)
        current_due = now.due if now is not None and now.due is not None else request.due
        current_smaller = now.smaller if now is not None else False
        due = current_due if due is None else due
        smaller = current_smaller if smaller is None else smaller
        if due == request.due and not smaller:
            later = [q for q in offers(request, self.desk.quarters) if q > request.due]
            if not later:
                smaller = True
            else:
                due = later[0]
        self._set(request.key, RequestResponse(answer="negotiate", due=due, smaller=smaller))

    def _decline(self, request: RequestResult, reason: str) -> None:
        self._set(
            request.key,
            RequestResponse(answer="decline", reason=reason),  # type: ignore[arg-type]
        )

"""Monkey test: thousands of seeded random clicks and keys on every screen, no exception."""

from __future__ import annotations

import random

import pygame
from helpers import frames

from game.scenes.title import TitleScene

KEYS = [
    pygame.K_TAB,
    pygame.K_RETURN,
    pygame.K_SPACE,
    pygame.K_ESCAPE,
    pygame.K_1,
    pygame.K_2,
    pygame.K_3,
    pygame.K_4,
    pygame.K_5,
    pygame.K_6,
    pygame.K_7,
    pygame.K_8,
    pygame.K_UP,
    pygame.K_DOWN,
    pygame.K_a,
    pygame.K_0,
    pygame.K_BACKSPACE,
]


def post_random_input(rng: random.Random, w: int, h: int) -> None:
    """A click anywhere (70%) or one of the keys the game uses (30%)."""
    if rng.random() < 0.7:
        pos = (rng.randrange(w), rng.randrange(h))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))
    else:
        key = rng.choice(KEYS)
        mod = pygame.KMOD_SHIFT if rng.random() < 0.2 else 0
        pygame.event.post(
            pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0)
        )


def test_random_clicks_and_keys_never_crash(app):
    rng = random.Random(1234)
    w, h = app.screen.get_size()
    seen = set()
    for step in range(1000):  # two random inputs per frame: 2000 in all
        if not app.running:  # Quit was clicked: start again from the title
            app.running = True
            app.session = None
            app.reset_to(TitleScene(app))
        for _ in range(2):
            post_random_input(rng, w, h)
        frames(app, 1)
        seen.add(app.top.name)
        if step % 200 == 199 and app.top.name in ("title", "scenario_picker"):
            # make sure the games' screens get their share of the clicks too
            from game.scenes.flow import start_game
            from game.session import list_scenarios

            entry = list_scenarios()[0]
            start_game(app, entry, rng.choice(entry.scenario.roles), rng.randrange(100))
    assert {"title", "hub"} <= seen

"""The game window: main loop, scene stack, theme and the keys that work everywhere.

Global keys: Esc asks the top scene to go back (the hub opens its pause menu), F5 reloads
the current scenario from disk (the authors' loop), Tab / Shift-Tab move the keyboard focus
between the top scene's controls (scrolling it into view), Enter/Space activates the focused
one and Left/Right move a focused slider, Ctrl+P turns projector mode on or off and
Ctrl+Plus / Ctrl+Minus change the text size (both at once, on any screen). Scenes receive
everything else (number keys switch the hub's tabs).

pygame is imported here and only by modules under ``game/`` that draw; the CLI imports this
module inside ``run`` so ``crossroads --help`` stays fast.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui

from game import palette
from game.paths import assets_dir
from game.settings import MIN_SIZE, TEXT_SCALES, Settings, load_settings, save_settings
from game.translation import set_language, translation_dirs
from game.widgets.focus import bring_into_view

if TYPE_CHECKING:
    from game.company_session import CompanySession
    from game.scenes.base import Scene
    from game.session import Session
    from game.workshop.hosting import Hosting

FPS = 60
THEME_FILE = "theme.json"
HIGH_CONTRAST_FILE = "theme_high_contrast.json"
"""Colour overrides for the high-contrast theme (merged over the bundled theme)."""
ZOOM_KEYS = (
    pygame.K_p,
    pygame.K_PLUS,
    pygame.K_EQUALS,
    pygame.K_KP_PLUS,
    pygame.K_MINUS,
    pygame.K_KP_MINUS,
)
"""With Ctrl: projector mode (P), larger text (+, =) and smaller text (-)."""
PROJECTOR_STEP = 0.125
"""Projector mode scales in eighths (×1.25 at 1600×900, ×1.5 at 1920×1080, ×2 at 2560×1440)."""


# Element types that take the theme's default font (pygame_gui reads fonts per element type).
FONT_ELEMENTS = (
    "button",
    "label",
    "text_box",
    "text_entry_line",
    "tool_tip",
    "tool_tip.text_box",
    "drop_down_menu",
    "selection_list",
    "check_box",
    "window",
)


def scaled_theme(text_scale: float, high_contrast: bool = False) -> dict[str, Any]:
    """The bundled theme, its default font given to every element, sizes × ``text_scale``.

    A block's font need only say what differs from the default (``{"size": "21", "bold":
    "1"}``): the default's name and font files fill in the rest. ``high_contrast`` merges the
    high-contrast colours over the theme (same fonts and sizes).
    """
    theme = json.loads((assets_dir() / THEME_FILE).read_text(encoding="utf-8"))
    if high_contrast:
        overrides = json.loads((assets_dir() / HIGH_CONTRAST_FILE).read_text(encoding="utf-8"))
        merge(theme, overrides)
    base = theme["defaults"].pop("font")
    for element in FONT_ELEMENTS:
        theme.setdefault(element, {}).setdefault("font", dict(base))
    for block in theme.values():
        font = block.get("font") if isinstance(block, dict) else None
        if font is not None:
            font.update({k: v for k, v in base.items() if k not in font})
            font["size"] = str(max(8, round(int(font["size"]) * text_scale)))
    return theme


def merge(base: dict[str, Any], overrides: dict[str, Any]) -> None:
    """Merge ``overrides`` into ``base`` in place, nested dicts key by key."""
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value


def room(window: tuple[int, int]) -> float:
    """The largest scale a window shows whole: a scaled layout is at least 1280×720 units."""
    return max(1.0, min(window[0] / MIN_SIZE[0], window[1] / MIN_SIZE[1]))


def effective_scale(text_scale: float, window: tuple[int, int], projector: bool = False) -> float:
    """The one UI scale (fonts and layout together) for a window.

    Without projector mode it is the chosen text size (80% to 160%), applied by re-theming
    the fonts and sizing every control to match; a window too small to show a screen whole at
    that size scrolls it (see :meth:`game.scenes.base.Scene.setup`). Projector mode grows the
    1280×720 layout to fill the window instead (×1.5 at 1920×1080, ×3 at 3840×2160), in steps
    of PROJECTOR_STEP so fonts keep whole-pixel proportions.
    """
    if projector:
        return max(1.0, math.floor(room(window) / PROJECTOR_STEP) * PROJECTOR_STEP)
    return text_scale


class App:
    """Owns the window, the pygame_gui manager and the stack of scenes."""

    def __init__(self, settings: Settings | None = None, *, persist_settings: bool = True) -> None:
        pygame.display.init()
        pygame.font.init()
        pygame.key.set_repeat(400, 40)
        self.settings = (settings or load_settings()).clamped()
        self.persist_settings = persist_settings
        set_language(self.settings.language)
        self.screen = self._open_window()
        pygame.display.set_caption("Crossroads")
        self.manager = self._make_manager()
        self.clock = pygame.time.Clock()
        self.scenes: list[Scene] = []
        self.session: Session | None = None
        self.company: CompanySession | None = None  # a company-mode game (issue 20)
        self.hosting: Hosting | None = None  # a workshop session served on the network
        self.running = True
        self.focus_index = -1
        self.frame_count = 0
        self.held: set[int] = set()  # zoom keys down: a held key toggles once, not per repeat
        self._in_view: Any = None  # the focused control last scrolled into view

    # ------------------------------------------------------------------ window and theme
    def _open_window(self) -> pygame.Surface:
        flags = pygame.FULLSCREEN if self.settings.fullscreen else pygame.RESIZABLE
        size = (0, 0) if self.settings.fullscreen else self.settings.size
        return pygame.display.set_mode(size, flags)

    def _make_manager(self) -> pygame_gui.UIManager:
        self.ui_scale = effective_scale(
            self.settings.text_scale, self.screen.get_size(), self.settings.projector
        )
        theme = scaled_theme(self.ui_scale, self.settings.high_contrast)
        palette.use(high_contrast=self.settings.high_contrast)
        manager = pygame_gui.UIManager(
            self.screen.get_size(),
            theme,
            enable_live_theme_updates=False,
            starting_language=self.settings.language,
            translation_directory_paths=[str(p) for p in translation_dirs()],
        )
        # Text boxes set words in <b> at their block's size: load both weights of every size.
        faces = {
            (b["font"]["name"], int(b["font"]["size"]))
            for b in theme.values()
            if isinstance(b, dict) and "font" in b
        }
        fonts = manager.get_theme().get_font_dictionary()
        manager.preload_fonts(
            [
                {"name": name, "point_size": size, "style": "bold" if bold else "regular"}
                for name, size in sorted(faces)
                for bold in (False, True)
                if not fonts.check_font_preloaded(fonts.create_font_id(size, name, bold, False))
            ]
        )
        return manager

    @property
    def size(self) -> tuple[int, int]:
        """Size of the layout in unscaled pixels (never below the minimum layout size).

        Scenes lay out in these units and widgets are made ``ui_scale`` times larger, so a
        larger text size keeps every proportion the layout tests check at 1280×720.
        """
        w, h = self.screen.get_size()
        s = self.ui_scale
        return (max(round(w / s), MIN_SIZE[0]), max(round(h / s), MIN_SIZE[1]))

    def apply_settings(self, settings: Settings) -> None:
        """Switch window size, fullscreen or text scale and rebuild every scene."""
        old = self.settings
        self.settings = settings.clamped()
        set_language(self.settings.language)
        if self.persist_settings:
            save_settings(self.settings)
        if (old.size, old.fullscreen) != (self.settings.size, self.settings.fullscreen):
            self.screen = self._open_window()
        self.manager = self._make_manager()
        self.rebuild_all()

    def toggle_projector(self) -> None:
        """Projector mode on or off, applied at once (Ctrl+P on any screen)."""
        self.apply_settings(replace(self.settings, projector=not self.settings.projector))

    def step_text_size(self, step: int) -> None:
        """The next larger (``step`` 1) or smaller (-1) text size, applied at once."""
        scales = list(TEXT_SCALES)
        now = scales.index(self.settings.text_scale)
        new = min(len(scales) - 1, max(0, now + step))
        if new != now:
            self.apply_settings(replace(self.settings, text_scale=scales[new]))

    def rebuild_all(self) -> None:
        """Recreate every scene's widgets (after a resize or a theme change).

        The keyboard focus stays on the same control of the top scene (a scene below that
        focuses its first control when built must not move it).
        """
        self.manager.set_window_resolution(self.screen.get_size())
        for scene in self.scenes:
            scene.teardown()
        focus = self.focus_index
        for i, scene in enumerate(self.scenes):
            scene.setup()
            if i < len(self.scenes) - 1 and not self.scenes[i + 1].overlay:
                scene.hide()
        self.focus_index = focus

    # ------------------------------------------------------------------ scene stack
    @property
    def top(self) -> Scene | None:
        """The scene receiving input."""
        return self.scenes[-1] if self.scenes else None

    def push(self, scene: Scene) -> None:
        """Show a scene above the current one (the one below is hidden unless overlaid)."""
        if self.top is not None and not scene.overlay:
            self.top.hide()
        self.scenes.append(scene)
        self.focus_index = -1
        scene.setup()

    def pop(self) -> None:
        """Close the top scene and return to the one below; closing the last one quits."""
        if not self.scenes:
            return
        self.scenes.pop().teardown()
        self.focus_index = -1
        if self.top is None:
            self.quit()
        else:
            self.top.show()
            self.top.resume()

    def replace(self, scene: Scene) -> None:
        """Swap the top scene for another."""
        if self.scenes:
            self.scenes.pop().teardown()
        self.push(scene)

    def reset_to(self, scene: Scene) -> None:
        """Close every scene and start again from ``scene``."""
        while self.scenes:
            self.scenes.pop().teardown()
        self.push(scene)

    def quit(self) -> None:
        """Autosave the game in progress (solo or company), stop hosting and stop the main
        loop."""
        game = self.session or self.company
        if game is not None:
            game.autosave_quietly()
        self.stop_hosting()
        self.running = False

    def stop_hosting(self) -> None:
        """Stop serving the workshop session on the network, if it is served."""
        hosting, self.hosting = self.hosting, None
        if hosting is not None:
            hosting.stop()

    # ------------------------------------------------------------------ loop
    def run(self, max_frames: int | None = None, screenshot: Path | None = None) -> None:
        """Run the main loop at a capped frame rate until the player quits (or for
        ``max_frames`` frames); ``screenshot`` saves the last frame drawn as a PNG."""
        while self.running and (max_frames is None or self.frame_count < max_frames):
            dt = self.clock.tick(FPS) / 1000.0
            self.frame(dt)
        try:
            if screenshot is not None:
                pygame.image.save(self.screen, str(screenshot))
        except pygame.error as exc:
            raise OSError(str(exc)) from exc
        finally:
            pygame.quit()

    def frame(self, dt: float) -> None:
        """Process pending events, update and draw one frame."""
        for event in pygame.event.get():
            self.handle_event(event)
            if not self.running:
                return
        if self.hosting is not None and not self.hosting.in_use(self.scenes):
            self.stop_hosting()  # the facilitator left the session: never serve it unseen
        self.manager.update(dt)
        if self.top is not None:
            self.top.update(dt)
        focused = self.focused_element()
        if focused is not None and focused is not self._in_view:
            bring_into_view(focused)  # however the focus moved: Tab, a rebuild, a scene
        self._in_view = focused
        self.draw()
        self.frame_count += 1

    def draw(self) -> None:
        """Draw the scenes and the keyboard focus ring."""
        self.screen.fill(palette.BACKGROUND)
        self.manager.draw_ui(self.screen)
        if self.top is not None:
            self.top.draw_over(self.screen)
        focused = self.focused_element()
        if focused is not None:
            # A gap of background between control and ring keeps the ring readable on a
            # control of the ring's own colour (the high-contrast theme's yellow buttons).
            ring = focused.rect.inflate(10, 10)
            pygame.draw.rect(self.screen, palette.BACKGROUND, ring, 5, 6)
            pygame.draw.rect(self.screen, palette.FOCUS, ring, 3, 6)
        pygame.display.flip()

    def handle_event(self, event: pygame.event.Event) -> None:
        """Route one event: window, pygame_gui, global keys, then the top scene."""
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type == pygame.KEYUP:
            self.held.discard(event.key)
        elif event.type == pygame.WINDOWFOCUSLOST:
            self.held.clear()
        if event.type == pygame.VIDEORESIZE and not self.settings.fullscreen:
            w, h = event.size
            if w < MIN_SIZE[0] or h < MIN_SIZE[1]:  # the layout needs at least MIN_SIZE
                pygame.display.set_mode(
                    (max(w, MIN_SIZE[0]), max(h, MIN_SIZE[1])), pygame.RESIZABLE
                )
            self.screen = pygame.display.get_surface()
            self.manager = self._make_manager()
            self.rebuild_all()
            return
        consumed = self.manager.process_events(event)
        scene = self.top
        if scene is None:
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            scene.activate(event.ui_element)
            return
        if event.type in (
            pygame_gui.UI_HORIZONTAL_SLIDER_MOVED,
            pygame_gui.UI_DROP_DOWN_MENU_CHANGED,
            pygame_gui.UI_TEXT_ENTRY_FINISHED,
            pygame_gui.UI_TEXT_ENTRY_CHANGED,
            pygame_gui.UI_SELECTION_LIST_NEW_SELECTION,
            pygame_gui.UI_SELECTION_LIST_DROPPED_SELECTION,
            pygame_gui.UI_CHECK_BOX_CHECKED,
            pygame_gui.UI_CHECK_BOX_UNCHECKED,
        ):
            scene.changed(event)
            return
        if event.type == pygame.KEYDOWN and not consumed:
            self._handle_key(event, scene)
        elif event.type == pygame.MOUSEBUTTONDOWN:
            self.focus_index = -1

    def _typing(self) -> bool:
        return any(
            isinstance(el, pygame_gui.elements.UITextEntryLine)
            for el in self.manager.get_focus_set() or ()
        )

    def _handle_key(self, event: pygame.event.Event, scene: Scene) -> None:
        key = event.key
        mod = getattr(event, "mod", 0)  # a posted event may carry no modifier state
        if key == pygame.K_ESCAPE:
            if self._typing():
                self.manager.set_focus_set(None)
                return
            scene.on_back()
        elif key == pygame.K_F5:
            scene.on_reload()
        elif mod & pygame.KMOD_CTRL and key in ZOOM_KEYS:
            if key not in self.held:  # not the key repeat of a held key
                self.held.add(key)
                self._zoom(key)
        elif key == pygame.K_TAB:
            self.move_focus(-1 if mod & pygame.KMOD_SHIFT else 1)
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and not self._typing():
            focused = self.focused_element()
            if focused is not None:
                if isinstance(focused, pygame_gui.elements.UITextEntryLine):
                    self.manager.set_focus_set(focused)
                else:
                    scene.activate(focused)
            elif key != pygame.K_SPACE:
                scene.on_enter()
        elif key in (pygame.K_LEFT, pygame.K_RIGHT) and scene.nudge(
            self.focused_element(), 1 if key == pygame.K_RIGHT else -1
        ):
            return
        elif not self._typing():
            scene.on_key(event)

    def _zoom(self, key: int) -> None:
        """Ctrl+P: projector mode on/off; Ctrl+Plus / Ctrl+Minus: larger or smaller text."""
        if key == pygame.K_p:
            self.toggle_projector()
        else:
            self.step_text_size(-1 if key in (pygame.K_MINUS, pygame.K_KP_MINUS) else 1)

    # ------------------------------------------------------------------ keyboard focus
    def focused_element(self) -> Any:
        """The control the keyboard focus ring is on, if any."""
        scene = self.top
        if scene is None or self.focus_index < 0:
            return None
        items = scene.focusables()
        if self.focus_index >= len(items):
            self.focus_index = -1
            return None
        return items[self.focus_index]

    def move_focus(self, step: int) -> None:
        """Move the focus ring to the next (or previous) enabled control of the top scene."""
        scene = self.top
        if scene is None:
            return
        items = scene.focusables()
        if not items:
            self.focus_index = -1
            return
        start = self.focus_index if self.focus_index >= 0 else (-1 if step > 0 else 0)
        self.focus_index = (start + step) % len(items)
        element = items[self.focus_index]
        self.manager.set_focus_set(
            element if isinstance(element, pygame_gui.elements.UITextEntryLine) else None
        )


def launch(start: Callable[[App], Scene], settings: Settings | None = None) -> App:
    """Open the window with ``start`` as the first scene (the caller runs ``app.run()``)."""
    app = App(settings)
    app.push(start(app))
    return app

"""Debrief figures drawn with matplotlib (imported lazily, Agg canvas, no pyplot state).

Every figure is drawn from the report's plain data (``DebriefReport.to_dict()``), so a report
JSON can be re-drawn without replaying the game. Two looks (:func:`style`): ``"game"``, the
dark theme of ``assets/theme.json`` with the bundled Noto Sans, for the game's Figures view;
and ``"print"``, a light style for the exported HTML report (it is read on paper and in
browsers). Both give each firm the colour it has on every in-game chart
(:func:`game.palette.firm_colours`); lines also differ in width and style, and fonts are large
enough to read from the back of a room. :func:`render_all` returns PNG (or SVG) bytes per figure.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from game import palette

Theme = Literal["game", "print"]
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow (last: weak on white)
)
STYLE = {
    "font.size": 17,
    "axes.titlesize": 19,
    "axes.labelsize": 17,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 15,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "svg.fonttype": "none",
    "text.parse_math": False,  # "$" in a name or currency is text, never mathtext
}
"""The print look (on matplotlib's light defaults); :func:`style` adds the font and the theme."""
DPI = 100
LINE_STYLES = ("-", "--", "-.", ":")
FONTS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")


@functools.cache
def font_family() -> str | None:
    """The bundled Noto Sans registered with matplotlib, or None if it cannot be loaded."""
    from matplotlib import font_manager

    try:
        names = []
        for name in FONTS:
            with resources.as_file(resources.files("assets") / "fonts" / name) as path:
                font_manager.fontManager.addfont(str(path))
                names.append(font_manager.FontProperties(fname=str(path)).get_name())
    except (OSError, RuntimeError, ValueError):
        return None
    return names[0]


@functools.cache
def game_theme() -> dict[str, str]:
    """The game's background, panel, text, muted and grid colours from ``assets/theme.json``."""
    theme = json.loads((resources.files("assets") / "theme.json").read_text(encoding="utf-8"))
    return {
        "background": theme["#screen"]["colours"]["dark_bg"],
        "panel": theme["panel"]["colours"]["dark_bg"],
        "text": theme["defaults"]["colours"]["normal_text"],
        "muted": theme["#muted"]["colours"]["normal_text"],
        "grid": theme["panel"]["colours"]["normal_border"],
    }


def style(theme: Theme = "print") -> dict[str, Any]:
    """matplotlib rc parameters of a look: ``"game"`` (dark, as the UI) or ``"print"``."""
    rc: dict[str, Any] = dict(STYLE)
    family = font_family()
    if family:
        rc["font.family"] = family
    if theme == "print":
        return rc | {"savefig.facecolor": "white"}
    t = game_theme()
    return rc | {
        "figure.facecolor": t["background"],
        "savefig.facecolor": t["background"],
        "axes.facecolor": t["panel"],
        "axes.edgecolor": t["muted"],
        "axes.labelcolor": t["text"],
        "axes.titlecolor": t["text"],
        "text.color": t["text"],
        "xtick.color": t["muted"],
        "ytick.color": t["muted"],
        "xtick.labelcolor": t["muted"],
        "ytick.labelcolor": t["muted"],
        "grid.color": t["grid"],
        "grid.alpha": 1.0,
        "legend.facecolor": t["panel"],
        "legend.edgecolor": t["grid"],
    }


def _ink() -> str:
    """The text colour of the current look (lines that must stand out from the paper)."""
    import matplotlib

    return str(matplotlib.rcParams["text.color"])


def _paper() -> str:
    """The plot background colour of the current look."""
    import matplotlib

    return str(matplotlib.rcParams["axes.facecolor"])


@dataclass(frozen=True)
class Figure:
    """One rendered figure: a file-safe name, a caption and the image bytes."""

    name: str
    title: str
    alt: str
    data: bytes
    format: str


def _new(width: float, height: float, ncols: int = 1, nrows: int = 1) -> tuple[Any, Any]:
    from matplotlib.figure import Figure as MplFigure

    fig = MplFigure(figsize=(width, height), dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def _quarters(report: dict[str, Any]) -> list[int]:
    return [int(row["quarter"]) for row in report["kpis"]]


def firm_colours(report: dict[str, Any]) -> dict[str, str]:
    """Each firm's colour as on the in-game charts (:func:`game.palette.firm_colours`)."""
    colours = palette.firm_colours(report["firms"], report["firm"])
    return {fid: palette.hex_colour(c) for fid, c in colours.items()}


def _money_axis(ax: Any, currency: str) -> None:
    from matplotlib.ticker import FuncFormatter

    from engine.formatting import money

    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _pos: money(x, currency)))


def _quarter_axis(ax: Any, quarters: list[int]) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.set_xlabel("Quarter")
    ax.set_xlim(min(quarters), max(quarters))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def share_revenue(report: dict[str, Any]) -> Any:
    """Overall share and revenue per quarter, the player against every rival."""
    fig, axes = _new(13, 5.2, ncols=2)
    qs = _quarters(report)
    colours = firm_colours(report)
    share_ax, rev_ax = axes[0]
    for i, (fid, f) in enumerate(report["firms"].items()):
        me = fid == report["firm"]
        kw = {
            "color": colours[fid],
            "linewidth": 4 if me else 2.2,
            "linestyle": "-" if me else LINE_STYLES[1 + i % 3],
            "label": f"{f['name']} (you)" if me else f["name"],
            "zorder": 3 if me else 2,
        }
        share_ax.plot(qs, [100 * s for s in f["share"]], **kw)
        rev_ax.plot(qs, f["revenue"], **kw)
    whatif = report.get("what_if")
    if whatif:
        share_ax.plot(
            qs[: len(whatif["share"])],
            [100 * s for s in whatif["share"]],
            color=_ink(),
            linewidth=2,
            linestyle=":",
            label=f"what-if: {whatif['bot'].replace('_', ' ')} after Q{whatif['from_quarter']}",
        )
    share_ax.set_title("Market share")
    share_ax.set_ylabel("Share of in-category customers (%)")
    share_ax.set_ylim(bottom=0)
    rev_ax.set_title("Revenue per quarter")
    rev_ax.set_ylabel(f"Revenue ({report['currency']})")
    _money_axis(rev_ax, report["currency"])
    for ax in (share_ax, rev_ax):
        _quarter_axis(ax, qs)
    fig.legend(
        *share_ax.get_legend_handles_labels(), loc="outside lower center", ncol=4, frameon=False
    )
    return fig


def culture_debt(report: dict[str, Any]) -> Any:
    """Culture dimensions (0–1) and technical debt per quarter."""
    fig, axes = _new(13, 5.2, ncols=2)
    qs = _quarters(report)
    culture_ax, debt_ax = axes[0]
    dims = ("morale", "safety", "customer_focus", "innovation")
    for i, dim in enumerate(dims):
        culture_ax.plot(
            qs,
            [row[dim] for row in report["kpis"]],
            color=OKABE_ITO[i],
            linewidth=3,
            linestyle=LINE_STYLES[i],
            label=dim.replace("_", " ").capitalize(),
        )
    culture_ax.set_title("Culture")
    culture_ax.set_ylabel("Level (0–1)")
    culture_ax.set_ylim(0, 1)
    culture_ax.legend(loc="lower left", framealpha=0.9)
    debt_ax.plot(qs, [row["tech_debt"] for row in report["kpis"]], color=OKABE_ITO[3], linewidth=3)
    debt_ax.set_title("Technical debt")
    debt_ax.set_ylabel("Debt (effort points)")
    debt_ax.set_ylim(bottom=0)
    for ax in (culture_ax, debt_ax):
        _quarter_axis(ax, qs)
    return fig


def belief_map(report: dict[str, Any]) -> Any:
    """Believed (± one sd) against true ideal per segment and attribute at the end, and the
    believed-vs-true error over time."""
    segments = report["segments"]
    attrs = report["attributes"]
    n = len(segments)
    ncols = 2 if n + 1 <= 4 else 3
    nrows = -(-(n + 1) // ncols)
    fig, grid = _new(13, 4.2 * nrows + 0.8, ncols=ncols, nrows=nrows)
    axes = [ax for row in grid for ax in row]
    for spare in axes[n + 1 :]:
        spare.set_visible(False)
    first, last = report["beliefs"][0], report["beliefs"][-1]
    ys = list(range(len(attrs)))
    for ax, (sid, sname) in zip(axes[:n], segments.items(), strict=True):
        cells = last["segments"][sid]
        start = first["segments"][sid]
        for y, aid in zip(ys, attrs, strict=True):
            c = cells[aid]
            ax.errorbar(
                c["believed"],
                y + 0.12,
                xerr=c["sd"],
                fmt="D",
                markersize=10,
                markerfacecolor=_paper(),
                markeredgewidth=2.5,
                color=OKABE_ITO[0],
                elinewidth=2.5,
                capsize=6,
                label="believed ± 1 sd" if y == 0 else None,
            )
            ax.plot(
                start[aid]["true"],
                y - 0.12,
                "s",
                color=OKABE_ITO[5],
                markersize=9,
                label="true at start" if y == 0 else None,
            )
            ax.plot(
                c["true"],
                y - 0.12,
                "o",
                color=OKABE_ITO[3],
                markersize=12,
                label="true at the end" if y == 0 else None,
            )
        ax.set_title(sname)
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(-0.6, len(attrs) - 0.4)
        ax.set_yticks(ys, [attrs[a] for a in attrs])
        ax.invert_yaxis()
        ax.set_xlabel("Ideal level (0–1)")
    fig.legend(
        *axes[0].get_legend_handles_labels(), loc="outside lower center", ncol=3, frameon=False
    )
    err_ax = axes[n]
    err_ax.plot(
        [b["quarter"] for b in report["beliefs"]],
        [b["error"] for b in report["beliefs"]],
        color=OKABE_ITO[0],
        linewidth=3,
    )
    err_ax.set_title("Believed vs true error")
    err_ax.set_ylabel("Mean error (lower is better)")
    err_ax.set_ylim(0, 1.15 * max([b["error"] for b in report["beliefs"]] + [0.01]))
    _quarter_axis(err_ax, [b["quarter"] for b in report["beliefs"]])
    return fig


def score_vs_bots(report: dict[str, Any]) -> Any:
    """The player's score among the built-in bots on the same seed, and the luck band: the
    closest bot's scores on other seeds, on a row of its own."""
    comp = report["comparison"]
    rows = [(b["bot"].replace("_", " "), b["score"], False) for b in comp["bots"]]
    rows.append(("you", comp["player_score"], True))
    rows.sort(key=lambda r: r[1])
    spread = comp["spread_scores"]
    fig, axes = _new(13, 0.42 * (len(rows) + bool(spread)) + 2.0)
    ax = axes[0][0]
    you = palette.hex_colour(palette.SERIES[0])  # the player's colour on every chart
    for y, (_name, score, me) in enumerate(rows):
        ax.barh(y, score, color=you if me else palette.hex_colour(palette.GREY), height=0.7)
        ax.text(1.5, y, f"{score:.0f}", va="center", color="black", fontweight="bold")
    labels = [r[0] for r in rows]
    if spread:
        y = len(rows)
        lo, hi = min(spread), max(spread)
        ax.plot([lo, hi], [y, y], color=_ink(), linewidth=5, solid_capstyle="round")
        ax.plot([sum(spread) / len(spread)], [y], "o", color=_ink(), markersize=9)
        ax.text(hi + 1.5, y, f"{lo:.0f}–{hi:.0f}", va="center", fontweight="bold")
        labels.append(f"{comp['closest'].replace('_', ' ')} on {len(spread)} other seeds")
    ax.axvline(comp["player_score"], color=you, linestyle="--", linewidth=2)
    ax.set_yticks(range(len(labels)), labels)
    for tick, label in zip(ax.get_yticklabels(), labels, strict=True):
        if label == "you":
            tick.set_fontweight("bold")
    ax.set_xlim(0, 105)
    ax.set_xlabel("Final score (0–100)")
    ax.set_title("Your score against the built-in bots (same seed) and the luck band")
    ax.grid(axis="y", visible=False)
    return fig


FIGURES: dict[str, tuple[str, str, Callable[[dict[str, Any]], Any]]] = {
    "share_revenue": (
        "Share and revenue against the rivals",
        "Line charts of market share and revenue per quarter for every firm",
        share_revenue,
    ),
    "culture_debt": (
        "Culture and technical debt",
        "Line charts of morale, safety, customer focus, innovation and technical debt",
        culture_debt,
    ),
    "belief_map": (
        "What you believed about customers against the truth",
        "Believed and true ideal level of each attribute per segment, and the error over time",
        belief_map,
    ),
    "score_vs_bots": (
        "Your score against the built-in bots",
        "Bar chart of the final score of each bot and of the player on the same seed",
        score_vs_bots,
    ),
}


def draw(report: dict[str, Any], name: str) -> Any:
    """The matplotlib figure ``name`` of ``FIGURES`` (not saved; call under an rc context)."""
    return FIGURES[name][2](_printable(report))


def render(report: dict[str, Any], name: str, fmt: str = "png", theme: Theme = "print") -> Figure:
    """Draw one figure of ``FIGURES`` as PNG or SVG bytes in the look ``theme``."""
    import matplotlib

    title, alt, _draw = FIGURES[name]
    with matplotlib.rc_context(style(theme)):
        fig = draw(report, name)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=DPI)
    return Figure(name=name, title=title, alt=alt, data=buffer.getvalue(), format=fmt)


def _printable(value: Any) -> Any:
    """The report with control characters in its text shown as escapes (no font draws them)."""
    from game.escaping import terminal

    if isinstance(value, str):
        return terminal(value)
    if isinstance(value, dict):
        return {k: _printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_printable(v) for v in value]
    return value


def render_all(report: dict[str, Any], fmt: str = "png", theme: Theme = "print") -> list[Figure]:
    """Every figure the report has data for (no bot comparison → no score figure)."""
    names = [n for n in FIGURES if n != "score_vs_bots" or report.get("comparison")]
    return [render(report, name, fmt, theme) for name in names]

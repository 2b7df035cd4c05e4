"""Debrief figures drawn with matplotlib (imported lazily, Agg canvas, no pyplot state).

Every figure is drawn from the report's plain data (``DebriefReport.to_dict()``), so a report
JSON can be re-drawn without replaying the game. Two looks (:func:`style`): ``"game"``, the
dark theme of ``assets/theme.json`` with the bundled Noto Sans, for the game's Figures view;
and ``"print"``, a light style for the exported HTML report (it is read on paper and in
browsers). Both give each firm the colour it has on every in-game chart
(:func:`game.palette.firm_colours`). No information is carried by colour alone: every series
also differs from the others on its axes by line style and/or marker and is named in a legend
or directly beside it; a what-if line is dashed (:data:`WHAT_IF_STYLE`) and no other line is.
Fonts are large enough to read from the back of a room. Words are in the current language
(:func:`game.translation.t`, namespace ``figures``). :func:`render_all` returns PNG (or SVG)
bytes per figure.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

from engine.formatting import number
from game import palette
from game.translation import t

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
LINE_STYLES = ("-", "-.", ":")
"""Line styles of ordinary series: solid first. Dashed ("--") is kept for what-ifs."""
WHAT_IF_STYLE = "--"
"""The line style of a what-if (something that did not happen): dashed, on every figure."""
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
"""Markers of the rivals' lines, one per rival (with the line style: never colour alone)."""
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

    ax.set_xlabel(t("figures.quarter"))
    ax.set_xlim(min(quarters), max(quarters))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def rival_style(index: int) -> dict[str, Any]:
    """Line style and marker of the ``index``-th rival: a distinct pair for the first 16
    rivals, never solid (the player's) nor dashed (a what-if's)."""
    styles = LINE_STYLES[1:]
    return {
        "linestyle": styles[(index + index // len(MARKERS)) % len(styles)],
        "marker": MARKERS[index % len(MARKERS)],
        "markersize": 8,
    }


def share_revenue(report: dict[str, Any]) -> Any:
    """Overall share and revenue per quarter, the player against every rival."""
    fig, axes = _new(13, 5.2, ncols=2)
    qs = _quarters(report)
    colours = firm_colours(report)
    share_ax, rev_ax = axes[0]
    rivals = 0
    for fid, f in report["firms"].items():
        me = fid == report["firm"]
        kw = {
            "color": colours[fid],
            "linewidth": 4 if me else 2.2,
            "label": t("figures.you", name=f["name"]) if me else f["name"],
            "zorder": 3 if me else 2,
        }
        kw |= {"linestyle": "-", "marker": "None"} if me else rival_style(rivals)
        rivals += 0 if me else 1
        share_ax.plot(qs, [100 * s for s in f["share"]], **kw)
        rev_ax.plot(qs, f["revenue"], **kw)
    whatif = report.get("what_if")
    if whatif:
        from game.report_export import bot_label

        share_ax.plot(
            qs[: len(whatif["share"])],
            [100 * s for s in whatif["share"]],
            color=_ink(),
            linewidth=2.5,
            linestyle=WHAT_IF_STYLE,
            label=t(
                "figures.what_if", bot=bot_label(whatif["bot"]), quarter=whatif["from_quarter"]
            ),
            zorder=4,
        )
    share_ax.set_title(t("figures.share_title"))
    share_ax.set_ylabel(t("figures.share_axis"))
    share_ax.set_ylim(bottom=0)
    rev_ax.set_title(t("figures.revenue_title"))
    rev_ax.set_ylabel(t("figures.revenue_axis", currency=report["currency"]))
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
            linestyle=LINE_STYLES[i % len(LINE_STYLES)],
            marker=MARKERS[i],
            markersize=8,
            label=t(f"figures.culture.{dim}"),
        )
    culture_ax.set_title(t("figures.culture_title"))
    culture_ax.set_ylabel(t("figures.level_axis"))
    culture_ax.set_ylim(0, 1)
    culture_ax.legend(loc="lower left", framealpha=0.9)
    debt_ax.plot(
        qs,
        [row["tech_debt"] for row in report["kpis"]],
        color=OKABE_ITO[3],
        linewidth=3,
        marker=MARKERS[0],
        markersize=8,
        label=t("figures.debt_title"),
    )
    debt_ax.set_title(t("figures.debt_title"))
    debt_ax.set_ylabel(t("figures.debt_axis"))
    debt_ax.set_ylim(bottom=0)
    debt_ax.legend(loc="best", framealpha=0.9)
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
        ax.errorbar(
            [cells[aid]["believed"] for aid in attrs],
            [y + 0.12 for y in ys],
            xerr=[cells[aid]["sd"] for aid in attrs],
            fmt="D",
            linestyle="None",
            markersize=10,
            markerfacecolor=_paper(),
            markeredgewidth=2.5,
            color=OKABE_ITO[0],
            elinewidth=2.5,
            capsize=6,
            label=t("figures.believed"),
        )
        ax.plot(
            [start[aid]["true"] for aid in attrs],
            [y - 0.12 for y in ys],
            linestyle="None",
            marker="s",
            color=OKABE_ITO[5],
            markersize=9,
            label=t("figures.true_start"),
        )
        ax.plot(
            [cells[aid]["true"] for aid in attrs],
            [y - 0.12 for y in ys],
            linestyle="None",
            marker="o",
            color=OKABE_ITO[3],
            markersize=12,
            label=t("figures.true_end"),
        )
        ax.set_title(sname)
        ax.set_xlim(-0.03, 1.03)
        ax.set_ylim(-0.6, len(attrs) - 0.4)
        ax.set_yticks(ys, [attrs[a] for a in attrs])
        ax.invert_yaxis()
        ax.set_xlabel(t("figures.ideal_axis"))
    err_ax = axes[n]
    (error_line,) = err_ax.plot(
        [b["quarter"] for b in report["beliefs"]],
        [b["error"] for b in report["beliefs"]],
        color=OKABE_ITO[0],
        linewidth=3,
        linestyle="-",
        marker=MARKERS[0],
        markersize=8,
        label=t("figures.error_line"),
    )
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(
        [*handles, error_line],
        [*labels, error_line.get_label()],
        loc="outside lower center",
        ncol=4,
        frameon=False,
    )
    err_ax.set_title(t("figures.error_title"))
    err_ax.set_ylabel(t("figures.error_axis"))
    err_ax.set_ylim(0, 1.15 * max([b["error"] for b in report["beliefs"]] + [0.01]))
    _quarter_axis(err_ax, [b["quarter"] for b in report["beliefs"]])
    return fig


def score_vs_bots(report: dict[str, Any]) -> Any:
    """The player's score among the built-in bots on the same seed, and the luck band: the
    closest bot's scores on other seeds, on a row of its own."""
    from game.report_export import bot_label

    comp = report["comparison"]
    rows = [(bot_label(b["bot"]), b["score"], False) for b in comp["bots"]]
    you_label = t("figures.you_bar")
    rows.append((you_label, comp["player_score"], True))
    rows.sort(key=lambda r: r[1])
    spread = comp["spread_scores"]
    fig, axes = _new(13, 0.42 * (len(rows) + bool(spread)) + 2.0)
    ax = axes[0][0]
    you = palette.hex_colour(palette.SERIES[0])  # the player's colour on every chart
    for y, (_name, score, me) in enumerate(rows):
        # Each bar is named beside it (the player's "you" in bold), not only coloured.
        ax.barh(y, score, color=you if me else palette.hex_colour(palette.GREY), height=0.7)
        ax.text(1.5, y, number(score, 0), va="center", color="black", fontweight="bold")
    labels = [r[0] for r in rows]
    lines = [
        ax.axvline(
            comp["player_score"],
            color=you,
            linestyle=":",
            linewidth=2.5,
            label=t("figures.your_score"),
        )
    ]
    if spread:
        y = len(rows)
        lo, hi = min(spread), max(spread)
        lines += ax.plot(
            [lo, hi],
            [y, y],
            color=_ink(),
            linewidth=5,
            linestyle="-",
            solid_capstyle="round",
            label=t("figures.luck_range"),
        )
        lines += ax.plot(
            [sum(spread) / len(spread)],
            [y],
            linestyle="None",
            marker="o",
            color=_ink(),
            markersize=9,
            label=t("figures.luck_mean"),
        )
        band = f"{number(lo, 0)}–{number(hi, 0)}"
        ax.text(hi + 1.5, y, band, va="center", fontweight="bold")
        labels.append(t("figures.luck_band", bot=bot_label(comp["closest"]), count=len(spread)))
    ax.set_yticks(range(len(labels)), labels)
    for tick, label in zip(ax.get_yticklabels(), labels, strict=True):
        if label == you_label:
            tick.set_fontweight("bold")
    ax.set_xlim(0, 105)
    ax.set_xlabel(t("figures.score_axis"))
    ax.set_title(t("figures.score_title"))
    ax.grid(axis="y", visible=False)
    fig.legend(handles=lines, loc="outside lower center", ncol=3, frameon=False)
    return fig


COLLEAGUE_MARKERS = ("o", "s", "^", "D", "v", "P")
"""Markers of the colleagues' trust lines (the star and the cross mark promises)."""
PROMISE_MARKERS = {"kept": "*", "broken": "X"}


def colleague_style(index: int) -> dict[str, Any]:
    """Colour, line style and marker of the ``index``-th colleague's trust line: a distinct
    style and marker pair for the first 18 colleagues, never dashed (a what-if's)."""
    n = len(COLLEAGUE_MARKERS)
    return {
        "color": OKABE_ITO[index % (len(OKABE_ITO) - 2)],  # neither black nor weak yellow
        "linestyle": LINE_STYLES[(index + index // n) % len(LINE_STYLES)],
        "marker": COLLEAGUE_MARKERS[index % n],
        "markersize": 8,
    }


def relationships(report: dict[str, Any]) -> Any:
    """Each colleague's trust per quarter (quarter 0: the start), with a star where a promise
    to them was kept and a cross where one was broken."""
    fig, axes = _new(13, 5.6)
    ax = axes[0][0]
    rel = report.get("relationships") or {"colleagues": [], "promises": []}
    lines = {c["id"]: c for c in rel["colleagues"]}
    for i, c in enumerate(rel["colleagues"]):
        qs = list(range(len(c["trust"])))
        ax.plot(
            qs, [100 * v for v in c["trust"]], linewidth=3, label=c["who"], **colleague_style(i)
        )
    for outcome, marker in PROMISE_MARKERS.items():
        points = [
            (p["closed"], 100 * lines[p["stakeholder"]]["trust"][p["closed"]])
            for p in rel["promises"]
            if p["outcome"] == outcome
            and p["stakeholder"] in lines
            and p["closed"] is not None
            and p["closed"] < len(lines[p["stakeholder"]]["trust"])
        ]
        if points:
            ax.plot(
                [x for x, _ in points],
                [y for _, y in points],
                linestyle="None",
                marker=marker,
                markersize=20,
                color=_ink(),
                markeredgecolor=_paper(),
                label=t(f"debrief_people.figure.{outcome}"),
                zorder=5,
            )
    quarters = list(range(max((len(c["trust"]) for c in rel["colleagues"]), default=2)))
    ax.set_title(t("debrief_people.figure.title"))
    ax.set_ylabel(t("debrief_people.figure.trust_axis"))
    ax.set_ylim(0, 105)
    _quarter_axis(ax, quarters)
    ax.set_xlim(-0.25, quarters[-1] + 0.25)  # the markers at the ends are drawn whole
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3, frameon=False)
    return fig


def relationships_alt(report: dict[str, Any]) -> str:
    """The trust figure in words: each colleague's trust at the start and the end, and how
    many promises were kept and broken."""
    from engine.formatting import pct

    rel = report["relationships"]
    people = "; ".join(
        t(
            "debrief_people.figure.alt_colleague",
            who=c["who"],
            start=pct(c["trust"][0], 0),
            end=pct(c["trust"][-1], 0),
        )
        for c in rel["colleagues"]
    )
    outcomes = [p["outcome"] for p in rel["promises"]]
    return t(
        "debrief_people.figure.alt",
        colleagues=people,
        kept=outcomes.count("kept"),
        broken=outcomes.count("broken"),
    )


FIGURES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "share_revenue": share_revenue,
    "culture_debt": culture_debt,
    "belief_map": belief_map,
    "score_vs_bots": score_vs_bots,
    "relationships": relationships,
}
"""Every figure by name; its caption and alt text are ``figures.<name>.title`` / ``.alt``
(the relationships figure's are ``debrief_people.figure.*``, its alt text made from the data:
:func:`caption`)."""


def caption(report: dict[str, Any], name: str) -> tuple[str, str]:
    """The title and alt text of the figure ``name`` for ``report``."""
    if name == "relationships":
        return t("debrief_people.figure.caption"), relationships_alt(_printable(report))
    return t(f"figures.{name}.title"), t(f"figures.{name}.alt")


def has_data(report: dict[str, Any], name: str) -> bool:
    """Whether ``report`` has what the figure ``name`` shows (a bot comparison, colleagues)."""
    if name == "score_vs_bots":
        return bool(report.get("comparison"))
    if name == "relationships":
        return bool(report.get("relationships"))
    return True


def draw(report: dict[str, Any], name: str) -> Any:
    """The matplotlib figure ``name`` of ``FIGURES`` (not saved; call under an rc context)."""
    return FIGURES[name](_printable(report))


def render(report: dict[str, Any], name: str, fmt: str = "png", theme: Theme = "print") -> Figure:
    """Draw one figure of ``FIGURES`` as PNG or SVG bytes in the look ``theme``."""
    import matplotlib

    title, alt = caption(report, name)
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
    """Every figure the report has data for (no bot comparison → no score figure; no
    colleagues → no trust figure)."""
    names = [n for n in FIGURES if has_data(report, n)]
    return [render(report, name, fmt, theme) for name in names]

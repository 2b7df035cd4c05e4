"""The figure of ``crossroads balance --sweep --png``: the headline figures over the grid.

Two panels, the score gap (the best bot's mean score minus random's, or hold's when random
did not play) and the runaway rate, drawn from the sweep JSON document
(:mod:`game.balance_sweep`):

- one swept field: a line over its values;
- two: heatmaps, the first field down, the second across, every cell annotated with its number
  (the colour only repeats it);
- three or more: for each field, the mean over the other fields' values as a line, with the
  range (lowest to highest) as a band.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any


def _gap(document: dict[str, Any]) -> tuple[str, str]:
    """The score gap to draw: against random if it played, else against hold."""
    bots = document["bots"]
    if "random" in bots:
        return "gap_random", "best bot - random (points)"
    return "gap_hold", "best bot - hold (points)"


def _text(value: Any) -> str:
    from engine.sweep import show

    return show(value)


def sweep_figure(document: dict[str, Any]) -> bytes:
    """PNG of the score gap and the runaway rate over the sweep's grid."""
    import matplotlib
    from matplotlib.figure import Figure

    from game.report_figures import DPI, STYLE

    parameters = document["parameters"]
    panels = [_gap(document), ("runaway", "runaway leader (% of games)")]
    values = {
        key: [_figure(c["summary"][key], key) for c in document["combinations"]]
        for key, _ in panels
    }
    with matplotlib.rc_context(STYLE):
        if len(parameters) == 2:
            rows, cols = (len(p["values"]) for p in parameters)
            size = (max(12.0, 2.0 + 1.6 * cols * 2), max(5.0, 2.5 + 0.7 * rows))
        else:
            size = (max(12.0, 6.0 * len(parameters)), 9.0)
        fig = Figure(figsize=size, dpi=DPI, layout="constrained")
        if len(parameters) == 2:
            axes = fig.subplots(1, 2, squeeze=False)[0]
            for ax, (key, title) in zip(axes, panels, strict=True):
                _heatmap(fig, ax, parameters, values[key], title)
        else:
            axes = fig.subplots(2, len(parameters), squeeze=False)
            for row, (key, title) in enumerate(panels):
                for col, parameter in enumerate(parameters):
                    _effect(axes[row][col], document, col, parameter, values[key], title)
        fig.suptitle(
            f"Sweep of {document['scenario']} as {document['role'].upper()}: "
            f"{len(document['combinations'])} combinations, {document['seeds']} seeds per bot"
        )
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()


def _figure(value: float | None, key: str) -> float:
    """A summary number as drawn (NaN when missing; the runaway rate in percent)."""
    if value is None:
        return float("nan")
    return 100.0 * value if key == "runaway" else float(value)


def _heatmap(
    fig: Any, ax: Any, parameters: Sequence[dict[str, Any]], values: list[float], title: str
) -> None:
    """The grid of two fields as a heatmap, each cell labelled with its value."""
    import numpy as np

    first, second = parameters
    grid = np.array(values, dtype=float).reshape(len(first["values"]), len(second["values"]))
    image = ax.imshow(grid, cmap="cividis", aspect="auto", origin="lower")
    finite = grid[np.isfinite(grid)]
    middle = float(finite.min() + finite.max()) / 2 if finite.size else 0.0
    for (i, j), value in np.ndenumerate(grid):
        text = "n/a" if not np.isfinite(value) else f"{value:.1f}"
        ink = "black" if np.isfinite(value) and value > middle else "white"
        ax.text(j, i, text, ha="center", va="center", color=ink, fontsize=14)
    ax.set_xticks(range(len(second["values"])), [_text(v) for v in second["values"]])
    ax.set_yticks(range(len(first["values"])), [_text(v) for v in first["values"]])
    ax.set_xlabel(second["name"])
    ax.set_ylabel(first["name"])
    ax.set_title(title)
    ax.grid(False)
    fig.colorbar(image, ax=ax)


def _effect(
    ax: Any,
    document: dict[str, Any],
    index: int,
    parameter: dict[str, Any],
    values: list[float],
    title: str,
) -> None:
    """One field's effect: the mean over the other fields per value, and the range as a band
    (no band with a single field: each value is one combination)."""
    import numpy as np

    from game.report_figures import OKABE_ITO

    name = parameter["name"]
    by_value: list[list[float]] = [[] for _ in parameter["values"]]
    position = {repr(v): i for i, v in enumerate(parameter["values"])}
    for combination, value in zip(document["combinations"], values, strict=True):
        by_value[position[repr(combination["values"][name])]].append(value)
    arr = [np.array(v, dtype=float) for v in by_value]
    mean = [float(np.nanmean(a)) if np.isfinite(a).any() else np.nan for a in arr]
    x = list(range(len(parameter["values"])))
    colour = OKABE_ITO[index % (len(OKABE_ITO) - 1)]
    ax.plot(x, mean, marker="o", color=colour, label="mean over the other fields")
    if len(document["parameters"]) > 1:
        low = [float(np.nanmin(a)) if np.isfinite(a).any() else np.nan for a in arr]
        high = [float(np.nanmax(a)) if np.isfinite(a).any() else np.nan for a in arr]
        ax.fill_between(x, low, high, color=colour, alpha=0.2, label="lowest to highest")
        if index == 0:
            ax.legend(loc="best", fontsize=12)
    for xi, m in zip(x, mean, strict=True):
        if np.isfinite(m):
            ax.annotate(
                f"{m:.1f}",
                (xi, m),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=13,
            )
    ax.set_xticks(x, [_text(v) for v in parameter["values"]])
    ax.set_xlabel(name)
    ax.set_ylabel(title)

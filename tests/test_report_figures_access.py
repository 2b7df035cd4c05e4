"""Report figures never carry information by colour alone (issue 18): on every axes each
series differs from the others by line style and/or marker, and is named in a legend or
beside it; the what-if line, and only it, is dashed. Colours stay Okabe–Ito."""

from __future__ import annotations

from typing import Any

import matplotlib
import pytest
from market_scenarios import tutorial
from matplotlib.colors import to_hex
from matplotlib.container import ErrorbarContainer
from test_debrief import scripted_log
from test_debrief_people import people_report

from engine.debrief import build_report
from game import palette
from game.report_figures import FIGURES, OKABE_ITO, WHAT_IF_STYLE, draw, style
from game.translation import set_language

SEED = 4


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    """A report with a what-if, a bot comparison and a luck band, and many rivals (more
    firms than the tutorial has, so styles must not repeat)."""
    sc = tutorial(300)
    data = build_report(
        sc, SEED, "pm", scripted_log(6), bots=("hold", "profit"), spread_seeds=1
    ).to_dict()
    assert data["what_if"] and data["comparison"] and data["comparison"]["spread_scores"]
    template = next(f for fid, f in data["firms"].items() if fid != data["firm"])
    for i in range(9):
        data["firms"][f"extra{i}"] = {**template, "name": f"Extra {i}"}
    return data


@pytest.fixture(scope="module")
def with_colleagues() -> dict[str, Any]:
    """A game with two colleagues, one promise kept and one broken (the trust figure)."""
    return people_report()


def series(ax: Any) -> list[tuple[Any, str]]:
    """The data lines of an axes with their names (an error bar is one series: its caps are
    not lines, its name is the container's)."""
    caps: set[int] = set()
    names: dict[int, str] = {}
    for cont in ax.containers:
        if isinstance(cont, ErrorbarContainer):
            caps |= {id(c) for c in cont.lines[1]}
            names[id(cont.lines[0])] = str(cont.get_label())
    return [
        (line, names.get(id(line), str(line.get_label())))
        for line in ax.get_lines()
        if id(line) not in caps
    ]


def names_shown(fig: Any) -> set[str]:
    """Every series name a reader can see: legend entries and tick labels (direct labels)."""
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    shown = {text.get_text() for legend in legends for text in legend.get_texts()}
    for ax in fig.axes:
        shown |= {label.get_text() for label in ax.get_yticklabels()}
    return shown


ALLOWED = {c.lower() for c in OKABE_ITO} | {palette.hex_colour(c) for c in palette.SERIES}


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("theme", ["print", "game"])
@pytest.mark.parametrize("name", list(FIGURES))
def test_every_series_differs_by_more_than_colour_and_is_named(
    report: dict[str, Any], with_colleagues: dict[str, Any], name: str, theme: str, lang: str
) -> None:
    set_language(lang)
    if name == "relationships":
        report = with_colleagues
    with matplotlib.rc_context(style(theme)):
        fig = draw(report, name)
        ink = to_hex(matplotlib.rcParams["text.color"])
    shown = names_shown(fig)
    dashed = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        lines = [line for line, _ in series(ax)]
        labels = [label for _, label in series(ax)]
        looks = [(to_hex(x.get_color()), x.get_linestyle(), x.get_marker()) for x in lines]
        assert len(set(looks)) == len(looks), f"{name}: two series look the same: {looks}"
        shapes = [(style_, marker) for _, style_, marker in looks]
        assert len(set(shapes)) == len(shapes), f"{name}: series told apart by colour only"
        assert len(set(labels)) == len(labels), labels
        for label, (colour, style_, marker) in zip(labels, looks, strict=True):
            assert label and not label.startswith("_"), f"{name}: a series has no name"
            assert label in shown, f"{name}: '{label}' is in no legend and beside no series"
            assert colour in ALLOWED | {ink}, f"{name}: {colour} is not an Okabe–Ito colour"
            assert style_ != "None" or marker not in ("None", "", None, " ")
            if style_ == WHAT_IF_STYLE:
                dashed.append(label)
    if name == "share_revenue":
        assert len(dashed) == 1 and dashed[0] in shown  # the what-if, and only it
        what_if = next(x for x, label in series(fig.axes[0]) if label == dashed[0])
        assert to_hex(what_if.get_color()) == ink
    else:
        assert not dashed, f"{name}: only a what-if is dashed, not {dashed}"
    if name == "relationships":  # two colleagues, a promise kept, a promise broken
        assert len(series(fig.axes[0])) == 4

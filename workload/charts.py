"""Geometry for the server-rendered SVG charts of the workload report.

The templates in ``templates/workload/`` draw what these
functions compute; no chart library runs in the browser. Shares are fractions
of a week (``Decimal("0.75")``); every chart also gets a table and a summary.
"""

from dataclasses import dataclass, field
from decimal import Decimal

# Dark colours with at least 3:1 against white (WCAG 1.4.11); dashes tell lines apart without colour.
PALETTE = ["#0057b8", "#c4001a", "#1d6b2f", "#7a4b00", "#5c2d91", "#1a1a1a"]
# Five dashes against six colours: thirty lines before a pair repeats.
DASHES = ["", "8 4", "2 4", "10 4 2 4", "4 4"]
WIDTH = 640
LINE_HEIGHT = 280
MARGIN = {"left": 48, "right": 36, "top": 16, "bottom": 40}
BAR_HEIGHT = 22
BAR_GAP = 10
BAR_LABEL_WIDTH = 120
HISTOGRAM_HEIGHT = 240
MAX_X_LABELS = 8


def _percent(share) -> int:
    return round(Decimal(share) * 100)


def _axis_top(values, target) -> Decimal:
    """The top of the share axis: 100 %, or higher in steps of 25 % when someone is above."""
    top = max([Decimal(1), Decimal(target), *(Decimal(v) for v in values)])
    quarters = -(-top * 4 // 1)  # ceiling
    return Decimal(quarters) / 4


def _ticks(top: Decimal) -> list[Decimal]:
    steps = int(top * 4)
    return [Decimal(step) / 4 for step in range(steps + 1)]


@dataclass
class Series:
    label: str
    colour: str
    dash: str
    points: str = ""
    markers: list = field(default_factory=list)
    last_x: float = 0
    last_y: float = 0


def line_chart(x_labels: list[str], series: list[tuple[str, list]], target) -> dict:
    """Lines of shares over time against the target; ``None`` values are left out."""
    plot_width = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_height = LINE_HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    values = [v for _label, points in series for v in points if v is not None]
    top = _axis_top(values, target)
    step = plot_width / max(len(x_labels) - 1, 1)
    every = -(-len(x_labels) // MAX_X_LABELS)  # label every n-th date so they do not overlap

    def x_at(index):
        return round(MARGIN["left"] + (index * step if len(x_labels) > 1 else plot_width / 2), 1)

    def y_at(share):
        return round(MARGIN["top"] + plot_height * float(1 - Decimal(share) / top), 1)

    drawn = []
    for number, (label, points) in enumerate(series):
        line = Series(label, PALETTE[number % len(PALETTE)], DASHES[number % len(DASHES)])
        coordinates = [(x_at(i), y_at(v), v) for i, v in enumerate(points) if v is not None]
        line.points = " ".join(f"{x},{y}" for x, y, _v in coordinates)
        line.markers = [{"x": x, "y": y, "percent": _percent(v)} for x, y, v in coordinates]
        if coordinates:
            line.last_x, line.last_y = coordinates[-1][0], coordinates[-1][1]
        drawn.append(line)
    return {
        "width": WIDTH,
        "height": LINE_HEIGHT,
        "left": MARGIN["left"],
        "right": WIDTH - MARGIN["right"],
        "bottom": LINE_HEIGHT - MARGIN["bottom"],
        "label_y": LINE_HEIGHT - MARGIN["bottom"] + 18,
        "y_ticks": [{"y": y_at(t), "label": f"{_percent(t)} %"} for t in _ticks(top)],
        "x_ticks": [
            {"x": x_at(i), "label": label}
            for i, label in enumerate(x_labels)
            if (len(x_labels) - 1 - i) % every == 0  # the newest date always has its label
        ],
        "series": drawn,
        "target_y": y_at(target),
        "target_label": f"{_percent(target)} %",
    }


def bar_chart(bars: list[tuple[str, Decimal]], target) -> dict:
    """One horizontal bar per entry (a label and a share), with the target as a line."""
    top = _axis_top([share for _label, share in bars], target)
    plot_left = BAR_LABEL_WIDTH
    plot_width = WIDTH - plot_left - MARGIN["right"] - 40  # room for the value after a bar

    def x_at(share):
        return round(plot_left + plot_width * float(Decimal(share) / top), 1)

    drawn = []
    for number, (label, share) in enumerate(bars):
        y = MARGIN["top"] + number * (BAR_HEIGHT + BAR_GAP)
        drawn.append(
            {
                "label": label,
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "width": max(x_at(share) - plot_left, 0),
                "value_x": x_at(share) + 6,
                "percent": _percent(share),
                "above_target": Decimal(share) > Decimal(target),
            }
        )
    bottom = MARGIN["top"] + len(bars) * (BAR_HEIGHT + BAR_GAP)
    return {
        "width": WIDTH,
        "height": bottom + MARGIN["bottom"],
        "left": plot_left,
        "label_x": plot_left - 8,
        "bar_height": BAR_HEIGHT,
        "bottom": bottom,
        "label_y": bottom + 18,
        "bars": drawn,
        "x_ticks": [{"x": x_at(t), "label": f"{_percent(t)} %"} for t in _ticks(top)],
        "target_x": x_at(target),
        "target_label": f"{_percent(target)} %",
    }


def histogram_chart(counts: list[int], labels: list[str]) -> dict:
    """Vertical bars: how many employees fall into each bucket of shares."""
    plot_width = WIDTH - MARGIN["left"] - MARGIN["right"]
    plot_height = HISTOGRAM_HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    highest = max([*counts, 1])
    slot = plot_width / max(len(counts), 1)
    bars = []
    for index, (count, label) in enumerate(zip(counts, labels, strict=True)):
        height = round(plot_height * count / highest, 1)
        x = round(MARGIN["left"] + index * slot + slot * 0.1, 1)
        bars.append(
            {
                "x": x,
                "y": round(MARGIN["top"] + plot_height - height, 1),
                "width": round(slot * 0.8, 1),
                "height": height,
                "count": count,
                "label": label,
                "centre": round(x + slot * 0.4, 1),
                "count_y": round(MARGIN["top"] + plot_height - height - 4, 1),
            }
        )
    return {
        "width": WIDTH,
        "height": HISTOGRAM_HEIGHT,
        "left": MARGIN["left"],
        "right": WIDTH - MARGIN["right"],
        "bottom": MARGIN["top"] + plot_height,
        "label_y": MARGIN["top"] + plot_height + 18,
        "bars": bars,
    }

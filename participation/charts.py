"""Geometry of the server-rendered bar charts of round results.

``templates/participation/rounds/bar_chart.html`` draws what ``bar_chart``
computes, as the workload report does with its charts (participation may not
import workload, so the few lines are its own). Every chart comes with a
table and a sentence that say the same.
"""

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 10
LABEL_WIDTH = 200
VALUE_WIDTH = 60
TOP = 8
COLOUR = "#0057b8"  # 7:1 against white


def bar_chart(rows: list[tuple[str, int]]) -> dict:
    """One horizontal bar per (label, count); lengths relative to the largest count."""
    largest = max([count for _label, count in rows] + [1])
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for number, (label, count) in enumerate(rows):
        y = TOP + number * (BAR_HEIGHT + BAR_GAP)
        width = round(plot_width * count / largest, 1)
        bars.append(
            {
                "label": label,
                "count": count,
                "y": y,
                "width": width,
                "text_y": y + BAR_HEIGHT * 0.7,
                "value_x": LABEL_WIDTH + width + 6,
            }
        )
    return {
        "width": WIDTH,
        "height": TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP),
        "left": LABEL_WIDTH,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
        "colour": COLOUR,
        "bars": bars,
    }

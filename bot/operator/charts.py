"""Charts drawn on the server as SVG, sized by their viewBox (they shrink to a phone's width).

No script and no style attribute (the console's CSP allows neither): colours are
presentation attributes, every bar has a ``<title>`` giving its figure, and the page shows
the same figures as a table beside each chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_FONT = 'font-family="system-ui, sans-serif" font-size="12"'


@dataclass(frozen=True)
class Series:
    """One series of a bar chart: its name (legend, titles), colour and values."""

    name: str
    colour: str
    values: Sequence[int]


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    # Every text put in ``body`` is escaped by the builders; the rest are numbers.
    return Markup(  # noqa: S704
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-label="{escape(label)}" width="100%" preserveAspectRatio="xMinYMin meet"'
        f' {_FONT}>' + "".join(body) + "</svg>")


def _ticks(top: int) -> int:
    """Return a round maximum for the axis (1, 2, 5 × 10^n) at or above ``top``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= top:
                return step * factor
        step *= 10


def grouped_bars(label: str, categories: Sequence[str], series: Sequence[Series]) -> Markup:
    """Return vertical bars, one group per category (a week), one bar per series."""
    width, height, left, bottom, top_margin = 640, 250, 36, 40, 28
    top = _ticks(max([1, *(v for s in series for v in s.values)]))
    plot_h = height - bottom - top_margin
    group = (width - left - 8) / max(1, len(categories))
    bar = max(2.0, (group - 6) / max(1, len(series)))
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"'
            ' stroke="#888"/>',
            f'<text x="{left - 4}" y="{top_margin + 4}" text-anchor="end">{top}</text>',
            f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>']
    key_x = left
    for shown in series:  # the legend, each name as long as it is (~7 px a character)
        body += [f'<rect x="{key_x}" y="4" width="12" height="12" fill="{shown.colour}"/>',
                 f'<text x="{key_x + 16}" y="15">{escape(shown.name)}</text>']
        key_x += 36 + 7 * len(shown.name)
    every = -(-len(categories) // 14)  # at most 14 labels under the axis: they stay apart
    for g, category in enumerate(categories):
        x0 = left + g * group + 3
        for s_index, s in enumerate(series):
            value = s.values[g]
            h = plot_h * value / top
            x = x0 + s_index * bar
            body.append(f'<rect x="{x:.1f}" y="{height - bottom - h:.1f}" width="{bar - 1:.1f}"'
                        f' height="{h:.1f}" fill="{s.colour}"><title>{escape(category)} · '
                        f'{escape(s.name)} : {value}</title></rect>')
        if g % every == 0:  # « S38 · 14/09 » on two lines
            lines = category.split(" · ")
            middle = f"{x0 + group / 2 - 3:.1f}"
            body.append(f'<text y="{height - bottom + 15}" text-anchor="middle">' + "".join(
                f'<tspan x="{middle}" dy="{0 if n == 0 else 13}">{escape(line)}</tspan>'
                for n, line in enumerate(lines)) + "</text>")
    return _svg(width, height, label, body)


def horizontal_bars(label: str, rows: Sequence[tuple[str, int]], colour: str,
                    total: int | None = None) -> Markup:
    """Return one horizontal bar per row (label, value), longest for ``total`` or the max."""
    width, line, name_w = 480, 22, 190
    height = max(1, len(rows)) * line + 8
    top = max([1, total or 0, *(value for _, value in rows)])
    body: list[str] = []
    for index, (name, value) in enumerate(rows):
        y = 4 + index * line
        w = (width - name_w - 48) * value / top
        shown = name if len(name) <= 26 else name[:25] + "…"
        body += [f'<text x="{name_w - 6}" y="{y + 15}" text-anchor="end">{escape(shown)}'
                 f'<title>{escape(name)}</title></text>',
                 f'<rect x="{name_w}" y="{y + 3}" width="{w:.1f}" height="{line - 6}"'
                 f' fill="{colour}"><title>{escape(name)} : {value}</title></rect>',
                 f'<text x="{name_w + w + 4:.1f}" y="{y + 15}">{value}</text>']
    return _svg(width, height, label, body)

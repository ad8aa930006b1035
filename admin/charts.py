"""A horizontal bar chart as inline SVG, drawn on the server: no JavaScript, no CDN, readable when printed."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
BAR_AREA = 250
VALUE_WIDTH = 50


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    href: str | None = None


def bar_chart(bars: list[Bar], title: str) -> Markup:
    """One row per bar: the label, a bar scaled to the largest value, the number. Accessible by its title."""
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    largest = max((bar.value for bar in bars), default=0) or 1
    rows = [_row(index, bar, largest) for index, bar in enumerate(bars)]
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="qamqor-chart" width="100%" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(rows)
        + "</svg>"
    )


def _row(index: int, bar: Bar, largest: int) -> str:
    y = GAP + index * (BAR_HEIGHT + GAP)
    length = round(BAR_AREA * bar.value / largest) if bar.value else 0
    text_y = y + BAR_HEIGHT - 6
    label = escape(bar.label if len(bar.label) <= 40 else bar.label[:39] + "…")
    shape = (
        f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" font-size="13">{label}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" rx="3" fill="#206bc4"/>'
        f'<text x="{LABEL_WIDTH + length + 6}" y="{text_y}" font-size="13">{bar.value}</text>'
    )
    if bar.href:
        return f'<a href="{escape(bar.href)}">{shape}</a>'
    return shape

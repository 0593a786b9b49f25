"""Server-rendered inline SVG bar charts: no JavaScript, no CDN. Each chart has an accessible name (role="img",
aria-labelledby to its <title> and <desc>), scales to the width of its container (viewBox, so it works at
320 px) and writes every value as text next to its bar: colour is never the only carrier of meaning (the
second series is also hatched, and every bar is labelled with its series)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT = 14
GAP = 4
LABEL_HEIGHT = 18
WIDTH = 320
BAR_AREA = 170
FILLS = ("#01689b", "url(#hatch)", "#8a4b00", "#4b4b4b")


@dataclass(frozen=True)
class Group:
    label: str
    values: Sequence[Decimal | int]


def _number(value: Decimal | int) -> str:
    text = f"{value:,.1f}" if isinstance(value, Decimal) else f"{value:,}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".").removesuffix(",0")


def bar_chart(*, chart_id: str, title: str, description: str, series: Sequence[str], groups: Sequence[Group]) -> str:
    """A horizontal grouped bar chart as safe SVG markup."""
    largest = max([float(v) for g in groups for v in g.values] + [1.0])
    parts: list[SafeString] = []
    y = 0
    for group in groups:
        parts.append(format_html('<text x="0" y="{}" font-size="11" font-weight="bold">{}</text>', y + 13, group.label))
        y += LABEL_HEIGHT
        for index, value in enumerate(group.values):
            width = round(float(value) / largest * BAR_AREA, 1)
            parts.append(
                format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" fill="{}" stroke="#000" stroke-width="0.5"/>'
                    '<text x="{}" y="{}" font-size="10">{}: {}</text>',
                    y,
                    max(width, 0.5),
                    BAR_HEIGHT,
                    FILLS[index % len(FILLS)],
                    max(width, 0.5) + 4,
                    y + 11,
                    series[index],
                    _number(value),
                )
            )
            y += BAR_HEIGHT + GAP
        y += GAP
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return format_html(
        '<svg class="app-chart" id="{}" role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>'
        '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#39870c" '
        'stroke-width="4"/></pattern></defs>{}</svg>',
        chart_id, title_id, desc_id, WIDTH, max(y, 20), title_id, title, desc_id, description,
        format_html_join("", "{}", ((part,) for part in parts)),
    )  # fmt: skip

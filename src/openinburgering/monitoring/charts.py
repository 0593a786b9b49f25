"""Server-rendered inline SVG bar charts: no JavaScript, no CDN.

Each chart is a <figure> with a visible title (<figcaption>), a legend and the SVG, which has its own accessible
name (role="img", aria-labelledby to its <title> and <desc>). The SVG scales to the width of its container
(viewBox, so it works at 320 px) and writes every value as text next to its bar, so colour is never the only
carrier of meaning. Rules that make charts comparable (#11 item 11):

- one colour means one thing on every chart: the colour belongs to the :class:`Series` (its meaning), never to
  the position of a bar in a group;
- charts that are read side by side get the same ``scale_max``, so equal bars are equal numbers;
- a group label longer than one line wraps onto the next line instead of running off the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_HEIGHT = 14
GAP = 4
LINE_HEIGHT = 14
WIDTH = 320
BAR_AREA = 170
LABEL_CHARS = 50  # characters of a group label per line at font-size 11 in the 320 wide viewBox


@dataclass(frozen=True)
class Series:
    """One meaning (e.g. "voldaan") with the one colour it has on every chart."""

    key: str
    label: str
    colour: str


# Every series of the monitoring charts, each with its own colour (all at least 3:1 against white).
HOURS_CONTRACTED = Series("hours_contracted", "gecontracteerd", "#154273")
HOURS_OFFERED = Series("hours_offered", "aangeboden", "#39870c")
HOURS_ATTENDED = Series("hours_attended", "aanwezig", "#8a4b00")
STARTED = Series("started", "gestart", "#4b4b4b")
IN_TRAJECT = Series("in_traject", "in traject", "#5a2a8c")
VOLDAAN = Series("voldaan", "voldaan", "#00787a")
WORK = Series("work", "aan het werk", "#d52b1e")
EDUCATION = Series("education", "in onderwijs", "#e17000")
PARTICIPATION = Series("participation", "participatie", "#a90061")
PIP_ON_TIME = Series("pip_on_time", "PIP op tijd", "#01689b")
VOLDAAN_ON_TIME = Series("voldaan_on_time", "voldaan binnen de termijn", "#6b4e00")
# The gemeente, region and KIS figures (#16).
KENNISGEVING = Series("kennisgeving", "kennisgeving DUO", "#275937")
KOPPELING = Series("koppeling", "koppeling COA", "#42145f")
VESTIGING = Series("vestiging", "vestiging in de gemeente", "#673327")
COUNT = Series("count", "aantal dossiers", "#007bc7")
PERCENT = Series("percent", "procent", "#ca005d")
ROUTE_B1 = Series("route_b1", "B1-route", "#777c00")
ROUTE_ONDERWIJS = Series("route_onderwijs", "onderwijsroute", "#1f5e8c")
ROUTE_Z = Series("route_z", "Z-route", "#7a3e9d")
FIGURE_SERIES = {s.key: s for s in (KENNISGEVING, KOPPELING, VESTIGING, COUNT, PERCENT, ROUTE_B1, ROUTE_ONDERWIJS,
                                    ROUTE_Z)}  # fmt: skip
ALL_SERIES = (KENNISGEVING, KOPPELING, VESTIGING, COUNT, PERCENT, ROUTE_B1, ROUTE_ONDERWIJS, ROUTE_Z,
              HOURS_CONTRACTED, HOURS_OFFERED, HOURS_ATTENDED, STARTED, IN_TRAJECT, VOLDAAN, WORK, EDUCATION,
              PARTICIPATION, PIP_ON_TIME, VOLDAAN_ON_TIME)  # fmt: skip


@dataclass(frozen=True)
class Group:
    label: str
    values: Sequence[Decimal | int | None]  # None: no figure (drawn as "geen gegevens", no bar)


def _number(value: Decimal | int) -> str:
    text = f"{value:,.1f}" if isinstance(value, Decimal) else f"{value:,}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".").removesuffix(",0")


def wrap(label: str, width: int = LABEL_CHARS) -> list[str]:
    """Splits a label into lines of at most ``width`` characters at spaces (a longer word gets its own line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def largest(*groups: Sequence[Group]) -> Decimal | int:
    """The largest value over several charts' groups: pass it as every chart's ``scale_max`` to compare them."""
    values = [v for chart in groups for g in chart for v in g.values if v is not None]
    return max(values, default=0)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: Sequence[Series],
    groups: Sequence[Group],
    scale_max: Decimal | int | None = None,
    unit: str = "",
    missing: str = "geen gegevens",
) -> SafeString:
    """A horizontal grouped bar chart with its title and legend, as safe markup. A bar's length is its value
    divided by ``scale_max`` (default: this chart's largest value), so charts with one ``scale_max`` compare.
    A value None is drawn without a bar, as the text ``missing``."""
    top = float(scale_max if scale_max is not None else largest(groups)) or 1.0
    parts: list[SafeString] = []
    y = 0
    for group in groups:
        for line in wrap(group.label):
            parts.append(format_html('<text x="0" y="{}" font-size="11" font-weight="bold">{}</text>', y + 11, line))
            y += LINE_HEIGHT
        y += GAP
        for index, value in enumerate(group.values):
            kind = series[index]
            if value is None:
                parts.append(format_html('<text x="0" y="{}" font-size="10">{}: {}</text>', y + 11, kind.label,
                                         missing))  # fmt: skip
            else:
                width = max(round(float(value) / top * BAR_AREA, 1), 0.5)
                bar = format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" fill="{}" stroke="#000" stroke-width="0.5" '
                    'data-series="{}" data-value="{}"/><text x="{}" y="{}" font-size="10">{}: {}{}</text>',
                    y, width, BAR_HEIGHT, kind.colour, kind.key, value, width + 4, y + 11, kind.label,
                    _number(value), unit,
                )  # fmt: skip
                parts.append(bar)
            y += BAR_HEIGHT + GAP
        y += GAP
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    legend = format_html_join(
        "",
        '<li class="app-chart-legend__item" data-series="{}"><svg class="app-chart-legend__swatch" width="14" '
        'height="14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill="{}" stroke="#000" '
        'stroke-width="0.5"/></svg>{}</li>',
        ((kind.key, kind.colour, kind.label) for kind in series),
    )
    svg = format_html(
        '<svg class="app-chart" id="{}" role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        chart_id, title_id, desc_id, WIDTH, max(y, 20), title_id, title, desc_id, description,
        format_html_join("", "{}", ((part,) for part in parts)),
    )  # fmt: skip
    return format_html(
        '<figure class="app-chart-figure"><figcaption class="app-chart-figure__title">{}</figcaption>'
        '<ul class="app-chart-legend" aria-label="Legenda">{}</ul>{}</figure>',
        title, legend, svg,
    )  # fmt: skip

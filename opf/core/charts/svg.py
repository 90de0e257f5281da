"""The SVG building blocks every kind of chart shares: stable ids, number labels,
tick values, the opening of the drawing, axes, x labels, legends, links and the
wrapper that hides the drawing from assistive technology in a chart of links."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Sequence

from django.utils.html import escape
from django.utils.text import slugify

from opf.core.charts.figure import GRID, INK, MUTED, PALETTE, Series

FONT = 'font-family="sans-serif"'


def ident(title: str, *parts: object) -> str:
    digest = hashlib.sha1(repr((title, parts)).encode(), usedforsecurity=False).hexdigest()[:8]
    return f"chart-{slugify(title)[:40] or 'x'}-{digest}"


def num(value: float) -> str:
    """A compact label for an axis value."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def cell_text(value: float | None) -> str:
    return "" if value is None else num(round(value, 2))


def nice_ticks(low: float, high: float, count: int = 5, *, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high] (1-2-5 steps); whole steps for counts."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    if integer:
        raw = max(raw, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    steps = (1, 2, 5, 10) if integer and magnitude < 10 else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in steps if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value < high + step * 0.999:
        ticks.append(round(value, 10))
        value += step
    return ticks


def open_svg(
    chart_id: str, title: str, desc: str, width: int, height: int, *, linked: bool = False
) -> str:
    """The SVG's start: an image, or (``linked``) a group of links named like one."""
    role = "group" if linked else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{role}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" {FONT} font-size="11">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="{width / 2:.1f}" y="16" text-anchor="middle" font-size="13" '
        f'font-weight="bold" fill="{INK}" aria-hidden="true">{escape(title)}</text>'
    )


def drawing(markup: str, linked: bool) -> str:
    """Axes, labels and unlinked marks: hidden from assistive technology in a chart
    of links (the links and the data table carry the content), as is in an image."""
    return f'<g aria-hidden="true">{markup}</g>' if linked and markup else markup


def link(href: str, name: str, markup: str) -> str:
    return f'<a href="{escape(href)}" aria-label="{escape(name)}">{markup}</a>'


def axis_labels(
    x_label: str, y_label: str, box: tuple[float, float, float, float], extra: int = 0
) -> str:
    left, top, right, bottom = box
    return (
        f'<text x="{(left + right) / 2:.1f}" y="{bottom + 34 + extra:.1f}" text-anchor="middle" '
        f'fill="{INK}" class="axis-label">{escape(x_label)}</text>'
        f'<text x="12" y="{(top + bottom) / 2:.1f}" text-anchor="middle" fill="{INK}" '
        f'class="axis-label" transform="rotate(-90 12 {(top + bottom) / 2:.1f})">'
        f"{escape(y_label)}</text>"
    )


def y_axis(ticks: list[float], scale, box: tuple[float, float, float, float]) -> str:
    left, _top, right, _bottom = box
    out = []
    for tick in ticks:
        y = scale(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{num(tick)}</text>"
        )
    return "".join(out)


def whole(values: Iterable[float | None]) -> bool:
    return all(float(v).is_integer() for v in values if v is not None)


def label_room(labels: Sequence[str], slot: float) -> int:
    """Extra height the x labels need: 0 when they fit side by side, else room to slant them."""
    longest = max((len(label) for label in labels), default=0) * 6.2
    return 0 if longest <= slot - 4 else int(min(longest * 0.6, 90))


def x_labels(labels: Sequence[str], xs: Sequence[float], bottom: float, slot: float) -> str:
    if not labels:
        return ""
    slanted = label_room(labels, slot) > 0
    every = max(1, math.ceil(14 / max(slot, 1))) if slanted else 1
    out = []
    for i, (label, x) in enumerate(zip(labels, xs, strict=False)):
        if i % every and i != len(labels) - 1:
            continue
        if slanted:
            y = bottom + 12
            out.append(
                f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="end" fill="{MUTED}" '
                f'transform="rotate(-35 {x:.1f} {y:.1f})">{escape(label)}</text>'
            )
        else:
            out.append(
                f'<text x="{x:.1f}" y="{bottom + 16:.1f}" text-anchor="middle" '
                f'fill="{MUTED}">{escape(label)}</text>'
            )
    return "".join(out)


def legend(labels: Sequence[str], colours: Sequence[str], x: float, y: float) -> str:
    out = []
    for label, colour in zip(labels, colours, strict=True):
        out.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.1f}" y="{y:.1f}" fill="{INK}">{escape(label)}</text>'
        )
        x += 24 + 6.5 * len(label)
    return "".join(out)


def colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]

"""Server-side SVG charts: the same markup in pages and in WeasyPrint PDFs.

Three kinds, each a function returning a :class:`Chart`:

- :func:`line_chart` — run charts with several series, optional horizontal
  reference lines (centre line, natural process limits, targets) and marked
  points (out-of-control signals);
- :func:`bar_chart` — grouped or stacked bars;
- :func:`heatmap` — a grid of cells coloured by value (process areas x org units).

A ``Chart`` renders (``{{ chart }}`` in a template, or ``chart.html()``) as a
``<figure>`` holding the SVG (``role="img"``, ``aria-labelledby`` its
``<title>`` and ``<desc>``, axis labels as text) and the accessible data
table behind it in a ``<details>``. A chart whose bars, cells or labels link
somewhere is not an image (an image's content cannot be interactive): it is a
``role="group"`` of named links, with the drawing around them hidden from
assistive technology (the data table says the same). ``chart.svg`` and
``chart.table`` give the parts alone. No scripts, no ``style=`` attributes
(our CSP blocks them), no CSS variables and no external references: colours
are SVG presentation attributes, so the print stylesheet needs nothing.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK = "#1d2430"
MUTED = "#5b6576"
GRID = "#d9dee7"
SIGNAL = "#b3261e"
# Heat map steps, light to dark (sequential blues); text turns white on the dark half.
HEAT = ("#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
# Two-step scale for yes/no grids (e.g. not satisfied / satisfied): orange and blue.
BINARY = ("#fdb863", "#2166ac")
EMPTY = "#ffffff"

FONT = 'font-family="sans-serif"'


@dataclass(frozen=True)
class Series:
    """One line (or one bar colour): a label and a value per x position (None = gap)."""

    label: str
    values: Sequence[float | None]
    colour: str | None = None
    marked: frozenset[int] = frozenset()  # x positions drawn as signal markers


@dataclass(frozen=True)
class RefLine:
    """A horizontal line across the plot: a limit, centre line or target."""

    value: float
    label: str
    dashed: bool = True
    colour: str = MUTED


@dataclass(frozen=True)
class Cell:
    """One heat-map cell: the value that picks the colour, its text and an optional link."""

    value: float | None
    text: str = ""
    href: str = ""


@dataclass
class DataTable:
    """The accessible table behind a chart."""

    caption: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def html(self) -> SafeString:
        head = "".join(format_html('<th scope="col">{}</th>', c) for c in self.columns)
        body = "".join(
            "<tr>"
            + format_html('<th scope="row">{}</th>', row[0])
            + "".join(format_html("<td>{}</td>", v) for v in row[1:])
            + "</tr>"
            for row in self.rows
        )
        return mark_safe(  # noqa: S308 - every piece above is escaped
            f'<table class="table compact"><caption>{escape(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )


@dataclass
class Chart:
    title: str
    svg: SafeString
    table: DataTable

    def html(self) -> SafeString:
        return format_html(
            '<figure class="chart">{}<details class="chart-data"><summary>{}</summary>{}'
            "</details></figure>",
            self.svg,
            _("Data table"),
            self.table.html(),
        )

    def __html__(self) -> str:
        return str(self.html())

    def __str__(self) -> str:
        return str(self.html())


# --- helpers -------------------------------------------------------------------------


def _ident(title: str, *parts: object) -> str:
    digest = hashlib.sha1(repr((title, parts)).encode(), usedforsecurity=False).hexdigest()[:8]
    return f"chart-{slugify(title)[:40] or 'x'}-{digest}"


def _num(value: float) -> str:
    """A compact label for an axis value."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _cell(value: float | None) -> str:
    return "" if value is None else _num(round(value, 2))


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


def _open(
    ident: str, title: str, desc: str, width: int, height: int, *, linked: bool = False
) -> str:
    """The SVG's start: an image, or (``linked``) a group of links named like one."""
    role = "group" if linked else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="{role}" '
        f'aria-labelledby="{ident}-title {ident}-desc" {FONT} font-size="11">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="{width / 2:.1f}" y="16" text-anchor="middle" font-size="13" '
        f'font-weight="bold" fill="{INK}" aria-hidden="true">{escape(title)}</text>'
    )


def _drawing(markup: str, linked: bool) -> str:
    """Axes, labels and unlinked marks: hidden from assistive technology in a chart
    of links (the links and the data table carry the content), as is in an image."""
    return f'<g aria-hidden="true">{markup}</g>' if linked and markup else markup


def _link(href: str, name: str, markup: str) -> str:
    return f'<a href="{escape(href)}" aria-label="{escape(name)}">{markup}</a>'


def _axis_labels(
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


def _y_axis(ticks: list[float], scale, box: tuple[float, float, float, float]) -> str:
    left, _top, right, _bottom = box
    out = []
    for tick in ticks:
        y = scale(tick)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{_num(tick)}</text>"
        )
    return "".join(out)


def _whole(values: Iterable[float | None]) -> bool:
    return all(float(v).is_integer() for v in values if v is not None)


def label_room(labels: Sequence[str], slot: float) -> int:
    """Extra height the x labels need: 0 when they fit side by side, else room to slant them."""
    longest = max((len(label) for label in labels), default=0) * 6.2
    return 0 if longest <= slot - 4 else int(min(longest * 0.6, 90))


def _x_labels(labels: Sequence[str], xs: Sequence[float], bottom: float, slot: float) -> str:
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


def _legend(labels: Sequence[str], colours: Sequence[str], x: float, y: float) -> str:
    out = []
    for label, colour in zip(labels, colours, strict=True):
        out.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.1f}" y="{y:.1f}" fill="{INK}">{escape(label)}</text>'
        )
        x += 24 + 6.5 * len(label)
    return "".join(out)


def _colours(series: Sequence[Series]) -> list[str]:
    return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(series)]


# --- line / run chart ------------------------------------------------------------------


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    x_label: str,
    y_label: str,
    ref_lines: Iterable[RefLine] = (),
    width: int = 640,
    height: int = 300,
    y_min: float | None = None,
    y_max: float | None = None,
) -> Chart:
    """Lines over ordered x positions; ``Series.marked`` positions get a signal marker."""
    refs = list(ref_lines)
    values = [v for s in series for v in s.values if v is not None] + [r.value for r in refs]
    low = min(values, default=0.0) if y_min is None else y_min
    high = max(values, default=1.0) if y_max is None else y_max
    ticks = nice_ticks(low, high, integer=_whole(values))
    low, high = min(ticks[0], low), max(ticks[-1], high)
    n = max(len(x_labels), 1)
    extra = label_room(x_labels, (width - 166.0) / n)
    height += extra
    box = (56.0, 44.0, width - 110.0, height - 46.0 - extra)  # right margin for reference labels
    left, top, right, bottom = box
    xs = [left + (right - left) * (i + 0.5) / n for i in range(len(x_labels))]

    def y_of(v: float) -> float:
        return bottom - (v - low) / ((high - low) or 1) * (bottom - top)

    colours = _colours(series)
    ident = _ident(title, x_labels, [(s.label, list(s.values)) for s in series])
    desc = _("Line chart of %(y)s by %(x)s.") % {"y": y_label, "x": x_label}
    parts = [_open(ident, title, desc, width, height), _y_axis(ticks, y_of, box)]
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>'
        + _x_labels(x_labels, xs, bottom, (right - left) / n)
        + _axis_labels(x_label, y_label, box, extra)
    )
    for ref in refs:
        y = y_of(ref.value)
        dash = ' stroke-dasharray="5 4"' if ref.dashed else ""
        parts.append(
            f'<line class="ref" x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
            f'stroke="{ref.colour}"{dash}/>'
            f'<text x="{right + 4}" y="{y + 4:.1f}" fill="{ref.colour}">'
            f"{escape(ref.label)} {_num(round(ref.value, 2))}</text>"
        )
    for s, colour in zip(series, colours, strict=True):
        runs: list[list[str]] = [[]]
        for x, v in zip(xs, s.values, strict=False):
            if v is None:
                runs.append([])
            else:
                runs[-1].append(f"{x:.1f},{y_of(v):.1f}")
        for run in runs:
            if len(run) > 1:
                parts.append(
                    f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                    f'points="{" ".join(run)}"/>'
                )
        for i, (x, v) in enumerate(zip(xs, s.values, strict=False)):
            if v is None:
                continue
            if i in s.marked:
                parts.append(
                    f'<circle class="signal" cx="{x:.1f}" cy="{y_of(v):.1f}" r="5" '
                    f'fill="{SIGNAL}" stroke="#ffffff"><title>{escape(s.label)} '
                    f"{escape(x_labels[i])}: {_cell(v)} ({escape(_('signal'))})</title></circle>"
                )
            else:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y_of(v):.1f}" r="3" fill="{colour}">'
                    f"<title>{escape(s.label)} {escape(x_labels[i])}: {_cell(v)}</title></circle>"
                )
    if len(series) > 1 or refs:
        parts.append(_legend([s.label for s in series], colours, left, top - 12))
    parts.append("</svg>")

    table = DataTable(title, [x_label, *(s.label for s in series)])
    for i, label in enumerate(x_labels):
        row = [label]
        for s in series:
            v = s.values[i] if i < len(s.values) else None
            text = _cell(v)
            if i in s.marked:
                text = f"{text} ({_('signal')})"
            row.append(text)
        table.rows.append(row)
    for ref in refs:
        table.rows.append([ref.label, *([_cell(ref.value)] * len(series))])
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 - escaped above


# --- bar chart ---------------------------------------------------------------------------


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    x_label: str,
    y_label: str,
    stacked: bool = False,
    width: int = 640,
    height: int = 300,
    hrefs: Sequence[str] = (),
) -> Chart:
    """Bars per category: side by side, or ``stacked``. ``hrefs`` link each category."""
    colours = _colours(series)

    def val(s: Series, i: int) -> float:
        v = s.values[i] if i < len(s.values) else None
        return v or 0.0

    if stacked:
        tops = [sum(val(s, i) for s in series) for i in range(len(categories))]
    else:
        tops = [val(s, i) for s in series for i in range(len(categories))]
    ticks = nice_ticks(0, max(tops, default=1.0) or 1.0, integer=_whole(tops))
    high = ticks[-1]
    n = max(len(categories), 1)
    extra = label_room(categories, (width - 72.0) / n)
    height += extra
    box = (56.0, 44.0, width - 16.0, height - 46.0 - extra)
    left, top, right, bottom = box
    slot = (right - left) / n

    def y_of(v: float) -> float:
        return bottom - v / (high or 1) * (bottom - top)

    ident = _ident(title, categories, [(s.label, list(s.values)) for s in series])
    desc = _("Bar chart of %(y)s by %(x)s.") % {"y": y_label, "x": x_label}
    linked = any(hrefs[: len(categories)])
    parts = [_open(ident, title, desc, width, height, linked=linked)]
    xs = [left + slot * (i + 0.5) for i in range(len(categories))]
    parts.append(
        _drawing(
            _y_axis(ticks, y_of, box)
            + f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>'
            + _x_labels(categories, xs, bottom, slot)
            + _axis_labels(x_label, y_label, box, extra),
            linked,
        )
    )
    bar_w = slot * 0.7 if stacked else slot * 0.7 / max(len(series), 1)
    for i, category in enumerate(categories):
        x0 = left + slot * i + slot * 0.15
        base = 0.0
        bars = []
        for j, (s, colour) in enumerate(zip(series, colours, strict=True)):
            v = val(s, i)
            if stacked:
                y1, y2, x = y_of(base + v), y_of(base), x0
                base += v
            else:
                y1, y2, x = y_of(v), y_of(0), x0 + bar_w * j
            if v:
                bars.append(
                    f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar_w:.1f}" '
                    f'height="{max(y2 - y1, 0):.1f}" fill="{colour}">'
                    f"<title>{escape(category)} · {escape(s.label)}: {_cell(v)}</title></rect>"
                )
        markup = "".join(bars)
        if i < len(hrefs) and hrefs[i]:
            # The whole column is the link (a zero or thin bar is still easy to hit),
            # named by its category and values.
            hit = (
                f'<rect class="hit" x="{left + slot * i:.1f}" y="{top:.1f}" '
                f'width="{slot:.1f}" height="{bottom - top:.1f}" fill="#ffffff" '
                f'fill-opacity="0"/>'
            )
            if len(series) == 1:
                values = _cell(val(series[0], i))
            else:
                values = ", ".join(f"{s.label} {_cell(val(s, i))}" for s in series)
            name = _("%(category)s: %(values)s") % {"category": category, "values": values}
            parts.append(_link(hrefs[i], name, hit + markup))
        else:
            parts.append(_drawing(markup, linked))
    if len(series) > 1:
        legend = _legend([s.label for s in series], colours, left, top - 12)
        parts.append(_drawing(legend, linked))
    parts.append("</svg>")

    columns = [x_label, *(s.label for s in series)] + ([_("Total")] if stacked else [])
    table = DataTable(title, columns)
    for i, category in enumerate(categories):
        row = [category, *(_cell(val(s, i)) for s in series)]
        if stacked:
            row.append(_cell(sum(val(s, i) for s in series)))
        table.rows.append(row)
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 - escaped above


# --- heat map ----------------------------------------------------------------------------


def heat_colour(value: float | None, low: float, high: float, palette: Sequence[str] = HEAT) -> str:
    """The fill for ``value`` on the scale ``palette`` (light to dark) from ``low`` to ``high``."""
    if value is None:
        return EMPTY
    if high <= low:
        return palette[-1]
    step = (value - low) / (high - low) * (len(palette) - 1)
    return palette[max(0, min(len(palette) - 1, round(step)))]


def is_dark(colour: str) -> bool:
    """Whether white text reads better than ink on ``colour`` (#rrggbb)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.5


def heatmap(
    title: str,
    rows: Sequence[str],
    columns: Sequence[str],
    cells: Mapping[tuple[int, int], Cell],
    *,
    x_label: str,
    y_label: str,
    low: float | None = None,
    high: float | None = None,
    cell_width: int = 44,
    cell_height: int = 22,
    row_hrefs: Sequence[str] = (),
    palette: Sequence[str] = HEAT,
) -> Chart:
    """A grid: ``cells[(row index, column index)]``; missing cells are blank."""
    values = [c.value for c in cells.values() if c.value is not None]
    low = min(values, default=0.0) if low is None else low
    high = max(values, default=1.0) if high is None else high
    label_w = max([len(r) for r in rows] + [8]) * 6.5 + 16
    left, top = label_w + 20, 56.0
    width = int(left + cell_width * max(len(columns), 1) + 16)
    height = int(top + cell_height * max(len(rows), 1) + 50)
    ident = _ident(title, rows, columns, sorted((k, c.value) for k, c in cells.items()))
    desc = _("Grid of %(y)s by %(x)s; darker cells mean higher values.") % {
        "y": y_label,
        "x": x_label,
    }
    linked = any(row_hrefs[: len(rows)]) or any(c.href for c in cells.values())
    parts = [_open(ident, title, desc, width, height, linked=linked)]
    column_labels = "".join(
        f'<text x="{left + cell_width * (j + 0.5):.1f}" y="{top - 6}" text-anchor="middle" '
        f'fill="{MUTED}">{escape(column)}</text>'
        for j, column in enumerate(columns)
    )
    parts.append(_drawing(column_labels, linked))
    for i, row in enumerate(rows):
        y = top + cell_height * i
        label = (
            f'<text x="{left - 6}" y="{y + cell_height / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{INK}">{escape(row)}</text>'
        )
        if i < len(row_hrefs) and row_hrefs[i]:
            parts.append(_link(row_hrefs[i], row, label))
        else:
            parts.append(_drawing(label, linked))
        for j, column in enumerate(columns):
            cell = cells.get((i, j), Cell(None))
            fill = heat_colour(cell.value, low, high, palette)
            dark = is_dark(fill)
            x = left + cell_width * j
            markup = (
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_width - 2}" '
                f'height="{cell_height - 2}" fill="{fill}" stroke="{GRID}">'
                f"<title>{escape(row)} · {escape(column)}: "
                f"{escape(cell.text or '—')}</title></rect>"
            )
            if cell.text:
                markup += (
                    f'<text x="{x + (cell_width - 2) / 2:.1f}" y="{y + cell_height / 2 + 3:.1f}" '
                    f'text-anchor="middle" font-size="10" '
                    f'fill="{"#ffffff" if dark else INK}">{escape(cell.text)}</text>'
                )
            if cell.href:
                name = f"{row} · {column}: {cell.text or '—'}"
                parts.append(_link(cell.href, name, markup))
            else:
                parts.append(_drawing(markup, linked))
    bottom = top + cell_height * len(rows)
    axis_labels = (
        f'<text x="{left + cell_width * len(columns) / 2:.1f}" y="{bottom + 30:.1f}" '
        f'text-anchor="middle" fill="{INK}" class="axis-label">{escape(x_label)}</text>'
        f'<text x="12" y="{(top + bottom) / 2:.1f}" text-anchor="middle" fill="{INK}" '
        f'class="axis-label" transform="rotate(-90 12 {(top + bottom) / 2:.1f})">'
        f"{escape(y_label)}</text>"
    )
    parts.append(_drawing(axis_labels, linked) + "</svg>")
    table = DataTable(title, [y_label, *columns])
    for i, row in enumerate(rows):
        table.rows.append(
            [row, *((cells.get((i, j)) or Cell(None)).text for j in range(len(columns)))]
        )
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 - escaped above

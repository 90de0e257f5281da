"""Bar charts: a column per category with the series' bars side by side or stacked,
each column optionally a link, with the data table behind them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from opf.core.charts import svg
from opf.core.charts.figure import INK, Chart, DataTable, Series


def _value(s: Series, i: int) -> float:
    """The series' value in category ``i``; missing and None count as 0."""
    v = s.values[i] if i < len(s.values) else None
    return v or 0.0


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
    colours = svg.colours(series)
    if stacked:
        tops = [sum(_value(s, i) for s in series) for i in range(len(categories))]
    else:
        tops = [_value(s, i) for s in series for i in range(len(categories))]
    ticks = svg.nice_ticks(0, max(tops, default=1.0) or 1.0, integer=svg.whole(tops))
    high = ticks[-1]
    n = max(len(categories), 1)
    extra = svg.label_room(categories, (width - 72.0) / n)
    height += extra
    box = (56.0, 44.0, width - 16.0, height - 46.0 - extra)
    left, top, right, bottom = box
    slot = (right - left) / n

    def y_of(v: float) -> float:
        return bottom - v / (high or 1) * (bottom - top)

    chart_id = svg.ident(title, categories, [(s.label, list(s.values)) for s in series])
    desc = _("Bar chart of %(y)s by %(x)s.") % {"y": y_label, "x": x_label}
    linked = any(hrefs[: len(categories)])
    parts = [svg.open_svg(chart_id, title, desc, width, height, linked=linked)]
    xs = [left + slot * (i + 0.5) for i in range(len(categories))]
    parts.append(
        svg.drawing(
            svg.y_axis(ticks, y_of, box)
            + f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>'
            + svg.x_labels(categories, xs, bottom, slot)
            + svg.axis_labels(x_label, y_label, box, extra),
            linked,
        )
    )
    bar_w = slot * 0.7 if stacked else slot * 0.7 / max(len(series), 1)
    for i, category in enumerate(categories):
        x0 = left + slot * i + slot * 0.15
        markup = _column_bars(series, colours, i, category, x0, bar_w, stacked, y_of)
        if i < len(hrefs) and hrefs[i]:
            parts.append(_column_link(series, i, category, hrefs[i], box, slot, markup))
        else:
            parts.append(svg.drawing(markup, linked))
    if len(series) > 1:
        legend = svg.legend([s.label for s in series], colours, left, top - 12)
        parts.append(svg.drawing(legend, linked))
    parts.append("</svg>")
    table = _bar_table(title, categories, series, x_label, stacked)
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 - escaped above


def _column_bars(
    series: Sequence[Series],
    colours: Sequence[str],
    i: int,
    category: str,
    x0: float,
    bar_w: float,
    stacked: bool,
    y_of: Callable[[float], float],
) -> str:
    """The bars of category ``i`` from ``x0``: one on another, or side by side."""
    base = 0.0
    bars = []
    for j, (s, colour) in enumerate(zip(series, colours, strict=True)):
        v = _value(s, i)
        if stacked:
            y1, y2, x = y_of(base + v), y_of(base), x0
            base += v
        else:
            y1, y2, x = y_of(v), y_of(0), x0 + bar_w * j
        if v:
            bars.append(
                f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar_w:.1f}" '
                f'height="{max(y2 - y1, 0):.1f}" fill="{colour}">'
                f"<title>{escape(category)} · {escape(s.label)}: {svg.cell_text(v)}</title></rect>"
            )
    return "".join(bars)


def _column_link(
    series: Sequence[Series],
    i: int,
    category: str,
    href: str,
    box: tuple[float, float, float, float],
    slot: float,
    markup: str,
) -> str:
    """The whole column is the link (a zero or thin bar is still easy to hit), named
    by its category and values."""
    left, top, _right, bottom = box
    hit = (
        f'<rect class="hit" x="{left + slot * i:.1f}" y="{top:.1f}" '
        f'width="{slot:.1f}" height="{bottom - top:.1f}" fill="#ffffff" '
        f'fill-opacity="0"/>'
    )
    if len(series) == 1:
        values = svg.cell_text(_value(series[0], i))
    else:
        values = ", ".join(f"{s.label} {svg.cell_text(_value(s, i))}" for s in series)
    name = _("%(category)s: %(values)s") % {"category": category, "values": values}
    return svg.link(href, name, hit + markup)


def _bar_table(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    stacked: bool,
) -> DataTable:
    """A row per category; stacked bars add each category's total."""
    columns = [x_label, *(s.label for s in series)] + ([_("Total")] if stacked else [])
    table = DataTable(title, columns)
    for i, category in enumerate(categories):
        row = [category, *(svg.cell_text(_value(s, i)) for s in series)]
        if stacked:
            row.append(svg.cell_text(sum(_value(s, i) for s in series)))
        table.rows.append(row)
    return table

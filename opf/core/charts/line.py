"""Line (run) charts: several series over ordered x positions, horizontal reference
lines (centre line, natural process limits, targets) and signal markers on
out-of-control points, with the data table behind them."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from opf.core.charts import svg
from opf.core.charts.figure import INK, SIGNAL, Chart, DataTable, RefLine, Series


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
    x_marks: Iterable[tuple[float, str]] = (),
) -> Chart:
    """Lines over ordered x positions; ``Series.marked`` positions get a signal marker;
    each ``x_marks`` (position, label) is a labelled vertical line (a position may fall
    between two: 2.5 is halfway from the third to the fourth), e.g. a change's date."""
    refs = list(ref_lines)
    values = [v for s in series for v in s.values if v is not None] + [r.value for r in refs]
    low = min(values, default=0.0) if y_min is None else y_min
    high = max(values, default=1.0) if y_max is None else y_max
    ticks = svg.nice_ticks(low, high, integer=svg.whole(values))
    low, high = min(ticks[0], low), max(ticks[-1], high)
    n = max(len(x_labels), 1)
    extra = svg.label_room(x_labels, (width - 166.0) / n)
    height += extra
    box = (56.0, 44.0, width - 110.0, height - 46.0 - extra)  # right margin for reference labels
    left, top, right, bottom = box
    xs = [left + (right - left) * (i + 0.5) / n for i in range(len(x_labels))]

    def y_of(v: float) -> float:
        return bottom - (v - low) / ((high - low) or 1) * (bottom - top)

    colours = svg.colours(series)
    chart_id = svg.ident(title, x_labels, [(s.label, list(s.values)) for s in series])
    desc = _("Line chart of %(y)s by %(x)s.") % {"y": y_label, "x": x_label}
    parts = [svg.open_svg(chart_id, title, desc, width, height), svg.y_axis(ticks, y_of, box)]
    parts.append(
        f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="{INK}"/>'
        + svg.x_labels(x_labels, xs, bottom, (right - left) / n)
        + svg.axis_labels(x_label, y_label, box, extra)
    )
    parts += _ref_lines(refs, y_of, left, right)
    for position, label in x_marks:
        x = left + (right - left) * (position + 0.5) / n
        parts.append(
            f'<line class="mark" x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" '
            f'stroke="{INK}" stroke-dasharray="2 3"/>'
            f'<text x="{x + 3:.1f}" y="{top + 10}" fill="{INK}">{escape(label)}</text>'
        )
    for s, colour in zip(series, colours, strict=True):
        parts += _series_lines(s, colour, xs, y_of)
        parts += _series_points(s, colour, xs, x_labels, y_of)
    if len(series) > 1 or refs:
        parts.append(svg.legend([s.label for s in series], colours, left, top - 12))
    parts.append("</svg>")
    table = _line_table(title, x_labels, series, refs, x_label)
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 - escaped above


def _ref_lines(
    refs: list[RefLine], y_of: Callable[[float], float], left: float, right: float
) -> list[str]:
    """Each reference line across the plot, labelled with its value in the right margin."""
    parts = []
    for ref in refs:
        y = y_of(ref.value)
        dash = ' stroke-dasharray="5 4"' if ref.dashed else ""
        parts.append(
            f'<line class="ref" x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" '
            f'stroke="{ref.colour}"{dash}/>'
            f'<text x="{right + 4}" y="{y + 4:.1f}" fill="{ref.colour}">'
            f"{escape(ref.label)} {svg.num(round(ref.value, 2))}</text>"
        )
    return parts


def _series_lines(
    s: Series, colour: str, xs: Sequence[float], y_of: Callable[[float], float]
) -> list[str]:
    """The series' polylines: a gap (None) ends one and starts the next."""
    runs: list[list[str]] = [[]]
    for x, v in zip(xs, s.values, strict=False):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(f"{x:.1f},{y_of(v):.1f}")
    return [
        f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(run)}"/>'
        for run in runs
        if len(run) > 1
    ]


def _series_points(
    s: Series,
    colour: str,
    xs: Sequence[float],
    x_labels: Sequence[str],
    y_of: Callable[[float], float],
) -> list[str]:
    """A dot per value, a larger signal marker on the ``marked`` positions."""
    parts = []
    for i, (x, v) in enumerate(zip(xs, s.values, strict=False)):
        if v is None:
            continue
        if i in s.marked:
            parts.append(
                f'<circle class="signal" cx="{x:.1f}" cy="{y_of(v):.1f}" r="5" '
                f'fill="{SIGNAL}" stroke="#ffffff"><title>{escape(s.label)} '
                f"{escape(x_labels[i])}: {svg.cell_text(v)} ({escape(_('signal'))})</title>"
                "</circle>"
            )
        else:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y_of(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(s.label)} {escape(x_labels[i])}: {svg.cell_text(v)}</title>"
                "</circle>"
            )
    return parts


def _line_table(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    refs: list[RefLine],
    x_label: str,
) -> DataTable:
    """A row per x position (signals noted), then a row per reference line."""
    table = DataTable(title, [x_label, *(s.label for s in series)])
    for i, label in enumerate(x_labels):
        row = [label]
        for s in series:
            v = s.values[i] if i < len(s.values) else None
            text = svg.cell_text(v)
            if i in s.marked:
                text = f"{text} ({_('signal')})"
            row.append(text)
        table.rows.append(row)
    for ref in refs:
        table.rows.append([ref.label, *([svg.cell_text(ref.value)] * len(series))])
    return table

"""Heat maps: a grid of cells coloured by value on a light-to-dark scale (process
areas by org units, say), rows and cells optionally links, with the data table
behind them; and the colour helpers the grid and its callers use."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from opf.core.charts import svg
from opf.core.charts.figure import (
    EMPTY,
    GRID,
    HEAT,
    INK,
    MUTED,
    Cell,
    Chart,
    DataTable,
)


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


@dataclass(frozen=True)
class _Grid:
    """Where the cells sit and how their values map to colours."""

    left: float
    top: float
    cell_width: int
    cell_height: int
    low: float
    high: float
    palette: Sequence[str]
    linked: bool


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
    chart_id = svg.ident(title, rows, columns, sorted((k, c.value) for k, c in cells.items()))
    desc = _("Grid of %(y)s by %(x)s; darker cells mean higher values.") % {
        "y": y_label,
        "x": x_label,
    }
    linked = any(row_hrefs[: len(rows)]) or any(c.href for c in cells.values())
    grid = _Grid(left, top, cell_width, cell_height, low, high, palette, linked)
    parts = [svg.open_svg(chart_id, title, desc, width, height, linked=linked)]
    column_labels = "".join(
        f'<text x="{left + cell_width * (j + 0.5):.1f}" y="{top - 6}" text-anchor="middle" '
        f'fill="{MUTED}">{escape(column)}</text>'
        for j, column in enumerate(columns)
    )
    parts.append(svg.drawing(column_labels, linked))
    for i, row in enumerate(rows):
        href = row_hrefs[i] if i < len(row_hrefs) else ""
        parts += _grid_row(grid, i, row, href, columns, cells)
    bottom = top + cell_height * len(rows)
    axis_labels = (
        f'<text x="{left + cell_width * len(columns) / 2:.1f}" y="{bottom + 30:.1f}" '
        f'text-anchor="middle" fill="{INK}" class="axis-label">{escape(x_label)}</text>'
        f'<text x="12" y="{(top + bottom) / 2:.1f}" text-anchor="middle" fill="{INK}" '
        f'class="axis-label" transform="rotate(-90 12 {(top + bottom) / 2:.1f})">'
        f"{escape(y_label)}</text>"
    )
    parts.append(svg.drawing(axis_labels, linked) + "</svg>")
    table = DataTable(title, [y_label, *columns])
    for i, row in enumerate(rows):
        table.rows.append(
            [row, *((cells.get((i, j)) or Cell(None)).text for j in range(len(columns)))]
        )
    return Chart(title, mark_safe("".join(parts)), table)  # noqa: S308 - escaped above


def _grid_row(
    grid: _Grid,
    i: int,
    row: str,
    href: str,
    columns: Sequence[str],
    cells: Mapping[tuple[int, int], Cell],
) -> list[str]:
    """Row ``i``: its label (a link with ``href``), then its cells (each maybe a link)."""
    y = grid.top + grid.cell_height * i
    label = (
        f'<text x="{grid.left - 6}" y="{y + grid.cell_height / 2 + 4:.1f}" text-anchor="end" '
        f'fill="{INK}">{escape(row)}</text>'
    )
    parts = [svg.link(href, row, label) if href else svg.drawing(label, grid.linked)]
    for j, column in enumerate(columns):
        cell = cells.get((i, j), Cell(None))
        markup = _cell(grid, cell, row, column, grid.left + grid.cell_width * j, y)
        if cell.href:
            name = f"{row} · {column}: {cell.text or '—'}"
            parts.append(svg.link(cell.href, name, markup))
        else:
            parts.append(svg.drawing(markup, grid.linked))
    return parts


def _cell(grid: _Grid, cell: Cell, row: str, column: str, x: float, y: float) -> str:
    """One cell's square, filled by its value, named in its tooltip, with its text."""
    fill = heat_colour(cell.value, grid.low, grid.high, grid.palette)
    dark = is_dark(fill)
    markup = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{grid.cell_width - 2}" '
        f'height="{grid.cell_height - 2}" fill="{fill}" stroke="{GRID}">'
        f"<title>{escape(row)} · {escape(column)}: "
        f"{escape(cell.text or '—')}</title></rect>"
    )
    if cell.text:
        markup += (
            f'<text x="{x + (grid.cell_width - 2) / 2:.1f}" '
            f'y="{y + grid.cell_height / 2 + 3:.1f}" '
            f'text-anchor="middle" font-size="11" '
            f'fill="{"#ffffff" if dark else INK}">{escape(cell.text)}</text>'
        )
    return markup

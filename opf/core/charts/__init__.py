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

The package holds :mod:`~opf.core.charts.figure` (colours, the data a chart draws,
the data table and the ``Chart``), :mod:`~opf.core.charts.svg` (the shared SVG
building blocks) and one module per kind (``line``, ``bar``, ``heat``); callers
import everything from here.
"""

from opf.core.charts.bar import bar_chart
from opf.core.charts.figure import (
    BINARY,
    EMPTY,
    GRID,
    HEAT,
    INK,
    MUTED,
    PALETTE,
    SIGNAL,
    Cell,
    Chart,
    DataTable,
    RefLine,
    Series,
)
from opf.core.charts.heat import heat_colour, heatmap, is_dark
from opf.core.charts.line import line_chart
from opf.core.charts.svg import FONT, label_room, nice_ticks

__all__ = [
    "BINARY",
    "EMPTY",
    "FONT",
    "GRID",
    "HEAT",
    "INK",
    "MUTED",
    "PALETTE",
    "SIGNAL",
    "Cell",
    "Chart",
    "DataTable",
    "RefLine",
    "Series",
    "bar_chart",
    "heat_colour",
    "heatmap",
    "is_dark",
    "label_room",
    "line_chart",
    "nice_ticks",
]

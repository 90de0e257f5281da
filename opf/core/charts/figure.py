"""What a chart is made of and how it shows: the colours, the data it draws (series,
reference lines, heat-map cells), the accessible data table behind it and the
:class:`Chart` that renders both as one ``<figure>``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
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

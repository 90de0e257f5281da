"""SVG charts: accessible markup, escaping, no CSP-blocked styles, data tables."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from opf.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def _svg(chart: charts.Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own markup


def test_line_chart_is_accessible_and_marks_signals() -> None:
    chart = charts.line_chart(
        "Defects <per> month",
        ["Jan", "Feb", "Mar"],
        [charts.Series("Defects", [3, None, 5], marked=frozenset({2}))],
        x_label="Month",
        y_label="Defects",
        ref_lines=[charts.RefLine(6.5, "UCL")],
    )
    root = _svg(chart)  # well-formed XML (WeasyPrint parses it the same way)
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Defects <per> month"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Month" in texts and "Defects" in texts  # axis labels
    signals = [c for c in root.iter(f"{SVG}circle") if c.get("class") == "signal"]
    assert len(signals) == 1
    assert [r.get("class") for r in root.iter(f"{SVG}line")].count("ref") == 1
    html = str(chart)
    assert "style=" not in html and "var(--" not in html and "<script" not in html
    assert "&lt;per&gt;" in html
    assert chart.table.columns == ["Month", "Defects"]
    assert chart.table.rows[:3] == [["Jan", "3"], ["Feb", ""], ["Mar", "5 (signal)"]]
    assert chart.table.rows[3] == ["UCL", "6.5"]
    assert "<caption>Defects &lt;per&gt; month</caption>" in html


def test_stacked_bar_chart_totals_and_links() -> None:
    chart = charts.bar_chart(
        "Open items",
        ["A", "B"],
        [charts.Series("Late", [1, 0]), charts.Series("On time", [2, 4])],
        x_label="Plan",
        y_label="Items",
        stacked=True,
        hrefs=["/a/", ""],
    )
    root = _svg(chart)
    rects = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert len(rects) == 3  # zero-height bars are not drawn
    assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["/a/"]
    assert chart.table.rows == [["A", "1", "2", "3"], ["B", "0", "4", "4"]]


def test_heatmap_colours_by_value() -> None:
    chart = charts.heatmap(
        "Maturity",
        ["Unit 1", "Unit 2"],
        ["PP", "REQM"],
        {(0, 0): charts.Cell(1, "S", "/r/1/"), (1, 1): charts.Cell(0, "NS")},
        x_label="Process area",
        y_label="Org unit",
        low=0,
        high=1,
    )
    root = _svg(chart)
    fills = {
        r.find(f"{SVG}title").text: r.get("fill")
        for r in root.iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None
    }
    assert fills["Unit 1 · PP: S"] == charts.HEAT[-1]
    assert fills["Unit 2 · REQM: NS"] == charts.HEAT[0]
    assert charts.is_dark(charts.HEAT[-1]) and not charts.is_dark(charts.HEAT[0])
    assert fills["Unit 1 · REQM: —"] == charts.EMPTY
    assert chart.table.rows == [["Unit 1", "S", ""], ["Unit 2", "", "NS"]]


def test_ids_are_stable_for_the_same_data() -> None:
    def make() -> str:
        return str(
            charts.bar_chart("T", ["a"], [charts.Series("s", [1])], x_label="x", y_label="y")
        )

    assert make() == make()
    assert re.search(r'id="chart-t-[0-9a-f]{8}-title"', make())


def test_nice_ticks_cover_the_range() -> None:
    ticks = charts.nice_ticks(0, 7)
    assert ticks[0] <= 0 and ticks[-1] >= 7
    assert ticks == [0, 2, 4, 6, 8]
    assert charts.nice_ticks(0, 2) == [0, 0.5, 1, 1.5, 2]
    assert charts.nice_ticks(0, 2, integer=True) == [0, 1, 2]


def test_long_category_labels_are_slanted_and_the_chart_grows() -> None:
    short = charts.bar_chart(
        "T", ["A", "B"], [charts.Series("s", [1, 2])], x_label="x", y_label="y"
    )
    names = [f"A rather long org unit name {i}" for i in range(10)]
    long = charts.bar_chart("T", names, [charts.Series("s", [1] * 10)], x_label="x", y_label="y")
    assert "rotate(-35" not in str(short.svg) and "rotate(-35" in str(long.svg)
    assert int(_svg(long).get("height")) > int(_svg(short).get("height"))


def test_a_chart_with_links_is_a_group_of_named_links_not_an_image() -> None:
    """An image may not contain links (axe: nested-interactive / link-name): a chart
    whose marks link to records is a labelled group whose every link has a name, and
    its drawing is hidden from assistive technology; a chart without links stays an image."""
    linked = charts.bar_chart(
        "Open items",
        ["A", "B"],
        [charts.Series("Open", [2, 3])],
        x_label="Plan",
        y_label="Items",
        hrefs=["/plans/1/", "/plans/2/"],
    )
    root = _svg(linked)
    assert root.get("role") == "group"
    assert root.get("aria-labelledby")
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["/plans/1/", "/plans/2/"]
    assert all(a.get("aria-label") for a in links)  # every link is named
    hidden = [g for g in root.iter(f"{SVG}g") if g.get("aria-hidden") == "true"]
    assert hidden  # axes and labels
    assert not any(list(h.iter(f"{SVG}a")) for h in hidden)  # no link is hidden

    plain = charts.bar_chart(
        "Open items", ["A", "B"], [charts.Series("Open", [2, 3])], x_label="Plan", y_label="Items"
    )
    assert _svg(plain).get("role") == "img"
    assert not list(_svg(plain).iter(f"{SVG}a"))

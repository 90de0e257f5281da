"""``{% memo key %}``: a part repeated by many rows in a few variants is drawn once per
variant in one rendering, and every row still shows its own variant."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.template import Context, Template, TemplateSyntaxError

PAGE = Template(
    "{% load opf_ui %}{% for row in rows %}[{{ row.name }}:"
    "{% memo row.kinds %}{{ row.drawn }}{% endmemo %}]{% endfor %}"
)


@dataclass
class Row:
    name: str
    kinds: set[str]
    draws: list[str] = field(default_factory=list)

    @property
    def drawn(self) -> str:
        self.draws.append(self.name)
        return "+".join(sorted(self.kinds)) or "none"


def test_each_variant_is_drawn_once_and_repeated_for_its_rows():
    rows = [
        Row("a", {"D"}),
        Row("b", {"D"}),
        Row("c", set()),
        Row("d", {"A", "D"}),
        Row("e", {"D"}),
    ]
    html = PAGE.render(Context({"rows": rows}))
    assert html == "[a:D][b:D][c:none][d:A+D][e:D]"
    assert [row.name for row in rows if row.draws] == ["a", "c", "d"]


def test_a_new_rendering_draws_again():
    first, second = [Row("a", {"D"})], [Row("b", {"I"})]
    assert PAGE.render(Context({"rows": first})) == "[a:D]"
    assert PAGE.render(Context({"rows": second})) == "[b:I]"  # not the first page's "D"


def test_markup_in_the_body_stays_escaped_once():
    page = Template(
        "{% load opf_ui %}{% for v in values %}{% memo v %}<b>{{ v }}</b>{% endmemo %}{% endfor %}"
    )
    assert page.render(Context({"values": ["<i>", "<i>"]})) == "<b>&lt;i&gt;</b>" * 2


def test_memo_needs_a_key():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load opf_ui %}{% memo %}x{% endmemo %}")

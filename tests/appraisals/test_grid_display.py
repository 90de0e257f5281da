"""The characterization grid reads at a glance: one colour per value (FI/LI/PI/NI/NY),
"n of m characterized" and a legend for the evidence badges instead of "D? I? A?"."""

from __future__ import annotations

import re

import pytest

from appraisals.models import Characterization

pytestmark = pytest.mark.django_db


def test_the_grid_counts_characterized_cells_and_explains_its_badges(conducting, client_as):
    s = conducting
    first, second = s.practices[0], s.practices[1]
    Characterization.objects.create(
        appraisal=s.appraisal, practice=first, org_unit=s.unit, value="PI"
    )
    Characterization.objects.create(
        appraisal=s.appraisal, practice=second, org_unit=s.unit, value="NY"
    )
    html = client_as(s.member).get(f"/appraisals/{s.appraisal.pk}/grid/").content.decode()
    cells = len(re.findall(r'<td id="c-\d+-[up]\d+" class="cell"', html))
    assert cells >= 2
    # NY is "not yet": only the PI counts as characterized
    assert f"1 of {cells} characterized" in html
    assert f'<meter id="characterized-meter" min="0" max="{cells}" value="1"' in html
    pressed = re.findall(r'value="(\w\w)" class="small primary"', html)
    assert sorted(pressed) == ["NY", "PI"]  # coloured by value (forms.css)
    for value in ("FI", "LI", "PI", "NI", "NY"):
        assert f'<span class="badge char-{value}">{value}</span>' in html
    assert "D?" not in html and "A?" not in html
    assert 'id="evidence-legend"' in html and "direct artifact mapped" in html
    assert ": no direct artifact yet" in html  # spoken, not only struck through

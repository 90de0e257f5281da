from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from opf.core.ui.tables import ObjectTable
from opf.reference.models import Practice, ProcessArea, ReferenceModel


class ReferenceModelTable(ObjectTable):
    abbreviation = tables.Column(linkify=True)
    area_count = tables.Column(verbose_name=_("Process areas"))

    class Meta(ObjectTable.Meta):
        model = ReferenceModel
        fields = ("abbreviation", "name", "version", "area_count", "builtin")


class ProcessAreaTable(ObjectTable):
    abbreviation = tables.Column(linkify=True)
    reference_model = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ProcessArea
        fields = ("abbreviation", "name", "reference_model", "category", "maturity_level")


class PracticeTable(ObjectTable):
    code = tables.Column(linkify=True)
    process_area = tables.Column(
        linkify=True, accessor="process_area__abbreviation", verbose_name=_("Process area")
    )
    goal = tables.Column()

    class Meta(ObjectTable.Meta):
        model = Practice
        fields = ("process_area", "code", "name", "goal", "statement")

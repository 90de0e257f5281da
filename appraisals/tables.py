from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from appraisals.models import (
    Appraisal,
    Evidence,
    Finding,
    FindingFeedback,
    FindingsValidation,
    LeadAppraiserQualification,
    ProcessNeed,
    Rating,
    Recommendation,
)
from opf.core.ui.tables import ObjectTable


class ProcessNeedTable(ObjectTable):
    statement = tables.Column(linkify=True, verbose_name=_("Need"))

    class Meta(ObjectTable.Meta):
        model = ProcessNeed
        fields = ("statement", "kind", "priority", "owner", "target", "unit", "state")


class AppraisalTable(ObjectTable):
    title = tables.Column(linkify=True)
    finding_count = tables.Column(verbose_name=_("Findings"), attrs={"td": {"class": "num"}})

    class Meta(ObjectTable.Meta):
        model = Appraisal
        fields = (
            "title",
            "method",
            "reference_model",
            "lead_appraiser",
            "planned_start",
            "planned_end",
            "finding_count",
            "state",
        )


class FindingTable(ObjectTable):
    statement = tables.Column(linkify=True)
    appraisal = tables.Column(linkify=True)
    process_area = tables.Column(accessor="process_area__abbreviation", verbose_name=_("Area"))
    practice = tables.Column(accessor="practice__code", verbose_name=_("Practice"))
    where = tables.Column(accessor="where", verbose_name=_("Where"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = Finding
        fields = ("statement", "appraisal", "process_area", "practice", "where", "kind", "severity")


class EvidenceTable(ObjectTable):
    title = tables.Column(linkify=True)
    appraisal = tables.Column(linkify=True)
    where = tables.Column(accessor="where", verbose_name=_("Where"), orderable=False)

    class Meta(ObjectTable.Meta):
        model = Evidence
        fields = ("title", "appraisal", "kind", "where", "link")


class RatingTable(ObjectTable):
    label = tables.Column(
        accessor="process_area__abbreviation",
        verbose_name=_("Area"),
        linkify=lambda record: record.get_absolute_url(),
    )
    appraisal = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Rating
        fields = ("label", "org_unit", "appraisal", "proposed", "value", "confirmed_by")


class RecommendationTable(ObjectTable):
    statement = tables.Column(linkify=True)
    appraisal = tables.Column(linkify=True)
    process_area = tables.Column(accessor="process_area__abbreviation", verbose_name=_("Area"))

    class Meta(ObjectTable.Meta):
        model = Recommendation
        fields = ("statement", "appraisal", "process_area", "priority")


class LeadAppraiserQualificationTable(ObjectTable):
    certificate_id = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = LeadAppraiserQualification
        fields = ("certificate_id", "person", "issued_on", "expires_on")


class FindingsValidationTable(ObjectTable):
    held_on = tables.Column(linkify=True)
    appraisal = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = FindingsValidation
        fields = ("held_on", "appraisal", "summary")


class FindingFeedbackTable(ObjectTable):
    finding = tables.Column(linkify=lambda record: record.get_absolute_url())
    appraisal = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = FindingFeedback
        fields = ("finding", "appraisal", "participant", "response", "comment", "resolution")

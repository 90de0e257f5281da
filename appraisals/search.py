"""Needs, appraisals and their results in the global search (``opf.core.search``)."""

from appraisals.models import Appraisal, Evidence, Finding, ProcessNeed, Recommendation
from opf.core.search import Searchable


def _finding_detail(finding: Finding) -> str:
    area = finding.process_area.abbreviation
    where = f"{area} {finding.practice.code}" if finding.practice is not None else area
    return f"{finding.get_kind_display()} · {where} · {finding.appraisal}"


KINDS = [
    Searchable(Appraisal, text=("title",)),
    Searchable(ProcessNeed, text=("statement", "source", "measure")),
    # A finding by its statement or by the code of its practice ("OPF SP 1.2") or area.
    Searchable(
        Finding,
        text=("statement",),
        codes=("practice__code", "process_area__abbreviation"),
        select_related=("appraisal", "practice", "process_area"),
        detail=_finding_detail,
    ),
    Searchable(Evidence, text=("title", "note")),
    Searchable(Recommendation, text=("statement",)),
]

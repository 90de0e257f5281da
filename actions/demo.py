"""Demo data: weighted criteria and a ranked list of improvements, traced to the
demo appraisals' weaknesses and to process needs."""

from __future__ import annotations

from appraisals.models import Finding, ProcessNeed
from opf.demo import Demo
from opf.services.objects import save_object

from . import services
from .models import Improvement, PrioritizationCriterion

CRITERIA = [
    # name, weight, higher is better, description
    ("Benefit", 5, True, "Expected gain for projects and customers."),
    ("Alignment with needs", 4, True, "How directly it serves the recorded process needs."),
    ("Urgency", 3, True, "Cost of waiting another quarter."),
    ("Cost", 3, False, "Effort and money to implement and deploy."),
    ("Risk", 2, False, "Chance that it fails or disrupts projects."),
]


def build_improvements(demo: Demo) -> None:
    epg = demo.users["epg"]
    criteria = []
    for order, (name, weight, higher, description) in enumerate(CRITERIA, start=1):
        criteria.append(
            save_object(
                PrioritizationCriterion(
                    name=name,
                    weight=weight,
                    higher_is_better=higher,
                    description=description,
                    order=order,
                ),
                actor=epg,
            )
        )
    weaknesses = list(
        Finding.objects.filter(kind=Finding.Kind.WEAKNESS)
        .select_related("process_area", "practice")
        .order_by("pk")
    )
    by_area: dict[str, list[Finding]] = {}
    for finding in weaknesses:
        by_area.setdefault(finding.process_area.abbreviation, []).append(finding)
    improvements = []
    improvements += services.improvement_create_from_findings(
        findings=by_area.get("PP", []),
        title="Estimation method calibrated on historical data",
        actor=epg,
    )
    improvements += services.improvement_create_from_findings(
        findings=by_area.get("REQM", []), title="Traceability in the requirements tool", actor=epg
    )
    improvements += services.improvement_create_from_findings(
        findings=by_area.get("PMC", []), title="Milestone-based progress tracking", actor=epg
    )
    improvements += services.improvement_create_from_findings(
        findings=by_area.get("OPF", []), separately=True, title="", actor=epg
    )
    for need in ProcessNeed.objects.filter(priority=ProcessNeed.Priority.HIGH).order_by("pk")[:2]:
        improvements.append(services.improvement_create_from_need(need=need, actor=epg))
    for improvement in improvements:
        for criterion in criteria:
            services.improvement_score(
                improvement=improvement,
                criterion=criterion,
                value=demo.rng.randint(1, 5),
                actor=epg,
            )
    ranked = list(Improvement.objects.filter(pk__in=[i.pk for i in improvements]).ranked())
    for improvement in ranked[:3]:
        services.improvement_select(improvement, actor=epg)
    services.improvement_defer(ranked[-1], actor=epg, reason="Wait for the tool migration.")
    services.improvement_set_rank(
        ranked[1],
        rank=1,
        reason="Certification audit in June makes this the first priority.",
        actor=epg,
    )


STEPS = [build_improvements]

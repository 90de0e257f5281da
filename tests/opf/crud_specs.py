"""Declarative test data for the generic pages and endpoints: each spec only
declares its model, a factory and payloads; test_crud.py does the rest."""

from __future__ import annotations

from typing import Any

from opf.initiatives.models import Initiative
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Practice, ProcessArea, ReferenceModel
from opf.steering.models import (
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)
from opf.webhooks.models import WebhookEndpoint
from tests.crud import Spec
from tests.factories import (
    GoalFactory,
    OrgUnitFactory,
    PracticeFactory,
    ProcessAreaFactory,
    ProjectFactory,
    ReferenceModelFactory,
    UserFactory,
)
from tests.opf.initiative_factories import InitiativeFactory
from tests.opf.steering_factories import (
    CommitteeMembershipFactory,
    DecisionFactory,
    FollowUpFactory,
    ProgramDocumentFactory,
    SteeringMeetingFactory,
)
from tests.opf.webhook_factories import WebhookEndpointFactory


def _practice_invalid() -> dict[str, Any]:
    area = ProcessAreaFactory()
    other_goal = GoalFactory()
    return {
        "process_area": area.pk,
        "goal": other_goal.pk,
        "code": "SP 9.9",
        "name": "X",
        "order": 0,
    }


def _practice_valid() -> dict[str, Any]:
    goal = GoalFactory()
    return {
        "process_area": goal.process_area_id,
        "goal": goal.pk,
        "code": "SP 1.1",
        "name": "Establish the thing",
        "statement": "Establish and maintain the thing.",
        "order": 1,
    }


SPECS = [
    Spec(
        WebhookEndpoint,
        WebhookEndpointFactory,
        "webhooks",
        "webhook-endpoints",
        valid=lambda: {
            "target_url": "http://127.0.0.1:9/receiver",
            "description": "Build server",
            "events": ["ping", "asset_version.released"],
            "active": True,
        },
        invalid=lambda: {
            "target_url": "ftp://example.com/hook",
            "description": "Wrong scheme",
            "events": ["no.such_event"],
            "active": True,
        },
        invalid_fields={"target_url", "events"},
        change={"description": "Renamed receiver"},
        label=lambda obj: obj.description,
        readers=frozenset({"epg"}),
    ),
    Spec(
        Initiative,
        InitiativeFactory,
        "initiatives",
        "initiatives",
        valid=lambda: {
            "name": "Lean in HR",
            "method": "lean",
            "owning_unit": OrgUnitFactory().pk,
            "start": "2026-03-01",
        },
        invalid=lambda: {
            "name": "Backwards",
            "method": "lean",
            "owning_unit": OrgUnitFactory().pk,
            "start": "2026-03-01",
            "end": "2026-02-01",
        },
        invalid_fields={"end"},
        change={"name": "Renamed initiative"},
    ),
    Spec(
        OrgUnit,
        OrgUnitFactory,
        "org-units",
        "org-units",
        valid=lambda: {"name": "Flight Software", "code": "flight-sw", "active": True},
        invalid=lambda: {"name": "", "code": "not a slug!", "active": True},
        invalid_fields={"name", "code"},
        change={"name": "Renamed unit"},
    ),
    Spec(
        Project,
        ProjectFactory,
        "projects",
        "projects",
        valid=lambda: {
            "name": "Radar Upgrade",
            "code": "radar-up",
            "org_unit": OrgUnitFactory().pk,
            "phase": "planning",
            "project_type": "integration",
            "size_class": "large",
            "start_date": "2026-03-01",
            "active": True,
        },
        invalid=lambda: {
            "name": "Backwards",
            "code": "backwards",
            "org_unit": OrgUnitFactory().pk,
            "phase": "planning",
            "project_type": "integration",
            "size_class": "large",
            "start_date": "2026-03-01",
            "end_date": "2026-02-01",
        },
        invalid_fields={"end_date"},
        change={"phase": "execution"},
    ),
    Spec(
        ReferenceModel,
        ReferenceModelFactory,
        "reference-models",
        "reference-models",
        valid=lambda: {"abbreviation": "ISO9001", "name": "ISO 9001", "version": "2015"},
        invalid=lambda: {"abbreviation": "", "name": "No abbreviation", "version": ""},
        invalid_fields={"abbreviation", "version"},
        change={"name": "Renamed model"},
        api_names={"version": "edition"},
    ),
    Spec(
        ProcessArea,
        ProcessAreaFactory,
        "process-areas",
        "process-areas",
        valid=lambda: {
            "reference_model": ReferenceModelFactory().pk,
            "abbreviation": "QA",
            "name": "Quality assurance",
            "category": "support",
            "maturity_level": 2,
            "order": 1,
        },
        invalid=lambda: {
            "reference_model": ReferenceModelFactory().pk,
            "abbreviation": "QA",
            "name": "Too mature",
            "category": "support",
            "maturity_level": 9,
            "order": 1,
        },
        invalid_fields={"maturity_level"},
        change={"name": "Renamed area"},
    ),
    Spec(
        Practice,
        PracticeFactory,
        "practices",
        "practices",
        valid=_practice_valid,
        invalid=_practice_invalid,
        invalid_fields={"goal"},
        change={"name": "Renamed practice"},
    ),
    Spec(
        CommitteeMembership,
        CommitteeMembershipFactory,
        "committee-memberships",
        "committee-memberships",
        valid=lambda: {
            "body": "process_group",
            "user": UserFactory().pk,
            "role": "lead",
            "responsibilities": "Runs the process group.",
            "start": "2026-01-01",
        },
        invalid=lambda: {
            "body": "steering_committee",
            "user": UserFactory().pk,
            "role": "member",
            "start": "2026-02-01",
            "end": "2026-01-01",
        },
        invalid_fields={"end"},
        change={"responsibilities": "Chairs the reviews."},
        label=lambda m: m.user.last_name,
    ),
    Spec(
        SteeringMeeting,
        SteeringMeetingFactory,
        "steering-meetings",
        "meetings",
        valid=lambda: {
            "title": "Quarterly steering review",
            "body": "steering_committee",
            "scheduled_at": "2026-12-10T14:00",
            "location": "Board room",
            "agenda": "Maturity, momentum, sponsorship.",
        },
        invalid=lambda: {"title": "", "body": "steering_committee", "scheduled_at": "soon"},
        invalid_fields={"title", "scheduled_at"},
        change={"title": "Renamed meeting"},
        label=lambda m: m.title,
    ),
    Spec(
        Decision,
        DecisionFactory,
        "decisions",
        "decisions",
        valid=lambda: {
            "meeting": SteeringMeetingFactory().pk,
            "title": "Fund the estimation guideline",
            "rationale": "Level 2 gap in PP.",
        },
        invalid=lambda: {"meeting": None, "title": ""},
        invalid_fields={"meeting", "title"},
        change={"title": "Reworded decision"},
        label=lambda d: d.title,
    ),
    Spec(
        FollowUp,
        FollowUpFactory,
        "follow-ups",
        "follow-ups",
        valid=lambda: {
            "meeting": SteeringMeetingFactory().pk,
            "title": "Name a sponsor for the PP plan",
            "owner": UserFactory().pk,
            "due": "2026-12-20",
        },
        invalid=lambda: {"meeting": None, "title": ""},
        invalid_fields={"meeting", "title"},
        change={"title": "Reworded follow-up"},
        label=lambda f: f.title,
    ),
    Spec(
        ProgramDocument,
        ProgramDocumentFactory,
        "program-documents",
        "program-documents",
        valid=lambda: {
            "kind": "policy",
            "title": "Process improvement policy",
            "text": "Every unit improves its processes with the process group.",
            "effective_from": "2026-01-01",
        },
        invalid=lambda: {"kind": "policy", "title": "", "text": ""},
        invalid_fields={"title", "text"},
        change={"title": "Renamed policy"},
        label=lambda d: d.title,
    ),
]

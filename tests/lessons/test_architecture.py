"""The process architecture (#20): the tree's rules, its standing against the standard
process set (released definition, deployment reach), the enterprise-wide coverage, and
its pages, API, search and dashboard figure."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from deployment.models import AssetVersion, ProjectDeployment
from lessons.models import Handoff, Process
from lessons.services import architecture
from opf.core.services import save_object
from opf.organization.scope import DashboardFilter
from opf.steering.dashboard.panels import scope
from tests.deployment.factories import (
    AssetVersionFactory,
    ProcessAssetFactory,
    ProjectDeploymentFactory,
    ReleasedVersionFactory,
)
from tests.factories import OrgUnitFactory, ProjectFactory, UserFactory
from tests.lessons.factories import (
    HandoffFactory,
    MeasureFactory,
    ProcessFactory,
    SubProcessFactory,
    ValueChainFactory,
)
from tests.problems import field_errors

K = Process.Kind


def _errors(error: ValidationError) -> dict[str, str]:
    return {k: " ".join(str(m) for m in v) for k, v in error.message_dict.items()}


# --- rules ---------------------------------------------------------------------------


def test_the_kind_hierarchy_is_kept(people):
    chain = ValueChainFactory()
    process = ProcessFactory(parent=chain)
    owner = UserFactory()
    cases = [
        (Process(name="Orphan", code="orphan", kind=K.PROCESS, owner=owner), "value chain"),
        (
            Process(name="Low", code="low", kind=K.SUB_PROCESS, parent=chain, owner=owner),
            "process: choose one",
        ),
        (
            Process(name="Top", code="top", kind=K.VALUE_CHAIN, parent=process, owner=owner),
            "part of nothing",
        ),
    ]
    for record, words in cases:
        with pytest.raises(ValidationError) as refused:
            save_object(record, actor=people.epg)
        assert words in _errors(refused.value)["parent"]
    made = save_object(
        Process(name="Estimate", code="estimate", kind=K.SUB_PROCESS, parent=process, owner=owner),
        actor=people.epg,
    )
    assert made.depth == 2
    # A kind change must still fit the parts below.
    process.kind = K.SUB_PROCESS
    process.parent = ProcessFactory()
    with pytest.raises(ValidationError) as refused:
        save_object(process, actor=people.epg)
    assert "no longer fit" in _errors(refused.value)["kind"]


def test_a_parent_cycle_is_refused(people):
    chain = ValueChainFactory()
    process = ProcessFactory(parent=chain)
    chain.parent = process
    with pytest.raises(ValidationError) as refused:
        save_object(chain, actor=people.epg)
    assert "part of itself" in _errors(refused.value)["parent"]
    process.parent = process
    with pytest.raises(ValidationError) as refused:
        save_object(process, actor=people.epg)
    assert "part of itself" in _errors(refused.value)["parent"]


def test_an_inactive_owner_is_refused_but_a_departed_one_stays_named(people):
    left = UserFactory(is_active=False)
    with pytest.raises(ValidationError) as refused:
        save_object(
            Process(name="Serve", code="serve", kind=K.VALUE_CHAIN, owner=left), actor=people.epg
        )
    assert "active person" in _errors(refused.value)["owner"]
    chain = ValueChainFactory()
    chain.owner.is_active = False
    chain.owner.save()
    chain.refresh_from_db()
    chain.description = "Still owned by who defined it."
    save_object(chain, actor=people.epg)  # the owner did not change: kept


def test_moving_a_process_moves_its_parts(people):
    first, second = ValueChainFactory(), ValueChainFactory()
    process = ProcessFactory(parent=first)
    part = SubProcessFactory(parent=process)
    assert part.path.startswith(first.path)
    process.parent = second
    save_object(process, actor=people.epg)
    part.refresh_from_db()
    assert part.path.startswith(second.path + process.path[-8:])
    assert part.depth == 2


def test_a_hand_off_to_itself_is_refused(people):
    process = ProcessFactory()
    with pytest.raises(ValidationError) as refused:
        save_object(Handoff(source=process, target=process, work_product="X"), actor=people.epg)
    assert "itself" in _errors(refused.value)["target"]


# --- reads ---------------------------------------------------------------------------


def test_a_released_definition_and_its_deployment_reach(people):
    a, b = ProcessAssetFactory(code="pp"), ProcessAssetFactory(code="draft-only")
    v1 = ReleasedVersionFactory(asset=a, number="1.0")
    v1.state = AssetVersion.State.SUPERSEDED
    v1.save()
    v2 = ReleasedVersionFactory(asset=a, number="2.0")
    AssetVersionFactory(asset=a, number="3.0")  # a draft: no definition yet
    AssetVersionFactory(asset=b, number="1.0")
    unit_a, unit_b = OrgUnitFactory(), OrgUnitFactory()
    S = ProjectDeployment.State
    ProjectDeploymentFactory(asset_version=v2, state=S.IN_USE, project__org_unit=unit_a)
    ProjectDeploymentFactory(asset_version=v1, state=S.VERIFIED, project__org_unit=unit_b)
    ProjectDeploymentFactory(asset_version=v2, state=S.VERIFIED, project__org_unit=unit_b)
    ProjectDeploymentFactory(asset_version=v2, state=S.PLANNING)  # not yet in use
    ProjectDeploymentFactory(asset_version=v2, state=S.WAIVED)
    defined, undefined = ProcessFactory(), ProcessFactory()
    defined.assets.set([a, b])
    undefined.assets.set([b])
    found = architecture.standing([defined, undefined])
    assert found[defined.pk].released == ["pp v2.0"]
    assert len(found[defined.pk].projects) == 3
    assert found[defined.pk].units == {unit_a.pk, unit_b.pk}
    assert not found[undefined.pk].defined
    assert found[undefined.pk].projects == set()


def test_the_enterprise_wide_coverage_worked_example(people):
    """Four processes at process level: one enterprise-wide with a released definition
    counts; one released but owned by a unit, one enterprise-wide with a draft only and
    one with no asset do not. The value chain and a released sub-process are not
    counted either way: 1 of 4, 25%."""
    released = ReleasedVersionFactory().asset
    draft = AssetVersionFactory().asset
    chain = ValueChainFactory()
    chain.assets.set([released])
    counted = ProcessFactory(parent=chain)
    counted.assets.set([released])
    departmental = ProcessFactory(parent=chain, owning_unit=OrgUnitFactory())
    departmental.assets.set([released])
    ProcessFactory(parent=chain).assets.set([draft])
    ProcessFactory(parent=chain)
    SubProcessFactory(parent=counted).assets.set([released])
    found = architecture.enterprise_coverage(people.executive)
    assert (found.enterprise_defined, found.processes, found.share) == (1, 4, 25)
    f = DashboardFilter(people.executive, None, date(2026, 1, 1), date(2026, 6, 30))
    assert scope.build(f)["processes"]["share"] == 25


def test_no_processes_no_figure(people):
    assert architecture.enterprise_coverage(people.executive).share is None


# --- pages, API, search --------------------------------------------------------------


def _architecture(n: int) -> list[Process]:
    """``n`` value chains, each with a process (asset, measure) and a sub-process."""
    asset = ReleasedVersionFactory().asset
    ProjectDeploymentFactory(asset_version=asset.versions.first(), state="in_use")
    made = []
    for _ in range(n):
        chain = ValueChainFactory()
        process = ProcessFactory(parent=chain, owning_unit=OrgUnitFactory())
        process.assets.set([asset])
        process.measures.set([MeasureFactory()])
        part = SubProcessFactory(parent=process)
        HandoffFactory(source=process, target=part)
        made += [chain, process, part]
    return made


def test_the_tree_page_shows_owner_kind_standing_and_hand_offs(people, client_as):
    chain = ValueChainFactory(name="Deliver products")
    asset = ReleasedVersionFactory(number="1.0", asset__code="sdp").asset
    ProjectDeploymentFactory(asset_version=asset.versions.get(), state="in_use")
    build = ProcessFactory(name="Build and verify", parent=chain, owner=people.pm)
    build.assets.set([asset])
    release = ProcessFactory(
        name="Release", parent=chain, owning_unit=OrgUnitFactory(name="Ground")
    )
    Handoff.objects.create(source=build, target=release, work_product="Release candidate")
    page = client_as(people.member).get("/process-architecture/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Deliver products" in html and "Build and verify" in html
    assert "Released definition" in html and "No released definition" in html
    assert "in use in 1 project" in html and "not deployed" in html
    assert "owned by Ground" in html and "enterprise-wide" in html
    assert "→" in html and "Release candidate" in html
    assert "1 of 2 processes are defined enterprise-wide" in html
    assert "Add a process" not in html  # members read
    assert "Add a process" in client_as(people.epg).get("/process-architecture/").content.decode()
    detail = client_as(people.member).get(f"/processes/{build.pk}/").content.decode()
    assert "sdp v1.0" in detail and "Release candidate" in detail
    assert client_as(None).get("/process-architecture/").status_code == 302


def test_the_process_group_adds_a_sub_process_in_the_form(people, client_as):
    process = ProcessFactory(name="Plan and manage projects")
    data = {
        "name": "Estimate work",
        "code": "estimate",
        "kind": "sub_process",
        "parent": process.pk,
        "owner": people.pm.pk,
    }
    assert client_as(people.member).post("/processes/add/", data).status_code == 403
    bad = client_as(people.epg).post("/processes/add/", {**data, "parent": process.parent_id})
    assert bad.status_code == 200
    assert "A sub-process is part of a process" in bad.content.decode()
    made = client_as(people.epg).post("/processes/add/", data)
    assert made.status_code == 302
    assert Process.objects.get(code="estimate").parent == process
    assert "Estimate work" in client_as(people.epg).get("/process-architecture/").content.decode()


def test_the_api_reads_the_standing_and_refuses_bad_input_with_field_errors(people, api_as):
    process = ProcessFactory(code="plan")
    process.assets.set([ReleasedVersionFactory(number="1.0", asset__code="pp").asset])
    listed = api_as(people.member).get("/api/v1/processes/")
    assert listed.status_code == 200
    row = next(r for r in listed.json()["results"] if r["code"] == "plan")
    assert row["standing"] == {"defined": True, "released": ["pp v1.0"], "projects": 0, "units": 0}
    assert row["enterprise_wide"] is True
    one = api_as(people.member).get(f"/api/v1/processes/{process.pk}/").json()
    assert one["standing"]["defined"] is True
    bad = api_as(people.epg).post(
        "/api/v1/processes/",
        {"name": "X", "code": "x", "kind": "sub_process", "owner": people.pm.pk},
        format="json",
    )
    assert bad.status_code == 400 and "parent" in field_errors(bad)
    refused = api_as(people.member).post(
        "/api/v1/processes/",
        {"name": "X", "code": "x", "kind": "value_chain", "owner": people.pm.pk},
        format="json",
    )
    assert refused.status_code == 403
    self_handoff = api_as(people.epg).post(
        "/api/v1/handoffs/",
        {"source": process.pk, "target": process.pk, "work_product": "Plan"},
        format="json",
    )
    assert self_handoff.status_code == 400 and "target" in field_errors(self_handoff)


def test_query_counts_do_not_grow_with_the_processes(
    people, client_as, api_as, django_assert_max_num_queries
):
    _architecture(2)
    client = client_as(people.executive)
    api = api_as(people.executive)
    client.get("/process-architecture/")
    api.get("/api/v1/processes/")
    with django_assert_max_num_queries(40) as page_small:
        client.get("/process-architecture/")
    with django_assert_max_num_queries(40) as api_small:
        api.get("/api/v1/processes/")
    last = _architecture(8)[-1]  # named by a sequence: whatever ran before, it is shown
    with django_assert_max_num_queries(len(page_small.captured_queries)):
        assert last.name in client.get("/process-architecture/").content.decode()
    with django_assert_max_num_queries(len(api_small.captured_queries)):
        assert api.get("/api/v1/processes/").json()["count"] == 30


def test_the_global_search_finds_a_process(people, client_as):
    ProcessFactory(name="Manage configurations", code="config")
    found = client_as(people.member).get("/search/", {"q": "configurations"}).content.decode()
    assert "Manage configurations" in found


def test_the_executive_reads_the_coverage_in_the_scope_panel(people, client_as):
    chain = ValueChainFactory()
    ProcessFactory(parent=chain).assets.set([ReleasedVersionFactory().asset])
    ProcessFactory(parent=chain)
    page = client_as(people.executive).get("/dashboard/").content.decode()
    assert "Enterprise-wide processes" in page
    assert "(1 of 2)" in page and "50%" in page


def test_unused_project_factory_keeps_projects_out_of_the_reach(people):
    ProjectFactory()
    process = ProcessFactory()
    assert architecture.standing([process])[process.pk].projects == set()

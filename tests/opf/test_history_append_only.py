"""History is append-only for everyone through the app, superusers included (#21)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from simple_history.admin import SimpleHistoryAdmin

from opf.admin import ReadOnlyHistoryAdmin
from tests.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_no_historical_model_is_in_the_admin_and_every_history_view_is_read_only():
    for model, model_admin in admin.site._registry.items():
        assert not model.__name__.startswith("Historical"), model
        assert not hasattr(model, "instance_type"), model  # simple_history's historical rows
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, ReadOnlyHistoryAdmin), model


def test_a_superuser_cannot_revert_or_change_a_past_version_in_the_admin(people):
    project = ProjectFactory(name="Before")
    project.name = "After"
    project.save()
    first = project.history.earliest("history_date")
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    web = Client()
    web.force_login(root)
    url = f"/admin/opf/project/{project.pk}/history/{first.history_id}/"
    shown = web.get(url)
    assert shown.status_code == 200 and 'name="_save"' not in shown.content.decode()
    rows = project.history.count()
    revert = web.post(url, {"name": "Before", "code": project.code, "_save": "Save"})
    assert revert.status_code == 403
    project.refresh_from_db()
    first.refresh_from_db()
    assert project.name == "After" and first.name == "Before"
    assert project.history.count() == rows


def test_the_api_reads_history_and_writes_none(people, api_as):
    project = ProjectFactory(manager=people.pm)
    api = api_as(people.epg)
    url = f"/api/v1/projects/{project.pk}/history/"
    assert api.get(url).status_code == 200
    for method in ("post", "put", "patch", "delete"):
        assert getattr(api, method)(url, {}, format="json").status_code == 405, method

"""Forms of the asset library and deployments. What may be chosen where (released
versions in a baseline or a plan, who moves a deployment) is asked of
``deployment.services``; the forms only offer it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from deployment.models import (
    ALLOWED_EXTENSIONS,
    DEFAULT_MAX_UPLOAD_BYTES,
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from deployment.services import choices
from opf.core.ui.choices import refine_filter_choices
from opf.core.ui.forms import ObjectForm, VersionedFormMixin, set_queryset, typed_field
from opf.core.ui.widgets import speed_up_selects
from opf.core.uploads import validate_upload
from opf.organization.forms import DateInput
from opf.organization.models import OrgUnit, Project
from opf.reference.forms import areas_with_their_model

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


class ProcessAssetForm(ObjectForm):
    class Meta:
        model = ProcessAsset
        fields = [
            "name",
            "code",
            "kind",
            "owner",
            "process_areas",
            "tags",
            "description",
            "requires_training",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas_with_their_model(self.fields)


class AssetVersionForm(ObjectForm):
    link = forms.URLField(label=_("link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = AssetVersion
        fields = ["asset", "number", "change_summary", "file", "link", "origin", "pilot"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "pilot" in self.fields:
            from actions.models import Pilot

            set_queryset(self.fields, "pilot", Pilot.objects.filter(decision=Pilot.Decision.ADOPT))

    def clean_file(self) -> Any:
        """The model checks the extension and the size; the content must match the
        extension too (``opf.core.uploads``), so a renamed program is not a "PDF"."""
        upload = self.cleaned_data.get("file")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_upload(
                upload,
                extensions=ALLOWED_EXTENSIONS,
                limit_setting="OPF_ASSET_MAX_UPLOAD_BYTES",
                default_limit=DEFAULT_MAX_UPLOAD_BYTES,
            )
        return upload


class StandardProcessSetForm(ObjectForm):
    class Meta:
        model = StandardProcessSet
        fields = ["name", "baseline", "description", "asset_versions"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "asset_versions" in self.fields:
            set_queryset(self.fields, "asset_versions", choices.deployable_versions())
            self.fields["asset_versions"].help_text = _("Released versions only.")


class DeploymentPlanForm(ObjectForm):
    class Meta:
        model = DeploymentPlan
        fields = [
            "name",
            "asset_versions",
            "standard_set",
            "target_units",
            "target_projects",
            "start_date",
            "end_date",
            "training_notes",
            "support_notes",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "asset_versions" in self.fields:
            set_queryset(self.fields, "asset_versions", choices.deployable_versions())
            self.fields["asset_versions"].help_text = _("Released versions only.")
        if "standard_set" in self.fields:
            set_queryset(self.fields, "standard_set", choices.deployable_sets())
        if "target_projects" in self.fields:
            set_queryset(self.fields, "target_projects", Project.objects.filter(active=True))


class ProjectDeploymentForm(ObjectForm):
    """The process group places a deployment; the project's manager edits only its notes."""

    class Meta:
        model = ProjectDeployment
        fields = ["project", "asset_version", "plan", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        placing = self.user is not None and choices.may_place_deployments(self.user)
        for name in choices.PLACEMENT_FIELDS:
            if name in self.fields:
                self.fields[name].disabled = not placing
        if "asset_version" in self.fields:
            set_queryset(self.fields, "asset_version", choices.placeable_versions())
        if "project" in self.fields:
            set_queryset(self.fields, "project", Project.objects.filter(active=True))


class DeploymentStatusForm(VersionedFormMixin, forms.Form):
    """The row form on "My projects": next step, notes, reason (for a waiver). One line
    in a table row: the labels are read out, the placeholders say them on screen."""

    transition = forms.ChoiceField(label=_("Status"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1, "placeholder": _("Notes")}),
    )
    reason = forms.CharField(
        label=_("Reason (required to waive)"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": _("Why waive?")}),
    )

    def __init__(
        self,
        *args: Any,
        deployment: ProjectDeployment,
        user: User | AnonymousUser,
        **kwargs: Any,
    ) -> None:
        self.instance = deployment
        kwargs.setdefault("prefix", f"d{deployment.pk}")  # many rows on one page
        super().__init__(*args, **kwargs)
        self.initial.setdefault("notes", deployment.notes)
        steps = ProjectDeployment.workflow.available(deployment, user)
        typed_field(self.fields, "transition", forms.ChoiceField).choices = [
            ("", _("%(state)s (keep)") % {"state": deployment.get_state_display()}),
            *((t.name, _("→ %(label)s") % {"label": t.label}) for t in steps),
        ]
        prefix = f"d{deployment.pk}"
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-describedby", f"{prefix}-summary")

    def conflict_fields(self, current: Any) -> list[str]:
        return ["state", "notes"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("transition") == "waive" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason for the waiver."))
        return data


class TailoringRecordForm(ObjectForm):
    class Meta:
        model = TailoringRecord
        fields = ["deployment", "what", "why"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "deployment" in self.fields:
            deployments = ProjectDeployment.objects.select_related(
                "project", "asset_version__asset"
            )
            if self.user is not None:
                deployments = deployments.restrict(self.user, "change")
            set_queryset(self.fields, "deployment", deployments)


class TrainingRecordForm(ObjectForm):
    class Meta:
        model = TrainingRecord
        fields = ["person", "asset_version", "status", "completed_on", "notes"]
        widgets = {"completed_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "asset_version" in self.fields:
            set_queryset(self.fields, "asset_version", AssetVersion.objects.select_related("asset"))


class CoverageFilterForm(forms.Form):
    unit: forms.ModelChoiceField[OrgUnit] = forms.ModelChoiceField(
        label=_("Org unit (and below)"), queryset=None, required=False
    )
    only_set = forms.BooleanField(label=_("Current standard set only"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self.fields, "unit", OrgUnit.objects.filter(active=True))
        refine_filter_choices(self.fields, type(self))  # a big tree: its options on demand
        speed_up_selects(self.fields)


class CompareForm(forms.Form):
    old = forms.ModelChoiceField(label=_("From version"), queryset=AssetVersion.objects.none())
    new = forms.ModelChoiceField(label=_("To version"), queryset=AssetVersion.objects.none())

    def __init__(self, *args: Any, asset: ProcessAsset, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = asset.versions.all()
        set_queryset(self.fields, "old", versions)
        set_queryset(self.fields, "new", versions)

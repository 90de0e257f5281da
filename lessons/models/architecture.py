"""The business process architecture (#20): a tree of processes (value chain → process →
sub-process), each with an owner, the process areas it realizes, the assets that define
it and the measures that judge it, and the hand-offs between them.

It lives in ``lessons``, the one layer that sees both the assets that define a process
(``deployment``) and the measures that judge it (this app). The tree is kept as a
materialized ``path`` like the org units (``opf.organization.models.OrgUnit``), so one
query ordered by path reads it depth-first and the forms offer the parent indented.

The rules are here, in ``clean``, so that every door (page, API, ``save_object``) keeps
them: the kind hierarchy (a value chain has no parent, a process sits under a value
chain, a sub-process under a process, and a kind change must still fit the children),
no parent cycle, an active owner, no hand-off from a process to itself. What a process's
definition and deployment look like is read in ``lessons.services.architecture``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from opf.core.history import ChangeHistory
from opf.core.models import DomainModel

PATH_STEP = 8  # each level of the path is the zero-padded pk of one process


class Process(DomainModel):
    class Kind(models.TextChoices):
        VALUE_CHAIN = "value_chain", _("Value chain")
        PROCESS = "process", _("Process")
        SUB_PROCESS = "sub_process", _("Sub-process")

    # The kind a process's parent must have (None: no parent).
    PARENT_KIND: dict[str, str | None] = {
        Kind.VALUE_CHAIN: None,
        Kind.PROCESS: Kind.VALUE_CHAIN,
        Kind.SUB_PROCESS: Kind.PROCESS,
    }

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("A process is part of a value chain, a sub-process part of a process."),
    )
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_processes",
    )
    owning_unit = models.ForeignKey(
        "opf.OrgUnit",
        verbose_name=_("owned by org unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="processes",
        help_text=_(
            "Leave empty for an enterprise-wide process: one process defined across the "
            "units. Name a unit for a process of that unit alone."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    process_areas = models.ManyToManyField(
        "opf.ProcessArea",
        verbose_name=_("process areas realized"),
        blank=True,
        related_name="processes",
    )
    assets = models.ManyToManyField(
        "deployment.ProcessAsset",
        verbose_name=_("defining assets"),
        blank=True,
        related_name="processes",
        help_text=_("The process assets that define it; a released version is its definition."),
    )
    measures = models.ManyToManyField(
        "lessons.Measure",
        verbose_name=_("measures"),
        blank=True,
        related_name="processes",
        help_text=_("The measures that judge it."),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    history = ChangeHistory(
        excluded_fields=["path"], m2m_fields=["process_areas", "assets", "measures"]
    )

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["path"]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return max(len(self.path) // PATH_STEP - 1, 0)

    @property
    def is_enterprise_wide(self) -> bool:
        return self.owning_unit_id is None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        parent_error = self._cycle_error() or self._parent_kind_error()
        if parent_error:
            errors["parent"] = parent_error
        kind_error = self._children_error()
        if kind_error:
            errors["kind"] = kind_error
        if self.owner_id is not None and (self._state.adding or self._owner_changed()):
            from opf.core.accounts import User

            if not User.objects.filter(pk=self.owner_id, is_active=True).exists():
                errors["owner"] = _("Choose an active person as owner.")
        if errors:
            raise ValidationError(errors)

    def _cycle_error(self) -> str | None:
        """The parent chain, walked up from the chosen parent, never meets this process."""
        if self.parent_id is None or self.pk is None:
            return None
        seen: set[int] = set()
        current: int | None = self.parent_id
        while current is not None and current not in seen:
            if current == self.pk:
                return str(_("A process cannot be part of itself or of one of its own parts."))
            seen.add(current)
            current = Process.objects.filter(pk=current).values_list("parent", flat=True).first()
        return None

    def _parent_kind_error(self) -> str | None:
        if not self.kind:
            return None
        wanted = self.PARENT_KIND.get(self.kind)
        if wanted is None:
            if self.parent_id is not None:
                return str(_("A value chain is the top of the tree: it is part of nothing."))
            return None
        parent_kind = (
            Process.objects.filter(pk=self.parent_id).values_list("kind", flat=True).first()
            if self.parent_id is not None
            else None
        )
        if parent_kind != wanted:
            return str(
                _("A %(kind)s is part of a %(parent)s: choose one.")
                % {
                    "kind": self.Kind(self.kind).label.lower(),
                    "parent": self.Kind(wanted).label.lower(),
                }
            )
        return None

    def _children_error(self) -> str | None:
        """A kind change must still fit the processes below this one."""
        if self.pk is None or not self.kind:
            return None
        kinds = set(Process.objects.filter(parent=self.pk).values_list("kind", flat=True))
        if any(self.PARENT_KIND.get(kind) != self.kind for kind in kinds):
            return str(_("Its parts would no longer fit under this kind: move them first."))
        return None

    def _owner_changed(self) -> bool:
        stored = type(self)._default_manager.filter(pk=self.pk).values_list("owner", flat=True)
        return stored.first() != self.owner_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            parent_path = (
                Process.objects.filter(pk=self.parent_id).values_list("path", flat=True).first()
                if self.parent_id is not None
                else ""
            ) or ""
            new_path = f"{parent_path}{self.pk:0{PATH_STEP}d}"
            if new_path != old_path:
                Process.objects.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    for pk, path in (
                        Process.objects.filter(path__startswith=old_path)
                        .exclude(pk=self.pk)
                        .values_list("pk", "path")
                    ):
                        Process.objects.filter(pk=pk).update(path=new_path + path[len(old_path) :])
                self.path = new_path


class Handoff(DomainModel):
    """What one process hands over to another (an output of one, an input of the other)."""

    source = models.ForeignKey(
        Process,
        verbose_name=_("from process"),
        on_delete=models.CASCADE,
        related_name="handoffs_out",
    )
    target = models.ForeignKey(
        Process,
        verbose_name=_("to process"),
        on_delete=models.CASCADE,
        related_name="handoffs_in",
    )
    work_product = models.CharField(
        _("what is handed over"), max_length=200, help_text=_("The work product.")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = ChangeHistory()

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["source__path", "target__path", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="handoff_not_to_itself",
                violation_error_message=_("A process does not hand over to itself."),
            )
        ]

    NAME_JOINS = ("source", "target")  # what __str__ reads

    def __str__(self) -> str:
        if self.source_id is None or self.target_id is None:
            return self.work_product
        return f"{self.source} → {self.target}: {self.work_product}"

    @property
    def name(self) -> str:
        return self.work_product

    def clean(self) -> None:
        if self.source_id is not None and self.source_id == self.target_id:
            raise ValidationError({"target": _("A process does not hand over to itself.")})

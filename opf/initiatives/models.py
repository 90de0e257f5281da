"""An initiative: one improvement effort of the program, with its method (CMMI, Lean,
Six Sigma, …), the org unit that owns it, its advocate (owner) and executive sponsor.

Appraisals, improvements and action plans point to one (``initiative``). The package
sits below the lifecycle apps (``pyproject.toml``'s layers) so that they may; what an
initiative led to (deployments, open work) is read through the registry
(``<pkg>.initiative_work``, see ``opf.steering.initiatives``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.workflow import Transition, Workflow

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from opf.core.accounts import User


class Initiative(DomainModel):
    class Method(models.TextChoices):
        CMMI = "cmmi", _("CMMI")
        LEAN = "lean", _("Lean")
        SIX_SIGMA = "six_sigma", _("Six Sigma")
        BPM = "bpm", _("BPM")
        ITIL = "itil", _("ITIL")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    OPEN_STATES = (State.PROPOSED, State.ACTIVE)

    name = models.CharField(_("name"), max_length=200)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    description = models.TextField(_("description"), blank=True)
    owning_unit = models.ForeignKey(
        "opf.OrgUnit",
        verbose_name=_("owning org unit"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner (advocate)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_initiatives",
    )
    sponsor = models.ForeignKey(
        "opf.User",
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_initiatives",
        help_text=_("The executive behind the initiative."),
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PROPOSED, editable=False
    )
    outcome = models.TextField(_("outcome"), blank=True, editable=False)

    history = ChangeHistory(excluded_fields=["version"])
    workflow = Workflow(
        Transition(
            "activate",
            _("Start"),
            source=[State.PROPOSED],
            target=State.ACTIVE,
            style="primary",
        ),
        Transition(
            "end",
            _("End"),
            source=[State.PROPOSED, State.ACTIVE],
            target=State.ENDED,
            reason_required=True,
            style="danger",
        ),
        Transition("reopen", _("Reopen"), source=[State.ENDED], target=State.ACTIVE),
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-start", "pk"]
        indexes = [models.Index(fields=["state", "start"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end cannot be before the start.")})
        # A sponsor who later leaves stays named (and is flagged); a new one must be an
        # active executive.
        sponsor = self.sponsor_id
        if (
            sponsor is not None
            and (self._state.adding or self._sponsor_changed())
            and not self.sponsor_candidates().filter(pk=sponsor).exists()
        ):
            raise ValidationError({"sponsor": _("Choose an active executive as sponsor.")})

    def _sponsor_changed(self) -> bool:
        stored = type(self)._default_manager.filter(pk=self.pk).values_list("sponsor", flat=True)
        return stored.first() != self.sponsor_id

    @staticmethod
    def sponsor_candidates() -> QuerySet[User]:
        """Who may sponsor an initiative: an active executive."""
        from opf.core.approval import executives

        return executives()

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

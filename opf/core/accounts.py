"""The signed-in account: a person, their org unit and (as groups) their roles."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from opf.core.history import ChangeHistory
from opf.core.urlnames import UrlNamesMixin


class User(UrlNamesMixin, AbstractUser):
    """A person in the organization. Roles are the groups in ``opf.core.roles``."""

    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    org_unit = models.ForeignKey(
        "opf.OrgUnit",
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )

    objects: ClassVar[UserManager[Self]] = UserManager()
    # A sign-in (last_login alone) writes no history row: ChangeHistory.
    # Role changes (groups) are recorded with before and after.
    history = ChangeHistory(excluded_fields=["password", "last_login"], m2m_fields=["groups"])

    # Set by opf.core.roles.roles_of: the user's roles (Role), read once per user object.
    # Typed loosely: the roles module reads users, not the reverse.
    _opf_roles: list[Any]

    class Meta:  # AbstractUser.Meta holds only the two verbose names, set here too
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def inactive_choices(
    model: type[models.Model], instance: models.Model | None, values: dict[str, Any]
) -> dict[str, list[str]]:
    """Field errors for deactivated people newly named in ``values`` (a person or a
    list of people per field of ``model``): a deactivated account is never made
    sponsor, owner, auditor or member; one the record already names may stay, so
    editing something else on it is not refused. Pages offer active people only
    (``opf.core.ui.choices``); the API checks here."""
    errors: dict[str, list[str]] = {}
    for name, value in values.items():
        try:
            field = model._meta.get_field(name)
        except LookupError:
            continue
        if not isinstance(field, models.Field) or field.related_model is not User:
            continue
        chosen = list(value) if field.many_to_many else [value]
        current: set[Any] = set()
        if instance is not None and instance.pk is not None:
            if field.many_to_many:
                current = set(getattr(instance, name).values_list("pk", flat=True))
            else:
                current = {getattr(instance, field.attname)}
        refused = [
            person
            for person in chosen
            if person is not None and not person.is_active and person.pk not in current
        ]
        if refused:
            errors[name] = [
                str(_("%(name)s's account is deactivated: choose someone who is active."))
                % {"name": person.get_full_name() or person.username}
                for person in refused
            ]
    return errors

"""The signed-in user's own account pages that Django's auth views provide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.forms import Form
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from opf.core.permissions import signed_in_user
from opf.organization.services import password_changed


class PasswordChangeView(auth_views.PasswordChangeView):
    """Old password, then a new one that passes AUTH_PASSWORD_VALIDATORS; other
    sessions of the user end (Django rotates the session auth hash) and their API
    token is revoked (``password_changed``)."""

    success_url = reverse_lazy("opf:profile")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        revoked = password_changed(signed_in_user(self.request))
        messages.success(self.request, _("Your password was changed."))
        messages.info(
            self.request,
            _("You were signed out everywhere else.")
            if not revoked
            else _(
                "You were signed out everywhere else and your API token was revoked: "
                "create a new one below if your scripts need it."
            ),
        )
        return response

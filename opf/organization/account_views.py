"""The signed-in user's own account pages that Django's auth views provide."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.forms import Form
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class PasswordChangeView(auth_views.PasswordChangeView):
    """Old password, then a new one that passes AUTH_PASSWORD_VALIDATORS; other
    sessions of the user end (Django rotates the session auth hash)."""

    success_url = reverse_lazy("opf:profile")

    def form_valid(self, form: Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response

"""What follows from changes to a person's account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.authtoken.models import Token

if TYPE_CHECKING:
    from opf.core.accounts import User


def password_changed(user: User) -> int:
    """After ``user``'s password was changed (on their profile or in the admin): their
    API tokens stop working; returns how many were revoked.

    Their sessions end too: Django checks every session against a hash of the
    password, so a session signed in with the old one is signed out on its next
    request. The page that changed one's own password keeps its session
    (``update_session_auth_hash``)."""
    revoked, _by_model = Token.objects.filter(user=user).delete()
    return revoked

"""Telling a person that something arrived for them, without knowing how they are told.

A feature calls :func:`tell` when a step creates work or news for someone (a proposal
decided, a review requested). The notifications feature (``opf.notifications``)
receives the ``told`` signal and delivers: in the app, and by e-mail at once or in the
daily digest, per the person's preferences. Features never import it directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from opf.core.accounts import User

# Sent with: recipient (User), kind (str), title, body, url (str).
told = Signal()


def tell(*, recipient: User, kind: str, title: str, body: str = "", url: str = "") -> None:
    """Tell ``recipient`` (``kind`` names what happened; their preferences are per kind)."""
    told.send(sender=kind, recipient=recipient, kind=kind, title=title, body=body, url=url)

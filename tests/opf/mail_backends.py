"""E-mail backends for tests: Django's outbox, with one address the mail server refuses."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends import locmem

REFUSED = "@refused.example"


class RefusingBackend(locmem.EmailBackend):
    """Like the test outbox, but a message to an address at ``refused.example`` fails as
    an SMTP server fails it (the others of the same batch go through)."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        for message in messages:
            refused = [a for a in message.recipients() if a.endswith(REFUSED)]
            if refused:
                raise smtplib.SMTPRecipientsRefused(
                    {a: (550, b"5.1.1 Mailbox unavailable") for a in refused}
                )
        return super().send_messages(messages)


REFUSING = f"{__name__}.RefusingBackend"

"""Webhooks' part of the role table (``opf.core.roles``): endpoints hold secrets and
addresses, so only the process group reads them (reserved from ``*.view_*``)."""

from __future__ import annotations

from opf.core.roles import Grant

RESERVED = ("opf.*_webhookendpoint", "opf.*_webhookdelivery", "opf.*_webhookattempt")
GRANTS = {
    "process_group": (
        Grant("opf.*_webhookendpoint"),
        Grant("opf.*_webhookdelivery"),
        Grant("opf.view_webhookattempt"),
    ),
}

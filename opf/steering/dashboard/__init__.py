"""The executive dashboard: its page and API, who sees which part of the organization,
and steering's own panels (``PANELS``, found by ``opf.core.registry``)."""

from opf.steering.dashboard.panels import HEADLINES, PANELS

__all__ = ["HEADLINES", "PANELS"]

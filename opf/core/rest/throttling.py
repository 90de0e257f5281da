"""API rate limits.

- Each signed-in user (a token is its user) gets ``OPF_API_RATE_PER_MINUTE``.
- Each address gets ``OPF_API_ANON_RATE_PER_MINUTE`` anonymous requests and the
  same number of *failed* token checks: DRF authenticates before it throttles,
  so guessing tokens is paused by the authentication class below, before the
  token is even looked up.

Rates are read from settings on every request, so an operator's change (and a
test's override) applies without a restart. Counters live in the cache; with
Redis down the cache answers nothing and the limits are lifted, not the API.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import authentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle


class ClientRateThrottle(UserRateThrottle):
    scope = "client"

    def get_rate(self) -> str:
        return f"{settings.OPF_API_RATE_PER_MINUTE}/min"


class AnonymousRateThrottle(AnonRateThrottle):
    scope = "anonymous"

    def get_rate(self) -> str:
        return f"{settings.OPF_API_ANON_RATE_PER_MINUTE}/min"


class FailedTokenThrottle(SimpleRateThrottle):
    """Counts failed token checks per address."""

    scope = "failed-token"
    # SimpleRateThrottle.__init__ sets these from get_rate(), which always gives one here.
    num_requests: int
    duration: int

    def get_rate(self) -> str:
        return f"{settings.OPF_API_ANON_RATE_PER_MINUTE}/min"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def paused(self, request: Request) -> bool:
        """True when this address used up its failures (nothing recorded)."""
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        self.history = [at for at in self.history if at > self.now - self.duration]
        return len(self.history) >= self.num_requests

    def record_failure(self, request: Request) -> None:
        if not self.paused(request):
            self.throttle_success()


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token check, paused for an address after too many wrong tokens."""

    def authenticate(self, request: Request) -> Any:
        if not authentication.get_authorization_header(request):
            return None
        throttle = FailedTokenThrottle()
        if throttle.paused(request):
            raise Throttled(throttle.wait())
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            throttle.record_failure(request)
            raise

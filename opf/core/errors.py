"""The refusal every feature raises when a step is not allowed now."""

from __future__ import annotations

from django.utils.functional import Promise


class TransitionRefused(Exception):
    """The move is not allowed now; ``message`` says why, in the user's words."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = str(message)

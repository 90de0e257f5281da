"""Bounded inputs: how many rows one page holds and how long a search term may be.

- ``OPF_MAX_PAGE_SIZE`` (500): the most rows a list page (``?per_page=``) or an
  API page (``?page_size=``) holds; a list page asked for more shows this many
  and says so, the API answers 400;
- ``OPF_MAX_SEARCH_LENGTH`` (200): the longest search term (and every other
  free-text filter), in pages and API alike; a longer one is a field error on
  the page and 400 with the parameter named in the API, never a query (SQLite
  refuses a LIKE pattern over 50,000 characters with a server error).

Both are read here only, and when used, so tests and admins may change them.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

SEARCH_TOO_LONG = _("Search for at most %(limit_value)d characters (this is %(show_value)d).")


def max_page_size() -> int:
    return int(settings.OPF_MAX_PAGE_SIZE)


def max_search_length() -> int:
    return int(settings.OPF_MAX_SEARCH_LENGTH)


def search_too_long(length: int) -> str:
    """The message for a search term of ``length`` characters, over the limit."""
    return str(SEARCH_TOO_LONG) % {"limit_value": max_search_length(), "show_value": length}

"""The one API router; each app adds its endpoints in its ``api_urls`` module."""

from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()

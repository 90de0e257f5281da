from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from opf.core.health import health
from opf.core.registry import app_modules
from opf.core.rest.router import router
from opf.core.rest.search import SearchViewSet
from opf.core.rest.viewsets import ApiNotFoundView
from opf.core.ui.choices import choices_view, options_view
from opf.core.ui.search import search_page
from opf.organization.account_views import PasswordChangeView
from opf.steering.home import home, waiting_count

for module in app_modules("api"):
    module.register(router)
router.register("search", SearchViewSet, basename="search")

api_patterns: list[URLPattern | URLResolver] = [
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    # Swagger UI sets inline styles; the docs page alone allows them (never scripts).
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("", include(router.urls)),
    re_path(r"^.*/$", ApiNotFoundView.as_view(), name="not-found"),
]

urlpatterns = [
    path("", home, name="home"),
    path("waiting-count/", waiting_count, name="waiting_count"),
    path("search/", search_page, name="search"),
    path("health/", health, name="health"),
    path("ui/options/<str:source>/<str:key>/", options_view, name="options"),
    path("ui/choices/<str:token>/", choices_view, name="choices"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("", include("opf.urls_core")),
    path("", include("appraisals.urls")),
    path("", include("actions.urls")),
    path("", include("deployment.urls")),
    path("", include("lessons.urls")),
]

# Uploaded files are never served from MEDIA_URL, even in development: pages hand them
# out after a permission check, as sandboxed downloads (opf.core.uploads.serve_upload).

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from opf.core.registry import app_modules
from opf.core.rest.router import router
from opf.organization import api, views
from opf.organization.account_views import PasswordChangeView
from opf.steering import api as steering_api

router.register("org-units", api.OrgUnitViewSet, basename="org-unit")
router.register("projects", api.ProjectViewSet, basename="project")
router.register("users", api.UserViewSet, basename="user")
router.register("reference-models", api.ReferenceModelViewSet, basename="reference-model")
router.register("process-areas", api.ProcessAreaViewSet, basename="process-area")
router.register("practices", api.PracticeViewSet, basename="practice")
router.register("documents", api.DocumentViewSet, basename="document")
steering_api.register(router)
for module in app_modules("api"):
    module.register(router)

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
]

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
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

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

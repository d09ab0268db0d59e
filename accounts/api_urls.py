"""accounts's routes under /api/v1/ (see config/api_urls.py): sign-in, an enterprise's registration and
profile, the asker, notifications, and the API's own schema and documentation (Swagger UI and Redoc
from the project's static files)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from accounts import apis, enterprise_apis, registration_apis

router = SimpleRouter()
router.register("notifications", apis.NotificationViewSet, basename="notification")
router.register("enterprises", enterprise_apis.EnterpriseViewSet, basename="enterprise")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("auth/token/", apis.TokenView.as_view(), name="token"),
    path("me/", apis.MeView.as_view(), name="me"),
    path("registrations/", registration_apis.RegistrationView.as_view(), name="registration"),
    *router.urls,
]

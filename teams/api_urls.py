"""teams's routes under /api/v1/ (see config/api_urls.py): 人岗匹配's profiles, openings, applications."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from teams import apis

router = SimpleRouter()
router.register("openings", apis.OpeningViewSet, basename="opening")
router.register("applications", apis.ApplicationViewSet, basename="application")

urlpatterns = [
    path("students/profile/", apis.StudentProfileView.as_view(), name="student-profile"),
    *router.urls,
]

"""talent's routes under /api/v1/ (see config/api_urls.py): the student profile, openings and
applications, and the rankings both ways (人岗匹配)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from talent import apis

router = SimpleRouter()
router.register("openings", apis.OpeningViewSet, basename="opening")
router.register("applications", apis.ApplicationViewSet, basename="application")

urlpatterns = [
    path("students/profile/", apis.StudentProfileView.as_view(), name="student-profile"),
    path(
        "openings/<int:pk>/ranked-students/",
        apis.RankedStudentsView.as_view(),
        name="opening-ranked-students",
    ),
    path("students/profile/ranked-openings/", apis.RankedOpeningsView.as_view(), name="ranked-openings"),
    *router.urls,
]

"""matching's routes under /api/v1/ (see config/api_urls.py): assignments (指派) and the talent
rankings (人岗匹配)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from matching import apis

router = SimpleRouter()
router.register("assignments", apis.AssignmentViewSet, basename="assignment")

urlpatterns = [
    path(
        "needs/<int:pk>/assignment-candidates/",
        apis.AssignmentCandidatesView.as_view(),
        name="need-assignment-candidates",
    ),
    path(
        "openings/<int:pk>/ranked-students/",
        apis.RankedStudentsView.as_view(),
        name="opening-ranked-students",
    ),
    path("students/profile/ranked-openings/", apis.RankedOpeningsView.as_view(), name="ranked-openings"),
    *router.urls,
]

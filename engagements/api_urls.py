"""engagements's routes under /api/v1/ (see config/api_urls.py): recommendations both ways with each
team's open engagement, engagements, assignments (指派) with their candidates, stats and handlers."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from engagements import apis, assignment_apis

router = SimpleRouter()
router.register("engagements", apis.EngagementViewSet, basename="engagement")
router.register("assignments", assignment_apis.AssignmentViewSet, basename="assignment")

urlpatterns = [
    path("needs/<int:pk>/recommendations/", apis.NeedRecommendations.as_view(), name="need-recommendations"),
    path(
        "teams/<int:pk>/recommendations/",
        apis.TeamRecommendations.as_view({"get": "list"}),
        name="team-recommendations",
    ),
    path(
        "needs/<int:pk>/assignment-candidates/",
        assignment_apis.AssignmentCandidatesView.as_view(),
        name="need-assignment-candidates",
    ),
    path("assignment-stats/", assignment_apis.AssignmentStatsView.as_view(), name="assignment-stats"),
    path(
        "teams/<int:pk>/assignment-handler/",
        assignment_apis.AssignmentHandlerView.as_view(),
        name="team-assignment-handler",
    ),
    *router.urls,
]

"""matching's routes under /api/v1/ (see config/api_urls.py): recommendations both ways, engagements,
assignments (指派) and the talent rankings (人岗匹配, matching.assignment_apis), saved searches (订阅,
matching.saved_search_apis)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from matching import apis, assignment_apis, saved_search_apis

router = SimpleRouter()
router.register("engagements", apis.EngagementViewSet, basename="engagement")
router.register("assignments", assignment_apis.AssignmentViewSet, basename="assignment")
router.register("saved-searches", saved_search_apis.SavedSearchViewSet, basename="saved-search")

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
    path(
        "openings/<int:pk>/ranked-students/",
        assignment_apis.RankedStudentsView.as_view(),
        name="opening-ranked-students",
    ),
    path("assignment-stats/", assignment_apis.AssignmentStatsView.as_view(), name="assignment-stats"),
    path(
        "teams/<int:pk>/assignment-handler/",
        assignment_apis.AssignmentHandlerView.as_view(),
        name="team-assignment-handler",
    ),
    path(
        "students/profile/ranked-openings/",
        assignment_apis.RankedOpeningsView.as_view(),
        name="ranked-openings",
    ),
    *router.urls,
]

"""matching's routes under /api/v1/ (see config/api_urls.py): recommendations both ways, engagements."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from matching import apis

router = SimpleRouter()
router.register("engagements", apis.EngagementViewSet, basename="engagement")

urlpatterns = [
    path("needs/<int:pk>/recommendations/", apis.NeedRecommendations.as_view(), name="need-recommendations"),
    path(
        "teams/<int:pk>/recommendations/",
        apis.TeamRecommendations.as_view({"get": "list"}),
        name="team-recommendations",
    ),
    *router.urls,
]

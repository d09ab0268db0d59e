"""The JSON API, version 1: every app adds its routes through its own `api_urls.py`, included here.

Each app's routes sit at the root of /api/v1/ with plain English nouns (needs/, teams/, heatmap/ …), so
an app owns its names and no two apps edit the same file.
"""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("reference.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("demand.api_urls")),
    path("", include("teams.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("engagements.api_urls")),
    path("", include("talent.api_urls")),
    path("", include("insights.api_urls")),
    path("", include("scoring.api_urls")),
]

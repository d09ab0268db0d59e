"""Scores, assessments (objections included), archives and the case library under /api/v1/ (included
by config/api_urls.py beside insights/api_urls.py, which holds the dashboards)."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from scoring import apis, case_apis

router = SimpleRouter()
router.register("assessments", apis.AssessmentViewSet, basename="assessment")
router.register("cases", case_apis.CaseViewSet, basename="case")

urlpatterns = [
    path("scores/", apis.ScoreView.as_view(), name="score"),
    path("scoring-rules/<year:year>/", apis.RulesView.as_view(), name="scoring-rules"),
    path(
        "scoring-rules/<year:year>/revisions/", apis.RuleRevisionView.as_view(), name="scoring-rule-revisions"
    ),
    path("assessments/<int:pk>/notice/", apis.NoticeView.as_view(), name="assessment-notice"),
    path("assessments/<int:pk>/objections/", apis.ObjectionsView.as_view(), name="assessment-objections"),
    path("objections/<int:pk>/answer/", apis.ObjectionAnswerView.as_view(), name="objection-answer"),
    path("spot-checks/<int:pk>/decide/", apis.SpotCheckDecideView.as_view(), name="spot-check-decide"),
    path("results/<int:pk>/", apis.ResultView.as_view(), name="assessment-result"),
    path("results/<int:pk>/appendix-c/", apis.ResultSheetView.as_view(), name="result-sheet"),
    path("assessments/<int:pk>/appendix-c/", apis.SheetsView.as_view(), name="assessment-sheets"),
    re_path(
        r"^assessments/(?P<pk>[0-9]+)/(?P<name>notice-list|results-notice)/$",
        apis.PublicPaperworkView.as_view(),
        name="assessment-paperwork",
    ),
    path("archives/<int:team_pk>/<year:year>/", apis.ArchiveView.as_view(), name="archive"),
    path(
        "archives/<int:team_pk>/<year:year>/download/",
        apis.ArchiveDownloadView.as_view(),
        name="archive-download",
    ),
    path(
        "archives/colleges/<int:college_pk>/<year:year>/download/",
        apis.CollegeArchiveDownloadView.as_view(),
        name="college-archive-download",
    ),
    *router.urls,
]

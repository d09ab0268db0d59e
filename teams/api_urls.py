"""teams's routes under /api/v1/ (see config/api_urls.py): teams, members, portraits, service records,
evidence, the review queues and Appendix D imports (teams.import_apis)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from teams import apis, appendix_d_views, import_apis

router = SimpleRouter()
router.register("teams", apis.TeamViewSet, basename="team")
router.register("members", apis.MemberViewSet, basename="member")
router.register("member-claims", apis.MemberClaimViewSet, basename="member-claim")
router.register("captain-changes", apis.CaptainChangeViewSet, basename="captain-change")
router.register("portraits", apis.PortraitViewSet, basename="portrait")
router.register("records", apis.RecordViewSet, basename="record")
router.register("evidence", apis.EvidenceViewSet, basename="evidence")
router.register("reviews/teams", apis.TeamReviewQueue, basename="review-team")
router.register("reviews/records", apis.RecordReviewQueue, basename="review-record")
router.register("calls", apis.CallViewSet, basename="call")
router.register("rectifications", apis.RectificationViewSet, basename="rectification")


urlpatterns = [
    path(
        "calls/<int:call_pk>/appendix-d/<int:college_pk>/",
        appendix_d_views.AppendixDView.as_view(),
        name="call-appendix-d",
    ),
    path("application-imports/", import_apis.ApplicationImportView.as_view(), name="application-import"),
    path(
        "application-imports/template/",
        import_apis.ApplicationImportTemplateView.as_view(),
        name="application-import-template",
    ),
    *router.urls,
]

"""demand's routes under /api/v1/ (see config/api_urls.py): needs, the hall, moderation."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from demand import apis

router = SimpleRouter()
router.register("needs", apis.NeedViewSet, basename="need")
router.register("attachments", apis.AttachmentViewSet, basename="attachment")

urlpatterns = [
    path("hall/", apis.HallList.as_view(), name="hall"),
    path("needs/moderation/", apis.ModerationQueue.as_view(), name="need-moderation"),
    *router.urls,
]

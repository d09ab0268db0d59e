"""matching's routes under /api/v1/ (see config/api_urls.py): saved searches (订阅)."""

from rest_framework.routers import SimpleRouter

from matching import saved_search_apis

router = SimpleRouter()
router.register("saved-searches", saved_search_apis.SavedSearchViewSet, basename="saved-search")

urlpatterns = router.urls

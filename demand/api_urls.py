"""demand's routes under /api/v1/ (see config/api_urls.py)."""

urlpatterns: list = []

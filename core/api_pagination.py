"""Pages of results for every list in the API: `?page=2&page_size=50` (at most 100 a page)."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
    # A page past the end is a 404 in the one error shape (core.api_errors), not a silent last page:
    # a client paging with a stale count learns that the list changed.

"""Numbered pages for the HTML lists (the API pages with core.api_pagination). Every list page
renders the shared pager, templates/_pager.html, from what page_of returns."""

from django.core.paginator import Paginator

PAGE_SIZE = 20


def page_of(request, items, size: int = PAGE_SIZE, param: str = "page") -> dict:
    """What the pager reads, to spread into a page's context: `page` (the page asked for by `?page=`,
    or `param`), `query` (the request's other parameters, kept on every page link, so filters survive
    paging) and `page_range` (the page numbers to show, elided). A page number that is not one, or is
    past the end, gives the nearest page rather than an error."""
    page = Paginator(items, size).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return {
        "page": page,
        "query": query.urlencode(),
        "page_range": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
    }

"""The pages' pickers read the region and industry trees one level at a time from here."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from reference import selectors


def _children(request, children) -> JsonResponse:
    options = children(request.GET.get("parent", ""))
    return JsonResponse({"items": [{"code": o.code, "name": o.name} for o in options]})


@require_GET
@cache_control(max_age=3600, public=True)
def regions_json(request):
    """Children of a region code, or the provinces: `/reference/regions.json?parent=33`."""
    return _children(request, selectors.region_children)


@require_GET
@cache_control(max_age=3600, public=True)
def industries_json(request):
    """Children of an industry code, or the 门类: `/reference/industries.json?parent=C`."""
    return _children(request, selectors.industry_children)

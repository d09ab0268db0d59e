"""The pages' pickers read the region and industry trees one level at a time from here."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from reference import selectors


@require_GET
@cache_control(max_age=3600, public=True)
def regions_json(request):
    """Children of a region code, or the provinces: `/reference/regions.json?parent=33`."""
    items = [
        {"code": o.code, "name": o.name} for o in selectors.region_children(request.GET.get("parent", ""))
    ]
    return JsonResponse({"items": items})


@require_GET
@cache_control(max_age=3600, public=True)
def industries_json(request):
    """Children of an industry code, or the 门类: `/reference/industries.json?parent=C`."""
    items = [
        {"code": o.code, "name": o.name} for o in selectors.industry_children(request.GET.get("parent", ""))
    ]
    return JsonResponse({"items": items})

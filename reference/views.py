"""The pages' pickers read the region and industry trees one level at a time from here, and name the
codes typed into a field by hand (`?codes=`), so they are listed by name before the form is saved."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from reference import selectors
from reference.fields import split_list

# A field holds a handful of codes; a longer list is not a form being typed.
MAX_CODES = 50


def _children(request, children) -> JsonResponse:
    options = children(request.GET.get("parent", ""))
    return JsonResponse({"items": [{"code": o.code, "name": o.name} for o in options]})


def _labels(request, label) -> JsonResponse:
    """The codes' names as a field lists them ("3553 缝制机械制造"); codes naming nothing in `unknown`."""
    codes = split_list(request.GET.get("codes", ""))
    if len(codes) > MAX_CODES:
        return JsonResponse({"error": f"一次最多查询 {MAX_CODES} 个代码。"}, status=400)
    named = [(code, label(code)) for code in codes]
    return JsonResponse(
        {
            "items": [{"code": code, "name": name} for code, name in named if name],
            "unknown": [code for code, name in named if not name],
        }
    )


@require_GET
@cache_control(max_age=3600, public=True)
def regions_json(request):
    """Children of a region code, or the provinces: `/reference/regions.json?parent=33`; the names of
    typed codes: `?codes=331002,3310`."""
    if "codes" in request.GET:
        return _labels(request, selectors.region_label)
    return _children(request, selectors.region_children)


@require_GET
@cache_control(max_age=3600, public=True)
def industries_json(request):
    """Children of an industry code, or the 门类: `/reference/industries.json?parent=C`; the names of
    typed codes: `?codes=3553,3584`."""
    if "codes" in request.GET:
        return _labels(request, selectors.industry_label)
    return _children(request, selectors.industry_children)

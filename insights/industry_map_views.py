"""产业图谱 pages: the tree table for a region and its xlsx/csv export (exactly the rows shown)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.exports import table_response
from insights import industry_map as im

EXPORT_FORMATS = {"xlsx", "csv"}


@login_required
def industry_map_page(request):
    root = im.map_root_region(request.user)  # PermissionDenied (403) for roles without a map
    error = None
    try:
        region = im.map_region_resolve(request.user, request.GET.get("region"))
    except im.IndustryMapError as exc:
        error, region = exc.message, root
    try:
        period = im.map_period_parse(request.GET)
    except im.IndustryMapError as exc:
        error, period = error or exc.message, im.ALL_TIME
    the_map = im.industry_map(region=region, period=period)
    rows = im.industry_map_rows(the_map)
    fmt = request.GET.get("format", "")
    if fmt in EXPORT_FORMATS and error is None:
        stem = "产业图谱_{name}".format(name=region.name if region else "全国")
        if period.label:
            stem += "_" + period.label.replace(" 至 ", "至")
        return table_response(im.TABLE_HEADERS, [row.cells for row in rows], stem, fmt)
    # Links on the page (breadcrumbs, exports) keep the period; the region is added per link.
    period_query = urlencode(period.as_params())
    context = {
        "region": region,
        "period": period,
        "period_query": period_query,
        "date_from": request.GET.get("date_from", "")[:10],
        "date_to": request.GET.get("date_to", "")[:10],
        "path": im.map_region_path(region, root),
        "subregions": im.map_subregions(region),
        "rows": rows,
        "sections": [node.as_dict() for node in the_map.sections],
        "headers": im.TABLE_HEADERS,
        "error": error,
        "thresholds": {"well": int(im.SERVED_WELL_AT * 100), "partly": int(im.SERVED_PARTLY_AT * 100)},
    }
    return render(request, "insights/industry_map.html", context, status=400 if error else 200)

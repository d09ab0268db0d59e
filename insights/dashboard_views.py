"""The government dashboard's pages: one page with every figure, the needs behind a matrix cell, and
the exports. Thin: parse the filters, ask the selectors (insights.dashboard), render."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from core.exports import table_response
from demand.models import ServiceType
from insights import dashboard
from insights.dashboard_filters import (
    FILTER_FIELDS,
    LEVEL_CHOICES,
    FilterError,
    check_region,
    default_map_parent,
    parse_filters,
    parse_options,
    scope_for,
)
from insights.dashboard_tables import build_all, one_table
from reference.models import Region
from reference.selectors import industry_label, region_chain, region_label

STATUS_CHOICES = [
    ("published", "已发布"),
    ("engaged", "对接中"),
    ("resolved", "已解决"),
    ("closed", "已关闭"),
    ("expired", "已过期"),
]


def _scope(user):
    scope = scope_for(user)
    if scope is None:
        raise PermissionDenied("只有政府用户、平台管理员以及科技处、学院管理员可以查看需求仪表盘。")
    return scope


def _parse(request, scope):
    filters = parse_filters(request.GET)
    options = parse_options(request.GET, default_parent=default_map_parent(scope))
    check_region(scope, filters.region)
    check_region(scope, options.parent, allow_above=True)
    return filters, options


def _map_info(scope, options, regions: dict) -> dict:
    """What the map script needs: the GeoJSON to register (China's provinces, or a province's cities;
    a city's or a municipality's counties are points on its outline, from the same file), that outline,
    the regions one click drills into and the counties one click filters to. All of it follows from
    the map's own rows (dashboard.needs_by_region, `regions`): counties (level 6) are the last level."""
    parent = options.parent
    province = parent[:2]
    points = regions["level"] == 6
    codes = [row["code"] for row in regions["rows"]]
    return {
        "geo_url": static(f"maps/cities/{province}.json") if province else static("maps/china.json"),
        "map_key": f"cn-{parent or 'china'}",
        "parent": parent,
        "outline": parent if points else "",
        # A province's directly administered counties (6 digits) are on its map but go no deeper.
        "drillable": [] if points else [c for c in codes if len(c) < 6 and scope.related(c)],
        # Counties a click narrows the whole page to (the region filter): only those in the scope.
        "filterable": [c for c in codes if scope.contains(c)] if points else [],
        "metric": options.metric,
    }


def _map_province(parent: str) -> dict | None:
    """The province a city's county map goes back up to: {"code", "name"}; None elsewhere (China, a
    province, a municipality: one step up from those is China)."""
    if len(parent) != 4:
        return None
    return {"code": parent[:2], "name": region_label(parent[:2])}


REGION_LEVELS = ("省份", "城市", "区县")


def _region_picker(scope, code: str) -> dict:
    """The region filter's picker: the levels under the viewer's own region (a city's viewer picks among
    its counties), pre-selected on `code`; no levels for a county's viewer, who has nothing to narrow."""
    root = scope.region_code
    return {
        "root": root,
        "labels": ",".join(REGION_LEVELS[len(root) // 2 :]),
        "chain": [c for c in region_chain(code) if len(c) > len(root)],
    }


@login_required
def dashboard_page(request):
    scope = _scope(request.user)
    context = {
        "scope": scope,
        "service_types": ServiceType.choices,
        "statuses": STATUS_CHOICES,
        "levels": [(value, dashboard.LEVELS[value]) for value in LEVEL_CHOICES],
        "params": {k: request.GET.get(k, "") for k in (*FILTER_FIELDS, "level", "days", "parent", "metric")},
        "region_picker": _region_picker(scope, request.GET.get("region", "")),
        "strong_score": dashboard.STRONG_MATCH_SCORE,
    }
    try:
        filters, options = _parse(request, scope)
    except FilterError as exc:
        context["errors"] = exc.errors
        return render(request, "insights/dashboard.html", context, status=400)
    figures = build_all(scope, filters, options)
    query = {
        **filters.as_params(),
        "level": options.level,
        "days": str(options.days),
        "parent": options.parent,
    }
    context.update(
        {
            "filters": filters,
            "options": options,
            "figures": figures["data"],
            "tables": figures["tables"],
            "summary": dashboard.dashboard_summary(scope, filters, unanswered_days=options.days),
            "map_info": _map_info(scope, options, figures["data"]["regions"]),
            "query": urlencode({k: v for k, v in query.items() if v}),
            # The map's links up a level set the parent themselves.
            "map_query": urlencode({k: v for k, v in query.items() if v and k != "parent"}),
            "page_urls": {
                "cell": reverse("dashboard:cell"),
                "query": urlencode({k: v for k, v in query.items() if v}),
            },
            "industry_label": industry_label(filters.industry) if filters.industry else "",
            "region_label": region_label(filters.region) if filters.region else "",
            "parent_label": region_label(options.parent) if options.parent else "全国",
            "map_province": _map_province(options.parent),
            "unplaced": [r["name"] for r in figures["data"]["regions"]["rows"] if r["seat"] is None]
            if figures["data"]["regions"]["level"] == 6
            else [],
        }
    )
    return render(request, "insights/dashboard.html", context)


def _cell_template(request) -> str:
    fragment = request.GET.get("fragment") == "1"
    return "insights/_dashboard_cell.html" if fragment else "insights/dashboard_cell.html"


@login_required
def dashboard_cell(request):
    """The needs behind one matrix cell (a fragment the page shows under the heatmap, or a page)."""
    scope = _scope(request.user)
    try:
        filters, options = _parse(request, scope)
    except FilterError as exc:
        return render(request, _cell_template(request), {"errors": exc.errors}, status=400)
    region = request.GET.get("cell_region", "").strip()
    industry = request.GET.get("cell_industry", "").strip().upper()
    if not region.isdigit():
        return render(
            request, _cell_template(request), {"errors": {"cell_region": "请指定地区。"}}, status=400
        )
    cell = dashboard.matrix_cell_needs(scope, filters, region=region, industry=industry, level=options.level)
    names = dict(Region.objects.filter(code=region).values_list("code", "name"))
    context = {
        "cell": cell,
        "region_name": names.get(region, region),
        "industry": industry,
        "industry_label": industry_label(industry) if industry else "（未细分到大类）",
    }
    return render(request, _cell_template(request), context)


@login_required
def dashboard_export(request, name, fmt):
    scope = _scope(request.user)
    if fmt not in ("xlsx", "csv"):
        raise Http404
    try:
        filters, options = _parse(request, scope)
    except FilterError as exc:
        return HttpResponseBadRequest(
            "；".join(exc.errors.values()), content_type="text/plain; charset=utf-8"
        )
    table = one_table(name, scope, filters, options)
    if table is None:
        raise Http404
    return table_response(table.headers, table.rows, table.title, fmt)

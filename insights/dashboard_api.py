"""The dashboard's figures as JSON under /api/v1/: plain DRF views calling the same selectors as the
pages (insights.dashboard), with one serializer for the query parameters.

Errors: bad parameters answer 400 with the Chinese message per field; a region outside the asker's
scope, or a role without a dashboard, answers 403.
"""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from insights import dashboard
from insights.dashboard_filters import FilterError, check_region, parse_filters, parse_options, scope_for


class DashboardQuerySerializer(serializers.Serializer):
    """The query parameters every dashboard endpoint reads (all optional)."""

    date_from = serializers.CharField(
        required=False, allow_blank=True, help_text="发布日期起（含），YYYY-MM-DD"
    )
    date_to = serializers.CharField(
        required=False, allow_blank=True, help_text="发布日期止（含），YYYY-MM-DD"
    )
    industry = serializers.CharField(
        required=False, allow_blank=True, help_text="GB/T 4754-2017 任一级行业代码"
    )
    service_type = serializers.CharField(required=False, allow_blank=True, help_text="需求类型")
    status = serializers.CharField(required=False, allow_blank=True, help_text="需求状态")
    region = serializers.CharField(required=False, allow_blank=True, help_text="地区代码（须在查看范围内）")
    level = serializers.CharField(
        required=False, allow_blank=True, help_text="section（门类）或 division（大类）"
    )
    days = serializers.CharField(required=False, allow_blank=True, help_text="未响应天数，默认 30")
    parent = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="地图上级地区代码：空为全国（各省），2 位为一省（各市），4 位为一市（各区县）",
    )

    def validate(self, attrs):
        try:
            attrs["filters"] = parse_filters(attrs)
            attrs["options"] = parse_options(attrs)
        except FilterError as exc:
            raise serializers.ValidationError(exc.errors) from exc
        return attrs


class ScopeSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="查看范围的地区代码，空为全国")
    name = serializers.CharField()
    label = serializers.CharField()


class DashboardResponseSerializer(serializers.Serializer):
    """Every dashboard answer: who it is for, the filters applied, and the figure (see each endpoint)."""

    scope = ScopeSerializer()
    filters = serializers.DictField(child=serializers.CharField())
    data = serializers.JSONField(help_text="图表数据，结构见 insights.dashboard 中对应函数的说明")


CELL_PARAMETERS = [
    OpenApiParameter("cell_region", str, description="矩阵行的地区代码", required=True),
    OpenApiParameter("cell_industry", str, description="矩阵列的行业代码（门类字母或大类两位数字）"),
]


class DashboardView(APIView):
    """Base: resolve the scope (403 without one), validate the query, call `figure`."""

    def figure(self, scope, filters, options, request):  # pragma: no cover - overridden
        raise NotImplementedError

    def get(self, request):
        scope = scope_for(request.user)
        if scope is None:
            raise PermissionDenied("只有政府用户、平台管理员以及科技处、学院管理员可以查看需求仪表盘。")
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters, options = query.validated_data["filters"], query.validated_data["options"]
        check_region(scope, filters.region)
        check_region(scope, options.parent, allow_above=True)
        body = {
            "scope": {"region": scope.region_code, "name": scope.region_name, "label": scope.label},
            "filters": filters.as_params(),
            "data": self.figure(scope, filters, options, request),
        }
        return Response(body)


@extend_schema(
    parameters=[DashboardQuerySerializer],
    responses=DashboardResponseSerializer,
    summary="各地区需求数与预算（地图）",
)
class RegionsMapView(DashboardView):
    """Need count and budget per region below `parent` (provinces when empty): the map's numbers."""

    def figure(self, scope, filters, options, request):
        return dashboard.needs_by_region(scope, filters, parent=options.parent)


@extend_schema(
    parameters=[DashboardQuerySerializer],
    responses=DashboardResponseSerializer,
    summary="需求热力图（地区×行业）",
)
class HeatmapView(DashboardView):
    """The demand heatmap: need counts by region × industry (门类 or 大类)."""

    def figure(self, scope, filters, options, request):
        return dashboard.region_industry_matrix(scope, filters, level=options.level)


@extend_schema(
    parameters=[DashboardQuerySerializer, *CELL_PARAMETERS],
    responses=DashboardResponseSerializer,
    summary="热力图单元格内的公开需求",
)
class HeatmapCellView(DashboardView):
    """The public needs behind one matrix cell: `cell_region` and `cell_industry` (with `level`)."""

    def figure(self, scope, filters, options, request):
        region = request.query_params.get("cell_region", "").strip()
        if not region.isdigit():
            raise serializers.ValidationError({"cell_region": "请指定地区代码。"})
        industry = request.query_params.get("cell_industry", "").strip().upper()
        return dashboard.matrix_cell_needs(
            scope, filters, region=region, industry=industry, level=options.level
        )


@extend_schema(
    parameters=[DashboardQuerySerializer],
    responses=DashboardResponseSerializer,
    summary="供需缺口与未响应行业排名",
)
class GapView(DashboardView):
    """Supply–demand gap: the unanswered ranking per industry and the region × industry rows."""

    def figure(self, scope, filters, options, request):
        return {
            "unanswered_days": options.days,
            "ranking": dashboard.unanswered_ranking(
                scope, filters, level=options.level, unanswered_days=options.days
            ),
            "rows": dashboard.supply_gap(scope, filters, level=options.level, unanswered_days=options.days),
        }


@extend_schema(
    parameters=[DashboardQuerySerializer], responses=DashboardResponseSerializer, summary="各行业月度需求趋势"
)
class TrendView(DashboardView):
    """Needs published per month per industry."""

    def figure(self, scope, filters, options, request):
        return dashboard.monthly_trend(scope, filters, level=options.level)


@extend_schema(
    parameters=[DashboardQuerySerializer], responses=DashboardResponseSerializer, summary="对接漏斗"
)
class FunnelView(DashboardView):
    """Posted → recommended → engaged → completed, with median days between steps."""

    def figure(self, scope, filters, options, request):
        return dashboard.matching_funnel(scope, filters)


@extend_schema(
    parameters=[DashboardQuerySerializer], responses=DashboardResponseSerializer, summary="仪表盘汇总数字"
)
class SummaryView(DashboardView):
    """The headline numbers."""

    def figure(self, scope, filters, options, request):
        return dashboard.dashboard_summary(scope, filters, unanswered_days=options.days)

"""上报导出 in the API: list, generate, show and download the problem and project libraries, through
the same services and visibility as the page (insights.reports)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from insights import reports
from insights.models import ReportExport


class ReportExportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=ReportExport.Kind.choices, help_text="problems 问题库、projects 项目库"
    )
    period_from = serializers.DateField(help_text="起始日期（含），北京时间")
    period_to = serializers.DateField(help_text="截止日期（含），不晚于今天，跨度不超过三年")
    region_code = serializers.CharField(
        required=False, allow_blank=True, max_length=12, help_text="统计用区划代码；留空为全国"
    )
    formats = serializers.ListField(
        child=serializers.ChoiceField(choices=list(reports.FORMATS)),
        required=False,
        default=list(reports.FORMATS),
        help_text="xlsx 和/或 jsonl；默认两种都生成",
    )


class ReportRegionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ReportDownloadsSerializer(serializers.Serializer):
    xlsx = serializers.CharField(allow_null=True, help_text="下载地址；未生成该格式时为空")
    jsonl = serializers.CharField(allow_null=True, help_text="下载地址；未生成该格式时为空")


class ReportExportSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    region = ReportRegionSerializer(allow_null=True, help_text="导出的地区；全国时为空")
    university = serializers.CharField(source="university.name", allow_null=True, default=None)
    created_by = serializers.CharField(source="created_by.__str__", allow_null=True, default=None)
    formats = serializers.ListField(child=serializers.ChoiceField(choices=list(reports.FORMATS)))
    downloads = serializers.SerializerMethodField()

    class Meta:
        model = ReportExport
        fields = [
            "id",
            "kind",
            "kind_label",
            "period_from",
            "period_to",
            "region",
            "university",
            "formats",
            "status",
            "status_label",
            "error",
            "rows_count",
            "created_by",
            "created_at",
            "finished_at",
            "downloads",
        ]

    @extend_schema_field(ReportDownloadsSerializer)
    def get_downloads(self, export) -> dict:
        files = {"xlsx": export.xlsx_file, "jsonl": export.jsonl_file}
        return {
            fmt: reverse("api:report-export-download", args=[export.pk, fmt]) if field else None
            for fmt, field in files.items()
        }


def _visible(user, pk) -> ReportExport:
    """An export the asker may see, or a 404 (never a hint that it exists for someone else)."""
    export = reports.report_exports_visible_to(user).filter(pk=pk).first()
    if export is None:
        raise NotFound
    return export


def _may_generate(user):
    if not reports.report_may_generate(user):
        raise PermissionDenied


class ReportExportList(generics.ListCreateAPIView):
    """The exports the asker may see (an S&T office its university's, a platform administrator all),
    newest first; POST generates one (inline, or on the workers when a broker is set)."""

    serializer_class = ReportExportSerializer
    filter_backends: list = []

    def get_queryset(self):
        _may_generate(self.request.user)
        return reports.report_exports_visible_to(self.request.user)

    @extend_schema(summary="上报导出列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ReportExportCreateSerializer, responses={201: ReportExportSerializer}, summary="生成上报导出"
    )
    def post(self, request, *args, **kwargs):
        _may_generate(request.user)
        data = ReportExportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        export = reports.report_export_request(by=request.user, **data.validated_data)
        export = reports.report_exports_visible_to(request.user).get(pk=export.pk)
        return Response(ReportExportSerializer(export).data, status=status.HTTP_201_CREATED)


class ReportExportDetail(generics.RetrieveAPIView):
    serializer_class = ReportExportSerializer

    @extend_schema(summary="一份上报导出")
    def get(self, request, *args, **kwargs):
        export = _visible(request.user, kwargs["pk"])
        return Response(self.get_serializer(export).data)


class ReportExportDownload(generics.GenericAPIView):
    serializer_class = None

    @extend_schema(
        summary="下载上报导出",
        parameters=[OpenApiParameter("fmt", str, OpenApiParameter.PATH, enum=list(reports.FORMATS))],
        responses={
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            (200, "application/x-ndjson"): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, pk, fmt):
        export = _visible(request.user, pk)
        field = {"xlsx": export.xlsx_file, "jsonl": export.jsonl_file}.get(fmt)
        if not field:
            raise NotFound("该导出没有此格式的文件。")
        return FileResponse(
            field.open("rb"),
            as_attachment=True,
            filename=reports.download_name(export, fmt),
            content_type=reports.CONTENT_TYPES[fmt],
        )

"""The API for importing an Appendix D application batch (附录D 申报表, xlsx) and its blank template.

The same form (teams.forms.ImportForm: the file's type and content, a call of the asker's university)
and the same service (teams.importing.applications_import) as the import page: every row is checked,
one wrong row saves nothing, and every problem comes back by row.
"""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import error_body
from core.api_support import parsed_form
from teams import forms
from teams.errors import TeamsError
from teams.importing import ImportRejected, applications_import, blank_workbook
from teams.permissions import application_importer

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAME = (
    "%E7%A7%91%E6%8A%80%E5%B0%8F%E5%88%86%E9%98%9F%E7%94%B3%E6%8A%A5%E8%A1%A8.xlsx"  # 科技小分队申报表
)


class ImportInput(serializers.Serializer):
    file = serializers.FileField(label=_("申报表（.xlsx，附录D格式）"))
    call = serializers.IntegerField(
        label=_("申报批次"), required=False, help_text=_("本校的申报批次编号，可不填")
    )


class ImportedTeamSerializer(serializers.Serializer):
    row = serializers.IntegerField(source="import_row", label=_("表中行号"))
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(label=_("导入的申报数"))
    teams = ImportedTeamSerializer(many=True)


def _require_importer(user) -> None:
    if not application_importer(user):
        raise TeamsError(_("只有学院或科技处管理员可以导入申报表。"), code="forbidden")


def rejected_response(exc: ImportRejected) -> Response:
    """400 in the one error shape; `fields` lists the problems by spreadsheet row (`rows.5`), and those
    about the whole file (the college line) under `file`."""
    fields: dict[str, list[str]] = {}
    for row, message in exc.errors:
        fields.setdefault(f"rows.{row}" if row else "file", []).append(str(message))
    return Response(error_body("import_rejected", None, fields), status=status.HTTP_400_BAD_REQUEST)


class ApplicationImportView(APIView):
    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={201: ImportResultSerializer},
        summary="导入申报表",
    )
    def post(self, request):
        """Each row becomes an application submitted for the college's review, or nothing is saved."""
        _require_importer(request.user)
        form = parsed_form(forms.ImportForm, request.POST, files=request.FILES, user=request.user)
        try:
            teams = applications_import(
                file=form.cleaned_data["file"], by=request.user, call=form.cleaned_data["call"]
            )
        except ImportRejected as exc:
            return rejected_response(exc)
        body = {"created": len(teams), "teams": teams}
        return Response(ImportResultSerializer(body).data, status=status.HTTP_201_CREATED)


class ApplicationImportTemplateView(APIView):
    @extend_schema(
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="下载空白申报表",
    )
    def get(self, request):
        _require_importer(request.user)
        response = HttpResponse(blank_workbook(), content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{TEMPLATE_NAME}"
        return response

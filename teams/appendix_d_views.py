"""Appendix D, filled and ready to stamp: the page listing each call's batches the asker may print, the
download (xlsx or PDF) and its API twin. Both call teams.appendix_d; core.documents lays it out."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from core import documents, exports
from core.api_support import one_of, parsed
from teams.appendix_d import appendix_d, batches_for, colleges_for
from teams.models import Call


def _file(call, college, kind) -> HttpResponse:
    body = documents.render([appendix_d(college, call)], kind)
    return exports.download(body, f"{call.year}_{college.name}_科技小分队申报表.{kind}", documents.MIME[kind])


@login_required
def batches(request):
    return render(request, "teams/appendix_d.html", {"batches": batches_for(request.user)})


@login_required
def download(request, call_pk: int, college_pk: int, kind: str):
    if kind not in documents.MIME:
        raise Http404
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=call_pk)
    college = get_object_or_404(colleges_for(request.user), pk=college_pk, university_id=call.university_id)
    return _file(call, college, kind)


class DownloadQuery(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("文件格式"), choices=[("xlsx", "Excel"), ("pdf", "PDF")])


class AppendixDView(APIView):
    """A college's Appendix D for a call (附录D 申报表, filled): its administrator, its S&T office."""

    @extend_schema(
        parameters=[DownloadQuery],
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY)},
        summary="下载附录D申报表",
    )
    def get(self, request, call_pk: int, college_pk: int):
        kind = parsed(DownloadQuery, request.query_params)["kind"]
        call = one_of(Call.objects.visible_to(request.user), call_pk)
        college = one_of(colleges_for(request.user).filter(university_id=call.university_id), college_pk)
        return _file(call, college, kind)

"""上报导出 pages: the S&T office (and platform administrators) generate the problem and project
libraries for a period and region and download the last exports kept."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from insights import reports
from insights.report_forms import ReportExportForm


@login_required
def report_list(request):
    if not reports.report_may_generate(request.user):
        raise PermissionDenied("只有科技处管理员和平台管理员可以使用上报导出。")
    initial = {}
    university = request.user.university if request.user.university_id else None
    if university and university.region_id:
        initial["region_code"] = university.region.code
    form = ReportExportForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                export = reports.report_export_request(by=request.user, **form.cleaned_data)
            except reports.ReportError as exc:
                form.add_error(None, exc.message)
            else:
                export.refresh_from_db()
                if export.status == export.Status.DONE:
                    messages.success(
                        request, f"已生成{export.get_kind_display()}，共 {export.rows_count} 行。"
                    )
                else:
                    messages.success(request, "导出已提交，生成后可在下方下载。")
                return redirect("reports:list")
        status = 400
    context = {
        "form": form,
        "exports": reports.report_exports_visible_to(request.user)[:50],
        "keep": reports.REPORT_KEEP,
    }
    return render(request, "insights/reports.html", context, status=status)


@login_required
def report_download(request, pk, fmt):
    export = get_object_or_404(reports.report_exports_visible_to(request.user), pk=pk)
    field = {"xlsx": export.xlsx_file, "jsonl": export.jsonl_file}.get(fmt)
    if not field:
        raise Http404("该导出没有此格式的文件。")
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=reports.download_name(export, fmt),
        content_type=reports.CONTENT_TYPES[fmt],
    )

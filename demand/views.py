"""Pages for needs: the demand hall, a need's page, an enterprise's needs, posting and moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from demand import forms, selectors, services
from demand.errors import DemandError
from reference.models import Region

PAGE_SIZE = 20


def _report(form, exc: DemandError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def hall(request):
    form = forms.HallFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    needs = selectors.hall_needs(**{k: v for k, v in filters.items() if v})
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "demand/hall.html", {"form": form, "page": page, "query": query.urlencode()})


def regions_json(request):
    """Children of a region code (or the provinces), for the cascading selects."""
    parent = request.GET.get("parent", "").strip()
    qs = (
        Region.objects.filter(parent__code=parent)
        if parent
        else Region.objects.filter(level=Region.Level.PROVINCE)
    )
    return JsonResponse({"regions": list(qs.order_by("code").values("code", "name"))})


def industries_json(request):
    """Children of an industry code (or the 门类), for the cascading selects."""
    from reference.models import Industry

    parent = request.GET.get("parent", "").strip().upper()
    qs = Industry.objects.filter(parent__code=parent) if parent else Industry.objects.filter(level=0)
    return JsonResponse({"industries": list(qs.order_by("code").values("code", "name"))})


def need_detail(request, pk: int):
    need = selectors.need_visible_to(request.user, pk)
    if need is None:
        raise Http404
    owner = selectors.is_owner(request.user, need)
    context = {
        "need": need,
        "enterprise_name": selectors.enterprise_display_name(need),
        "is_owner": owner,
        "is_moderator": selectors.is_moderator(request.user),
        "events": need.events.select_related("actor") if owner else [],
        "close_form": forms.ReasonForm(),
        "attachments": need.attachments.all(),
    }
    return render(request, "demand/need_detail.html", context)


@login_required
def my_needs(request):
    if request.user.role != Role.ENTERPRISE:
        raise PermissionDenied
    needs = selectors.needs_of_enterprise(request.user).order_by("-created_at")
    return render(request, "demand/my_needs.html", {"needs": needs})


@login_required
def need_create(request):
    if request.user.role != Role.ENTERPRISE:
        raise PermissionDenied
    form = forms.NeedForm(request.POST or None, initial={"show_enterprise": True})
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(by=request.user, **form.service_arguments())
            if "submit" in request.POST:
                services.need_submit(need=need, by=request.user)
        except DemandError as exc:
            _report(form, exc)
        else:
            messages.success(request, "需求已提交审核。" if "submit" in request.POST else "需求草稿已保存。")
            return redirect("demand:detail", pk=need.pk)
    return render(request, "demand/need_form.html", {"form": form, "creating": True})


@login_required
def need_edit(request, pk: int):
    need = selectors.need_visible_to(request.user, pk)
    if need is None or not selectors.is_owner(request.user, need):
        raise Http404
    fixed = need.status in (need.Status.PUBLISHED, need.Status.ENGAGED)
    form = forms.NeedForm(request.POST or None, initial=forms.NeedForm.initial_for(need), fixed=fixed)
    if request.method == "POST" and form.is_valid():
        try:
            services.need_update(need=need, by=request.user, **form.service_arguments())
        except DemandError as exc:
            _report(form, exc)
        else:
            messages.success(request, "需求已更新。")
            return redirect("demand:detail", pk=need.pk)
    return render(request, "demand/need_form.html", {"form": form, "need": need})


def _owned(request, pk):
    need = selectors.need_visible_to(request.user, pk)
    if need is None:
        raise Http404
    return need


@require_POST
@login_required
def need_submit(request, pk: int):
    need = _owned(request, pk)
    try:
        services.need_submit(need=need, by=request.user)
    except DemandError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "需求已提交审核。")
    return redirect("demand:detail", pk=pk)


@require_POST
@login_required
def need_close(request, pk: int):
    need = _owned(request, pk)
    form = forms.ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise DemandError("关闭需求需要填写原因（200 字以内）。")
        services.need_close(need=need, by=request.user, reason=form.cleaned_data["reason"])
    except DemandError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "需求已关闭。")
    return redirect("demand:detail", pk=pk)


@login_required
def moderation(request):
    if not selectors.is_moderator(request.user):
        raise PermissionDenied
    if request.method == "POST":
        need = selectors.moderation_queue().filter(pk=request.POST.get("need")).first()
        form = forms.ModerateForm(request.POST)
        if need is None or not form.is_valid():
            messages.error(request, "请选择待审核的需求和审核结论。")
        else:
            try:
                services.need_moderate(need=need, by=request.user, **form.cleaned_data)
            except DemandError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "已发布需求。" if form.cleaned_data["approve"] else "已退回需求。")
        return redirect("demand:moderation")
    return render(request, "demand/moderation.html", {"needs": selectors.moderation_queue()})


@require_POST
@login_required
def attachment_add(request, pk: int):
    need = _owned(request, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DemandError("请选择要上传的文件。")
        services.need_attachment_add(need=need, by=request.user, upload=upload)
    except DemandError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "附件已上传。")
    return redirect("demand:detail", pk=pk)


def attachment_download(request, pk: int):
    """Served only to those who may see the need; never from a public media URL."""
    from django.http import FileResponse

    from demand.models import NeedAttachment

    attachment = NeedAttachment.objects.filter(pk=pk).select_related("need").first()
    if attachment is None or selectors.need_visible_to(request.user, attachment.need_id) is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)

"""Pages for needs: the demand hall, a need's page, an enterprise's needs, posting and moderation.

Thin: a form parses, one service call does the work, a DemandError is shown on the form (the services
are atomic, so nothing was saved), success redirects with a message. Every read goes through
demand.selectors, which answer for the user who asks: what they may not see is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.scope import is_enterprise_user
from core.paging import page_of
from demand import forms, selectors, services
from demand.errors import DemandError
from demand.models import Need, NeedAttachment

N = Need.Status


def _report(form, exc: DemandError) -> None:
    """A domain error on the field it names, or on the form as a whole."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _require_enterprise(user) -> None:
    if not is_enterprise_user(user) or not user.enterprise_id:
        raise PermissionDenied


# ------------------------------------------------------------------------------------------------ hall


@require_GET
def hall(request):
    form = forms.HallFilterForm(request.GET or None)
    filters = form.filters()  # the filters that parsed apply; the others show their error
    paging = page_of(request, selectors.hall_needs(**filters))
    return render(
        request,
        "demand/hall.html",
        {
            "form": form,
            **paging,
            "words": selectors.search_words(filters.get("q", "")),
            "filtered": bool(filters),
            "fold_filters": not (set(filters) - {"q"}),
            **_picker_chains(filters),
        },
    )


def _picker_chains(filters: dict) -> dict:
    """The codes that pre-select the region and industry pickers of the needs' filters."""
    return {
        "region_chain": selectors.region_chain(filters.get("region", "")),
        "industry_chain": selectors.industry_chain(filters.get("industry", "")),
    }


# -------------------------------------------------------------------------------------------- one need


def _detail(request, need: Need, *, close_form=None, status=200):
    user = request.user
    owner = selectors.is_owner(user, need)
    approved = _enterprise_approved(user)
    return render(
        request,
        "demand/need_detail.html",
        {
            "need": need,
            "is_owner": owner,
            "is_moderator": selectors.is_moderator(user),
            "can_edit": owner and need.status in selectors.EDITABLE_STATUSES,
            "can_close": (owner or selectors.is_moderator(user))
            and need.status in selectors.CLOSABLE_STATUSES,
            "can_resolve": (owner or selectors.is_moderator(user))
            and need.status in selectors.RESOLVABLE_STATUSES,
            "can_submit": owner and need.status == N.DRAFT and approved,
            "enterprise_pending": owner and not approved,
            "can_see_recommendations": owner and need.status in (N.PUBLISHED, N.ENGAGED),
            "events": selectors.need_events(user, need),
            "close_form": close_form or forms.CloseForm(),
            "attachments": need.attachments.all(),
        },
        status=status,
    )


@require_GET
def need_detail(request, pk: int):
    need = selectors.need_visible_to(request.user, pk)
    if need is None:
        raise Http404
    return _detail(request, need)


@login_required
@require_GET
def my_needs(request):
    _require_enterprise(request.user)
    status = request.GET.get("status", "")
    paging = page_of(request, selectors.needs_of_enterprise(request.user, status=status))
    counts = selectors.status_counts_of_enterprise(request.user)
    return render(
        request,
        "demand/my_needs.html",
        {
            **paging,
            "status": status,
            "tabs": [(value, label, counts[value]) for value, label in N.choices],
            "total": sum(counts.values()),
        },
    )


def _enterprise_approved(user) -> bool:
    enterprise = getattr(user, "enterprise", None)
    return enterprise is not None and enterprise.is_approved


def _form_page(request, form, need=None, *, status=200):
    value = lambda name: (form.data.get(name) if form.is_bound else form.initial.get(name)) or ""  # noqa: E731
    approved = _enterprise_approved(request.user)
    return render(
        request,
        "demand/need_form.html",
        {
            "form": form,
            "need": need,
            "creating": need is None,
            "enterprise_pending": not approved,
            "can_submit": (need is None or need.status == N.DRAFT) and approved,
            "industry_chain": selectors.industry_chain(value("industry")),
            "region_chain": selectors.region_chain(value("region")),
            "industry_label": selectors.industry_label(need.industry.code) if need else "",
            "region_label": selectors.region_label(need.region.code) if need else "",
        },
        status=status,
    )


@login_required
def need_create(request):
    _require_enterprise(request.user)
    initial = forms.NeedForm.initial_for_enterprise(request.user.enterprise)
    form = forms.NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            # "保存并提交审核" is one service (as the API): it succeeds or leaves nothing behind.
            need = services.need_create_and_submit(by=request.user, submit=submit, **form.service_arguments())
        except DemandError as exc:
            _report(form, exc)
        else:
            messages.success(
                request,
                _("需求已提交审核，审核通过后将在需求大厅发布。") if submit else _("需求草稿已保存。"),
            )
            return redirect("demand:detail", pk=need.pk)
    return _form_page(request, form)


@login_required
def need_edit(request, pk: int):
    need = selectors.need_owned_by(request.user, pk)
    if need is None:
        raise Http404
    if need.status not in selectors.EDITABLE_STATUSES:
        messages.error(request, _("需求当前为“%(s)s”，不能修改。") % {"s": need.get_status_display()})
        return redirect("demand:detail", pk=need.pk)
    fixed = need.status in (N.PUBLISHED, N.ENGAGED)
    form = forms.NeedForm(request.POST or None, initial=forms.NeedForm.initial_for(need), fixed=fixed)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST and need.status == N.DRAFT
        try:
            need = services.need_update_and_submit(
                need=need, by=request.user, submit=submit, **form.service_arguments()
            )
        except DemandError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("需求已修改并提交审核。") if submit else _("需求已保存。"))
            return redirect("demand:detail", pk=need.pk)
    return _form_page(request, form, need)


@login_required
@require_POST
def need_submit(request, pk: int):
    need = selectors.need_owned_by(request.user, pk)
    if need is None:
        raise Http404
    try:
        services.need_submit(need=need, by=request.user)
    except DemandError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("需求已提交审核，审核通过后将在需求大厅发布。"))
    return redirect("demand:detail", pk=pk)


@login_required
@require_POST
def need_close(request, pk: int):
    need = selectors.need_visible_to(request.user, pk)
    if need is None:
        raise Http404
    form = forms.CloseForm(request.POST)
    if form.is_valid():
        try:
            services.need_close(need=need, by=request.user, reason=form.cleaned_data["reason"])
        except DemandError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied(exc.message) from exc
            _report(form, exc)
        else:
            messages.success(request, _("需求已关闭。"))
            return redirect("demand:detail", pk=pk)
    return _detail(request, need, close_form=form, status=400)


def _need_step(request, pk: int, run, *, done: str, then: str | None = None):
    """One button on a need the asker sees: its service, a refusal as a message (403 when the asker may
    not), `done` on success and then the need's page, or `then` (a page's URL name) when the need is gone."""
    need = selectors.need_visible_to(request.user, pk)
    if need is None:
        raise Http404
    try:
        run(need=need, by=request.user)
    except DemandError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("demand:detail", pk=pk)
    messages.success(request, done)
    return redirect(then) if then else redirect("demand:detail", pk=pk)


@login_required
@require_POST
def need_delete(request, pk: int):
    """删除草稿: the enterprise's own draft, gone with its attachments."""
    return _need_step(request, pk, services.need_draft_delete, done=_("需求草稿已删除。"), then="demand:mine")


@login_required
@require_POST
def need_resolve(request, pk: int):
    """问题已解决: the enterprise (or a moderator) marks the need solved; open proposals close with it."""
    return _need_step(
        request, pk, services.need_resolve, done=_("需求已标记为已解决，尚未达成的邀请、揭榜和指派随之关闭。")
    )


# ------------------------------------------------------------------------------------------ moderation


def _queue(request, *, bound=None, status=200):
    """The queue, narrowed by the hall's filters in the query, each need with its own form; `bound` is
    (need id, form) after a failed decision."""
    form = forms.ModerationFilterForm(request.GET or None)
    filters = form.filters()
    queue = selectors.moderation_queue(request.user)
    needs = list(selectors.moderation_filtered(queue, **filters))
    items = [
        (need, bound[1] if bound and bound[0] == need.pk else forms.ModerateForm(prefix=f"n{need.pk}"))
        for need in needs
    ]
    context = {
        "items": items,
        "form": form,
        "filtered": bool(filters),
        "queued": queue.count() if filters else None,
        "query": request.GET.urlencode(),
        **_picker_chains(filters),
    }
    return render(request, "demand/moderation.html", context, status=status)


@login_required
@require_GET
def moderation(request):
    if not selectors.is_moderator(request.user):
        raise PermissionDenied
    return _queue(request)


def _back_to_queue(request):
    """The queue as the moderator had filtered it (the filters ride on the decision's query string)."""
    query = request.GET.urlencode()
    return redirect(reverse("demand:moderation") + (f"?{query}" if query else ""))


@login_required
@require_POST
def moderate(request, pk: int):
    if not selectors.is_moderator(request.user):
        raise PermissionDenied
    need = selectors.moderation_queue(request.user).filter(pk=pk).first()
    if need is None:
        messages.error(request, _("该需求已不在待审核队列中。"))
        return _back_to_queue(request)
    form = forms.ModerateForm(request.POST, prefix=f"n{need.pk}")
    if form.is_valid():
        try:
            services.need_moderate(need=need, by=request.user, **form.cleaned_data)
        except DemandError as exc:
            form.add_error("comment" if exc.code == "comment_required" else None, exc.message)
        else:
            done = _("已发布需求：%(t)s") if form.cleaned_data["approve"] else _("已退回需求：%(t)s")
            messages.success(request, done % {"t": need.title})
            return _back_to_queue(request)
    return _queue(request, bound=(need.pk, form), status=400)


# ----------------------------------------------------------------------------------------- attachments


@login_required
@require_POST
def attachment_add(request, pk: int):
    need = selectors.need_owned_by(request.user, pk)
    if need is None:
        raise Http404
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DemandError(_("请选择要上传的文件。"), field="file")
        services.need_attachment_add(need=need, by=request.user, upload=upload)
    except DemandError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("附件已上传。"))
    return redirect("demand:detail", pk=pk)


@require_GET
def attachment_download(request, pk: int):
    """Served only to those who may see the need; never from a public media URL."""
    attachment = NeedAttachment.objects.filter(pk=pk).first()
    if attachment is None or selectors.need_visible_to(request.user, attachment.need_id) is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)

"""Pages for recommendations both ways, engagements and saved searches. Thin: one service per action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from demand.models import Need
from demand.selectors import enterprise_display_name, is_moderator, is_owner, need_visible_to
from matching import engagements as services
from matching import forms, saved_searches, selectors
from matching.errors import MatchingError
from matching.models import Engagement, SavedSearch
from teams.selectors import teams_serving


@login_required
def need_recommendations(request, pk: int):
    need = need_visible_to(request.user, pk)
    if need is None or not (is_owner(request.user, need) or is_moderator(request.user)):
        raise Http404
    open_teams = set(need.engagements.filter(status__in=services.OPEN).values_list("team_id", flat=True))
    return render(
        request,
        "matching/recommendations.html",
        {
            "need": need,
            "recommendations": selectors.need_recommendations(need),
            "open_teams": open_teams,
            "can_invite": is_owner(request.user, need) and need.status in services.NEED_OPEN,
        },
    )


@require_POST
@login_required
def invite(request, pk: int):
    need = need_visible_to(request.user, pk)
    if need is None or not is_owner(request.user, need):
        raise Http404
    form = forms.InviteForm(request.POST)
    team = teams_serving().filter(pk=request.POST.get("team")).first() if form.is_valid() else None
    if team is None:
        messages.error(request, "请选择要邀请的小分队。")
    else:
        try:
            services.engagement_invite(
                need=need, team=team, by=request.user, message=form.cleaned_data["message"]
            )
        except MatchingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已邀请“{team.name}”，等待团队确认。")
    return redirect("matching:need_recommendations", pk=need.pk)


@login_required
def feed(request):
    teams = selectors.teams_of_member(request.user)
    if not teams.exists():
        raise PermissionDenied
    team = teams.filter(pk=request.GET.get("team")).first() or teams.first()
    form = forms.FeedFilterForm(request.GET or None)
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v not in (None, "")}
    return render(
        request,
        "matching/feed.html",
        {
            "teams": teams,
            "team": team,
            "form": form,
            "items": selectors.team_feed(team, **filters)[:50],
            "searches": SavedSearch.objects.filter(team=team),
            "search_form": forms.SavedSearchForm(),
            "engaged": set(
                team.engagements.filter(status__in=services.OPEN).values_list("need_id", flat=True)
            ),
        },
    )


@require_POST
@login_required
def interest(request, team_pk: int):
    team = get_object_or_404(selectors.teams_of_member(request.user), pk=team_pk)
    form = forms.InterestForm(request.POST)
    need = Need.objects.filter(pk=request.POST.get("need"), status__in=services.NEED_OPEN).first()
    if not form.is_valid() or need is None:
        messages.error(request, "揭榜需要选择需求并填写简要方案。")
    else:
        try:
            services.engagement_express_interest(
                need=need, team=team, by=request.user, proposal=form.cleaned_data["proposal"]
            )
        except MatchingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已揭榜，等待企业确认。")
    return redirect(f"/matching/feed/?team={team.pk}")


@login_required
def engagement_list(request):
    return render(
        request, "matching/engagements.html", {"engagements": selectors.engagements_visible_to(request.user)}
    )


@login_required
def engagement_detail(request, pk: int):
    engagement = get_object_or_404(selectors.engagements_visible_to(request.user), pk=pk)
    user = request.user
    enterprise, team = services.enterprise_side(user, engagement), services.team_side(user, engagement)
    accepting = engagement.status == Engagement.Status.PROPOSED and services._accepting_side(user, engagement)
    contacts = None
    if engagement.contacts_visible and (enterprise or team or is_moderator(user)):
        contacts = {
            "enterprise": list(
                engagement.need.enterprise.users.filter(is_active=True).values("real_name", "phone", "email")
            ),
            "team": [
                {
                    "real_name": m.user.real_name or m.name,
                    "phone": m.user.phone,
                    "email": m.user.email,
                    "role": m.get_role_display(),
                }
                for m in engagement.team.members.filter(role__in=["captain", "deputy"]).select_related("user")
                if m.user
            ],
        }
    return render(
        request,
        "matching/engagement_detail.html",
        {
            "engagement": engagement,
            "enterprise_name": enterprise_display_name(engagement.need)
            if not (enterprise or contacts)
            else engagement.need.enterprise.name,
            "events": engagement.events.select_related("actor"),
            "contacts": contacts,
            "can_accept": accepting,
            "can_start": engagement.status == Engagement.Status.AGREED and (enterprise or team),
            "can_complete": engagement.status in {Engagement.Status.AGREED, Engagement.Status.IN_SERVICE}
            and enterprise,
            "can_cancel": engagement.status in services.OPEN and (enterprise or team),
            "can_record": engagement.status
            in {Engagement.Status.AGREED, Engagement.Status.IN_SERVICE, Engagement.Status.COMPLETED}
            and team,
            "scope_form": forms.ScopeForm(),
            "reason_form": forms.ReasonForm(),
            "complete_form": forms.CompleteForm(),
        },
    )


ACTIONS = {
    "accept": (
        forms.ScopeForm,
        lambda e, u, d: services.engagement_accept(engagement=e, by=u, scope=d["scope"]),
    ),
    "decline": (
        forms.ReasonForm,
        lambda e, u, d: services.engagement_decline(engagement=e, by=u, reason=d["reason"]),
    ),
    "start": (None, lambda e, u, d: services.engagement_start(engagement=e, by=u)),
    "complete": (
        forms.CompleteForm,
        lambda e, u, d: services.engagement_complete(
            engagement=e, by=u, rating=d["rating"], comment=d["comment"]
        ),
    ),
    "cancel": (
        forms.ReasonForm,
        lambda e, u, d: services.engagement_cancel(engagement=e, by=u, reason=d["reason"]),
    ),
}


@require_POST
@login_required
def engagement_action(request, pk: int, action: str):
    engagement = get_object_or_404(selectors.engagements_visible_to(request.user), pk=pk)
    if action not in ACTIONS:
        raise Http404
    form_class, run = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            run(engagement, request.user, form.cleaned_data if form else {})
        except MatchingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "操作成功。")
    return redirect("matching:engagement", pk=engagement.pk)


@require_POST
@login_required
def saved_search_create(request, team_pk: int):
    team = get_object_or_404(selectors.teams_of_member(request.user), pk=team_pk)
    form = forms.SavedSearchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "订阅信息不完整或格式不正确。")
    else:
        try:
            saved_searches.saved_search_create(
                team=team, by=request.user, **{k: v for k, v in form.cleaned_data.items() if v is not None}
            )
        except MatchingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已订阅。")
    return redirect(f"/matching/feed/?team={team.pk}")


@require_POST
@login_required
def saved_search_toggle(request, pk: int):
    search = get_object_or_404(selectors.saved_searches_for(request.user), pk=pk)
    try:
        if request.POST.get("delete"):
            saved_searches.saved_search_delete(search=search, by=request.user)
            messages.success(request, "已删除订阅。")
        else:
            saved_searches.saved_search_update(search=search, by=request.user, active=not search.active)
            messages.success(request, "已恢复订阅。" if not search.active else "已暂停订阅。")
    except MatchingError as exc:
        messages.error(request, exc.message)
    return redirect(f"/matching/feed/?team={search.team_id}")


@login_required
def engagement_record(request, pk: int):
    """A service record written against an engagement: the teams' record form, pre-filled from it,
    saved by teams.records and linked here (teams never imports matching)."""
    from django.utils import timezone

    from teams.errors import TeamsError
    from teams.forms import RecordForm
    from teams.permissions import team_member_of
    from teams.records import record_create

    engagement = get_object_or_404(selectors.engagements_visible_to(request.user), pk=pk)
    if not team_member_of(request.user, engagement.team):
        raise PermissionDenied
    defaults = services.engagement_record_defaults(engagement)
    initial = {k: v for k, v in defaults.items() if k != "served_enterprise"} | {"date": timezone.localdate()}
    form = RecordForm(request.POST or None, team=engagement.team, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = record_create(
                team=engagement.team,
                by=request.user,
                served_enterprise=defaults["served_enterprise"],
                **form.service_arguments(),
            )
            services.engagement_record_link(engagement=engagement, record=record, by=request.user)
        except (TeamsError, MatchingError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "服务记录已保存为草稿并关联到本次对接，请上传佐证材料后提交审核。")
            return redirect("teams:record_detail", pk=record.pk)
    return render(request, "teams/record_form.html", {"team": engagement.team, "form": form, "record": None})

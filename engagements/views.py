"""Pages for recommendations both ways, 揭榜, engagements and saved searches.

Thin: a form parses, one service call does the work, a MatchingError is shown on the form that caused it
(the services are atomic, so nothing was saved), success redirects with a message. Every object is read
through a selector that answers for the user who asks: anything else is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.scope import is_team_member
from core.api_support import as_id
from core.paging import page_of
from demand.selectors import is_moderator, is_owner, need_owned_by, need_visible_to
from engagements import forms, selectors, services
from engagements.models import Engagement
from matching import forms as matching_forms
from matching import saved_searches
from matching import selectors as recommendations
from matching.errors import MatchingError
from reference.choices import ServiceType
from teams.selectors import teams_serving


def _errors_as_messages(request, form, fallback: str) -> None:
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    for error in errors or [fallback]:
        messages.error(request, error)


def _forbidden_or(form, exc: MatchingError) -> None:
    """A refusal for lack of rights is a 403; any other domain error goes on the form."""
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, exc.message)


# ------------------------------------------------------------------------- recommendations for a need


def _recommendations_page(request, need, *, bound=None, status=200):
    """The enterprise's view of its published need: the ranked teams, each with its invitation form
    (`bound` is (team id, form) after a refused invitation)."""
    owner = is_owner(request.user, need)
    items = selectors.need_recommendations(need)
    for item in items:
        item.form = (
            bound[1]
            if bound and bound[0] == item.team.pk
            else forms.InviteForm(initial={"team": item.team.pk}, auto_id=f"id_t{item.team.pk}_%s")
        )
    shown = any(item.form is bound[1] and not item.engagement for item in items) if bound else True
    if not shown:  # the team is not on the list, or already engaged: the error goes to the top
        _errors_as_messages(request, bound[1], _("请从推荐列表中选择要邀请的小分队。"))
    return render(
        request,
        "engagements/recommendations.html",
        {
            "need": need,
            "items": items,
            "is_owner": owner,
            "can_invite": owner and need.status in services.NEED_OPEN,
        },
        status=status,
    )


@login_required
@require_GET
def need_recommendations(request, pk: int):
    need = need_visible_to(request.user, pk)
    if need is None or not (is_owner(request.user, need) or is_moderator(request.user)):
        raise Http404
    return _recommendations_page(request, need)


@login_required
@require_POST
def invite(request, pk: int):
    need = need_owned_by(request.user, pk)
    if need is None:
        raise Http404
    form = forms.InviteForm(request.POST)
    team = None
    if form.is_valid():
        team = teams_serving().filter(pk=form.cleaned_data["team"]).first()
        if team is None:
            form.add_error(None, _("该小分队当前不在运行状态，不能邀请。"))
        else:
            try:
                engagement = services.engagement_invite(
                    need=need, team=team, by=request.user, message=form.cleaned_data["message"]
                )
            except MatchingError as exc:
                _forbidden_or(form, exc)
            else:
                messages.success(request, _("已邀请“%(team)s”对接，等待团队确认。") % {"team": team.name})
                return redirect("engagements:engagement", pk=engagement.pk)
    team_pk = team.pk if team else form.cleaned_data.get("team")
    return _recommendations_page(request, need, bound=(team_pk, form), status=400)


# ------------------------------------------------------------------------------------ the team's feed


def _feed_page(request, team, *, search_form=None, status=200):
    teams = recommendations.teams_of_member(request.user)
    data = request.GET.copy()
    if "max_rank" not in data:  # the page opens on the needs the team is among the first few for
        data["max_rank"] = str(recommendations.FEED_RANK)
    filter_form = matching_forms.FeedFilterForm(data)
    filters = {k: v for k, v in filter_form.filters().items() if k != "team"}
    paging = page_of(request, recommendations.team_feed(team, **filters))
    engagements = selectors.team_open_engagements(team)
    for rec in paging["page"]:
        rec.explained = recommendations.explanation_view(rec.explanation)
        rec.engagement = engagements.get(rec.need_id)
    labels = dict(ServiceType.choices)
    searches = list(recommendations.saved_searches_of_team(request.user, team))
    for search in searches:
        search.service_label = labels.get(search.service_type, search.service_type)
    return render(
        request,
        "engagements/feed.html",
        {
            "teams": teams,
            "team": team,
            "form": filter_form,
            "filtered": any(k != "max_rank" for k in filters),
            "max_rank": filters.get("max_rank"),
            **paging,
            "can_declare": recommendations.teams_managed_by(request.user).filter(pk=team.pk).exists(),
            "searches": searches,
            "search_form": search_form or matching_forms.SavedSearchForm(),
        },
        status=status,
    )


@login_required
@require_GET
def feed(request):
    teams = recommendations.teams_of_member(request.user)
    if not teams.exists():
        if not is_team_member(request.user):
            raise PermissionDenied
        return render(request, "engagements/feed.html", {"teams": teams, "team": None})
    wanted = as_id(request.GET.get("team"))
    team = teams.filter(pk=wanted).first() if wanted else teams.first()
    if team is None:
        raise Http404
    return _feed_page(request, team)


@login_required
def interest(request, pk: int):
    """揭榜: a captain or deputy declares interest in an open need with a short proposal."""
    need = need_visible_to(request.user, pk)
    if need is None or need.status not in services.NEED_OPEN:
        raise Http404
    teams = recommendations.teams_managed_by(request.user)
    form = forms.InterestForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.engagement_express_interest(
                need=need,
                team=form.cleaned_data["team"],
                by=request.user,
                proposal=form.cleaned_data["proposal"],
            )
        except MatchingError as exc:
            _forbidden_or(form, exc)
        else:
            messages.success(request, _("已揭榜，等待企业确认。"))
            return redirect("engagements:engagement", pk=engagement.pk)
    return render(
        request,
        "engagements/interest.html",
        {"need": need, "form": form, "has_teams": teams.exists()},
        status=400 if form.is_bound else 200,
    )


# ------------------------------------------------------------------------------------- saved searches


def _team_of_member(request, team_pk):
    return get_object_or_404(recommendations.teams_of_member(request.user), pk=team_pk)


def _feed_url(team_pk) -> str:
    return f"{reverse('engagements:feed')}?team={team_pk}#searches"


@login_required
@require_POST
def saved_search_create(request, team_pk: int):
    team = _team_of_member(request, team_pk)
    form = matching_forms.SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            saved_searches.saved_search_create(team=team, by=request.user, **form.cleaned_data)
        except MatchingError as exc:
            _forbidden_or(form, exc)
        else:
            messages.success(request, _("已创建订阅“%(name)s”。") % {"name": form.cleaned_data["name"]})
            return redirect(_feed_url(team.pk))
    return _feed_page(request, team, search_form=form, status=400)


@login_required
@require_POST
def saved_search_toggle(request, pk: int):
    search = get_object_or_404(recommendations.saved_searches_for(request.user), pk=pk)
    try:
        search = saved_searches.saved_search_update(search=search, by=request.user, active=not search.active)
    except MatchingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (_("已恢复订阅“%(name)s”。") if search.active else _("已暂停订阅“%(name)s”。"))
            % {"name": search.name},
        )
    return redirect(_feed_url(search.team_id))


@login_required
@require_POST
def saved_search_delete(request, pk: int):
    search = get_object_or_404(recommendations.saved_searches_for(request.user), pk=pk)
    team_pk, name = search.team_id, search.name
    try:
        saved_searches.saved_search_delete(search=search, by=request.user)
    except MatchingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除订阅“%(name)s”。") % {"name": name})
    return redirect(_feed_url(team_pk))


# ---------------------------------------------------------------------------------------- engagements


@login_required
@require_GET
def engagement_list(request):
    status = request.GET.get("status", "")
    paging = page_of(request, selectors.engagements_visible_to(request.user, status=status))
    return render(
        request,
        "engagements/engagements.html",
        {
            **paging,
            "status": status,
            "tabs": Engagement.Status.choices,
        },
    )


ACTIONS = {
    # action: (form class, the service call, the message on success)
    "accept": (
        forms.ScopeForm,
        lambda e, u, d: services.engagement_accept(engagement=e, by=u, scope=d["scope"]),
        gettext_lazy("已接受对接，双方联系方式现已可见。"),
    ),
    "decline": (
        forms.DeclineForm,
        lambda e, u, d: services.engagement_decline(engagement=e, by=u, reason=d["reason"]),
        gettext_lazy("已谢绝该对接。"),
    ),
    "start": (
        None,
        lambda e, u, d: services.engagement_start(engagement=e, by=u),
        gettext_lazy("已开始服务。"),
    ),
    "complete": (
        forms.CompleteForm,
        lambda e, u, d: services.engagement_complete(
            engagement=e, by=u, rating=d["rating"], comment=d["comment"]
        ),
        gettext_lazy("已确认完成并评价，感谢您的反馈。"),
    ),
    "cancel": (
        forms.CancelForm,
        lambda e, u, d: services.engagement_cancel(engagement=e, by=u, reason=d["reason"]),
        gettext_lazy("已取消该对接。"),
    ),
}


def _engagement_page(request, engagement, *, bound=None, status=200):
    """`bound` is (action, form) after a refused action: that form comes back with its error."""
    user = request.user
    actions = selectors.engagement_actions(user, engagement)
    # The enterprise confirming an accepted assignment starts from the scope the team offered.
    initial = {"accept": {"scope": engagement.scope}} if engagement.scope else {}
    action_forms = {
        name: (
            bound[1]
            if bound and bound[0] == name
            else form_class(prefix=name, initial=initial.get(name))
            if form_class
            else None
        )
        for name, (form_class, _run, _done) in ACTIONS.items()
        if name in actions
    }
    if bound and bound[0] not in action_forms:  # the action is no longer offered: say why at the top
        _errors_as_messages(request, bound[1], _("当前不能执行该操作。"))
    return render(
        request,
        "engagements/engagement_detail.html",
        {
            "engagement": engagement,
            "enterprise_name": selectors.engagement_enterprise_name(user, engagement),
            "events": engagement.events.select_related("actor").order_by("at", "id"),
            "contacts": selectors.engagement_contacts(user, engagement),
            "actions": action_forms,
            "is_team_side": services.team_side(user, engagement),
            "is_enterprise_side": services.enterprise_side(user, engagement),
            "record_url": (
                reverse("engagements:engagement_record", args=[engagement.pk])
                if selectors.engagement_can_record(user, engagement)
                else ""
            ),
        },
        status=status,
    )


@login_required
@require_GET
def engagement_detail(request, pk: int):
    engagement = get_object_or_404(selectors.engagements_visible_to(request.user), pk=pk)
    return _engagement_page(request, engagement)


@login_required
@require_POST
def engagement_action(request, pk: int, action: str):
    engagement = get_object_or_404(selectors.engagements_visible_to(request.user), pk=pk)
    if action not in ACTIONS:
        raise Http404
    form_class, run, done = ACTIONS[action]
    form = form_class(request.POST, prefix=action) if form_class else None
    if form is None or form.is_valid():
        try:
            run(engagement, request.user, form.cleaned_data if form else {})
        except MatchingError as exc:
            if form is None:
                if exc.code == "forbidden":
                    raise PermissionDenied(exc.message) from exc
                messages.error(request, exc.message)
                return redirect("engagements:engagement", pk=engagement.pk)
            _forbidden_or(form, exc)
        else:
            messages.success(request, done)
            return redirect("engagements:engagement", pk=engagement.pk)
    engagement.refresh_from_db()
    return _engagement_page(request, engagement, bound=(action, form), status=400)


@login_required
def engagement_record(request, pk: int):
    """A service record written against an engagement: the teams' record form pre-filled from it, saved
    and linked by one service, engagements.services.engagement_record_create (as the API does)."""
    from django.utils import timezone

    from teams.errors import TeamsError
    from teams.forms import RecordForm
    from teams.permissions import team_member_of

    engagement = get_object_or_404(selectors.engagements_visible_to(request.user), pk=pk)
    if not team_member_of(request.user, engagement.team):
        raise PermissionDenied
    defaults = services.engagement_record_defaults(engagement)
    initial = {k: v for k, v in defaults.items() if k != "served_enterprise"} | {"date": timezone.localdate()}
    form = RecordForm(request.POST or None, team=engagement.team, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.engagement_record_create(
                engagement=engagement, by=request.user, **form.service_arguments()
            )
        except (TeamsError, MatchingError) as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("服务记录已保存为草稿并关联到本次对接，请上传佐证材料后提交审核。"))
            return redirect("teams:record_detail", pk=record.pk)
    return render(request, "teams/record_form.html", {"team": engagement.team, "form": form, "record": None})

"""Pages for assignments (指派): the operator's assign form on a need (ranking and load beside each team),
the list (a team's inbox, the operator's overdue and escalated), and one assignment with its actions.

Same shape as engagements.views: a form parses, one service call decides, a MatchingError goes back on the
form (nothing was saved), a refusal for lack of rights is a 403, anything not visible a 404.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.paging import page_of
from demand.selectors import need_visible_to
from engagements import assignment_selectors as selectors
from engagements import assignments as services
from engagements import forms
from engagements.models import Assignment
from engagements.services import NEED_OPEN
from engagements.views import _errors_as_messages, _forbidden_or
from matching.errors import MatchingError

DEFAULT_WINDOW = timedelta(days=3)


@login_required
def assign(request, pk: int):
    """An operator assigns an open need to one of the teams they may assign to."""
    need = need_visible_to(request.user, pk)
    teams = selectors.assignable_teams(request.user)
    if need is None:
        raise Http404
    if not teams.exists():
        raise PermissionDenied
    deadline = timezone.localtime() + DEFAULT_WINDOW
    form = forms.AssignForm(
        request.POST or None, teams=teams, initial={"deadline": deadline.replace(second=0, microsecond=0)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.assignment_create(
                need=need,
                team=form.cleaned_data["team"],
                by=request.user,
                deadline=form.cleaned_data["deadline"],
                message=form.cleaned_data["message"],
            )
        except MatchingError as exc:
            _forbidden_or(form, exc)
        else:
            messages.success(request, _("已指派给“%(team)s”，等待其响应。") % {"team": assignment.team.name})
            return redirect("engagements:assignment", pk=assignment.pk)
    return render(
        request,
        "engagements/assign.html",
        {
            "need": need,
            "form": form,
            "candidates": selectors.assignment_candidates(request.user, need),
            "need_open": need.status in NEED_OPEN,
            "history": selectors.assignments_visible_to(request.user).filter(need=need),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def assignment_list(request):
    status = request.GET.get("status", "")
    overdue = request.GET.get("overdue") == "1"
    qs = selectors.assignments_visible_to(request.user, status=status, overdue=overdue)
    paging = page_of(request, qs)
    now = timezone.now()
    for a in paging["page"]:
        a.is_overdue = a.status == Assignment.Status.PENDING and a.deadline < now
    return render(
        request,
        "engagements/assignments.html",
        {
            **paging,
            "status": status,
            "overdue": overdue,
            "tabs": Assignment.Status.choices,
        },
    )


ACTIONS = {
    # action: (form class, the service call, the message on success)
    "accept": (
        forms.AssignmentAcceptForm,
        lambda a, u, d: services.assignment_accept(assignment=a, by=u, scope=d["scope"]),
        gettext_lazy("已接受指派，对接已达成，双方联系方式现已可见。"),
    ),
    "decline": (
        forms.AssignmentDeclineForm,
        lambda a, u, d: services.assignment_decline(assignment=a, by=u, reason=d["reason"]),
        gettext_lazy("已谢绝该指派。"),
    ),
    "withdraw": (
        forms.AssignmentWithdrawForm,
        lambda a, u, d: services.assignment_withdraw(assignment=a, by=u, reason=d["reason"]),
        gettext_lazy("已撤回该指派。"),
    ),
}


def _detail_page(request, assignment, *, bound=None, status=200):
    actions = selectors.assignment_actions(request.user, assignment)
    action_forms = {
        name: bound[1] if bound and bound[0] == name else form_class(prefix=name)
        for name, (form_class, _run, _done) in ACTIONS.items()
        if name in actions
    }
    if bound and bound[0] not in action_forms:
        _errors_as_messages(request, bound[1], _("当前不能执行该操作。"))
    return render(
        request,
        "engagements/assignment_detail.html",
        {
            "a": assignment,
            "actions": action_forms,
            "overdue": assignment.status == Assignment.Status.PENDING
            and assignment.deadline < timezone.now(),
            "can_reassign": services.may_assign(request.user, assignment.team),
            "handler": assignment.team.assignment_handler,
        },
        status=status,
    )


@login_required
@require_GET
def assignment_detail(request, pk: int):
    assignment = get_object_or_404(selectors.assignments_visible_to(request.user), pk=pk)
    return _detail_page(request, assignment)


@login_required
@require_POST
def assignment_action(request, pk: int, action: str):
    assignment = get_object_or_404(selectors.assignments_visible_to(request.user), pk=pk)
    if action not in ACTIONS:
        raise Http404
    form_class, run, done = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            assignment = run(assignment, request.user, form.cleaned_data)
        except MatchingError as exc:
            _forbidden_or(form, exc)
        else:
            messages.success(request, done)
            if action == "accept" and assignment.engagement_id:
                return redirect("engagements:engagement", pk=assignment.engagement_id)
            return redirect("engagements:assignment", pk=assignment.pk)
    assignment.refresh_from_db()
    return _detail_page(request, assignment, bound=(action, form), status=400)

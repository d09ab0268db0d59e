"""Pages for teams: the members' workspace, service records and evidence, the two review queues and the
public portrait.

Thin by design: a form parses the request, one service decides, a TeamsError's Chinese message goes back
on the form (the services are atomic, so nothing was saved), success redirects with a message. Every
object is fetched through teams.selectors, so another team's or another college's object is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import College
from accounts.scope import is_college_admin, is_sto_admin, is_team_member
from core.paging import page_of
from reference.choices import ServiceType
from teams import captaincy, claims, forms, permissions, selectors
from teams.errors import TeamsError
from teams.evidence import evidence_add, evidence_file_response
from teams.importing import ImportRejected, applications_import, blank_workbook
from teams.models import CaptainChange, Evidence, Member, MemberRole, Rectification, Team
from teams.records import (
    ACTION_LABELS,
    EDITABLE,
    RECORD_STEPS,
    record_create,
    record_transition,
    record_update,
)
from teams.selectors import SPECIAL_ACTIONS, available_actions, record_history, team_history
from teams.services import (
    EDITABLE_STATES,
    SERVING,
    TRANSITIONS,
    call_create,
    member_add,
    member_remove,
    member_update,
    rectification_close,
    rectification_open,
    team_assignment_handler_set,
    team_draft_create,
    team_transition,
    team_update,
    team_violations,
)

# ------------------------------------------------------------------------------------------- helpers


def _visible_team(user, pk) -> Team:
    return get_object_or_404(selectors.teams_visible_to(user), pk=pk)


def _visible_record(user, pk):
    return get_object_or_404(selectors.records_visible_to(user).select_related("team__college"), pk=pk)


def _service_type_labels(values) -> list[str]:
    labels = dict(ServiceType.choices)
    return [str(labels.get(v, v)) for v in values]


ROLE_ORDER = [value for value, _label in MemberRole.choices]


def _by_role(members) -> list:
    """Captain, deputies, core, dynamic, enterprise members: the guideline's order, not the alphabet's."""
    return sorted(members, key=lambda m: (ROLE_ORDER.index(m.role), m.pk))


def _posted(request):
    """The POST data on a POST (even an empty one, so a bare button press binds the form), else None."""
    return request.POST if request.method == "POST" else None


def _report(form, exc: Exception) -> None:
    """Put a refusal on the form: a TeamsError's message, or a model's validation messages."""
    if isinstance(exc, TeamsError):
        # Beside the field it is about, where the form has that field.
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _next_or(request, fallback: str) -> str:
    """Where the page came from, when it is a path on this site; else fallback. Only a path that starts
    with "/" is taken: redirect() reads anything else ("²", "list") as a view name, and fails."""
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# ------------------------------------------------------------------------------------------ workspace


@login_required
def team_list(request):
    teams = selectors.teams_visible_to(request.user)
    filter_form, filters = None, {}
    if not is_team_member(request.user):  # a member's own few teams need no filters
        colleges = list(College.objects.filter(pk__in=teams.values("college_id")).order_by("name"))
        filter_form = forms.TeamListFilterForm(
            request.GET or None, colleges=colleges if len(colleges) > 1 else None
        )
        filters = filter_form.filters()
        teams = selectors.teams_filtered(teams, **filters)
    paging = page_of(request, teams.select_related("college").order_by("status", "name", "pk"))
    roles = dict(request.user.memberships.values_list("team_id", "role"))
    rows = [
        {"team": t, "my_role": MemberRole(roles[t.pk]).label if t.pk in roles else ""} for t in paging["page"]
    ]
    return render(
        request,
        "teams/team_list.html",
        {
            "rows": rows,
            **paging,
            "filter_form": filter_form,
            "filtered": bool(filters),
            "can_create": is_team_member(request.user) and request.user.college_id,
        },
    )


@login_required
def team_create(request):
    if not is_team_member(request.user) or request.user.college_id is None:
        raise PermissionDenied
    form = forms.TeamCreateForm(_posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_draft_create(by=request.user, **form.service_arguments())
        except (TeamsError, ValidationError) as exc:
            _report(form, exc)
        else:
            messages.success(
                request, _("已创建小分队草稿“%(name)s”，请完善信息和成员。") % {"name": team.name}
            )
            return redirect("teams:detail", pk=team.pk)
    calls = forms.open_calls_for(request.user)
    return render(request, "teams/team_create.html", {"form": form, "calls": calls})


@login_required
def team_detail(request, pk):
    team = _visible_team(request.user, pk)
    user = request.user
    is_manager = permissions.team_manager_of(user, team)
    editable = team.status in EDITABLE_STATES
    open_rectifications = team.rectifications.filter(status=Rectification.Status.OPEN)
    context = {
        "team": team,
        "members": _by_role(team.members.select_related("enterprise", "user")),
        "problems": team_violations(team) if editable else [],
        "history": team_history(team),
        "actions": available_actions(user, team),
        "is_manager": is_manager,
        "can_edit": is_manager and team.status in EDITABLE_STATES | SERVING,
        "can_remove_members": is_manager and team.status in EDITABLE_STATES | SERVING,
        "serving": team.status in SERVING,
        "rectifications": team.rectifications.all(),
        "open_rectifications": open_rectifications,
        "comment_form": forms.CommentForm(),
        "industries": team.industries.order_by("code"),
        "regions": team.regions.order_by("code"),
        "disciplines": team.disciplines.order_by("code"),
        "served_enterprises": team.served_enterprises.order_by("name"),
        "record_count": team.records.count(),
        "service_types": _service_type_labels(team.service_types),
        "handler_form": forms.AssignmentHandlerForm(team=team) if is_manager else None,
        "closed": team.status in claims.CLOSED,
        "can_issue_claims": claims.claim_issuer_of(user, team),
        "can_link_accounts": permissions.college_reviewer_of(user, team),
        "captain_changes": captaincy.captain_changes_of(team),
        "can_request_captain_change": captaincy.captain_of(user, team)
        and team.status in EDITABLE_STATES | SERVING
        and not team.captain_changes.filter(status=CaptainChange.Status.PENDING).exists(),
        "can_decide_captain_change": permissions.college_reviewer_of(user, team),
        "is_captain": captaincy.captain_of(user, team),
    }
    return render(request, "teams/team_detail.html", context)


@login_required
def team_edit(request, pk):
    team = _visible_team(request.user, pk)
    if not permissions.team_manager_of(request.user, team):
        raise PermissionDenied
    name_editable = team.status in EDITABLE_STATES
    form = forms.TeamEditForm(_posted(request), team=team, name_editable=name_editable)
    if request.method == "POST" and form.is_valid():
        try:
            team_update(team=team, by=request.user, **form.service_arguments())
        except (TeamsError, ValidationError) as exc:
            _report(form, exc)
        else:
            messages.success(request, _("小分队信息已保存。"))
            return redirect("teams:detail", pk=team.pk)
    return render(
        request,
        "teams/team_edit.html",
        {"team": team, "form": form, "locked": team.status not in EDITABLE_STATES | SERVING},
    )


@login_required
def member_add_view(request, pk):
    team = _visible_team(request.user, pk)
    if not permissions.team_manager_of(request.user, team):
        raise PermissionDenied
    form = forms.MemberAddForm(_posted(request), team=team)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_add(team=team, by=request.user, **form.service_arguments())
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(
                request,
                _("已添加成员“%(name)s”（%(role)s）。")
                % {"name": member.name, "role": member.get_role_display()},
            )
            if "again" in request.POST:
                return redirect("teams:member_add", pk=team.pk)
            return redirect(reverse("teams:detail", args=[team.pk]) + "#members")
    return render(
        request,
        "teams/member_add.html",
        {
            "team": team,
            "form": form,
            "problems": team_violations(team) if team.status in EDITABLE_STATES else [],
        },
    )


@login_required
def member_edit_view(request, pk):
    member = get_object_or_404(
        Member.objects.filter(team__in=selectors.teams_visible_to(request.user)).select_related("team"), pk=pk
    )
    team = member.team
    if not permissions.team_manager_of(request.user, team):
        raise PermissionDenied
    form = forms.MemberEditForm(
        _posted(request), member=member, initial=forms.MemberEditForm.initial_for(member)
    )
    if request.method == "POST" and form.is_valid():
        try:
            member_update(member=member, by=request.user, **form.service_arguments())
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("已更新成员“%(name)s”。") % {"name": member.name})
            return redirect(reverse("teams:detail", args=[team.pk]) + "#members")
    return render(
        request,
        "teams/member_edit.html",
        {
            "team": team,
            "member": member,
            "form": form,
            "problems": team_violations(team) if team.status in EDITABLE_STATES else [],
        },
    )


@require_POST
@login_required
def member_remove_view(request, pk):
    member = get_object_or_404(
        Member.objects.filter(team__in=selectors.teams_visible_to(request.user)).select_related("team"), pk=pk
    )
    try:
        member_remove(member=member, by=request.user)
    except TeamsError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已移除成员“%(name)s”。") % {"name": member.name})
    return redirect(reverse("teams:detail", args=[member.team_id]) + "#members")


@require_POST
@login_required
def assignment_handler_view(request, pk):
    """The captain or a deputy names the member who answers assignments (指派)."""
    team = _visible_team(request.user, pk)
    form = forms.AssignmentHandlerForm(request.POST, team=team)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        try:
            team_assignment_handler_set(team=team, member=form.cleaned_data["member"], by=request.user)
        except TeamsError as exc:
            if exc.code == "forbidden":
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已更新指派对接人。"))
    return redirect(reverse("teams:detail", args=[team.pk]) + "#assignment-handler")


@login_required
def team_action(request, pk, action):
    """One step of the application flow. GET shows the form (with its comment); POST does it."""
    team = _visible_team(request.user, pk)
    step = TRANSITIONS.get(action)
    if step is None or action in SPECIAL_ACTIONS:
        raise Http404
    if not step.allowed(request.user, team):
        raise PermissionDenied
    form = forms.CommentForm(_posted(request), required=step.comment_required)
    if request.method == "POST" and form.is_valid():
        try:
            team = team_transition(
                team=team, action=action, by=request.user, comment=form.cleaned_data["comment"]
            )
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(
                request,
                _("已对“%(team)s”执行“%(label)s”，当前状态：%(status)s。")
                % {"team": team.name, "label": step.label, "status": team.get_status_display()},
            )
            return redirect(_next_or(request, reverse("teams:detail", args=[team.pk])))
    return render(
        request,
        "teams/action_form.html",
        {
            "subject": team,
            "subject_url": reverse("teams:detail", args=[team.pk]),
            "label": step.label,
            "form": form,
            "next": _next_or(request, ""),
            "problems": team_violations(team) if action == "submit" else [],
        },
    )


@login_required
def rectify(request, pk):
    team = _visible_team(request.user, pk)
    if not permissions.office_reviewer_of(request.user, team):
        raise PermissionDenied
    form = forms.RectificationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            rectification_open(team=team, by=request.user, **form.cleaned_data)
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("已责令“%(team)s”整改。") % {"team": team.name})
            return redirect(_next_or(request, reverse("teams:detail", args=[team.pk])))
    return render(
        request,
        "teams/action_form.html",
        {
            "subject": team,
            "subject_url": reverse("teams:detail", args=[team.pk]),
            "label": TRANSITIONS["rectify"].label,
            "form": form,
            "next": _next_or(request, ""),
        },
    )


@login_required
def rectification_close_view(request, pk):
    rectification = get_object_or_404(selectors.rectifications_visible_to(request.user), pk=pk)
    team = rectification.team
    if not permissions.office_reviewer_of(request.user, team):
        raise PermissionDenied
    form = forms.RectificationCloseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            rectification_close(rectification=rectification, by=request.user, **form.cleaned_data)
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("“%(team)s”的整改已完成。") % {"team": team.name})
            return redirect(_next_or(request, reverse("teams:detail", args=[team.pk])))
    return render(
        request,
        "teams/action_form.html",
        {
            "subject": team,
            "subject_url": reverse("teams:detail", args=[team.pk]),
            "label": TRANSITIONS["rectification_close"].label,
            "form": form,
            "next": _next_or(request, ""),
            "rectification": rectification,
        },
    )


# ------------------------------------------------------------------------------------ public portrait


def portrait(request, pk):
    """What enterprises and the public see of a serving team: expertise, never contact details."""
    team = get_object_or_404(selectors.teams_serving().select_related("college"), pk=pk)
    data = selectors.team_portrait(team)
    works_by_type: dict[str, list[str]] = {}
    for work in data.works:
        works_by_type.setdefault(work["type"], []).append(work["title"])
    return render(
        request,
        "teams/portrait.html",
        {
            "team": team,
            "portrait": data,
            "industries": list(zip(data.industry_codes, data.industry_names, strict=True)),
            "works_by_type": sorted(works_by_type.items()),
            "service_types": _service_type_labels(data.service_types),
            "member_counts": [(role, n) for role, n in data.member_counts.items() if n],
        },
    )


# ------------------------------------------------------------------------------------ service records


@login_required
def record_list(request, pk):
    team = _visible_team(request.user, pk)
    record_filter = forms.RecordFilterForm(request.GET or None)
    filters = record_filter.filters()
    records = selectors.records_filtered(
        selectors.records_visible_to(request.user).filter(team=team), **filters
    ).prefetch_related("evidence")
    paging = page_of(request, records)
    return render(
        request,
        "teams/record_list.html",
        {
            "team": team,
            "records": paging["page"],
            **paging,
            "record_filter": record_filter,
            "filtered": bool(filters),
            "can_add": permissions.team_member_of(request.user, team),
        },
    )


@login_required
def record_create_view(request, pk):
    team = _visible_team(request.user, pk)
    if not permissions.team_member_of(request.user, team):
        raise PermissionDenied
    form = forms.RecordForm(_posted(request), team=team)
    if request.method == "POST" and form.is_valid():
        try:
            record = record_create(team=team, by=request.user, **form.service_arguments())
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("服务记录已保存为草稿，请上传佐证材料后提交审核。"))
            return redirect("teams:record_detail", pk=record.pk)
    return render(request, "teams/record_form.html", _record_form_context(team, form, None))


def _record_form_context(team, form, record) -> dict:
    return {"team": team, "form": form, "record": record}


@login_required
def record_edit(request, pk):
    record = _visible_record(request.user, pk)
    team = record.team
    if not permissions.team_member_of(request.user, team):
        raise PermissionDenied
    if record.status not in EDITABLE:  # say so now, not after the form is filled in
        messages.error(
            request,
            _("服务记录当前为“%(status)s”，不能修改。") % {"status": record.get_status_display()},
        )
        return redirect("teams:record_detail", pk=record.pk)
    form = forms.RecordForm(_posted(request), team=team, initial=forms.RecordForm.initial_for(record))
    if request.method == "POST" and form.is_valid():
        try:
            record_update(record=record, by=request.user, **form.service_arguments())
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("服务记录已保存。"))
            return redirect("teams:record_detail", pk=record.pk)
    return render(request, "teams/record_form.html", _record_form_context(team, form, record))


@login_required
def record_detail(request, pk, evidence_form=None):
    record = _visible_record(request.user, pk)
    team = record.team
    user = request.user
    is_member = permissions.team_member_of(user, team)
    is_reviewer = permissions.college_reviewer_of(user, team)
    return render(
        request,
        "teams/record_detail.html",
        {
            "team": team,
            "record": record,
            "participants": _by_role(record.participants.all()),
            "evidence": record.evidence.all(),
            "history": record_history(record),
            "editable": is_member and record.status in EDITABLE,
            "can_review": is_reviewer and record.status in RECORD_STEPS["approve"][0],
            "evidence_form": evidence_form or forms.EvidenceForm(),
            "comment_form": forms.CommentForm(),
        },
    )


@require_POST
@login_required
def evidence_upload(request, pk):
    record = _visible_record(request.user, pk)
    if not permissions.team_member_of(request.user, record.team):
        raise PermissionDenied
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = evidence_add(record=record, by=request.user, upload=form.cleaned_data["file"])
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("已上传佐证材料“%(name)s”。") % {"name": evidence.original_name})
            return redirect("teams:record_detail", pk=record.pk)
    return record_detail(request, pk=record.pk, evidence_form=form)


@login_required
def record_action(request, pk, action):
    record = _visible_record(request.user, pk)
    if action not in RECORD_STEPS:
        raise Http404
    _sources, _target, allowed, comment_required = RECORD_STEPS[action]
    if not allowed(request.user, record.team):
        raise PermissionDenied
    form = forms.CommentForm(_posted(request), required=comment_required)
    if request.method == "POST" and form.is_valid():
        try:
            record = record_transition(
                record=record, action=action, by=request.user, comment=form.cleaned_data["comment"]
            )
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(
                request,
                _("服务记录“%(title)s”：%(label)s，当前状态：%(status)s。")
                % {
                    "title": record.title,
                    "label": ACTION_LABELS[action],
                    "status": record.get_status_display(),
                },
            )
            return redirect(_next_or(request, reverse("teams:record_detail", args=[record.pk])))
    return render(
        request,
        "teams/action_form.html",
        {
            "subject": record,
            "subject_url": reverse("teams:record_detail", args=[record.pk]),
            "label": ACTION_LABELS[action],
            "form": form,
            "next": _next_or(request, ""),
        },
    )


@login_required
def evidence_download(request, pk):
    """佐证材料 are private: served only to those who may see the team's records, else a 404."""
    evidence = get_object_or_404(
        Evidence.objects.filter(record__in=selectors.records_visible_to(request.user)).select_related(
            "record__team__college"
        ),
        pk=pk,
    )
    if not permissions.team_records_visible_to(request.user, evidence.record.team):
        raise Http404
    try:
        return evidence_file_response(evidence)
    except FileNotFoundError as exc:
        raise Http404 from exc


# -------------------------------------------------------------------------------------------- review


@login_required
def review_college(request):
    _require(is_college_admin(request.user))
    queue = selectors.records_review_queue(request.user).filter(
        team__in=selectors.teams_visible_to(request.user)
    )
    record_filter = forms.RecordFilterForm(
        request.GET or None,
        teams=Team.objects.filter(pk__in=queue.values("team")).order_by("name"),
        with_status=False,  # the queue holds submitted records only
    )
    filters = record_filter.filters()
    records = (
        selectors.records_filtered(queue, **filters)
        .select_related("team")
        .prefetch_related("evidence")
        .order_by("created_at", "pk")
    )
    paging = page_of(request, records)
    return render(
        request,
        "teams/review_college.html",
        {
            "teams": selectors.college_review_queue(request.user).order_by("updated_at"),
            "captain_changes": CaptainChange.objects.filter(
                team__college_id=request.user.college_id, status=CaptainChange.Status.PENDING
            )
            .select_related("team")
            .order_by("requested_at"),
            "records": paging["page"],
            **paging,
            "queued": queue.count() if filters else None,
            "record_filter": record_filter,
            "comment_form": forms.CommentForm(),
        },
    )


@login_required
def review_office(request):
    _require(is_sto_admin(request.user))
    visible = selectors.teams_visible_to(request.user)
    # Every serving team of the university: paged, so the calls below stay within reach.
    serving = page_of(
        request,
        visible.filter(status__in=SERVING).select_related("college").order_by("status", "name", "pk"),
        param="serving_page",
    )
    return render(
        request,
        "teams/review_office.html",
        {
            "calls": selectors.calls_visible_to(request.user),
            "call_form": forms.CallForm(),
            "teams": selectors.office_review_queue(request.user)
            .select_related("college")
            .order_by("updated_at"),
            "serving": serving["page"],
            "serving_paging": serving,
            "rectifications": Rectification.objects.filter(
                team__in=visible, status=Rectification.Status.OPEN
            ).select_related("team"),
            "comment_form": forms.CommentForm(),
            "rectification_form": forms.RectificationForm(),
        },
    )


def _require_import_role(user) -> None:
    if not permissions.application_importer(user):
        raise PermissionDenied


@login_required
def import_applications(request):
    """A college (or the S&T office for a college of its university) imports an Appendix D batch:
    every row is checked; one wrong row saves nothing and every problem is listed by row."""
    _require_import_role(request.user)
    form = forms.ImportForm(_posted(request), request.FILES or None, user=request.user)
    row_errors, created = [], []
    if request.method == "POST" and form.is_valid():
        try:
            created = applications_import(
                file=form.cleaned_data["file"], by=request.user, call=form.cleaned_data["call"]
            )
        except ImportRejected as exc:
            row_errors = exc.errors
        except TeamsError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已导入 %(n)d 份申报，均已提交待学院审核。") % {"n": len(created)})
    return render(
        request,
        "teams/import.html",
        {"form": form, "row_errors": row_errors, "created": created},
        status=400 if row_errors or form.errors else 200,
    )


@login_required
def import_template(request):
    _require_import_role(request.user)
    response = HttpResponse(
        blank_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E7%A7%91%E6%8A%80%E5%B0%8F%E5%88%86%E9%98%9F%E7%94%B3%E6%8A%A5%E8%A1%A8.xlsx"
    )
    return response


@login_required
def call_create_view(request):
    _require(is_sto_admin(request.user))
    form = forms.CallForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            call = call_create(by=request.user, **form.cleaned_data)
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("已发布申报批次“%(title)s”。") % {"title": call.title})
            return redirect("teams:review_office")
    return render(request, "teams/call_form.html", {"form": form})


# ----------------------------------------------------------------------------- claims and captain changes


def _visible_member(user, pk) -> Member:
    return get_object_or_404(
        Member.objects.filter(team__in=selectors.teams_visible_to(user)).select_related("team__college"),
        pk=pk,
    )


@login_required
def member_claim_issue_view(request, pk):
    """The captain (or the college) issues an invitation (POST), then sees its link and code (GET, after
    a redirect): reloading the page shows the same code rather than voiding it with a new one. The code
    is kept only in the issuer's session, never stored; another browser is offered a new one."""
    member = _visible_member(request.user, pk)
    if not claims.claim_issuer_of(request.user, member.team):
        raise PermissionDenied
    here = reverse("teams:member_claim_issue", args=[member.pk])
    shown = request.session.get(CLAIM_CODES, {})
    if request.method == "POST":
        try:
            claim, token = claims.member_claim_issue(member=member, by=request.user)
        except TeamsError as exc:
            messages.error(request, exc.message)
            return redirect(reverse("teams:detail", args=[member.team_id]) + "#members")
        request.session[CLAIM_CODES] = {**shown, str(member.pk): token}
        return redirect(here)
    token = shown.get(str(member.pk))
    claim = claims.claim_for_token(token) if token else None
    if not claims.claim_open(claim) or claim.member_id != member.pk:
        claim, token = None, None
    return render(
        request,
        "teams/claim_issued.html",
        {
            "team": member.team,
            "member": member,
            "claim": claim,
            "code": token,
            "link": request.build_absolute_uri(claims.claim_link(token)) if token else "",
        },
    )


# The session key under which an issuer's last invitation codes are kept, by member.
CLAIM_CODES = "teams_claim_codes"


@login_required
def claim_start(request):
    """Where a person types the code they were given."""
    form = forms.ClaimCodeForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("teams:claim", token=form.cleaned_data["code"])
    return render(request, "teams/claim.html", {"form": form, "claim": None})


@login_required
def claim_view(request, token):
    """GET: what the invitation is for (or why it cannot be used); POST: claim it."""
    claim = claims.claim_for_token(token)
    refusal = claims.claim_refusal(claim, request.user)
    if request.method == "POST":
        try:
            member = claims.member_claim_redeem(token=token, by=request.user)
        except TeamsError as exc:
            refusal = exc.message
        else:
            messages.success(
                request,
                _("您已认领“%(team)s”的%(role)s“%(name)s”。")
                % {"team": member.team.name, "role": member.get_role_display(), "name": member.name},
            )
            return redirect("teams:detail", pk=member.team_id)
    # Who the place is for is shown only while the invitation can be used.
    return render(
        request,
        "teams/claim.html",
        {"claim": claim if refusal is None else None, "refusal": refusal, "form": None},
        status=200 if refusal is None or request.method == "GET" else 400,
    )


@login_required
def member_link_view(request, pk):
    member = _visible_member(request.user, pk)
    team = member.team
    if not permissions.college_reviewer_of(request.user, team):
        raise PermissionDenied
    form = forms.MemberLinkForm(_posted(request), team=team)
    if request.method == "POST" and form.is_valid():
        try:
            claims.member_account_link(member=member, user=form.cleaned_data["user"], by=request.user)
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("已为成员“%(name)s”关联平台账号。") % {"name": member.name})
            return redirect(reverse("teams:detail", args=[team.pk]) + "#members")
    return render(
        request,
        "teams/action_form.html",
        {
            "subject": team,
            "subject_url": reverse("teams:detail", args=[team.pk]),
            "label": _("为“%(name)s”关联平台账号") % {"name": member.name},
            "form": form,
            "next": "",
        },
    )


@login_required
def captain_change_view(request, pk):
    """The captain asks the college to hand the team to another of its teachers."""
    team = _visible_team(request.user, pk)
    if not captaincy.captain_of(request.user, team):
        raise PermissionDenied
    form = forms.CaptainChangeForm(_posted(request), team=team)
    if request.method == "POST" and form.is_valid():
        try:
            captaincy.captain_change_request(team=team, by=request.user, **form.cleaned_data)
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("已提交队长变更申请，待学院审核。"))
            return redirect(reverse("teams:detail", args=[team.pk]) + "#captain-changes")
    return render(
        request,
        "teams/action_form.html",
        {
            "subject": team,
            "subject_url": reverse("teams:detail", args=[team.pk]),
            "label": _("申请变更队长"),
            "form": form,
            "next": "",
        },
    )


def _visible_change(user, pk) -> CaptainChange:
    return get_object_or_404(
        CaptainChange.objects.filter(team__in=selectors.teams_visible_to(user)).select_related("team"), pk=pk
    )


@login_required
def captain_change_decide_view(request, pk):
    change = _visible_change(request.user, pk)
    team = change.team
    if not permissions.college_reviewer_of(request.user, team):
        raise PermissionDenied
    form = forms.CaptainChangeDecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            change = captaincy.captain_change_decide(change=change, by=request.user, **form.cleaned_data)
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(
                request,
                _("队长变更（%(old)s → %(new)s）：%(s)s。")
                % {
                    "old": change.old_captain_name,
                    "new": change.new_captain_name,
                    "s": change.get_status_display(),
                },
            )
            return redirect(reverse("teams:detail", args=[team.pk]) + "#captain-changes")
    return render(
        request,
        "teams/action_form.html",
        {
            "subject": team,
            "subject_url": reverse("teams:detail", args=[team.pk]),
            "label": _("审核队长变更：%(old)s → %(new)s")
            % {"old": change.old_captain_name, "new": change.new_captain_name},
            "form": form,
            "next": "",
            "captain_change": change,
        },
    )


@require_POST
@login_required
def captain_change_withdraw_view(request, pk):
    change = _visible_change(request.user, pk)
    try:
        captaincy.captain_change_withdraw(change=change, by=request.user)
    except TeamsError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已撤回队长变更申请。"))
    return redirect(reverse("teams:detail", args=[change.team_id]) + "#captain-changes")

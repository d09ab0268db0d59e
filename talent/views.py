"""Pages for 人岗匹配: a student's profile and the openings ranked for them, a team's openings with the
students ranked for each, applications and the team's decisions. The writes are talent.services's; the
ranking is talent.ranking's. A TeamsError goes back on the form (nothing was saved); a refusal for lack
of rights is a 403; an opening the user may not see is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.api_support import as_id
from matching.selectors import teams_managed_by
from talent import forms, services
from talent import ranking as talent
from talent.models import Application, Opening, StudentProfile
from teams import permissions
from teams.errors import TeamsError


def _report(form, exc: TeamsError) -> None:
    if exc.code == "forbidden":
        raise PermissionDenied(exc.message)
    form.add_error(None, exc.message)


def _profile(user) -> StudentProfile | None:
    return StudentProfile.objects.filter(user=user).select_related("discipline").first()


@login_required
def profile(request):
    if not services.may_keep_profile(request.user):
        raise PermissionDenied
    current = _profile(request.user)
    initial = (
        {
            "level": current.level,
            "major": current.major,
            "discipline": current.discipline_id,
            "year": current.year,
            "skills": "、".join(current.skills),
            "interests": current.interests,
            "hours_per_week": current.hours_per_week,
            "available_note": current.available_note,
            "open_to_offers": current.open_to_offers,
        }
        if current
        else {"open_to_offers": True, "year": timezone.localdate().year}
    )
    form = forms.StudentProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(user=request.user, **form.cleaned_data)
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("学生档案已保存。"))
            return redirect("talent:talent")
    return render(
        request,
        "talent/talent_profile.html",
        {"form": form, "profile": current},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def talent_home(request):
    """A student sees the openings ranked for them; a team manager their openings; everyone the rest."""
    user = request.user
    mine = _profile(user)
    managed = teams_managed_by(user)
    return render(
        request,
        "talent/talent.html",
        {
            "profile": mine,
            "can_keep_profile": services.may_keep_profile(user),
            "ranked": talent.openings_for_student(mine) if mine else [],
            "recruiting": [] if mine else talent.openings_accepting()[:50],
            "team_openings": Opening.objects.filter(team__in=managed).select_related("team", "enterprise"),
            "can_post": managed.exists(),
        },
    )


@login_required
def opening_create(request):
    teams = teams_managed_by(request.user)
    if not teams.exists():
        raise PermissionDenied
    wanted = as_id(request.GET.get("team"))
    form = forms.OpeningForm(request.POST or None, teams=teams, initial={"team": wanted} if wanted else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            opening = services.opening_create(by=request.user, **data)
        except TeamsError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("岗位已发布，下方是平台为该岗位推荐的学生。"))
            return redirect("talent:opening", pk=opening.pk)
    return render(request, "talent/opening_form.html", {"form": form}, status=400 if form.is_bound else 200)


def _opening_page(request, opening, *, apply_form=None, decline_forms=None, status=200):
    user = request.user
    manager = permissions.team_manager_of(user, opening.team)
    mine = _profile(user)
    my_application = (
        opening.applications.filter(student=mine).order_by("-created_at").first() if mine else None
    )
    applications = (
        opening.applications.select_related("student", "student__user", "student__discipline", "record")
        if manager
        else []
    )
    decline_forms = decline_forms or {}
    for a in applications:
        a.decline_form = decline_forms.get(a.pk) or forms.ApplicationDeclineForm(prefix=f"d{a.pk}")
    return render(
        request,
        "talent/opening_detail.html",
        {
            "opening": opening,
            "is_manager": manager,
            "ranked": talent.students_for_opening(opening) if manager else [],
            "applications": applications,
            "profile": mine,
            "my_application": my_application,
            "can_apply": bool(
                mine
                and services.opening_accepting(opening)
                and not (my_application and my_application.status in services.LIVE)
            ),
            "apply_form": apply_form or forms.ApplyForm(),
            "accepting": services.opening_accepting(opening),
        },
        status=status,
    )


@login_required
@require_GET
def opening_detail(request, pk: int):
    opening = get_object_or_404(services.openings_visible_to(request.user), pk=pk)
    return _opening_page(request, opening)


@login_required
@require_POST
def apply(request, pk: int):
    opening = get_object_or_404(services.openings_visible_to(request.user), pk=pk)
    form = forms.ApplyForm(request.POST)
    if form.is_valid():
        if _profile(request.user) is None:
            messages.error(request, _("请先填写学生档案再申请岗位。"))
            return redirect("talent:talent_profile")
        try:
            services.application_submit(opening=opening, by=request.user, **form.cleaned_data)
        except TeamsError as exc:
            if exc.field is None:
                # A refusal about the opening or an earlier application, not the statement: the form may
                # not be on the page any more (it is hidden once applied), so the message goes on top.
                messages.error(request, exc.message)
                return redirect("talent:opening", pk=opening.pk)
            _report(form, exc)
        else:
            messages.success(request, _("已提交申请，等待小分队处理。"))
            return redirect("talent:opening", pk=opening.pk)
    return _opening_page(request, opening, apply_form=form, status=400)


@login_required
@require_POST
def opening_close(request, pk: int):
    opening = get_object_or_404(services.openings_visible_to(request.user), pk=pk)
    try:
        services.opening_close(opening=opening, by=request.user)
    except TeamsError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("岗位已关闭。"))
    return redirect("talent:opening", pk=opening.pk)


@login_required
@require_POST
def application_action(request, pk: int, action: str):
    application = get_object_or_404(services.applications_visible_to(request.user), pk=pk)
    opening = application.opening
    form = None
    try:
        if action == "accept":
            application = services.application_accept(
                application=application,
                by=request.user,
                agreement_number=request.POST.get("agreement_number", ""),
            )
            done = _("已录用 %(s)s。") % {"s": application.student.user}
            if opening.kind == Opening.Kind.INTERNSHIP:
                done += _("已计入实习协议“%(no)s”的服务记录（草稿），请上传签署的实习协议后提交审核。") % {
                    "no": application.record.achievement_key
                }
        elif action == "decline":
            form = forms.ApplicationDeclineForm(request.POST, prefix=f"d{application.pk}")
            if not form.is_valid():
                return _opening_page(request, opening, decline_forms={application.pk: form}, status=400)
            services.application_decline(application=application, by=request.user, **form.cleaned_data)
            done = _("已处理该申请。")
        elif action == "withdraw":
            services.application_withdraw(application=application, by=request.user)
            done = _("已撤回申请。")
            messages.success(request, done)
            return redirect("talent:talent_applications")
        else:
            raise Http404
    except TeamsError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
        return redirect("talent:opening", pk=opening.pk)
    messages.success(request, done)
    return redirect("talent:opening", pk=opening.pk)


@login_required
@require_GET
def my_applications(request):
    mine = _profile(request.user)
    rows = (
        Application.objects.filter(student=mine).select_related(
            "opening", "opening__team", "opening__enterprise"
        )
        if mine
        else []
    )
    return render(request, "talent/talent_applications.html", {"applications": rows, "profile": mine})

"""Assessment pages: rules, the annual assessment (spot check, notice, objections, publication),
rankings with breakdowns, the public notice page, archives and cases. Thin: forms + one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Category, College
from accounts.scope import is_research_office, is_sto_admin, strand_of
from core.api_support import as_id
from core.exports import download
from core.form_fields import YearField, whole_number
from scoring import assessment as services
from scoring import forms, paperwork, selectors
from scoring.archive import archive_data, archive_pdf, archive_xlsx, college_archives_zip
from scoring.models import Assessment, AssessmentResult, Case
from scoring.scores import ScoringError, rule_set_revise, rules_for_year
from teams.models import RecordType, Team
from teams.permissions import team_member_of
from teams.selectors import teams_visible_to


def _office_only(user):
    if not is_sto_admin(user):
        raise PermissionDenied


def _research_office_only(user):
    if not is_research_office(user):
        raise PermissionDenied


def _visible_assessment(user, pk) -> Assessment:
    return get_object_or_404(selectors.assessments_visible_to(user), pk=pk)


@login_required
def assessment_list(request):
    form = forms.AssessmentOpenForm(request.POST or None) if is_sto_admin(request.user) else None
    if request.method == "POST":
        _office_only(request.user)
        if form.is_valid():
            try:
                created = services.assessment_open(by=request.user, **form.cleaned_data)
            except ScoringError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已创建 {created.year} 年度考核。")
                return redirect("scoring:assessment", pk=created.pk)
    return render(
        request,
        "scoring/assessment_list.html",
        {"assessments": selectors.assessments_visible_to(request.user), "form": form},
    )


@login_required
def assessment_detail(request, pk):
    assessment = _visible_assessment(request.user, pk)
    is_office = is_sto_admin(request.user)
    reads_all = is_research_office(request.user)
    # Filters typed into the address bar: a malformed one is ignored, never a server error.
    college_id = as_id(request.GET.get("college"))
    category = request.GET.get("category") if request.GET.get("category") in Category.values else None
    context = {
        "assessment": assessment,
        "is_office": is_office,
        "checks": selectors.spot_checks_visible_to(request.user).filter(assessment=assessment),
        "objections": selectors.objections_visible_to(request.user).filter(assessment=assessment),
        "results": selectors.results_for(request.user, assessment, college_id=college_id, category=category),
        # Where teams stand before the scores are fixed: the office's preview, never shown publicly.
        "provisional": selectors.provisional_for(request.user, assessment),
        "colleges": College.objects.filter(university=assessment.university),
        # The colleges whose year's archive forms the asker may download as one zip.
        "archivable": selectors.colleges_archivable_by(request.user)
        .filter(university=assessment.university)
        .order_by("name"),
        "college_id": str(college_id) if college_id else None,  # the template compares text
        "category": category,
        "frozen_count": assessment.frozen_records.count(),
        # Both offices see which records came in after their strand's draw closed its set.
        "late": list(services.late_records(assessment)) if reads_all else [],
        # The same visit or training recorded by two teams that share members: counted once.
        "shared": services.shared_items_of(assessment) if reads_all else [],
        "my_strand": strand_of(request.user),
        "new_teams": services.new_teams(assessment).order_by("name"),
        "strands": selectors.strand_progress(assessment),
        "corrections": selectors.corrections_of(assessment),
        "correction_form": forms.CorrectionForm() if is_office and assessment.status == "final" else None,
    }
    return render(request, "scoring/assessment_detail.html", context)


def _act(request, pk, action, *, office_only=True):
    (_office_only if office_only else _research_office_only)(request.user)
    assessment = _visible_assessment(request.user, pk)
    try:
        action(assessment)
    except ScoringError as exc:
        messages.error(request, exc.message)
    return redirect("scoring:assessment", pk=assessment.pk)


@require_POST
@login_required
def spot_draw(request, pk):
    raw_seed = request.POST.get("seed", "").strip()
    seed = whole_number(raw_seed)
    if raw_seed and seed is None:
        messages.error(request, "随机种子应为非负整数。")
        return redirect("scoring:assessment", pk=pk)
    return _act(
        request,
        pk,
        lambda a: services.spot_check_draw(assessment=a, by=request.user, seed=seed),
        office_only=False,
    )


@require_POST
@login_required
def spot_decide(request, pk):
    _research_office_only(request.user)
    check = get_object_or_404(selectors.spot_checks_visible_to(request.user), pk=pk)
    form = forms.SpotDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择抽查结论。")
    else:
        try:
            services.spot_check_decide(check=check, by=request.user, **form.cleaned_data)
        except ScoringError as exc:
            messages.error(request, exc.message)
    return redirect("scoring:assessment", pk=check.assessment_id)


@require_POST
@login_required
def spot_decide_batch(request, pk):
    """The ticked records of the asker's strand, one conclusion and one reason for all."""
    _research_office_only(request.user)
    assessment = _visible_assessment(request.user, pk)
    pending = selectors.spot_checks_visible_to(request.user).filter(assessment=assessment, result="pending")
    return _submit(
        request,
        assessment,
        forms.SpotBatchForm(request.POST, choices=pending.values_list("pk", flat=True)),
        lambda **data: services.spot_checks_decide(assessment=assessment, by=request.user, **data),
        invalid="请勾选待定结论的抽查记录，并选择结论。",
        done=lambda checks: f"已对 {len(checks)} 条抽查记录给出结论。",
    )


@require_POST
@login_required
def notice_begin(request, pk):
    return _act(request, pk, lambda a: services.notice_begin(assessment=a, by=request.user))


@require_POST
@login_required
def publish(request, pk):
    return _act(request, pk, lambda a: services.assessment_publish(assessment=a, by=request.user))


def _submit(request, assessment, form, run, *, invalid: str, done) -> HttpResponse:
    """A posted form on the assessment page: its one service call, the refusal or `done(result)` as a
    message, back to the page."""
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            result = run(**form.cleaned_data)
        except ScoringError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, done(result))
    return redirect("scoring:assessment", pk=assessment.pk)


@require_POST
@login_required
def shared_choose(request, pk):
    _office_only(request.user)
    assessment = _visible_assessment(request.user, pk)
    return _submit(
        request,
        assessment,
        forms.SharedChoiceForm(request.POST),
        lambda **data: services.shared_item_choose(assessment=assessment, by=request.user, **data),
        invalid="请填写理由（不超过 500 字）。",
        done=lambda _choice: "已改为计入所选小分队的记录。",
    )


@require_POST
@login_required
def correct(request, pk):
    _office_only(request.user)
    assessment = _visible_assessment(request.user, pk)
    return _submit(
        request,
        assessment,
        forms.CorrectionForm(request.POST),
        lambda **data: services.assessment_correct(assessment=assessment, by=request.user, **data),
        invalid="请填写更正理由（不超过 2000 字）和记录编号。",
        done=lambda _correction: "已更正并重新公布结果，相关小分队已收到通知。",
    )


@require_POST
@login_required
def objection_answer(request, pk):
    _office_only(request.user)
    objection = get_object_or_404(selectors.objections_visible_to(request.user), pk=pk)
    form = forms.AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.objection_answer(objection=objection, by=request.user, **form.cleaned_data)
        except ScoringError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "请填写答复内容。")
    return redirect("scoring:assessment", pk=objection.assessment_id)


def public_notice(request, pk):
    """公示: open to everyone while on notice and after; written objections during the notice."""
    assessment = get_object_or_404(selectors.assessments_on_notice(), pk=pk)
    form = forms.ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.objection_lodge(assessment=assessment, team_id=data.pop("team") or None, **data)
        except ScoringError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "您的异议已提交，科技处将在公示期结束前答复。")
            return redirect("scoring:notice", pk=assessment.pk)
    return render(
        request,
        "scoring/notice.html",
        {
            "assessment": assessment,
            "results": selectors.public_results(assessment),
            "form": form,
            "corrections": selectors.corrections_of(assessment),
        },
    )


def _as_download(file: tuple[bytes, str, str]):
    body, mime, filename = file
    return download(body, filename, mime)


def _paperwork(request, pk, name, kind, results_of):
    assessment = get_object_or_404(Assessment.objects.select_related("university"), pk=pk)
    try:
        return _as_download(paperwork.assessment_file(assessment, name, kind, results_of(assessment)))
    except ScoringError as exc:
        if exc.code == "not_found":
            raise Http404 from exc
        messages.error(request, exc.message)
        if request.user.is_authenticated:
            return redirect("scoring:assessment", pk=assessment.pk)
        return redirect("scoring:notice", pk=assessment.pk)


def public_paperwork(request, pk, name, kind):
    """The 公示 list and the results notice: public, like the notice page they print."""
    if name not in {"notice-list", "results-notice"}:
        raise Http404
    get_object_or_404(selectors.assessments_on_notice(), pk=pk)
    return _paperwork(request, pk, name, kind, selectors.public_results)


@login_required
def sheets(request, pk, kind):
    """Every Appendix C sheet the asker may see, one per team, in one file."""
    assessment = _visible_assessment(request.user, pk)
    return _paperwork(
        request, assessment.pk, "appendix-c", kind, lambda a: selectors.sheets_visible_to(request.user, a)
    )


@login_required
def result_sheet(request, pk, kind):
    result = get_object_or_404(AssessmentResult.objects.select_related("team", "assessment"), pk=pk)
    if not selectors.result_visible_to(request.user, result):
        raise Http404
    try:
        return _as_download(paperwork.result_file(result, kind))
    except ScoringError as exc:
        messages.error(request, exc.message)
        return redirect("scoring:result", pk=result.pk)


@login_required
def result_detail(request, pk):
    result = get_object_or_404(AssessmentResult.objects.select_related("team", "assessment"), pk=pk)
    if not selectors.result_visible_to(request.user, result):
        raise Http404
    return render(request, "scoring/result_detail.html", {"result": result})


@login_required
def rules(request, year: int):
    # Everyone of a university sees its table; others (and a university without its own) the platform's.
    rule_set, current = rules_for_year(year, getattr(request.user, "university_id", None))
    labels = dict(RecordType.choices)
    if request.method == "POST":
        _office_only(request.user)
        changes, errors = {}, []
        for record_type, rule in current.items():
            form = forms.RuleItemForm(
                {
                    "points": request.POST.get(f"{record_type}-points"),
                    "cap": request.POST.get(f"{record_type}-cap"),
                }
            )
            if not form.is_valid():
                errors.append(f"{labels.get(record_type, record_type)}：分值和上限应为 0 到 1000 的数字")
                continue
            if form.cleaned_data["points"] != rule.points or form.cleaned_data["cap"] != rule.cap:
                changes[record_type] = form.cleaned_data
        if errors:
            for error in errors:
                messages.error(request, error)
        elif changes:
            try:
                rule_set_revise(
                    year=year, by=request.user, changes=changes, note=request.POST.get("note", "")
                )
            except ScoringError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "评分规则已保存为新版本。")
            return redirect("scoring:rules", year=year)
    rows = [(t, labels.get(t, t), r) for t, r in current.items()]
    return render(request, "scoring/rules.html", {"year": year, "rule_set": rule_set, "rows": rows})


@login_required
def archive(request, team_pk: int, year: int):
    team = get_object_or_404(selectors.teams_for_archive(request.user), pk=team_pk)
    data = archive_data(team, year)
    fmt = request.GET.get("format")
    if fmt in {"xlsx", "pdf"}:
        if data.missing:
            messages.error(request, "归档表必填项缺失：" + "、".join(data.missing))
            return redirect("scoring:archive", team_pk=team.pk, year=year)
        if fmt == "xlsx":
            body, mime = (
                archive_xlsx(data),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        else:
            body, mime = archive_pdf(data), "application/pdf"
        response = HttpResponse(body, content_type=mime)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{_quote(f'{year}_{team.name}.{fmt}')}"
        )
        return response
    cases = Case.objects.filter(team=team, year=year)
    return render(
        request,
        "scoring/archive.html",
        {
            "data": data,
            "team": team,
            "year": year,
            "cases": cases,
            "case_form": forms.CaseForm(initial={"year": year}),
            # Only the team's own members write its highlights (case_create); reviewers only read them.
            "can_add_case": team_member_of(request.user, team),
        },
    )


@login_required
def college_archive_zip(request, college_pk: int, year: int):
    college = get_object_or_404(selectors.colleges_archivable_by(request.user), pk=college_pk)
    body, _skipped = college_archives_zip(Team.objects.filter(college=college).order_by("name"), year)
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quote(f'{year}_{college.name}_归档.zip')}"
    )
    return response


@require_POST
@login_required
def case_add(request, team_pk: int):
    team = get_object_or_404(teams_visible_to(request.user), pk=team_pk)
    form = forms.CaseForm(request.POST)
    year = request.POST.get("year", "")
    if form.is_valid():
        try:
            services.case_create(team=team, by=request.user, **form.cleaned_data)
        except ScoringError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已添加亮点与案例。")
        year = form.cleaned_data["year"]
    else:
        messages.error(request, "请完整填写年度、标题和内容。")
    # Back to the archive the form was posted from; a year that is not one goes to this year's.
    year = whole_number(year, high=YearField.high)
    if year is None or year < YearField.low:
        year = timezone.localdate().year
    return redirect("scoring:archive", team_pk=team.pk, year=year)


@login_required
def cases(request):
    qs = selectors.cases_visible_to(request.user)
    if request.method == "POST":
        _office_only(request.user)
        case = get_object_or_404(qs, pk=request.POST.get("case"))
        try:
            services.case_mark_exemplary(
                case=case, by=request.user, exemplary=request.POST.get("exemplary") == "1"
            )
        except ScoringError as exc:
            messages.error(request, exc.message)
        return redirect("scoring:cases")
    return render(request, "scoring/cases.html", {"cases": qs})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)

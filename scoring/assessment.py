"""The annual assessment: spot check by strand, public notice with objections, grades, publication,
corrections.

Appendix C's note: records are reviewed by the college; the university's 科技 and 人文科研 management
departments spot-check them separately for 理工类 and 人文类 (each office draws and decides its own
strand); then the results go on public notice. A rejected spot check removes the record's points. Each
draw is reproducible: the seed is recorded and the population is taken in id order. The S&T office runs
the rest: it opens the year, begins the notice once both strands are done, answers objections and
publishes.
"""

import math
import random
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Category
from accounts.notifications import notify
from accounts.scope import is_sto_admin, office_users, strand_of
from core.form_fields import whole_number
from scoring.models import (
    Assessment,
    AssessmentResult,
    Correction,
    FrozenRecord,
    Grade,
    Objection,
    RuleSet,
    SharedItemChoice,
    SpotCheck,
    StrandDraw,
)
from scoring.scores import ScoringError, TeamScore, rules_for_year, teams_scores
from scoring.shared_items import SharedItem, shared_items
from teams.errors import TeamsError
from teams.feedback import team_managers
from teams.models import Evidence, MemberRole, ServiceRecord, Team, TeamTransition
from teams.records import COUNTED, record_spot_check
from teams.services import rectification_open

A = Assessment.Status
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Teams assessed for a year: those that serve or served to the end of their term (archived). A team
# dissolved during the year is assessed on the records of the year it has (the stated rule: its
# counted work still counts, and it appears in the ranking marked 已撤销); one dissolved earlier, with
# nothing in the year, is not.
ASSESSED_STATES = {Team.Status.ACTIVE, Team.Status.RECTIFYING, Team.Status.ARCHIVED}


def _office(by, assessment_or_university_id) -> None:
    university_id = getattr(assessment_or_university_id, "university_id", assessment_or_university_id)
    if not (is_sto_admin(by) and by.university_id == university_id):
        raise ScoringError(_("只有本校科技处管理员可以操作年度考核。"), code="forbidden")


def _strand_office(by, assessment: Assessment) -> str:
    """The strand the asker's office spot-checks, for an assessment of its own university."""
    strand = strand_of(by)
    if strand is None or by.university_id != assessment.university_id:
        raise ScoringError(_("只有本校科技处或人文社科处管理员可以抽查。"), code="forbidden")
    return strand


def _state(assessment: Assessment, allowed: set) -> None:
    if assessment.status not in allowed:
        raise ScoringError(
            _("年度考核当前为“%(s)s”，不能执行该操作。") % {"s": assessment.get_status_display()},
            code="wrong_state",
        )


def _share(value, label) -> Decimal:
    number = Decimal(str(value))
    if not Decimal("0") <= number <= Decimal("1"):
        raise ScoringError(_("%(l)s应在 0 到 1 之间。") % {"l": label})
    return number


@transaction.atomic
def assessment_open(*, by, year: int, **settings) -> Assessment:
    _office(by, by.university_id)
    if Assessment.objects.filter(university_id=by.university_id, year=year).exists():
        raise ScoringError(_("%(y)d 年度考核已创建。") % {"y": year}, code="duplicate")
    allowed = {
        "spot_share",
        "grade_mode",
        "excellent_threshold",
        "pass_threshold",
        "excellent_quota",
        "notice_days",
        "late_approvals",
        "rectification_days",
        "new_team_days",
    }
    unknown = set(settings) - allowed
    if unknown:
        raise ScoringError(_("未知的设置：%(v)s。") % {"v": "、".join(sorted(unknown))})
    for key in ("spot_share", "excellent_quota"):
        if key in settings:
            settings[key] = _share(settings[key], key)
    rule_set, _rules = rules_for_year(year, by.university_id)
    return Assessment.objects.create(university_id=by.university_id, year=year, rule_set=rule_set, **settings)


def new_teams(assessment: Assessment):
    """Teams of the university that began serving (first became 运行中) fewer than new_team_days before
    the year's end, or after it: not assessed this year (新组建). A team with no such step recorded (made
    before the flow kept one) counts as established."""
    year_end = timezone.make_aware(datetime(assessment.year, 12, 31, 23, 59, 59))
    cutoff = year_end - timedelta(days=assessment.new_team_days)
    began = (
        TeamTransition.objects.filter(team=OuterRef("pk"), to_status=Team.Status.ACTIVE)
        .order_by("at")
        .values("at")[:1]
    )
    return (
        Team.objects.filter(college__university_id=assessment.university_id)
        .annotate(began=Subquery(began))
        .filter(began__gt=cutoff)
    )


def assessed_teams(assessment: Assessment):
    dissolved_with_work = Q(
        status=Team.Status.DISSOLVED,
        records__date__year=assessment.year,
        records__status__in=COUNTED,
    )
    return (
        Team.objects.filter(
            Q(status__in=ASSESSED_STATES) | dissolved_with_work,
            college__university_id=assessment.university_id,
        )
        .exclude(pk__in=new_teams(assessment).values("pk"))
        .distinct()
    )


def strands_of(assessment: Assessment) -> list[str]:
    """The strands (理工类, 人文类) with teams in the year: each must be drawn and checked by its office
    before the notice. A university without 人文类 teams needs no humanities draw."""
    present = set(assessed_teams(assessment).values_list("category", flat=True))
    return [c for c in Category.values if c in present]


def strands_drawn(assessment: Assessment) -> list[str]:
    return list(assessment.draws.values_list("category", flat=True))


def carried_over(assessment: Assessment) -> list[int]:
    """Records of the year before that its college approved after that year's draw closed their strand's
    record set, where the university carries them over (本校设置: 计入下一年度): they count in this year."""
    previous = Assessment.objects.filter(
        university_id=assessment.university_id, year=assessment.year - 1, draws__isnull=False
    ).first()
    if previous is None or previous.late_approvals != Assessment.LateApprovals.NEXT_YEAR:
        return []
    return list(
        ServiceRecord.objects.filter(
            team__in=assessed_teams(assessment),
            team__category__in=strands_drawn(previous),
            date__year=previous.year,
            status__in=COUNTED,
        )
        .exclude(pk__in=previous.frozen_records.values("record_id"))
        .values_list("id", flat=True)
        .order_by("id")
    )


def late_records(assessment: Assessment):
    """Records of this year approved after their strand's draw: not in the closed set, so not scored this
    year (carried to the next, or refused, as the university set)."""
    drawn = strands_drawn(assessment)
    if not drawn:
        return ServiceRecord.objects.none()
    return (
        ServiceRecord.objects.filter(
            team__in=assessed_teams(assessment),
            team__category__in=drawn,
            date__year=assessment.year,
            status__in=COUNTED,
        )
        .exclude(pk__in=assessment.frozen_records.values("record_id"))
        .exclude(pk__in=[r["id"] for c in assessment.corrections.all() for r in c.removed])
        .select_related("team")
        .order_by("team__name", "date", "id")
    )


def shared_items_of(assessment: Assessment) -> list[SharedItem]:
    """The year's visits and trainings recorded twice by teams that share members (counted once)."""
    return shared_items(
        ServiceRecord.objects.filter(team__in=assessed_teams(assessment), date__year=assessment.year)
    )


@transaction.atomic
def shared_item_choose(*, assessment: Assessment, by, kept_id: int, left_out_id: int, reason: str):
    """The S&T office decides which team keeps a visit or training two teams that share members both
    recorded (the other team's record is left out of every score), before the scores are fixed."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _office(by, assessment)
    _state(assessment, {A.OPEN, A.SPOT_CHECK})
    reason = (reason or "").strip()
    if not reason:
        raise ScoringError(_("请填写决定的理由。"), field="reason")
    if len(reason) > 500:
        raise ScoringError(_("理由不能超过 500 字。"), field="reason")
    pair = {kept_id, left_out_id}
    item = next((i for i in shared_items_of(assessment) if {i.kept.pk, i.left_out.pk} == pair), None)
    if item is None or kept_id == left_out_id:
        raise ScoringError(_("这两条记录不是本年度共享成员的重复记录。"))
    SharedItemChoice.objects.filter(
        Q(kept_id=kept_id, left_out_id=left_out_id) | Q(kept_id=left_out_id, left_out_id=kept_id)
    ).delete()
    return SharedItemChoice.objects.create(
        kept_id=kept_id, left_out_id=left_out_id, reason=reason, decided_by=by
    )


def _live_records(assessment: Assessment, categories=None):
    """The year's counted records (and those carried over) as they stand, of some strands."""
    rows = ServiceRecord.objects.filter(
        Q(date__year=assessment.year) | Q(pk__in=carried_over(assessment)),
        team__in=assessed_teams(assessment),
        status__in=COUNTED,
    )
    return rows if categories is None else rows.filter(team__category__in=categories)


def scored_record_ids(assessment: Assessment) -> set[int] | None:
    """The records this assessment scores: a drawn strand's closed set, an undrawn strand's counted
    records as they stand; None before any draw (every counted record of the year, plus the ones carried
    over, which `_ranked` adds)."""
    drawn = strands_drawn(assessment)
    if not drawn:
        return None
    scored = set(assessment.frozen_records.values_list("record_id", flat=True))
    undrawn = [c for c in Category.values if c not in drawn]
    if undrawn:
        scored |= set(_live_records(assessment, undrawn).values_list("id", flat=True))
    return scored


def spot_population(assessment: Assessment, category: str | None = None) -> dict[str, list[int]]:
    """College-approved records of the year (and those carried over from the year before), by
    category, in id order: the year's record set (of one strand), closed by its draw."""
    rows = ServiceRecord.objects.filter(
        Q(date__year=assessment.year) | Q(pk__in=carried_over(assessment)),
        team__in=assessed_teams(assessment),
        status=ServiceRecord.Status.APPROVED,
    )
    if category is not None:
        rows = rows.filter(team__category=category)
    population: dict[str, list[int]] = {}
    for record_id, cat in rows.values_list("id", "team__category").order_by("id"):
        population.setdefault(cat, []).append(record_id)
    return population


def spot_sample(population: dict[str, list[int]], share: Decimal, seed: int) -> dict[str, list[int]]:
    """The same population, share and seed always give the same sample."""
    rng = random.Random(seed)
    sample = {}
    for category in sorted(population):
        ids = population[category]
        n = math.ceil(len(ids) * share)
        sample[category] = sorted(rng.sample(ids, n))
    return sample


@transaction.atomic
def spot_check_draw(*, assessment: Assessment, by, seed: int | None = None) -> dict[str, list[int]]:
    """The asker's office draws its own strand (the S&T office 理工类, the humanities research office
    人文类). The draw closes that strand's record set; the year's set is closed when every strand is."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    strand = _strand_office(by, assessment)
    _state(assessment, {A.OPEN, A.SPOT_CHECK})
    if assessment.draws.filter(category=strand).exists():
        raise ScoringError(
            _("%(c)s已抽样，不能重复抽样。") % {"c": Category(strand).label}, code="already_drawn"
        )
    seed = secrets.randbits(48) if seed is None else int(seed)
    population = spot_population(assessment, strand)
    sample = spot_sample(population, assessment.spot_share, seed)
    FrozenRecord.objects.bulk_create(
        [
            FrozenRecord(assessment=assessment, record_id=rid, category=cat)
            for cat, ids in population.items()
            for rid in ids
        ]
    )
    SpotCheck.objects.bulk_create(
        [
            SpotCheck(assessment=assessment, record_id=rid, category=cat)
            for cat, ids in sample.items()
            for rid in ids
        ]
    )
    now = timezone.now()
    StrandDraw.objects.create(assessment=assessment, category=strand, seed=seed, drawn_by=by, drawn_at=now)
    assessment.spot_seed = seed  # the latest draw's; each strand's own is on its StrandDraw
    assessment.status = A.SPOT_CHECK
    if set(strands_of(assessment)) <= set(strands_drawn(assessment)):
        assessment.frozen_at = now
    assessment.save(update_fields=["spot_seed", "status", "frozen_at"])
    return sample


@transaction.atomic
def spot_check_decide(*, check: SpotCheck, by, upheld: bool, reason: str = "") -> SpotCheck:
    check = SpotCheck.objects.select_for_update().select_related("assessment", "record").get(pk=check.pk)
    strand = _strand_office(by, check.assessment)
    if check.category != strand:
        raise ScoringError(
            _("该记录属于%(c)s，由对应的科研管理部门抽查。") % {"c": Category(check.category).label},
            code="forbidden",
        )
    _state(check.assessment, {A.SPOT_CHECK})
    if check.result != SpotCheck.Result.PENDING:
        raise ScoringError(_("该抽查记录已给出结论。"), code="wrong_state")
    reason = (reason or "").strip()
    if not upheld and not reason:
        raise ScoringError(_("抽查不通过需要填写原因。"))
    check.result = SpotCheck.Result.UPHELD if upheld else SpotCheck.Result.REJECTED
    check.reason, check.checked_by, check.checked_at = reason, by, timezone.now()
    check.save()
    # Through teams' record state machine: the transition is logged there, a rejected record leaves
    # the team's portrait and the ranking at once, and the team is told.
    try:
        record_spot_check(record=check.record, upheld=upheld, by=by, reason=reason)
    except TeamsError as exc:
        raise ScoringError(exc.message, code=exc.code) from exc
    return check


@transaction.atomic
def spot_checks_decide(*, assessment: Assessment, by, ids, upheld: bool, reason: str = "") -> list[SpotCheck]:
    """One conclusion (and one reason) for several drawn records of the asker's strand at once: each goes
    through spot_check_decide, and one that cannot be decided leaves all of them as they were."""
    ids = _ids(ids, "ids")
    if not ids:
        raise ScoringError(_("请选择要给出结论的抽查记录。"), field="ids")
    checks = {c.pk: c for c in SpotCheck.objects.filter(assessment=assessment, pk__in=ids)}
    missing = [i for i in ids if i not in checks]
    if missing:
        raise ScoringError(
            _("以下抽查记录不属于本次考核：%(v)s。") % {"v": "、".join(map(str, missing))}, field="ids"
        )
    return [spot_check_decide(check=checks[i], by=by, upheld=upheld, reason=reason) for i in ids]


def grades_for(scores: list[tuple[int, Decimal, str]], assessment: Assessment) -> dict[int, str]:
    """scores: (team id, score, name). Threshold mode uses the two lines; quota mode gives 优秀 to at
    most the quota share of teams, best first (ties broken by name), and only above the pass line."""
    grades = {}
    if assessment.grade_mode == Assessment.GradeMode.QUOTA:
        ranked = sorted(scores, key=lambda s: (-s[1], s[2]))
        quota = math.floor(len(ranked) * assessment.excellent_quota)
        for position, (team_id, score, _name) in enumerate(ranked):
            if score < assessment.pass_threshold:
                grades[team_id] = Grade.FAIL
            elif position < quota:
                grades[team_id] = Grade.EXCELLENT
            else:
                grades[team_id] = Grade.PASS
        return grades
    for team_id, score, _name in scores:
        if score >= assessment.excellent_threshold:
            grades[team_id] = Grade.EXCELLENT
        elif score >= assessment.pass_threshold:
            grades[team_id] = Grade.PASS
        else:
            grades[team_id] = Grade.FAIL
    return grades


def evidence_names(record_ids) -> dict[int, list[str]]:
    """Each record's evidence (佐证材料) by its file name, as the 公示 lists the material behind a score."""
    names: dict[int, list[str]] = {}
    rows = Evidence.objects.filter(record_id__in=list(record_ids)).order_by("uploaded_at", "id")
    for record_id, name in rows.values_list("record_id", "original_name"):
        names.setdefault(record_id, []).append(name)
    return names


def _breakdown(team_score, evidence: dict[int, list[str]]) -> list[dict]:
    return [
        {
            "record_type": i.record_type,
            "label": i.label,
            "quantity": str(i.quantity),
            "raw": str(i.raw),
            "score": str(i.score),
            "cap": None if i.cap is None else str(i.cap),
            "capped": i.capped,
            "points": str(i.points),
            "unit": i.unit,
            "records": [
                {
                    "id": r.record_id,
                    "title": r.title,
                    "date": r.date,
                    "raw": str(r.raw),
                    "counted": str(r.counted),
                    "evidence": evidence.get(r.record_id, []),
                }
                for r in i.records
            ],
        }
        for i in team_score.items
    ]


def left_out_by_team(assessment: Assessment) -> dict[int, list[dict]]:
    """Each team's records of the year that its score leaves out, with why, in date order."""
    out: dict[int, list[dict]] = {}

    def add(record, why: str) -> None:
        out.setdefault(record.team_id, []).append(
            {"id": record.pk, "title": record.title, "date": str(record.date), "why": why}
        )

    for check in assessment.spot_checks.filter(result=SpotCheck.Result.REJECTED).select_related("record"):
        add(check.record, _("抽查不通过：%(r)s") % {"r": check.reason})
    for item in shared_items_of(assessment):
        add(
            item.left_out,
            _("与%(t)s的记录重复（共同参与人：%(p)s），只计一次，计入对方")
            % {"t": item.kept.team.name, "p": "、".join(item.people)},
        )
    late = (
        _("抽样后才审核通过，计入下一年度")
        if assessment.late_approvals == Assessment.LateApprovals.NEXT_YEAR
        else _("抽样后才审核通过，不计入")
    )
    for record in late_records(assessment):
        add(record, str(late))
    removed = [(c, ref) for c in assessment.corrections.all() for ref in c.removed]
    teams = dict(
        ServiceRecord.objects.filter(pk__in=[ref["id"] for _c, ref in removed]).values_list("pk", "team_id")
    )
    for correction, ref in removed:
        out.setdefault(teams.get(ref["id"], 0), []).append(
            {
                "id": ref["id"],
                "title": ref["title"],
                "date": ref["date"],
                "why": _("更正移出：%(r)s") % {"r": correction.reason},
            }
        )
    for rows in out.values():
        rows.sort(key=lambda r: (r["date"], r["id"]))
    return out


@dataclass
class RankedTeam:
    rank: int
    team: Team
    score: TeamScore
    grade: str  # a Grade value

    def get_grade_display(self) -> str:
        return Grade(self.grade).label


def _ranked(assessment: Assessment) -> list[RankedTeam]:
    """Every assessed team scored from the year's records (the closed set once drawn), graded and
    ranked (best first, ties by name)."""
    teams = {t.pk: t for t in assessed_teams(assessment).select_related("college")}
    only = scored_record_ids(assessment)
    also = carried_over(assessment) if only is None else ()
    scores = teams_scores(list(teams), assessment.year, only=only, also=also)
    grades = grades_for([(tid, s.total, teams[tid].name) for tid, s in scores.items()], assessment)
    ordered = sorted(scores.values(), key=lambda s: (-s.total, teams[s.team_id].name))
    return [RankedTeam(n, teams[s.team_id], s, grades[s.team_id]) for n, s in enumerate(ordered, start=1)]


def provisional_ranking(assessment: Assessment) -> list[RankedTeam]:
    """Before the scores are fixed (材料审核中, 抽查中): the ranking and grades the records approved so
    far would give, for the office to see where teams stand. Nothing is written; the scores that count
    are fixed when the notice begins."""
    if assessment.status not in {A.OPEN, A.SPOT_CHECK}:
        return []
    return _ranked(assessment)


@transaction.atomic
def notice_begin(*, assessment: Assessment, by, now=None) -> Assessment:
    """Scores are fixed and put on public notice once every drawn record has been checked."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _office(by, assessment)
    _state(assessment, {A.SPOT_CHECK})
    undrawn = [c for c in strands_of(assessment) if c not in strands_drawn(assessment)]
    if undrawn:
        raise ScoringError(
            _("%(c)s尚未抽样：两类材料分别抽查完成后方可公示。")
            % {"c": "、".join(str(Category(c).label) for c in undrawn)},
            code="pending",
        )
    pending = assessment.spot_checks.filter(result=SpotCheck.Result.PENDING).count()
    if pending:
        raise ScoringError(_("还有 %(n)d 条抽查记录未给出结论。") % {"n": pending}, code="pending")
    ranked = _ranked(assessment)
    evidence = evidence_names(r.record_id for row in ranked for i in row.score.items for r in i.records)
    left_out = left_out_by_team(assessment)
    AssessmentResult.objects.filter(assessment=assessment).delete()
    AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(
                assessment=assessment,
                team_id=row.team.pk,
                score=row.score.total,
                grade=row.grade,
                rank=row.rank,
                breakdown=_breakdown(row.score, evidence),
                left_out=left_out.get(row.team.pk, []),
            )
            for row in ranked
        ]
    )
    now = now or timezone.now()
    assessment.status, assessment.notice_start = A.NOTICE, now
    assessment.notice_end = now + timedelta(days=assessment.notice_days)
    assessment.save()
    return assessment


@transaction.atomic
def objection_lodge(
    *, assessment: Assessment, author: str, contact: str, text: str, team=None, team_id=None, now=None
) -> Objection:
    """Anyone may lodge a written objection while the notice runs. The team it is about may be given as
    `team_id` (from a form or a request): one outside the assessment's university is refused."""
    now = now or timezone.now()
    if assessment.status != A.NOTICE or now > assessment.notice_end:
        raise ScoringError(_("当前不在公示期内，不能提出异议。"), code="wrong_state")
    if team is None and team_id is not None:
        team = Team.objects.filter(pk=team_id, college__university_id=assessment.university_id).first()
        if team is None:
            raise ScoringError(_("该小分队不在本次考核范围内。"), field="team")
    author, contact, text = (author or "").strip(), (contact or "").strip(), (text or "").strip()
    if not author or not contact or not text:
        raise ScoringError(_("请填写署名、联系方式和异议内容（实名书面提出）。"))
    for value, field, label, maximum in (
        (author, "author", _("署名"), 50),
        (contact, "contact", _("联系方式"), 100),
        (text, "text", _("异议内容"), 3000),
    ):
        if len(value) > maximum:
            raise ScoringError(
                _("%(label)s不能超过 %(n)d 字。") % {"label": label, "n": maximum}, field=field
            )
    if team is not None and team.college.university_id != assessment.university_id:
        raise ScoringError(_("该小分队不在本次考核范围内。"), field="team")
    objection = Objection.objects.create(
        assessment=assessment, team=team, author=author, contact=contact, text=text
    )
    # The S&T office answers every objection before it may publish: it hears of each one at once.
    notify(
        users=list(office_users(assessment.university_id)),
        kind="assessment",
        title=_("%(y)d 年度考核公示收到异议%(t)s，请在公示期结束前答复")
        % {"y": assessment.year, "t": f"（{team.name}）" if team else ""},
        link=reverse("scoring:assessment", args=[assessment.pk]),
    )
    return objection


@transaction.atomic
def objection_answer(*, objection: Objection, by, answer: str) -> Objection:
    _office(by, objection.assessment)
    answer = (answer or "").strip()
    if not answer:
        raise ScoringError(_("请填写答复内容。"))
    if objection.answered_at is not None:
        raise ScoringError(_("该异议已答复。"), code="wrong_state")
    objection.answer, objection.answered_by, objection.answered_at = answer, by, timezone.now()
    objection.save()
    _objection_answered(objection)
    return objection


def _objection_answered(objection: Objection) -> None:
    """The team an objection was about hears the answer (not who objected); the author, who has no
    account, gets it by e-mail where the contact given is an address."""
    assessment = objection.assessment
    title = _("%(y)d 年度考核公示异议已答复") % {"y": assessment.year}
    if objection.team is not None:
        notify(
            users=list(team_managers(objection.team)),
            kind="assessment",
            title=title,
            body=_("异议内容：%(t)s\n答复：%(a)s") % {"t": objection.text, "a": objection.answer},
            link=reverse("scoring:notice", args=[assessment.pk]),
        )
    if EMAIL.fullmatch(objection.contact):
        message = _("您对 %(u)s %(y)d 年度科技小分队考核公示提出的异议已答复：\n\n%(a)s") % {
            "u": assessment.university.name,
            "y": assessment.year,
            "a": objection.answer,
        }
        address = objection.contact
        transaction.on_commit(
            lambda: send_mail(title, message, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=True)
        )


@transaction.atomic
def assessment_publish(*, assessment: Assessment, by, now=None) -> Assessment:
    """Final once the notice period is over and every objection is answered; the year's rules freeze."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _office(by, assessment)
    _state(assessment, {A.NOTICE})
    now = now or timezone.now()
    if assessment.notice_end is None:  # only an edit in the admin can leave a notice without an end
        raise ScoringError(_("公示期没有结束时间，请重新开始公示。"), code="notice_running")
    if now < assessment.notice_end:
        raise ScoringError(
            _("公示期至 %(d)s 结束，结束后方可公布结果。")
            % {"d": timezone.localtime(assessment.notice_end).strftime("%Y-%m-%d %H:%M")},
            code="notice_running",
        )
    unanswered = assessment.objections.filter(answered_at__isnull=True).count()
    if unanswered:
        raise ScoringError(_("还有 %(n)d 条异议未答复。") % {"n": unanswered}, code="objections")
    assessment.status, assessment.published_at = A.FINAL, now
    assessment.save()
    _feed_back(assessment, by, now)
    # Only this university's own tables freeze; another's, and the platform's, stay as they are (a
    # revision after publication is refused by checking the published assessment, see rule_set_revise).
    RuleSet.objects.filter(year=assessment.year, university_id=assessment.university_id).update(frozen=True)
    return assessment


def _feed_back(assessment: Assessment, by, now, results=None, *, corrected: bool = False) -> None:
    """Guideline 9 (快速反馈): each team hears its result; a 不合格 team is put under rectification with
    a measure to fill in, its captain responsible and the university's deadline."""
    start = max(timezone.localtime(now).date(), timezone.localdate())
    deadline = start + timedelta(days=assessment.rectification_days)
    if results is None:
        results = assessment.results.select_related("team")
    for result in results:
        team = result.team
        title = _("%(y)d 年度考核结果：%(g)s（%(s)s 分，第 %(r)d 名）") % {
            "y": assessment.year,
            "g": result.get_grade_display(),
            "s": result.score,
            "r": result.rank,
        }
        notify(
            users=list(team_managers(team)),
            kind="assessment",
            title=(_("【更正】") + title) if corrected else title,
            link=reverse("scoring:result", args=[result.pk]),
        )
        if result.grade == Grade.FAIL and team.status == Team.Status.ACTIVE:
            captain = team.members.filter(role=MemberRole.CAPTAIN).first()
            rectification_open(
                team=team,
                by=by,
                reason=_("%(y)d 年度考核不合格（%(s)s 分）") % {"y": assessment.year, "s": result.score},
                measure=_("对照附录C评价表逐项查找差距，制定具体改进措施并按期完成。"),
                responsible=captain.name if captain else team.name,
                deadline=deadline,
            )


def _record_refs(records) -> list[dict]:
    return [{"id": r.pk, "title": r.title, "team": r.team.name, "date": str(r.date)} for r in records]


@transaction.atomic
def assessment_correct(*, assessment: Assessment, by, reason: str, remove=(), add=(), now=None) -> Correction:
    """更正 after publication: the S&T office takes records out of the year's record set (found untrue
    after the notice) or puts in ones wrongly left out, with its reason. The results are recomputed from
    the corrected set and republished in place: the archive, the sheets and the lists read them; the
    correction keeps each changed team's figures before and after, and those teams are told."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _office(by, assessment)
    _state(assessment, {A.FINAL})
    reason = (reason or "").strip()
    if not reason:
        raise ScoringError(_("请填写更正理由。"), field="reason")
    if len(reason) > 2000:
        raise ScoringError(_("更正理由不能超过 2000 字。"), field="reason")
    remove, add = _ids(remove, "remove"), _ids(add, "add")
    if not remove and not add:
        raise ScoringError(_("请填写要移出或补入的服务记录编号。"))
    if set(remove) & set(add):
        raise ScoringError(_("同一条记录不能既移出又补入。"))
    in_set = set(assessment.frozen_records.values_list("record_id", flat=True))
    not_in = sorted(set(remove) - in_set)
    if not_in:
        raise ScoringError(
            _("以下记录不在本年度考核的记录名单中：%(v)s。") % {"v": "、".join(map(str, not_in))},
            field="remove",
        )
    addable = ServiceRecord.objects.filter(
        pk__in=add, team__in=assessed_teams(assessment), date__year=assessment.year, status__in=COUNTED
    ).select_related("team")
    addable = {r.pk: r for r in addable}
    wrong = sorted(i for i in add if i not in addable or i in in_set)
    if wrong:
        raise ScoringError(
            _("以下记录不能补入（须为本校参评小分队本年度审核通过、且不在名单中的记录）：%(v)s。")
            % {"v": "、".join(map(str, wrong))},
            field="add",
        )
    removed = list(ServiceRecord.objects.filter(pk__in=remove).select_related("team").order_by("id"))
    assessment.frozen_records.filter(record_id__in=remove).delete()
    FrozenRecord.objects.bulk_create(
        [
            FrozenRecord(assessment=assessment, record_id=r.pk, category=r.team.category)
            for r in addable.values()
        ]
    )
    before = {r.team_id: r for r in assessment.results.select_related("team")}
    ranked = _ranked(assessment)
    evidence = evidence_names(rec.record_id for row in ranked for i in row.score.items for rec in i.records)
    changed_before, changed_after, changed_results = {}, {}, []
    for row in ranked:
        old = before.pop(row.team.pk, None)
        figures = (row.score.total, row.grade, row.rank)
        if old is not None and (old.score, old.grade, old.rank) == figures:
            continue
        if old is None:
            old_figures = None
            old = AssessmentResult(assessment=assessment, team=row.team)
        else:
            old_figures = {"score": str(old.score), "grade": old.get_grade_display(), "rank": old.rank}
        old.score, old.grade, old.rank = figures
        old.breakdown = _breakdown(row.score, evidence)
        old.save()
        name = row.team.name
        changed_before[name] = old_figures or {}
        changed_after[name] = {"score": str(old.score), "grade": old.get_grade_display(), "rank": old.rank}
        changed_results.append(old)
    for gone in before.values():  # a team no longer assessed (cannot happen by records alone)
        changed_before[gone.team.name] = {
            "score": str(gone.score),
            "grade": gone.get_grade_display(),
            "rank": gone.rank,
        }
        gone.delete()
    correction = Correction.objects.create(
        assessment=assessment,
        reason=reason,
        removed=_record_refs(removed),
        added=_record_refs(sorted(addable.values(), key=lambda r: r.pk)),
        before=changed_before,
        after=changed_after,
        made_by=by,
    )
    left_out = left_out_by_team(assessment)
    for result in assessment.results.all():
        if result.left_out != left_out.get(result.team_id, []):
            result.left_out = left_out.get(result.team_id, [])
            result.save(update_fields=["left_out"])
    _feed_back(assessment, by, now or timezone.now(), changed_results, corrected=True)
    return correction


def _ids(values, field) -> list[int]:
    out = []
    for value in values or ():
        number = whole_number(str(value))
        if number is None or number < 1:
            raise ScoringError(_("服务记录编号应为正整数：%(v)s。") % {"v": value}, field=field)
        out.append(number)
    return sorted(set(out))


@transaction.atomic
def case_create(*, team: Team, by, year: int, title: str, text: str):
    """A team records a highlight or case of the year (the archive's 工作亮点和特色)."""
    from scoring.models import Case

    if not team.members.filter(user=by).exists():
        raise ScoringError(_("只有本小分队成员可以填写亮点与案例。"), code="forbidden")
    title, text = (title or "").strip(), (text or "").strip()
    if not title or not text:
        raise ScoringError(_("请填写标题和内容。"))
    return Case.objects.create(team=team, year=year, title=title[:100], text=text[:5000], created_by=by)


@transaction.atomic
def case_mark_exemplary(*, case, by, exemplary: bool = True):
    _office(by, case.team.college.university_id)
    case.exemplary = exemplary
    case.save(update_fields=["exemplary"])
    return case

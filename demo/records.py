"""The demo world's service records, written up as Appendix C records with their evidence, so the chain
需求 → 对接 → 服务记录 → 学院审核 → 年度考核 shows from the first start.

- A completed engagement gives a service visit (赴企业开展服务) and, for every other one, the technical
  service contract it was done under (横向科研项目, with an amount and a contract number); both were
  approved by the college. An engagement in service gives a visit submitted for review: it waits in
  its college's queue. Both are linked to their engagement.
- Each active team also has its routine year with the enterprises it serves (visits, trainings and, by
  chance, a joint paper, patent, plan or contract), more or less busy, so the assessment ranks a spread
  of scores rather than a list of near-zeros.
- Each record carries a 服务确认单 (an .xlsx a reviewer can open).
- The S&T office has opened the annual assessment of the latest year with records.

Rows are written directly with their history, like the rest of the demo world (the reviewers of some
colleges have no demo login), and found again by (team, title): a second run changes nothing.
"""

from __future__ import annotations

import io
import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from accounts.scope import Kind, users_of_kind
from demo.services import ANCHOR
from engagements.models import Engagement, EngagementRecord
from engagements.services import engagement_record_defaults
from scoring.assessment import assessment_open
from scoring.models import Assessment
from teams.achievements import normalise_achievement_key
from teams.models import Evidence, Member, RecordTransition, RecordType, ServiceRecord, Team

E = Engagement.Status
R = ServiceRecord.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVIEW_COMMENTS = ["材料齐全，同意。", "佐证清楚，审核通过。", "服务确认单已盖章，同意计分。"]


def demo_records_build(*, seed: int) -> dict:
    """Write the missing records of the demo engagements and of each active team's routine year, and
    open the assessment: {"records": how many were written, "assessment": the year of the assessment
    opened, None when none was}."""
    engagements = (
        Engagement.objects.filter(status__in=[E.COMPLETED, E.IN_SERVICE])
        .select_related("need__enterprise", "team__college")
        .order_by("id")
    )
    created = completed = 0
    hands = _Hands()
    with transaction.atomic():
        for engagement in engagements:
            completed += engagement.status == E.COMPLETED
            rng = random.Random(f"{seed}:record:{engagement.need.title}:{engagement.team.name}")
            # The first, third, fifth … completed engagement was done under a contract.
            with_contract = engagement.status == E.COMPLETED and completed % 2 == 1
            for spec in _record_specs(engagement, with_contract, rng):
                created += _write_once(hands, engagement.team, spec, rng, engagement=engagement)
        for team in Team.objects.filter(status=Team.Status.ACTIVE).order_by("id"):
            rng = random.Random(f"{seed}:routine:{team.name}")
            for spec in _routine_specs(team, ANCHOR.year, rng):
                created += _write_once(hands, team, spec, rng)
        opened = _open_assessment()
    return {"records": created, "assessment": opened}


def _record_specs(engagement: Engagement, with_contract: bool, rng: random.Random) -> list[dict]:
    defaults = engagement_record_defaults(engagement)
    done = engagement.status == E.COMPLETED
    day = (engagement.completed_at if done else engagement.started_at).date()
    visit = {
        "record_type": RecordType.SERVICE_VISIT,
        "title": defaults["title"],
        "description": defaults["description"] or f"赴企业现场开展“{engagement.need.title}”技术服务。",
        "date": day,
        "enterprise": engagement.need.enterprise,
        "status": R.APPROVED if done else R.SUBMITTED,
    }
    specs = [visit]
    if with_contract:
        need = engagement.need
        specs.append(
            {
                "record_type": RecordType.HORIZONTAL_PROJECT,
                "title": f"技术服务合同：{need.title}"[:200],
                "description": f"与{need.enterprise.name}签订技术服务合同，完成“{need.title}”的方案设计与实施。",
                "date": engagement.agreed_at.date(),
                "amount_wan": Decimal(rng.randrange(30, 300, 5)) / 10,
                "achievement_key": f"TZXY-HX-{engagement.agreed_at.year}-{engagement.pk:04d}",
                "enterprise": need.enterprise,
                "status": R.APPROVED,
            }
        )
    return specs


@dataclass(frozen=True)
class Activity:
    """How busy a team's year was: how many visits and trainings (ranges), the chances of a joint
    paper, patent and plan, and of a contract with its amount range in 万元."""

    visits: tuple[int, int]
    trainings: tuple[int, int]
    paper: float
    patent: float
    plan: float
    contract: float
    contract_wan: tuple[int, int] = (5, 40)


# Most teams are steady, a few very active, a few quiet, so the assessment ranks a real spread: a busy
# team clears Appendix C's 60 points (15 for capped visits, 6+ for trainings, 13 for the paper, patent
# and plan, 30+ for its contract); a quiet one's own year stays under the 20 that pass.
ACTIVITY = {
    "quiet": Activity(visits=(1, 3), trainings=(0, 1), paper=0.1, patent=0.0, plan=0.1, contract=0.0),
    "steady": Activity(visits=(4, 9), trainings=(1, 4), paper=0.4, patent=0.3, plan=0.4, contract=0.3),
    "busy": Activity(
        visits=(10, 12),
        trainings=(3, 5),
        paper=1.0,
        patent=1.0,
        plan=1.0,
        contract=1.0,
        contract_wan=(30, 60),
    ),
}
ACTIVITY_ODDS = [("quiet", 1), ("steady", 3), ("busy", 1)]


def _routine_specs(team: Team, year: int, rng: random.Random) -> list[dict]:
    """A team's year of work with the enterprises it serves, besides the posted needs: visits and
    trainings, and by chance a joint paper, patent, plan or contract, all approved, dated in `year`
    before the demo's present."""
    enterprises = list(team.served_enterprises.order_by("id"))
    topics = team.keywords or [team.name]
    if not enterprises:
        return []
    level = rng.choices([name for name, _w in ACTIVITY_ODDS], [w for _n, w in ACTIVITY_ODDS])[0]
    activity = ACTIVITY[level]
    last_day = (ANCHOR.date() - date(year, 1, 5)).days

    def some_day() -> date:
        return date(year, 1, 5) + timedelta(days=rng.randrange(last_day))

    def spec(record_type, title, description, enterprise, day=None, **extra):
        return {
            "record_type": record_type,
            "title": title[:200],
            "description": description,
            "date": day or some_day(),
            "enterprise": enterprise,
            "status": R.APPROVED,
            **extra,
        }

    specs = []
    # Visits and trainings are numbered in the order they happened.
    for record_type, counts, title, description in (
        (
            RecordType.SERVICE_VISIT,
            activity.visits,
            "赴{e}走访：{t}（{y}年第{n}次）",
            "到企业现场了解{t}方面的技术问题，提出改进建议并约定后续跟踪。",
        ),
        (
            RecordType.TRAINING,
            activity.trainings,
            "为{e}开展“{t}”专题培训（{y}年第{n}期）",
            "面向企业技术人员讲授{t}的原理与实践，现场答疑。",
        ),
    ):
        for n, day in enumerate(sorted(some_day() for _ in range(rng.randint(*counts))), start=1):
            enterprise, topic = rng.choice(enterprises), rng.choice(topics)
            text = {"e": enterprise.name, "t": topic, "y": year, "n": n}
            specs.append(spec(record_type, title.format(**text), description.format(**text), enterprise, day))
    enterprise, topic = rng.choice(enterprises), rng.choice(topics)
    # (chance, kind, title, what was done, its achievement key: drawn only when it happens)
    achievements = [
        (
            activity.paper,
            RecordType.PAPER,
            f"联合发表论文：{topic}关键技术研究与应用——以{enterprise.name}为例",
            "与企业工程师联合署名发表。",
            lambda: f"10.13705/demo.{year}.{team.pk:03d}",  # a DOI of its own
        ),
        (
            activity.patent,
            RecordType.PATENT,
            f"联合授权发明专利：一种面向{topic}的装置",
            "与企业联合申请并获授权。",
            lambda: f"ZL{year}1{team.pk:03d}{rng.randrange(10**4):04d}.{rng.randrange(10)}",
        ),
        (
            activity.plan,
            RecordType.PLAN_REPORT,
            f"{enterprise.name}{topic}技术改造方案",
            "为企业编制技术改造方案，已通过企业评审。",
            lambda: f"{enterprise.name}{topic}技术改造方案（{team.name}）",
        ),
    ]
    for chance, record_type, title, description, key in achievements:
        if rng.random() < chance:
            specs.append(spec(record_type, title, description, enterprise, achievement_key=key()))
    if rng.random() < activity.contract:
        specs.append(
            spec(
                RecordType.HORIZONTAL_PROJECT,
                f"横向项目：{enterprise.name}{topic}技术开发",
                "签订技术开发合同并按节点完成交付。",
                enterprise,
                amount_wan=Decimal(rng.randint(*activity.contract_wan)),
                achievement_key=f"TZXY-HX-{year}-T{team.pk:03d}",
            )
        )
    return specs


class _Hands:
    """Who writes a team's records (its first member with a login), who took part (its captain and
    first core members) and who reviews them (its college's first reviewer): looked up once per team."""

    def __init__(self):
        self._known: dict[int, tuple] = {}

    def of(self, team: Team) -> tuple[User | None, User | None, list[Member]]:
        if team.pk not in self._known:
            author = team.members.exclude(user=None).select_related("user").order_by("role", "id").first()
            self._known[team.pk] = (
                author.user if author else None,
                users_of_kind(Kind.COLLEGE).filter(college=team.college).order_by("id").first(),
                list(team.members.filter(role__in=["captain", "core"]).order_by("id")[:3]),
            )
        return self._known[team.pk]


def _write_once(
    hands: _Hands, team: Team, spec: dict, rng: random.Random, engagement: Engagement | None = None
) -> int:
    """Write the record unless the team has one of that title already; 1 when written."""
    if ServiceRecord.objects.filter(team=team, title=spec["title"]).exists():
        return 0
    _write(hands, team, spec, rng, engagement)
    return 1


def _write(
    hands: _Hands, team: Team, spec: dict, rng: random.Random, engagement: Engagement | None
) -> ServiceRecord:
    spec = dict(spec)
    status = spec.pop("status")
    enterprise = spec.pop("enterprise")
    author_user, reviewer, participants = hands.of(team)
    record = ServiceRecord(
        team=team,
        served_organisation=enterprise.name,
        served_enterprise=enterprise,
        created_by=author_user,
        status=status,
        **spec,
    )
    if status == R.APPROVED:
        record.review_comment = rng.choice(REVIEW_COMMENTS)
    record.normalised_key = normalise_achievement_key(record.achievement_key)
    record.full_clean(exclude=["participants", "created_by"], validate_constraints=False)
    record.save()
    record.participants.set(participants)
    _evidence(record, author_user, participants)
    steps = [("create", R.DRAFT, R.DRAFT, author_user, ""), ("submit", R.DRAFT, R.SUBMITTED, author_user, "")]
    if status == R.APPROVED:
        steps.append(("approve", R.SUBMITTED, R.APPROVED, reviewer, record.review_comment))
    transitions = RecordTransition.objects.bulk_create(
        RecordTransition(record=record, action=a, from_status=f, to_status=t, actor=u, comment=c)
        for a, f, t, u, c in steps
    )
    if engagement is not None:
        EngagementRecord.objects.get_or_create(record=record, defaults={"engagement": engagement})
    _date_history(record, transitions, rng)
    return record


def _date_history(record: ServiceRecord, transitions: list[RecordTransition], rng: random.Random) -> None:
    """The history happened after the work, not at build time: written up the day after, submitted
    with its evidence a few days later, reviewed within a fortnight (never later than now)."""
    now = timezone.now()
    moment = timezone.make_aware(datetime.combine(record.date, time(17, 0)))
    stamps = []
    for _transition in transitions:
        moment = min(moment + timedelta(days=rng.randint(1, 7), hours=rng.randint(0, 6)), now)
        stamps.append(moment)
    ServiceRecord.objects.filter(pk=record.pk).update(created_at=stamps[0], updated_at=stamps[-1])
    for transition, at in zip(transitions, stamps, strict=True):
        RecordTransition.objects.filter(pk=transition.pk).update(at=at)
    record.evidence.update(uploaded_at=stamps[min(1, len(stamps) - 1)] - timedelta(hours=1))


def _evidence(record: ServiceRecord, uploader, participants: list[Member]) -> Evidence:
    """A 服务确认单 as a reviewer would receive it: what was done, for whom, by whom, confirmed."""
    book = Workbook()
    sheet = book.active
    sheet.title = "服务确认单"
    members = "、".join(m.name for m in participants)
    for row in [
        ("服务确认单",),
        ("小分队", record.team.name),
        ("服务对象", record.served_organisation),
        ("服务日期", record.date.isoformat()),
        ("服务事项", record.title),
        ("服务内容", record.description),
        ("参与成员", members),
        ("企业确认", "情况属实（盖章）"),
    ]:
        sheet.append(row)
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 12, 60
    data = io.BytesIO()
    book.save(data)
    content = data.getvalue()
    return Evidence.objects.create(
        record=record,
        file=ContentFile(content, name=f"{uuid.uuid4().hex}.xlsx"),
        original_name="服务确认单.xlsx",
        content_type=XLSX,
        size=len(content),
        uploaded_by=uploader,
    )


def _open_assessment() -> int | None:
    """The S&T office opens the assessment of the latest year with approved records (once); its year."""
    office = users_of_kind(Kind.UNIVERSITY).filter(university__isnull=False).order_by("id").first()
    if office is None:
        return None
    latest = (
        ServiceRecord.objects.filter(status=R.APPROVED, team__college__university=office.university)
        .order_by("-date")
        .values_list("date__year", flat=True)
        .first()
    )
    if latest is None or Assessment.objects.filter(university=office.university, year=latest).exists():
        return None
    assessment_open(by=office, year=latest)
    return latest

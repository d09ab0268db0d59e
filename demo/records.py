"""The demo world's service records: the work behind its engagements, written up as Appendix C records
with their evidence, so the chain 需求 → 对接 → 服务记录 → 学院审核 → 年度考核 shows from the first start.

- A completed engagement gives a service visit (赴企业开展服务) and, for every other one, the technical
  service contract it was done under (横向科研项目, with an amount and a contract number); both were
  approved by the college.
- An engagement in service gives a visit submitted for review: it waits in its college's queue.
- Each record carries a 服务确认单 (an .xlsx a reviewer can open) and is linked to its engagement.
- The S&T office has opened the annual assessment of the latest year with records, so its page scores
  the approved records against Appendix C.

Rows are written directly with their history, like the rest of the demo world (the reviewers of some
colleges have no demo login), and found again by (team, title): a second run changes nothing.
"""

from __future__ import annotations

import io
import random
import uuid
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import Role, User
from analytics.assessment import assessment_open
from analytics.models import Assessment
from matching.engagements import engagement_record_defaults
from matching.models import Engagement, EngagementRecord
from teams.achievements import normalise_achievement_key
from teams.models import Evidence, RecordTransition, RecordType, ServiceRecord

E = Engagement.Status
R = ServiceRecord.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REVIEW_COMMENTS = ["材料齐全，同意。", "佐证清楚，审核通过。", "服务确认单已盖章，同意计分。"]


def demo_records_build(*, seed: int) -> dict:
    """Write the missing records of the demo engagements and open the assessment: {"records": how many
    were written, "assessment": the year of the assessment opened, None when none was}."""
    engagements = (
        Engagement.objects.filter(status__in=[E.COMPLETED, E.IN_SERVICE])
        .select_related("need__enterprise", "team__college")
        .order_by("id")
    )
    created = completed = 0
    with transaction.atomic():
        for engagement in engagements:
            completed += engagement.status == E.COMPLETED
            rng = random.Random(f"{seed}:record:{engagement.need.title}:{engagement.team.name}")
            # The first, third, fifth … completed engagement was done under a contract.
            with_contract = engagement.status == E.COMPLETED and completed % 2 == 1
            for spec in _record_specs(engagement, with_contract, rng):
                if not ServiceRecord.objects.filter(team=engagement.team, title=spec["title"]).exists():
                    _write(engagement, spec, rng)
                    created += 1
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
                "status": R.APPROVED,
            }
        )
    return specs


def _write(engagement: Engagement, spec: dict, rng: random.Random) -> ServiceRecord:
    spec = dict(spec)
    status = spec.pop("status")
    team = engagement.team
    author = team.members.exclude(user=None).order_by("role", "id").first()
    author_user = author.user if author else None
    reviewer = User.objects.filter(role=Role.COLLEGE_ADMIN, college=team.college).order_by("id").first()
    record = ServiceRecord(
        team=team,
        served_organisation=engagement.need.enterprise.name,
        served_enterprise=engagement.need.enterprise,
        created_by=author_user,
        status=status,
        **spec,
    )
    if status == R.APPROVED:
        record.review_comment = rng.choice(REVIEW_COMMENTS)
    record.normalised_key = normalise_achievement_key(record.achievement_key)
    record.full_clean(exclude=["participants", "created_by"], validate_constraints=False)
    record.save()
    record.participants.set(team.members.filter(role__in=["captain", "core"]).order_by("id")[:3])
    _evidence(record, author_user)
    steps = [("create", R.DRAFT, R.DRAFT, author_user, ""), ("submit", R.DRAFT, R.SUBMITTED, author_user, "")]
    if status == R.APPROVED:
        steps.append(("approve", R.SUBMITTED, R.APPROVED, reviewer, record.review_comment))
    transitions = RecordTransition.objects.bulk_create(
        RecordTransition(record=record, action=a, from_status=f, to_status=t, actor=u, comment=c)
        for a, f, t, u, c in steps
    )
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


def _evidence(record: ServiceRecord, uploader) -> Evidence:
    """A 服务确认单 as a reviewer would receive it: what was done, for whom, by whom, confirmed."""
    book = Workbook()
    sheet = book.active
    sheet.title = "服务确认单"
    members = "、".join(m.name for m in record.participants.all())
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
    office = User.objects.filter(role=Role.STO_ADMIN, university__isnull=False).order_by("id").first()
    latest = (
        ServiceRecord.objects.filter(status=R.APPROVED, team__college__university=office.university)
        .order_by("-date")
        .values_list("date__year", flat=True)
        .first()
        if office
        else None
    )
    if latest is None or Assessment.objects.filter(university=office.university, year=latest).exists():
        return None
    assessment_open(by=office, year=latest)
    return latest

"""Closed years, as teams sees them: a record of a year whose strand's record set the spot-check draw
has closed cannot be approved where the university refuses late approvals (本校设置). Registered with
teams.hooks in ScoringConfig.ready."""

from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import Assessment, StrandDraw


def refuse_late_approval(record) -> str | None:
    draw = (
        StrandDraw.objects.filter(
            assessment__university_id=record.team.college.university_id,
            assessment__year=record.date.year,
            assessment__late_approvals=Assessment.LateApprovals.REFUSE,
            category=record.team.category,
        )
        .select_related("assessment")
        .first()
    )
    if draw is None:
        return None
    return _(
        "%(y)d 年度考核的%(c)s记录名单已于 %(d)s 随抽查确定，本校设置为不再受理该年度记录的审核通过。"
    ) % {
        "y": draw.assessment.year,
        "c": draw.get_category_display(),
        "d": timezone.localtime(draw.drawn_at).strftime("%Y-%m-%d"),
    }

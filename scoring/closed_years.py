"""Closed years, as teams sees them: a record of a year whose record set the spot-check draw has closed
cannot be approved where the university refuses late approvals (本校设置). Registered with teams.hooks
in ScoringConfig.ready."""

from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.models import Assessment


def refuse_late_approval(record) -> str | None:
    closed = Assessment.objects.filter(
        university_id=record.team.college.university_id,
        year=record.date.year,
        frozen_at__isnull=False,
        late_approvals=Assessment.LateApprovals.REFUSE,
    ).first()
    if closed is None:
        return None
    return _("%(y)d 年度考核的记录名单已于 %(d)s 随抽查确定，本校设置为不再受理该年度记录的审核通过。") % {
        "y": closed.year,
        "d": timezone.localtime(closed.frozen_at).strftime("%Y-%m-%d"),
    }

"""快速反馈 (guideline 9, 持续改进): the people a decision on a team affects hear of it, in the app and
by e-mail where configured, in Chinese with a link; a rectification is reminded before its deadline and
reported to the college after it."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.scope import Kind, users_of_kind
from teams.models import MemberRole, Rectification, ServiceRecord, Team

# A rectification is reminded this many days before its deadline.
REMIND_DAYS_BEFORE = 7


def team_managers(team: Team):
    """The captain and deputies with an account: who answers for the team."""
    ids = team.members.filter(role__in=[MemberRole.CAPTAIN, MemberRole.DEPUTY], user__isnull=False).values(
        "user_id"
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("pk")


def record_decided(record: ServiceRecord, title: str, comment: str) -> None:
    """A decision on a record (approved, returned, upheld or rejected at the spot check): its author and
    the team's managers, each once."""
    users = [*team_managers(record.team), record.created_by]
    notify(
        users=[u for u in users if u is not None and u.is_active],
        kind="record",
        title=str(title),
        body=f"{record.title}：{comment}" if comment else record.title,
        link=reverse("teams:record_detail", args=[record.pk]),
    )


def college_admins(team: Team):
    return users_of_kind(Kind.COLLEGE).filter(college_id=team.college_id, is_active=True).order_by("pk")


def team_decided(team: Team, label: str, comment: str, by) -> None:
    """A decision on the team by someone outside it (review, rectification, dissolution): its managers
    hear of it. A team's own submission goes to its college's reviewers."""
    link = reverse("teams:detail", args=[team.pk])
    body = f"{label}：{comment}" if comment else str(label)
    if team.members.filter(user_id=getattr(by, "pk", None)).exists():
        if team.status == Team.Status.SUBMITTED:
            notify(
                users=list(college_admins(team)),
                kind="team",
                title=_("小分队“%(t)s”已提交申报，待学院审核") % {"t": team.name},
                link=link,
            )
        return
    notify(
        users=list(team_managers(team)),
        kind="team",
        title=_("小分队“%(t)s”：%(l)s") % {"t": team.name, "l": label},
        body=body,
        link=link,
    )


def rectification_reminders(*, today=None) -> dict[str, int]:
    """Daily: open rectifications due within REMIND_DAYS_BEFORE days remind the team once; overdue ones
    are reported to the college (and the team) once. Returns how many of each were sent."""
    today = today or timezone.localdate()
    now = timezone.now()
    sent = {"reminded": 0, "escalated": 0}
    open_ones = Rectification.objects.filter(status=Rectification.Status.OPEN).select_related("team")
    for rectification in open_ones.filter(
        reminded_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=REMIND_DAYS_BEFORE),
    ):
        team = rectification.team
        notify(
            users=list(team_managers(team)),
            kind="rectification",
            title=_("整改将于 %(d)s 到期：%(t)s") % {"d": rectification.deadline.isoformat(), "t": team.name},
            body=rectification.measure,
            link=reverse("teams:detail", args=[team.pk]),
        )
        Rectification.objects.filter(pk=rectification.pk).update(reminded_at=now)
        sent["reminded"] += 1
    for rectification in open_ones.filter(escalated_at__isnull=True, deadline__lt=today):
        team = rectification.team
        notify(
            users=[*college_admins(team), *team_managers(team)],
            kind="rectification",
            title=_("整改已逾期（时限 %(d)s）：%(t)s")
            % {"d": rectification.deadline.isoformat(), "t": team.name},
            body=_("整改措施：%(m)s；责任人：%(r)s")
            % {"m": rectification.measure, "r": rectification.responsible},
            link=reverse("teams:detail", args=[team.pk]),
        )
        Rectification.objects.filter(pk=rectification.pk).update(escalated_at=now)
        sent["escalated"] += 1
    return sent

"""待办: what waits for the signed-in person, across the apps, each with how many and where to act.

Read-only, like the rest of insights: each app's own selector says what is in its queue for the asker
(the same queues its pages show); this module only counts them and links to the page that acts. Shown on
the workspace (accounts/workspace.html loads insights' template tag, so accounts imports nothing above
it)."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Enterprise
from accounts.scope import (
    is_college_admin,
    is_enterprise_user,
    is_platform_admin,
    is_sto_admin,
    is_team_member,
    strand_of,
)
from demand.selectors import moderation_queue
from engagements.models import Assignment, Engagement
from scoring.models import Assessment, Objection, SpotCheck
from teams.models import CaptainChange, MemberRole, Rectification, ServiceRecord, Team
from teams.selectors import college_review_queue, office_review_queue, records_review_queue

E = Engagement.Status


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    link: str


def _managed_teams(user):
    return Team.objects.filter(members__user=user, members__role__in=[MemberRole.CAPTAIN, MemberRole.DEPUTY])


def _team_side(user) -> list[Todo]:
    managed = _managed_teams(user)
    engagements = reverse("engagements:engagements")
    return [
        Todo(
            "待回复的企业邀请",
            Engagement.objects.filter(status=E.PROPOSED, team__in=managed)
            .filter(origin=Engagement.Origin.INVITATION)
            .count(),
            engagements,
        ),
        Todo(
            "待响应的指派",
            Assignment.objects.filter(status=Assignment.Status.PENDING, team__in=managed).count(),
            reverse("engagements:assignments"),
        ),
        Todo(
            "被退回待修改的服务记录",
            ServiceRecord.objects.filter(team__members__user=user, status=ServiceRecord.Status.RETURNED)
            .distinct()
            .count(),
            reverse("teams:list"),
        ),
        Todo(
            "整改中的小分队",
            Rectification.objects.filter(team__in=managed, status=Rectification.Status.OPEN).count(),
            reverse("teams:list"),
        ),
    ]


def _enterprise_side(user) -> list[Todo]:
    return [
        Todo(
            "待确认的团队揭榜和平台指派",
            Engagement.objects.filter(
                status=E.PROPOSED,
                origin__in=[Engagement.Origin.INTEREST, Engagement.Origin.ASSIGNMENT],
                need__enterprise_id=user.enterprise_id,
            ).count(),
            reverse("engagements:engagements"),
        ),
        Todo(
            "服务中待确认完成的对接",
            Engagement.objects.filter(status=E.IN_SERVICE, need__enterprise_id=user.enterprise_id).count(),
            reverse("engagements:engagements"),
        ),
    ]


def _college_side(user) -> list[Todo]:
    review = reverse("teams:review_college")
    return [
        Todo("待学院审核的申报", college_review_queue(user).count(), review),
        Todo("待学院审核的服务记录", records_review_queue(user).count(), review),
        Todo(
            "待学院审核的队长变更",
            CaptainChange.objects.filter(
                team__college_id=user.college_id, status=CaptainChange.Status.PENDING
            ).count(),
            review,
        ),
    ]


def _office_side(user) -> list[Todo]:
    out = []
    if is_sto_admin(user):
        out += [
            Todo("待科技处复核的申报", office_review_queue(user).count(), reverse("teams:review_office")),
            Todo("待审核发布的需求", moderation_queue(user).count(), reverse("demand:moderation")),
        ]
    strand = strand_of(user)
    for assessment in Assessment.objects.filter(
        university_id=user.university_id, status__in=[Assessment.Status.OPEN, Assessment.Status.SPOT_CHECK]
    ):
        link = reverse("scoring:assessment", args=[assessment.pk])
        pending = SpotCheck.objects.filter(
            assessment=assessment, category=strand, result=SpotCheck.Result.PENDING
        ).count()
        out.append(Todo(f"{assessment.year} 年度考核待给出结论的抽查记录", pending, link))
        if not assessment.draws.filter(category=strand).exists():
            out.append(Todo(f"{assessment.year} 年度考核尚未抽样（本类别）", 1, link))
    if is_sto_admin(user):
        for assessment in Assessment.objects.filter(
            university_id=user.university_id, status=Assessment.Status.NOTICE
        ):
            unanswered = Objection.objects.filter(assessment=assessment, answered_at__isnull=True).count()
            link = reverse("scoring:assessment", args=[assessment.pk])
            out.append(Todo(f"{assessment.year} 年度考核待答复的公示异议", unanswered, link))
    return out


def todos_for(user) -> list[Todo]:
    """What waits for this person, the empty ones left out."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[Todo] = []
    if is_enterprise_user(user):
        items += _enterprise_side(user)
    if is_team_member(user):
        items += _team_side(user)
    if is_college_admin(user):
        items += _college_side(user)
    if strand_of(user):
        items += _office_side(user)
    if is_platform_admin(user):
        items += [
            Todo(
                "待审核的企业注册",
                Enterprise.objects.filter(status=Enterprise.Status.PENDING).count(),
                reverse("admin:accounts_enterprise_changelist") + "?status__exact=pending",
            ),
            Todo("待审核发布的需求", moderation_queue(user).count(), reverse("demand:moderation")),
        ]
    return [t for t in items if t.count]

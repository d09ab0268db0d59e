"""Reads for teams: querysets filtered by who asks, and the portrait (画像) as matching reads it."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import (
    is_college_admin,
    is_sto_admin,
)
from reference.selectors import discipline_q, industry_q
from teams.models import Call, Member, MemberRole, Rectification, ServiceRecord, Team
from teams.records import ACTION_LABELS, COUNTED
from teams.services import SERVING, TRANSITIONS

# Transitions with their own form, because they carry more than a comment (a Rectification row).
SPECIAL_ACTIONS = {"rectify", "rectification_close"}


def teams_serving() -> QuerySet[Team]:
    """Teams that serve and are matched against needs."""
    return Team.objects.filter(status__in=SERVING)


def teams_visible_to(user) -> QuerySet[Team]:
    """The teams whose internals (drafts, records) a user may see. Public portraits are separate."""
    return Team.objects.select_related("college", "college__university").visible_to(user)


def records_visible_to(user) -> QuerySet[ServiceRecord]:
    teams = teams_visible_to(user)
    return ServiceRecord.objects.filter(team__in=teams).select_related("team")


# ------------------------------------------------------------------------------------------- filters
# Narrow a set the caller has already restricted to who asks; the order stays the caller's.


def teams_filtered(
    qs: QuerySet[Team],
    *,
    q: str = "",
    status: str = "",
    college: int | None = None,
    industry: str = "",
    discipline: str = "",
) -> QuerySet[Team]:
    """Teams (those the asker may see, or the serving ones' portraits) whose name, service content or
    introduction contains `q`, in a state, of a college, serving an industry (at any level, with the
    ones under it) or in a discipline (with the ones under it)."""
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(service_content__icontains=q) | Q(description__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if college:
        qs = qs.filter(college_id=college)
    # Many-to-many: matched in a subquery, so a team serving two matching industries is listed once.
    if industry:
        qs = qs.filter(pk__in=Team.objects.filter(industry_q(industry, field="industries")).values("pk"))
    if discipline:
        qs = qs.filter(pk__in=Team.objects.filter(discipline_q(discipline, field="disciplines")).values("pk"))
    return qs


def members_filtered(qs: QuerySet[Member], *, team: int | None = None) -> QuerySet[Member]:
    return qs.filter(team_id=team) if team else qs


def records_filtered(
    qs: QuerySet[ServiceRecord],
    *,
    team: int | None = None,
    year: int | None = None,
    status: str = "",
    record_type: str = "",
) -> QuerySet[ServiceRecord]:
    """Service records of one team, dated in a year (the assessment year they count for), in a state,
    of a kind."""
    if team:
        qs = qs.filter(team_id=team)
    if year:
        qs = qs.filter(date__year=year)
    if status:
        qs = qs.filter(status=status)
    if record_type:
        qs = qs.filter(record_type=record_type)
    return qs


def college_review_queue(user) -> QuerySet:
    """Applications waiting for the asker's college; nothing for anyone but a college administrator
    (a teacher has a college too, but reviews nothing)."""
    if not is_college_admin(user):
        return Team.objects.none()
    return Team.objects.filter(college_id=user.college_id, status=Team.Status.SUBMITTED)


def office_review_queue(user) -> QuerySet:
    if not is_sto_admin(user):
        return Team.objects.none()
    return Team.objects.filter(college__university_id=user.university_id, status=Team.Status.COLLEGE_APPROVED)


def records_review_queue(user) -> QuerySet[ServiceRecord]:
    if not is_college_admin(user):
        return ServiceRecord.objects.none()
    return ServiceRecord.objects.filter(
        team__college_id=user.college_id, status=ServiceRecord.Status.SUBMITTED
    )


@dataclass
class PortraitData:
    """Everything a team's portrait is built from: what matching ranks and what enterprises see."""

    team_id: int
    name: str
    college: str
    category: str
    theme: str
    work_mode: str
    industry_codes: list[str]
    industry_names: list[str]
    region_codes: list[str]
    region_names: list[str]
    disciplines: list[str]
    service_types: list[str]
    keywords: list[str]
    extracted_keywords: list[str]
    description: str
    service_content: str
    service_foundation: str
    research_directions: list[str]
    served_enterprises: list[str]
    member_counts: dict[str, int]
    # counted service records: title, type, text and the organisation served
    works: list[dict] = field(default_factory=list)


def team_portrait(team: Team) -> PortraitData:
    members = list(team.members.all())
    counts = {label: 0 for _, label in MemberRole.choices}
    for m in members:
        counts[m.get_role_display()] += 1
    records = team.records.filter(status__in=COUNTED).order_by("-date")[:200]
    return PortraitData(
        team_id=team.pk,
        name=team.name,
        college=team.college.name,
        category=team.get_category_display(),
        theme=team.get_theme_display(),
        work_mode=team.get_work_mode_display(),
        industry_codes=[i.code for i in team.industries.all()],
        industry_names=[i.name for i in team.industries.all()],
        region_codes=[r.code for r in team.regions.all()],
        region_names=[r.name for r in team.regions.all()],
        disciplines=[d.name for d in team.disciplines.all()],
        service_types=list(team.service_types),
        keywords=list(team.keywords),
        extracted_keywords=list(team.extracted_keywords),
        description=team.description,
        service_content=team.service_content,
        service_foundation=team.service_foundation,
        research_directions=[m.research_direction for m in members if m.research_direction],
        served_enterprises=[e.name for e in team.served_enterprises.all()],
        member_counts=counts,
        works=[
            {
                "title": r.title,
                "type": r.get_record_type_display(),
                "text": f"{r.title}。{r.description}",
                "organisation": r.served_organisation,
            }
            for r in records
        ],
    )


def teams_for_person(user) -> QuerySet[Team]:
    return Team.objects.filter(Q(members__user=user)).distinct()


def member_of(user, team) -> Member | None:
    return team.members.filter(user=user).first()


# ----------------------------------------------------------------- a team's flow, as pages and API show it


def team_history(team) -> list[dict]:
    """The audit trail with each step's label from the transition table."""
    labels = {name: step.label for name, step in TRANSITIONS.items()} | {
        "create": _("创建草稿"),
        "import": _("导入申报表"),
        "captain_change": _("变更队长"),
    }
    return [
        {"t": t, "label": labels.get(t.action, t.action)} for t in team.transitions.select_related("actor")
    ]


def record_history(record) -> list[dict]:
    labels = dict(ACTION_LABELS) | {"create": _("创建")}
    return [
        {"t": t, "label": labels.get(t.action, t.action)} for t in record.transitions.select_related("actor")
    ]


def available_actions(user, team) -> list[dict]:
    """The transitions this user may take on this team now, read from the transition table."""
    actions = []
    for name, step in TRANSITIONS.items():
        if team.status in step.sources and step.allowed(user, team):
            actions.append(
                {
                    "name": name,
                    "label": step.label,
                    "comment_required": step.comment_required,
                    "special": name in SPECIAL_ACTIONS,
                }
            )
    return actions


# -------------------------------------------------------------------------------------------- calls


def open_calls_for(user) -> QuerySet[Call]:
    """Calls of the user's university that still take applications, soonest deadline first."""
    university = user.home_university if user.is_authenticated else None
    if university is None:
        return Call.objects.none()
    return Call.objects.filter(university=university, deadline__gt=timezone.now()).order_by("deadline")


def calls_visible_to(user) -> QuerySet[Call]:
    """Every call of the asker's university (open or closed); platform administrators all."""
    return Call.objects.visible_to(user)


def calls_filtered(
    qs: QuerySet[Call], *, year: int | None = None, open: bool | None = None
) -> QuerySet[Call]:
    """Calls of a year; `open` True keeps those whose deadline has not passed, False those closed."""
    if year:
        qs = qs.filter(year=year)
    if open is not None:
        now = timezone.now()
        qs = qs.filter(deadline__gt=now) if open else qs.filter(deadline__lte=now)
    return qs


def rectifications_visible_to(user) -> QuerySet[Rectification]:
    return Rectification.objects.filter(team__in=teams_visible_to(user)).select_related("team__college")

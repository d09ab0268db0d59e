"""Reads for needs: the public demand hall, and what each user may see of a need."""

from datetime import date

from django.db.models import Q, QuerySet

from accounts.models import Role
from accounts.permissions import is_platform_admin
from demand.models import Need
from reference.models import Industry

HALL_STATUSES = (Need.Status.PUBLISHED, Need.Status.ENGAGED, Need.Status.RESOLVED)
HIDDEN_NAME = "某企业（企业要求不公开名称）"


def enterprise_display_name(need: Need) -> str:
    return need.enterprise.name if need.show_enterprise else HIDDEN_NAME


def _industry_codes_under(prefix: str) -> list[str] | None:
    """All codes at or under an industry code (a 门类 letter or a 2-4 digit code)."""
    prefix = prefix.strip().upper()
    if not prefix:
        return None
    if prefix.isalpha():
        codes, frontier = [], [prefix]
        while frontier:
            codes.extend(frontier)
            frontier = list(Industry.objects.filter(parent__code__in=frontier).values_list("code", flat=True))
        return codes
    return list(Industry.objects.filter(code__startswith=prefix).values_list("code", flat=True))


def hall_needs(
    *,
    q: str = "",
    industry: str = "",
    region: str = "",
    service_type: str = "",
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Need]:
    """Published (and engaged, resolved) needs, newest first, filtered. Works the same on SQLite and
    PostgreSQL: text search is AND over the query's words in the title or description."""
    qs = Need.objects.filter(status__in=HALL_STATUSES).select_related("enterprise", "industry", "region")
    for word in (q or "").split()[:10]:
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    codes = _industry_codes_under(industry or "")
    if codes is not None:
        qs = qs.filter(industry__code__in=codes)
    if region:
        qs = qs.filter(region__code__startswith=region.strip())
    if service_type:
        # JSON list stored as text on SQLite and jsonb on PostgreSQL: match the quoted value in both.
        qs = qs.filter(service_types__icontains=f'"{service_type}"')
    if status in {s.value for s in HALL_STATUSES}:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(published_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(published_at__date__lte=date_to)
    return qs.order_by("-published_at", "-id")


def needs_of_enterprise(user) -> QuerySet[Need]:
    if not (user.is_authenticated and user.role == Role.ENTERPRISE):
        return Need.objects.none()
    return Need.objects.filter(enterprise_id=user.enterprise_id).select_related("industry", "region")


def need_visible_to(user, pk: int) -> Need | None:
    """Published needs are public; drafts and submitted ones only to the owner and moderators."""
    need = Need.objects.select_related("enterprise", "industry", "region").filter(pk=pk).first()
    if need is None:
        return None
    if need.status in HALL_STATUSES:
        return need
    if not user.is_authenticated:
        return None
    if is_owner(user, need) or is_moderator(user):
        return need
    return None


def is_owner(user, need: Need) -> bool:
    return user.is_authenticated and user.role == Role.ENTERPRISE and user.enterprise_id == need.enterprise_id


def is_moderator(user) -> bool:
    return user.is_authenticated and (is_platform_admin(user) or user.role == Role.STO_ADMIN)


def moderation_queue() -> QuerySet[Need]:
    return Need.objects.filter(status=Need.Status.SUBMITTED).select_related(
        "enterprise", "industry", "region"
    )

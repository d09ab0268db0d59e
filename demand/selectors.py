"""Reads for needs: the public demand hall, and what each user may see of a need.

Every function here answers for one asker: the hall shows only what is public, a need's page is a 404
for anyone who may not see it, and an enterprise that asked not to be named is never named (the hall
query carries the display name, so no template has to remember the rule).
"""

from datetime import date

from django.db.models import Case, CharField, F, Q, QuerySet, Value, When

from accounts.scope import (
    ALL,
    ScopePaths,
    acts_for_enterprise,
    is_platform_admin,
    is_sto_admin,
    reach,
    restrict,
)
from demand.models import Need
from reference.selectors import (  # noqa: F401 - the code checks and pickers are asked for here too
    industries_under,
    industry_ancestors,
    industry_chain,
    industry_code_valid,
    industry_label,
    industry_q,
    region_ancestors,
    region_chain,
    region_code_valid,
    region_get,
    region_label,
    region_prefix,
    regions_under,
)

HALL_STATUSES = (Need.Status.PUBLISHED, Need.Status.ENGAGED, Need.Status.RESOLVED)
EDITABLE_STATUSES = (Need.Status.DRAFT, Need.Status.SUBMITTED, Need.Status.PUBLISHED, Need.Status.ENGAGED)
CLOSABLE_STATUSES = EDITABLE_STATUSES
# A need in the hall can be marked solved (demand.services.need_resolve).
RESOLVABLE_STATUSES = {Need.Status.PUBLISHED, Need.Status.ENGAGED}
HIDDEN_NAME = "某企业（企业要求不公开名称）"
MAX_SEARCH_WORDS = 10


# ----------------------------------------------------------------------------------------------- who asks


# Needs beyond the hall's: every state for moderators (platform administrators and the S&T office), an
# enterprise's own for its users.
NEEDS = ScopePaths(university=ALL, enterprise="enterprise")
# An enterprise's own needs, every state: for its users only.
ENTERPRISE_NEEDS = ScopePaths(everything=None, enterprise="enterprise")


def is_owner(user, need: Need) -> bool:
    return acts_for_enterprise(user, need.enterprise_id)


def is_moderator(user) -> bool:
    """Platform administrators and the S&T office (科技处) moderate needs (demand.services agrees)."""
    return is_platform_admin(user) or is_sto_admin(user)


def enterprise_display_name(need: Need) -> str:
    return need.enterprise.name if need.show_enterprise else HIDDEN_NAME


def _with_display_name(qs: QuerySet[Need]) -> QuerySet[Need]:
    """Adds `enterprise_display`: the name, or the fixed phrase when the enterprise asked to stay unnamed."""
    return qs.annotate(
        enterprise_display=Case(
            When(show_enterprise=True, then=F("enterprise__name")),
            default=Value(HIDDEN_NAME),
            output_field=CharField(),
        )
    )


# ----------------------------------------------------------------------------------------- code filters


# ------------------------------------------------------------------------------------------------- hall


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
    """Published, engaged and resolved needs, newest first, with `enterprise_display`."""
    qs = _with_display_name(Need.objects.filter(status__in=HALL_STATUSES))
    return needs_filtered(
        qs,
        q=q,
        industry=industry,
        region=region,
        service_type=service_type,
        status=status if status in HALL_STATUSES else "",
        date_from=date_from,
        date_to=date_to,
    )


def needs_filtered(
    qs: QuerySet[Need],
    *,
    q: str = "",
    industry: str = "",
    region: str = "",
    service_type: str = "",
    status: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Need]:
    """The hall's filters on any set of needs (the hall, or everything the asker may see), newest first.

    The same on SQLite and PostgreSQL: the query's words (split on whitespace) must all occur, each in
    the title or the description (icontains); service types are a JSON list, matched as the quoted value
    in its text, which both databases store as `["diagnosis", "rd"]`.
    """
    for word in search_words(q):
        qs = qs.filter(Q(title__icontains=word) | Q(description__icontains=word))
    if industry:
        qs = qs.filter(industry_q(industry))
    if region:
        qs = qs.filter(region__code__startswith=region_prefix(region))
    if service_type:
        qs = qs.filter(service_types__icontains=f'"{service_type}"')
    if status in Need.Status.values:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(published_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(published_at__date__lte=date_to)
    qs = qs.select_related("industry", "region", "region__parent")
    return qs.order_by(F("published_at").desc(nulls_last=True), "-id")


def needs_listed(qs: QuerySet[Need], *, asker, mine: bool = False, **filters) -> QuerySet[Need]:
    """The needs list's filters on what `asker` may see: the hall's (needs_filtered), and `mine` keeps
    only the asker's enterprise's own needs (none for anyone who does not act for an enterprise)."""
    if mine:
        qs = qs.filter(pk__in=needs_of_enterprise(asker).values("pk"))
    return needs_filtered(qs, **filters)


def search_words(q: str) -> list[str]:
    return list(dict.fromkeys((q or "").split()))[:MAX_SEARCH_WORDS]


# ----------------------------------------------------------------------------------------- one need


def needs_visible_to(user) -> QuerySet[Need]:
    """Every need `user` may see, with `enterprise_display`: published, engaged and resolved needs to
    anyone signed in or not; any other state only to the owner enterprise and to moderators."""
    qs = _with_display_name(Need.objects.select_related("enterprise", "industry", "region"))
    beyond_hall = reach(user, NEEDS, Need)
    if beyond_hall.everything:
        return qs
    visible = Q(status__in=HALL_STATUSES)
    if not beyond_hall.nothing:
        visible |= beyond_hall.q
    return qs.filter(visible)


def need_visible_to(user, pk) -> Need | None:
    """The need if `user` may see it (needs_visible_to); None means 404."""
    return needs_visible_to(user).filter(pk=pk).first()


def need_owned_by(user, pk) -> Need | None:
    """The need if `user` acts for the enterprise that posted it, else None (a 404)."""
    need = need_visible_to(user, pk)
    return need if need is not None and is_owner(user, need) else None


def needs_of_enterprise(user, *, status: str = "") -> QuerySet[Need]:
    """All of the asking enterprise's needs, every state."""
    qs = restrict(Need.objects.select_related("industry", "region"), user, ENTERPRISE_NEEDS)
    if status in Need.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def status_counts_of_enterprise(user) -> dict[str, int]:
    counts = dict.fromkeys(Need.Status.values, 0)
    for status in needs_of_enterprise(user).values_list("status", flat=True):
        counts[status] += 1
    return counts


def need_events(user, need: Need):
    """The audit trail, for the owner and moderators only."""
    if not (is_owner(user, need) or is_moderator(user)):
        return []
    return list(need.events.select_related("actor").order_by("at", "id"))


# The moderation queue is worked oldest first.
MODERATION_ORDER = ("submitted_at", "id")


def moderation_queue(user) -> QuerySet[Need]:
    """Submitted needs, oldest first, for moderators; nothing for anyone else."""
    if not is_moderator(user):
        return Need.objects.none()
    return (
        Need.objects.filter(status=Need.Status.SUBMITTED)
        .select_related("enterprise", "industry", "region")
        .order_by(*MODERATION_ORDER)
    )


def moderation_filtered(qs: QuerySet[Need], **filters) -> QuerySet[Need]:
    """The hall's filters (needs_filtered) on the moderation queue, which stays oldest first."""
    return needs_filtered(qs, **filters).order_by(*MODERATION_ORDER)

"""Saved searches: a published need that matches a team's subscription is recorded once, and sent
at once or gathered into the daily or weekly digest, as the subscription says."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.notifications import notify
from demand.models import Need
from matching.models import Recommendation, SavedSearch, SavedSearchHit
from reference.selectors import industry_within


def search_matches(search: SavedSearch, need: Need, score: float | None) -> bool:
    text = f"{need.title} {need.description}"
    words = [w for w in (search.query or "").split() if w]
    if any(w not in text for w in words):
        return False
    if search.industry_prefix and not industry_within(need.industry.code, search.industry_prefix):
        return False
    if search.region_prefix and not need.region.code.startswith(search.region_prefix):
        return False
    if search.service_type and search.service_type not in need.service_types:
        return False
    return not (search.min_score > 0 and (score is None or score < search.min_score))


def saved_searches_match(*, need_id: int) -> int:
    need = Need.objects.select_related("industry", "region").filter(pk=need_id).first()
    if need is None or need.status not in (Need.Status.PUBLISHED, Need.Status.ENGAGED):
        return 0
    scores = dict(Recommendation.objects.filter(need=need).values_list("team_id", "score"))
    hits = 0
    for search in SavedSearch.objects.filter(active=True).select_related("team", "owner"):
        if not search_matches(search, need, scores.get(search.team_id)):
            continue
        # The hit, its notice and its sent mark commit together: a run cut short between them
        # neither loses the notice nor, when run again, sends it twice.
        try:
            with transaction.atomic():
                hit = SavedSearchHit.objects.create(search=search, need=need)
                if search.frequency == SavedSearch.Frequency.IMMEDIATE:
                    notify(
                        users=[search.owner],
                        kind="saved_search",
                        title=f"订阅“{search.name}”有新需求：{need.title}",
                        link=f"/needs/{need.pk}/",
                    )
                    SavedSearchHit.objects.filter(pk=hit.pk).update(sent_at=timezone.now())
                    SavedSearch.objects.filter(pk=search.pk).update(last_sent_at=timezone.now())
        except IntegrityError:
            continue  # already recorded for this subscription
        hits += 1
    return hits


def saved_search_digests_send(*, frequency: str) -> int:
    """The daily or weekly digest: one notification per subscription with its unsent needs."""
    sent = 0
    for search in SavedSearch.objects.filter(active=True, frequency=frequency).select_related("owner"):
        hits = list(search.hits.filter(sent_at__isnull=True).select_related("need").order_by("created_at"))
        if not hits:
            continue
        lines = "\n".join(f"· {h.need.title}（/needs/{h.need_id}/）" for h in hits[:20])
        # The digest and the sent marks commit together, so a rerun never sends the same hits twice.
        with transaction.atomic():
            notify(
                users=[search.owner],
                kind="saved_search",
                title=f"订阅“{search.name}”有 {len(hits)} 条新需求",
                body=lines,
                link="/matching/feed/",
            )
            now = timezone.now()
            SavedSearchHit.objects.filter(pk__in=[h.pk for h in hits]).update(sent_at=now)
            SavedSearch.objects.filter(pk=search.pk).update(last_sent_at=now)
        sent += 1
    return sent

"""Celery tasks: they take ids, call one service, and are safe to run twice."""

import logging

from celery import shared_task

from matching import saved_search_notify, services

logger = logging.getLogger(__name__)


@shared_task(
    name="matching.need_published",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def need_published_task(need_id: int) -> int:
    """Embed and rank a need that was published (or whose text changed), then tell matching teams."""
    count = services.need_recommendations_refresh(need_id=need_id)
    services.need_published_notify(need_id=need_id)
    return count


@shared_task(name="matching.need_withdrawn", acks_late=True)
def need_withdrawn_task(need_id: int) -> int:
    return services.need_recommendations_refresh(need_id=need_id)


@shared_task(
    name="matching.portrait_changed",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def portrait_changed_task(team_id: int) -> int:
    """A portrait changed: every open need is re-ranked against the new portraits."""
    return services.recommendations_refresh_all()


@shared_task(name="matching.nightly_refresh", acks_late=True)
def nightly_refresh_task() -> int:
    return services.recommendations_refresh_all()


@shared_task(name="matching.saved_search_digest", acks_late=True)
def saved_search_digest_task(frequency: str) -> int:
    return saved_search_notify.saved_search_digests_send(frequency=frequency)


@shared_task(name="matching.train_ranker", acks_late=True)
def train_ranker_task() -> bool:
    """Weekly: learn weights from the week's outcomes; they are used only if they beat the current ones."""
    from matching.learning import ranker_train

    return ranker_train().active


@shared_task(name="matching.escalate_assignments", acks_late=True)
def escalate_assignments_task() -> int:
    """Assignments unanswered past their deadline go back to the operator who made them."""
    from matching.assignments import assignments_escalate_overdue

    return assignments_escalate_overdue()

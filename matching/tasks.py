"""Celery tasks: they take ids, call one service, and are safe to run twice.

Every task here may be delivered more than once (acks_late: a worker killed mid-task leaves its message
to be redelivered), so each one converges on the same rows however often it runs: embeddings are keyed by
text hash and model version, recommendations are replaced per need under a row lock, notifications are
sent once per need and user. Transient errors are retried a bounded number of times (RETRY_TRANSIENT);
a bad argument fails at once and is recorded as a TaskFailure (core.task_failures).
"""

import logging

from celery import shared_task

from config.celery import RETRY_TRANSIENT
from matching import saved_search_notify, services

logger = logging.getLogger(__name__)


def need_id_checked(value) -> int:
    """A need id from a message, or a ValueError saying what came instead (never retried)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"需求编号必须是正整数，收到的是 {value!r}")
    return value


@shared_task(name="matching.need_published", bind=True, **RETRY_TRANSIENT)
def need_published_task(self, need_id: int) -> int:
    """Embed and rank a need that was published (or whose text changed), then tell matching teams."""
    need_id = need_id_checked(need_id)
    if not self.request.is_eager:
        services.pending_needs_embed(need_id=need_id)  # a worker embeds the backlog in batches
    count = services.need_recommendations_refresh(need_id=need_id)
    services.need_published_notify(need_id=need_id)
    return count


@shared_task(name="matching.needs_embed", **RETRY_TRANSIENT)
def needs_embed_task(need_ids: list[int]) -> int:
    """Embed and rank a batch of needs (a bulk import, a re-embed). Each chunk commits on its own, so a
    worker killed mid-batch keeps what it finished and the redelivered message only redoes the rest."""
    if not isinstance(need_ids, list):
        raise ValueError(f"需求编号列表格式错误，收到的是 {need_ids!r}")
    return services.needs_refresh(need_ids=[need_id_checked(i) for i in need_ids])


@shared_task(name="matching.need_withdrawn", **RETRY_TRANSIENT)
def need_withdrawn_task(need_id: int) -> int:
    return services.need_recommendations_refresh(need_id=need_id_checked(need_id))


@shared_task(name="matching.portrait_changed", **RETRY_TRANSIENT)
def portrait_changed_task(team_id: int) -> int:
    """A portrait changed: every open need is re-ranked against the new portraits (once for a burst
    of changes, see portraits_changed_refresh)."""
    return services.portraits_changed_refresh()


@shared_task(name="matching.nightly_refresh", **RETRY_TRANSIENT)
def nightly_refresh_task() -> int:
    # A fresh index: the discipline model kept across the day's small changes is fitted anew.
    services.reset_index_cache()
    return services.recommendations_refresh_all()


@shared_task(name="matching.saved_search_digest", **RETRY_TRANSIENT)
def saved_search_digest_task(frequency: str) -> int:
    if frequency not in ("daily", "weekly"):
        raise ValueError(f"订阅汇总频率只能是 daily 或 weekly，收到的是 {frequency!r}")
    return saved_search_notify.saved_search_digests_send(frequency=frequency)


@shared_task(name="matching.train_ranker", **RETRY_TRANSIENT)
def train_ranker_task() -> bool:
    """Weekly: learn weights from the week's outcomes; they are used only if they beat the current ones."""
    from matching.learning import ranker_train

    return ranker_train().active

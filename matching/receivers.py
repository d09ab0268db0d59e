"""Matching listens to what demand and teams announce, and queues its tasks after the commit."""

from django.db import transaction
from django.dispatch import receiver

from demand.signals import need_published, need_withdrawn
from teams.services import team_touch
from teams.signals import portrait_changed


@receiver(need_published, dispatch_uid="matching.need_published")
def on_need_published(sender, need_id, **kwargs):
    from matching.tasks import need_published_task

    transaction.on_commit(lambda: need_published_task.delay(need_id))


@receiver(need_withdrawn, dispatch_uid="matching.need_withdrawn")
def on_need_withdrawn(sender, need_id, **kwargs):
    from matching.tasks import need_withdrawn_task

    transaction.on_commit(lambda: need_withdrawn_task.delay(need_id))


@receiver(portrait_changed, dispatch_uid="matching.portrait_changed")
def on_portrait_changed(sender, team_id, **kwargs):
    from matching.tasks import portrait_changed_task

    # Touch the team so every process sees its portrait index is stale.
    team_touch(team_id=team_id)
    transaction.on_commit(lambda: portrait_changed_task.delay(team_id))

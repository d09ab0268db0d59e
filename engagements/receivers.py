"""What engagements does when teams or demand announce something (neither imports engagements)."""

from django.dispatch import receiver

from demand.signals import need_withdrawn
from teams.signals import team_stopped_serving


@receiver(team_stopped_serving, dispatch_uid="engagements.team_stopped_serving")
def on_team_stopped_serving(sender, team_id, action, by_id, reason, **kwargs):
    from engagements.assignments import assignments_close_for_team
    from engagements.services import engagements_close_for_team

    engagements_close_for_team(team_id=team_id, by_id=by_id, reason=reason)
    assignments_close_for_team(team_id=team_id, reason=reason)


@receiver(need_withdrawn, dispatch_uid="engagements.need_withdrawn")
def on_need_withdrawn(sender, need_id, **kwargs):
    """A need solved, closed or expired leaves no invitation, 揭榜 or assignment waiting for an answer."""
    from engagements.assignments import assignments_close_for_need
    from engagements.services import engagements_close_for_need

    engagements_close_for_need(need_id=need_id)
    assignments_close_for_need(need_id=need_id)

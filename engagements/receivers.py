"""What engagements does when teams announce something (teams never imports engagements)."""

from django.dispatch import receiver

from teams.signals import team_stopped_serving


@receiver(team_stopped_serving, dispatch_uid="engagements.team_stopped_serving")
def on_team_stopped_serving(sender, team_id, action, by_id, reason, **kwargs):
    from engagements.assignments import assignments_close_for_team
    from engagements.services import engagements_close_for_team

    engagements_close_for_team(team_id=team_id, by_id=by_id, reason=reason)
    assignments_close_for_team(team_id=team_id, reason=reason)

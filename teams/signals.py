"""What teams announce. It never imports matching: matching listens to these (ARCHITECTURE.md)."""

from django.dispatch import Signal

# Sent when anything a team's portrait is built from changes (fields, members, records), or the team
# becomes active or inactive. Keyword argument: team_id.
portrait_changed = Signal()

# Sent after commit when a team stops serving for good (dissolved or archived), so what binds it to
# needs can be closed. Keyword arguments: team_id, action ("dissolve" or "archive"), by_id, reason.
team_stopped_serving = Signal()

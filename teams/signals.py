"""What teams announce. It never imports matching: matching listens to these (ARCHITECTURE.md)."""

from django.dispatch import Signal

# Sent when anything a team's portrait is built from changes (fields, members, records), or the team
# becomes active or inactive. Keyword argument: team_id.
portrait_changed = Signal()

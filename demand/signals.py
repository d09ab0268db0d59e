"""What demand announces. It never imports matching: matching listens to these (ARCHITECTURE.md)."""

from django.dispatch import Signal

# Sent after a need becomes visible in the demand hall, or its matchable text changes while published.
# Keyword argument: need_id.
need_published = Signal()
# Sent when a need leaves the hall (closed, resolved, expired): recommendations for it are stale.
need_withdrawn = Signal()

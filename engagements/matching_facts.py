"""What engagements tell matching (registered in EngagementsConfig.ready, read through matching.hooks):
each team's load and track record, and the answered engagements the learned ranker trains on.

An outcome is an engagement whose other side answered: accepted (it reached 已达成, whatever happened
after) is 1, declined is 0. Its features are the matcher's signals for that pair when it opened.
"""

from django.db.models import Avg, Count, Q

from engagements.models import Engagement
from matching.hooks import TeamActivity

E = Engagement.Status
OPEN = (E.PROPOSED, E.AGREED, E.IN_SERVICE)


def team_activity(team_ids: list[int]) -> dict[int, TeamActivity]:
    rows = (
        Engagement.objects.filter(team_id__in=team_ids)
        .values("team_id")
        .annotate(
            open=Count("id", filter=Q(status__in=OPEN)),
            done=Count("id", filter=Q(status=E.COMPLETED)),
            rating=Avg("rating", filter=Q(status=E.COMPLETED)),
        )
    )
    return {
        row["team_id"]: TeamActivity(
            open=row["open"],
            completed=row["done"],
            mean_rating=float(row["rating"]) if row["rating"] else None,
        )
        for row in rows
    }


def ranker_outcomes() -> tuple[list[dict[str, float]], list[int]]:
    rows, labels = [], []
    answered = Engagement.objects.exclude(match_signals={}).filter(
        Q(agreed_at__isnull=False) | Q(status=E.DECLINED)
    )
    for engagement in answered.order_by("id"):
        rows.append({f: float(v) for f, v in engagement.match_signals.items()})
        labels.append(1 if engagement.agreed_at else 0)
    return rows, labels

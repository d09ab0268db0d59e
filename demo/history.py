"""The demo world's engagement history: the needs it shows as engaged or resolved get the engagement that
made them so.

The demo needs are written directly with their final status (demo/services.py), so without this the
dashboard would count needs "in engagement" that no team is engaged with, and the industry map, the
funnel and the gap view would disagree with one another. Each engaged need gets one agreed or in-service
engagement, each resolved need one completed and rated engagement, with the need's own timestamps.

The team is the need's top recommendation when the matcher has ranked it (engaged needs are still open,
so they are ranked); otherwise (resolved needs are no longer ranked) an active team serving the need's
industry, nearest in the GB/T 4754 tree, chosen reproducibly from the seed. Rows are written directly,
like the rest of the demo world, and found again by (need, team): a second run changes nothing.
"""

from __future__ import annotations

import os
import random
from datetime import timedelta

from django.db import transaction

from demand.models import Need
from engagements.models import Engagement
from matching.models import Recommendation
from teams.models import Team

RATING_COMMENTS = {
    5: "问题彻底解决，团队响应快、方案实用，希望继续合作。",
    4: "主要问题已解决，个别工艺参数还在跟踪优化。",
    3: "完成了约定内容，效果有待生产中进一步验证。",
}


def _team_for(need: Need, teams: list[Team], industry_codes: dict[int, list[str]], rng) -> Team | None:
    top = Recommendation.objects.filter(need=need).order_by("rank").select_related("team").first()
    if top is not None:
        return top.team
    code = need.industry.code

    def closeness(team: Team) -> int:
        return max((len(os.path.commonprefix((code, c))) for c in industry_codes[team.pk]), default=0)

    best = max((closeness(t) for t in teams), default=0)
    candidates = [t for t in teams if closeness(t) == best]
    return rng.choice(candidates) if candidates else None


def demo_history_build(*, seed: int) -> dict:
    """Create the missing engagements of engaged and resolved demo needs; returns {"created": n}."""
    teams = list(Team.objects.filter(status=Team.Status.ACTIVE).order_by("id"))
    if not teams:
        return {"created": 0}
    industry_codes = {t.pk: list(t.industries.values_list("code", flat=True)) for t in teams}
    created = 0
    needs = (
        Need.objects.filter(status__in=[Need.Status.ENGAGED, Need.Status.RESOLVED])
        .select_related("industry", "enterprise")
        .order_by("id")
    )
    with transaction.atomic():
        for need in needs:
            if need.engagements.exclude(
                status__in=[Engagement.Status.CANCELLED, Engagement.Status.DECLINED]
            ).exists():
                continue
            rng = random.Random(f"{seed}:engagement:{need.enterprise.name}:{need.title}")
            team = _team_for(need, teams, industry_codes, rng)
            if team is None:
                continue
            _create(need, team, rng)
            created += 1
    return {"created": created}


def _create(need: Need, team: Team, rng: random.Random) -> Engagement:
    agreed_at = need.engaged_at or need.published_at
    opened_at = agreed_at - timedelta(days=rng.randint(2, 10))
    resolved = need.status == Need.Status.RESOLVED
    started_at = agreed_at + timedelta(days=rng.randint(3, 14))
    values = {
        "origin": rng.choice([Engagement.Origin.INVITATION, Engagement.Origin.INTEREST]),
        "scope": f"围绕“{need.title}”开展技术诊断与方案实施，按月提交进展。",
        "proposal": "团队已有相近项目基础，可先赴企业现场调研，两周内给出初步方案。",
    }
    if resolved:
        rating = rng.choice([5, 5, 4, 4, 3])
        values.update(
            status=Engagement.Status.COMPLETED,
            rating=rating,
            rating_comment=RATING_COMMENTS[rating],
        )
        stamps = {
            "agreed_at": agreed_at,
            "started_at": min(started_at, need.resolved_at),
            "completed_at": need.resolved_at,
        }
    else:
        in_service = rng.random() < 0.7
        values["status"] = Engagement.Status.IN_SERVICE if in_service else Engagement.Status.AGREED
        stamps = {"agreed_at": agreed_at, "started_at": started_at if in_service else None}
    engagement = Engagement.objects.create(need=need, team=team, **values)
    # created_at is auto_now_add: set it (and the state times) with an update, as the demo does elsewhere.
    Engagement.objects.filter(pk=engagement.pk).update(created_at=opened_at, **stamps)
    return engagement

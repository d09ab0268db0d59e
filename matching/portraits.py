"""The platform's needs and teams as the engine sees them (engine types hold no Django objects).

A team's portrait texts: its declared disciplines, keywords and description are its own statements;
its service content and foundation, its members' research directions and its counted service records
are the works, the evidence of what it has actually done.
"""

from dataclasses import dataclass, field

from demand.models import Need
from matching.engine.portrait import Need as EngineNeed
from matching.engine.portrait import TeamPortrait, Work
from teams.models import Team
from teams.selectors import PortraitData, team_portrait, teams_serving


@dataclass
class Facts:
    """Structured fields of a need or a team for the structured-fit signals."""

    industry_codes: list[str] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)
    service_types: list[str] = field(default_factory=list)
    disciplines: list[str] = field(default_factory=list)
    open_engagements: int = 0
    completed_engagements: int = 0
    mean_rating: float | None = None


def engine_team(data: PortraitData) -> TeamPortrait:
    works = [Work(abstract=w["text"], title=w["title"]) for w in data.works]
    for text in (data.service_content, data.service_foundation, *data.research_directions):
        if text and text.strip():
            works.append(Work(abstract=text))
    keywords = list(dict.fromkeys([*data.keywords, *data.industry_names]))
    return TeamPortrait(
        id=str(data.team_id),
        name=data.name,
        disciplines=list(data.disciplines),
        keywords=keywords,
        description=data.description,
        works=works,
    )


def engine_need(need: Need) -> EngineNeed:
    return EngineNeed(id=str(need.pk), title=need.title, description=need.description)


def need_facts(need: Need) -> Facts:
    return Facts(
        industry_codes=[need.industry.code],
        region_codes=[need.region.code],
        service_types=list(need.service_types),
    )


def team_facts(
    data: PortraitData, *, open_engagements: int, completed: int, mean_rating: float | None
) -> Facts:
    return Facts(
        industry_codes=data.industry_codes,
        region_codes=data.region_codes,
        service_types=data.service_types,
        disciplines=data.disciplines,
        open_engagements=open_engagements,
        completed_engagements=completed,
        mean_rating=mean_rating,
    )


def serving_portraits() -> list[PortraitData]:
    teams = teams_serving().prefetch_related(
        "members", "industries", "regions", "disciplines", "served_enterprises"
    )
    return [team_portrait(team) for team in teams.select_related("college")]


def portrait_of(team: Team) -> PortraitData:
    return team_portrait(team)

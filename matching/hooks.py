"""What the apps above matching tell it, without matching importing them (ARCHITECTURE.md: the arrows
run one way). Each app registers its functions here in its AppConfig.ready(); unregistered, matching
reads nothing (a platform without engagements ranks with no load or track record).

- team_activity(team_ids) → {team_id: TeamActivity}: each team's open and completed engagements and its
  mean rating, for the structured fit (engagements registers it).
- ranker_outcomes() → (rows, labels): the matcher's signals of each answered engagement and whether it
  was accepted, for the learned ranker (engagements).
- embedding_sources: (label, kind, texts()) triples of other texts embedded by `reembed` (talent's
  openings and students).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TeamActivity:
    open: int = 0
    completed: int = 0
    mean_rating: float | None = None


_team_activity: Callable[[list[int]], dict[int, TeamActivity]] | None = None
_ranker_outcomes: Callable[[], tuple[list[dict[str, float]], list[int]]] | None = None
embedding_sources: list[tuple[str, str, Callable[[], list[str]]]] = []


def register_team_activity(provider: Callable[[list[int]], dict[int, TeamActivity]]) -> None:
    global _team_activity
    _team_activity = provider


def register_ranker_outcomes(provider: Callable[[], tuple[list[dict[str, float]], list[int]]]) -> None:
    global _ranker_outcomes
    _ranker_outcomes = provider


def register_embedding_source(label: str, kind: str, texts: Callable[[], list[str]]) -> None:
    if all(existing[0] != label for existing in embedding_sources):
        embedding_sources.append((label, kind, texts))


def team_activity(team_ids: list[int]) -> dict[int, TeamActivity]:
    return _team_activity(team_ids) if _team_activity else {}


def ranker_outcomes() -> tuple[list[dict[str, float]], list[int]]:
    return _ranker_outcomes() if _ranker_outcomes else ([], [])

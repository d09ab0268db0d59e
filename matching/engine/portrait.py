"""How a team portrait (画像) is represented for ranking, and how its many texts become one score.

A team is a name, declared disciplines, declared keywords, a description and many works (papers:
title, keywords, abstract; or service records). The choice that matters most is how the works are
pooled into one team score for a need. The choices made here, and why:

1. Score the need against every work, then pool per team with the mean of the top-k scores
   (`POOL_TOP_K`), not against the mean vector of the works. A team's works spread over several topics;
   their mean vector sits between the topics and matches none of them well, and a broad team with many
   works would look better than a focused team. The best single work is the most specific evidence
   but is noisy (one lucky paper); the mean of the best few keeps the specificity and averages the luck.
   With a few works per team k = 3 sits between the two; a team with fewer than k works is pooled over
   what it has. (`pool` also offers "max", "mean" and "lse" = log-sum-exp, a soft maximum.)
2. Declared disciplines, keywords and the description enter as their own short texts (the "profile"),
   scored separately and pooled by max: they are the team's own statement of what it does, and a short
   query such as "伺服电机 振动" matches a keyword line better than a 300-character abstract.
3. Teams that declare the same discipline reinforce each other ("peers"): each declared discipline gets
   a centroid over ALL works of ALL teams that declare it, and a team scores the need against the
   centroid of its disciplines (max over them). One team's 20 papers are a thin sample of a field; the
   pooled works of every team in the field describe it far better, so a need in that field finds all its
   teams even when their own papers are on neighbouring topics. This uses only what teams declare and
   publish, nothing about the needs, so it carries over to any set of teams.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from . import text as textmod

POOL_TOP_K = 3
LSE_TEMPERATURE = 0.05


@dataclass
class Work:
    """One piece of a team's evidence: a paper or a service record."""

    abstract: str
    title: str = ""
    keywords: list[str] = field(default_factory=list)

    def text(self) -> str:
        parts = [self.title, " ".join(self.keywords), self.abstract]
        return "。".join(p for p in parts if p and p.strip())


@dataclass
class TeamPortrait:
    id: str
    name: str
    disciplines: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    description: str = ""
    works: list[Work] = field(default_factory=list)

    def profile_texts(self) -> list[str]:
        """The team's own statements, each scored on its own: disciplines, keywords, description."""
        texts = list(self.disciplines)
        if self.keywords:
            texts.append(" ".join(self.keywords))
        if self.description.strip():
            texts.append(self.description)
        return [t for t in texts if t.strip()]


@dataclass
class Need:
    id: str
    title: str
    description: str

    def text(self) -> str:
        return "。".join(p for p in (self.title, self.description) if p and p.strip())


def pool(scores: np.ndarray, owners: np.ndarray, n_groups: int, method: str = "topk", k: int = POOL_TOP_K):
    """Pool item scores (n_queries, n_items) into group scores (n_queries, n_groups).

    `owners[i]` is the group of item i. A group with no items gets NaN (no evidence, not a zero score).
    method: "max", "mean", "topk" (mean of the k best), "lse" (temperature-scaled log-mean-exp).
    """
    scores = np.atleast_2d(scores)
    out = np.full((scores.shape[0], n_groups), np.nan, dtype=np.float64)
    order = np.argsort(owners, kind="stable")
    sorted_owners = owners[order]
    bounds = np.searchsorted(sorted_owners, np.arange(n_groups + 1))
    for g in range(n_groups):
        cols = order[bounds[g] : bounds[g + 1]]
        if len(cols) == 0:
            continue
        block = scores[:, cols].astype(np.float64)
        if method == "max":
            out[:, g] = block.max(axis=1)
        elif method == "mean":
            out[:, g] = block.mean(axis=1)
        elif method == "topk":
            kk = min(k, block.shape[1])
            out[:, g] = np.partition(block, block.shape[1] - kk, axis=1)[:, -kk:].mean(axis=1)
        elif method == "lse":
            t = LSE_TEMPERATURE
            m = block.max(axis=1, keepdims=True)
            out[:, g] = (m[:, 0] + t * np.log(np.exp((block - m) / t).mean(axis=1))).ravel()
        else:
            raise ValueError(f"unknown pooling {method!r}; choose max, mean, topk or lse")
    return out


def spread(group_scores: np.ndarray, memberships: Sequence[Sequence[int]]) -> np.ndarray:
    """Team scores from group scores: each team takes the best of its groups; none → NaN."""
    group_scores = np.atleast_2d(group_scores)
    out = np.full((group_scores.shape[0], len(memberships)), np.nan, dtype=np.float64)
    for t, groups in enumerate(memberships):
        if len(groups):
            out[:, t] = group_scores[:, list(groups)].max(axis=1)
    return out


@dataclass
class PortraitLayout:
    """Flat lists of the texts of a set of portraits, with who owns each, ready to be indexed.

    work_texts[i] belongs to team work_owner[i]; profile_texts[j] to team profile_owner[j].
    disciplines are the distinct declared labels; team_disciplines[t] lists team t's label indices and
    discipline_works[d] the works of every team that declares label d.
    """

    team_ids: list[str]
    work_texts: list[str]
    work_owner: np.ndarray
    profile_texts: list[str]
    profile_owner: np.ndarray
    disciplines: list[str]
    team_disciplines: list[list[int]]
    discipline_works: list[np.ndarray]

    @property
    def n_teams(self) -> int:
        return len(self.team_ids)

    @classmethod
    def build(cls, teams: Sequence[TeamPortrait]) -> PortraitLayout:
        work_texts, work_owner, profile_texts, profile_owner = [], [], [], []
        labels: dict[str, int] = {}
        team_disciplines = []
        for t, team in enumerate(teams):
            for work in team.works:
                work_texts.append(textmod.clean(work.text()))
                work_owner.append(t)
            for text in team.profile_texts():
                profile_texts.append(textmod.clean(text))
                profile_owner.append(t)
            team_disciplines.append(
                sorted({labels.setdefault(d.strip(), len(labels)) for d in team.disciplines if d.strip()})
            )
        owner = np.asarray(work_owner, dtype=np.int64)
        discipline_works = [
            np.flatnonzero(np.isin(owner, [t for t, ds in enumerate(team_disciplines) if d in ds]))
            for d in range(len(labels))
        ]
        return cls(
            team_ids=[t.id for t in teams],
            work_texts=work_texts,
            work_owner=owner,
            profile_texts=profile_texts,
            profile_owner=np.asarray(profile_owner, dtype=np.int64),
            disciplines=list(labels),
            team_disciplines=team_disciplines,
            discipline_works=discipline_works,
        )

"""人岗匹配 in the platform: rank students for a team's opening and openings for a student, with the
engine's per-factor reasons (matching.engine.talent). Vectors come from the database cache, so an
unchanged profile or opening is embedded once."""

from dataclasses import dataclass
from functools import lru_cache

from django.utils import timezone

from matching import embedding_store
from matching.engine import talent as engine
from matching.engine.evaluation import discipline_categories
from matching.engine.text import TextError
from matching.selectors import Explained, explanation_view
from reference.models import Discipline
from talent.models import Opening, StudentProfile

LIMIT = 20


@dataclass
class RankedStudent:
    profile: StudentProfile
    score: float
    explanation: dict
    explained: Explained


@dataclass
class RankedOpening:
    opening: Opening
    score: float
    explanation: dict
    explained: Explained


@lru_cache(maxsize=1)
def _csl_categories() -> dict[str, str]:
    return discipline_categories()


def _category_of(names: set[str]) -> dict[str, str]:
    """Discipline name → its 门类 (the CSL catalogue) or, for an NSFC code, its top-level node."""
    out = {n: _csl_categories()[n] for n in names if n in _csl_categories()}
    for d in Discipline.objects.filter(name__in=names - set(out)).select_related("parent"):
        top = d
        seen = 0
        while top.parent_id is not None and seen < 10:  # the NSFC tree is 3 deep; 10 is a guard
            top, seen = top.parent, seen + 1
        out[d.name] = top.name
    return out


def _student(p: StudentProfile) -> engine.StudentText:
    return engine.StudentText(
        id=p.pk,
        major=p.major,
        skills=[s for s in p.skills if isinstance(s, str)],
        interests=p.interests,
        disciplines=[p.discipline.name] if p.discipline_id else [],
        hours_per_week=p.hours_per_week,
    )


def _opening(o: Opening) -> engine.OpeningText:
    return engine.OpeningText(
        id=o.pk,
        title=o.title,
        description=o.description,
        skills=[s for s in o.skills if isinstance(s, str)],
        disciplines=[d.name for d in o.team.disciplines.all()],
        hours_per_week=o.hours_per_week,
    )


def _texts(items) -> tuple[list, list[str]]:
    """Engine items whose text cleans to something matchable, and their texts (others are dropped)."""
    kept, texts = [], []
    for item in items:
        try:
            texts.append(item.text())
        except TextError:
            continue
        kept.append(item)
    return kept, texts


def embedding_texts() -> tuple[list[str], list[str]]:
    """The texts 人岗匹配 embeds now: the recruiting openings' (as queries) and the texts of the
    students open to offers (as passages). `reembed` stores them under a new model and keeps them."""
    return _texts([_opening(o) for o in openings_accepting()])[1], _texts(
        [_student(s) for s in candidate_students()]
    )[1]


def _score(openings: list[Opening], students: list[StudentProfile]):
    engine_openings, opening_texts = _texts([_opening(o) for o in openings])
    engine_students, student_texts = _texts([_student(s) for s in students])
    if not engine_openings or not engine_students:
        return [[] for _ in engine_openings], engine_openings
    names = {d for x in (*engine_openings, *engine_students) for d in x.disciplines}
    rows = engine.score_pairs(
        engine_openings,
        embedding_store.embed_texts(opening_texts, kind=embedding_store.QUERY),
        engine_students,
        embedding_store.embed_texts(student_texts, kind=embedding_store.PASSAGE),
        category_of=_category_of(names),
    )
    return rows, engine_openings


def candidate_students():
    return StudentProfile.objects.filter(open_to_offers=True, user__is_active=True).select_related(
        "user", "user__college", "discipline"
    )


def students_for_opening(opening: Opening, *, limit: int = LIMIT) -> list[RankedStudent]:
    """The students open to offers, best first, with reasons."""
    students = list(candidate_students())
    rows, _openings = _score([opening], students)
    by_id = {s.pk: s for s in students}
    return [
        RankedStudent(
            profile=by_id[p.student],
            score=p.score,
            explanation=p.explanation.as_dict(),
            explained=explanation_view(p.explanation.as_dict()),
        )
        for p in (rows[0] if rows else [])[:limit]
    ]


def openings_accepting():
    return (
        Opening.objects.filter(status=Opening.Status.OPEN, deadline__gte=timezone.localdate())
        .select_related("team", "team__college", "enterprise")
        .prefetch_related("team__disciplines")
    )


def openings_for_student(profile: StudentProfile, *, limit: int = LIMIT) -> list[RankedOpening]:
    """The openings still recruiting, best first for this student, with the same pair scores the
    teams see."""
    openings = list(openings_accepting())
    rows, engine_openings = _score(openings, [profile])
    by_id = {o.pk: o for o in openings}
    ranked = [
        RankedOpening(
            opening=by_id[eo.id],
            score=row[0].score,
            explanation=row[0].explanation.as_dict(),
            explained=explanation_view(row[0].explanation.as_dict()),
        )
        for eo, row in zip(engine_openings, rows, strict=True)
        if row
    ]
    ranked.sort(key=lambda r: (-r.score, r.opening.pk))
    return ranked[:limit]

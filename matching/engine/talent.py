"""人岗匹配: students against openings with the same machinery as needs against teams: cleaned jieba
text, dense similarity from the embedding model, shared keywords, a structured fit (the student's
discipline against the team's), and the student's time against the opening's, fused by `ranker.fuse`
into one score whose per-factor contributions add up to it, with reasons in plain Chinese.

One pair is always scored the same way whichever side asks: the opening is the query, the student the
passage, and the dense signal is the raw cosine mapped to [0, 1] (not scaled per list), so a student's
score for an opening is the same on the opening's list and on the student's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import text as textmod
from .ranker import Explanation, fuse

WEIGHTS = {"dense": 0.4, "lexical": 0.3, "major": 0.2, "availability": 0.1}
# e5 cosines between any two Chinese texts sit high (measured with multilingual-e5-small: ≈0.87 for an
# unrelated profile, ≈0.95 for a fitting one): this maps that band onto [0, 1] so the factor bar means
# something; below the floor is no similarity.
DENSE_FLOOR, DENSE_CEILING = 0.85, 0.96
SAME_CATEGORY = 0.5  # a student of a neighbouring discipline in the same 门类
KEYWORDS_PER_OPENING = 10


@dataclass
class StudentText:
    id: int
    major: str
    skills: Sequence[str] = ()
    interests: str = ""
    disciplines: Sequence[str] = ()  # the student's discipline name (and nothing when not declared)
    hours_per_week: int | None = None

    def text(self) -> str:
        return _student_text(self.major, tuple(self.skills), self.interests)


@lru_cache(maxsize=20_000)
def _student_text(major: str, skills: tuple[str, ...], interests: str) -> str:
    # Cached by content: cleaning (NFKC, traditional → simplified) costs more than scoring the pair.
    parts = [f"专业：{major}", "技能：" + "、".join(skills) if skills else "", interests]
    return textmod.clean("。".join(p for p in parts if p.strip()) or major)


@dataclass
class OpeningText:
    id: int
    title: str
    description: str
    skills: Sequence[str] = ()
    disciplines: Sequence[str] = ()  # the team's declared disciplines
    hours_per_week: int | None = None

    def text(self) -> str:
        parts = [self.title, self.description, "技能：" + "、".join(self.skills) if self.skills else ""]
        return textmod.clean("。".join(p for p in parts if p.strip()))


@dataclass
class PairScore:
    student: int
    opening: int
    score: float
    explanation: Explanation = field(repr=False)


def dense_value(cosine: float) -> float:
    return float(np.clip((cosine - DENSE_FLOOR) / (DENSE_CEILING - DENSE_FLOOR), 0.0, 1.0))


Term = tuple[str, tuple[str, ...], str]  # (lower-cased term, the jieba words it is made of, as shown)


def opening_terms(opening: OpeningText) -> tuple[Term, ...]:
    """The words a student should share with the opening: its skills, then the topical words of its
    title and description that no skill already covers (振动测试 is one term, not three), each with the
    jieba words it is made of (cut once per opening, not once per student)."""
    return _terms(opening.title, opening.description, tuple(opening.skills))


@lru_cache(maxsize=5_000)
def _terms(title: str, description: str, skills: tuple[str, ...]) -> tuple[Term, ...]:
    terms: dict[str, Term] = {}
    for skill in (s.strip() for s in skills):
        if skill and skill.lower() not in terms:
            terms[skill.lower()] = (skill.lower(), _parts(skill), skill)
    covered = set(terms) | {p for _term, parts, _shown in terms.values() for p in parts}
    try:
        text = textmod.clean(f"{title}。{description}")
    except textmod.TextError:
        return tuple(terms.values())
    for word in textmod.keywords(text, k=KEYWORDS_PER_OPENING):
        if word not in covered and word not in terms:
            terms[word] = (word, _parts(word), word)
    return tuple(terms.values())


def _parts(term: str) -> tuple[str, ...]:
    try:
        return tuple(textmod.tokens(textmod.clean(term)))
    except textmod.TextError:
        return ()


@lru_cache(maxsize=20_000)
def _words(text: str, skills: tuple[str, ...]) -> frozenset[str]:
    # Cached by content: a profile is cut once per process until it changes, so an opening's page
    # ranking thousands of students pays jieba only for the new or edited ones.
    words = set(textmod.index_tokens(text))
    return frozenset(words | {s.strip().lower() for s in skills if s.strip()})


def student_terms(student: StudentText) -> frozenset[str]:
    return _words(student.text(), tuple(student.skills))


def shared_terms(terms: Sequence[Term], words: frozenset[str]) -> list[str]:
    """Opening terms the student has (as the opening spells them); a multi-word skill counts when all
    its words are there."""
    shared = []
    for term, parts, shown in terms:
        if term in words or (len(parts) > 1 and all(p in words for p in parts)):
            shared.append(shown)
    return shared


def major_fit(
    student: Sequence[str], team: Sequence[str], category_of: Mapping[str, str]
) -> tuple[float | None, str]:
    """1 for the same discipline, SAME_CATEGORY for the same 门类, 0 otherwise; None without data."""
    if not student or not team:
        return None, ""
    if set(student) & set(team):
        return 1.0, next(iter(set(student) & set(team)))
    mine = {category_of.get(d) for d in student} - {None}
    theirs = {category_of.get(d) for d in team} - {None}
    if mine & theirs:
        return SAME_CATEGORY, next(iter(mine & theirs))
    return 0.0, ""


def availability_fit(student_hours: int | None, opening_hours: int | None) -> float | None:
    if not student_hours or not opening_hours:
        return None
    return min(1.0, student_hours / opening_hours)


def score_pairs(
    openings: Sequence[OpeningText],
    opening_vectors: np.ndarray,
    students: Sequence[StudentText],
    student_vectors: np.ndarray,
    *,
    category_of: Mapping[str, str] | None = None,
    weights: Mapping[str, float] | None = None,
) -> list[list[PairScore]]:
    """For each opening, every student scored, best first (ties by id). Vectors are L2-normalised
    rows (queries for openings, passages for students)."""
    weights = dict(weights or WEIGHTS)
    category_of = category_of or {}
    cosines = opening_vectors @ student_vectors.T if len(students) else np.zeros((len(openings), 0))
    words = [student_terms(s) for s in students]
    out = []
    for i, opening in enumerate(openings):
        terms = opening_terms(opening)
        row = []
        for j, student in enumerate(students):
            row.append(_pair(opening, student, float(cosines[i, j]), terms, words[j], category_of, weights))
        row.sort(key=lambda p: (-p.score, p.student))
        out.append(row)
    return out


def _pair(opening, student, cosine, terms, words, category_of, weights) -> PairScore:
    shared = shared_terms(terms, words)
    signals: dict[str, float] = {
        "dense": dense_value(cosine),
        "lexical": min(1.0, len(shared) / max(1, min(len(terms), 5))) if terms else 0.0,
    }
    major, via = major_fit(student.disciplines, opening.disciplines, category_of)
    if major is not None:
        signals["major"] = major
    hours = availability_fit(student.hours_per_week, opening.hours_per_week)
    if hours is not None:
        signals["availability"] = hours
    total, contributions = fuse(signals, weights)
    reasons = [f"语义相似度 {cosine:.2f}"]
    if shared:
        reasons.append("共同关键词：" + "、".join(shared[:6]))
    else:
        reasons.append("没有共同关键词")
    if major == 1.0:
        reasons.append(f"专业对口：{via}")
    elif major == SAME_CATEGORY:
        reasons.append(f"学科门类相同：{via}")
    elif major == 0.0:
        reasons.append("专业与小分队学科不同")
    else:
        reasons.append("学生或小分队未填写学科，未计专业匹配")
    if hours is not None:
        verdict = "满足" if hours >= 1.0 else "不足"
        reasons.append(
            f"每周可投入 {student.hours_per_week} 小时，岗位需要 {opening.hours_per_week} 小时（{verdict}）"
        )
    explanation = Explanation(
        total=round(total, 6),
        contributions={k: round(v, 6) for k, v in contributions.items()},
        matched_keywords=shared[:10],
        reasons=reasons,
        signals={k: round(v, 6) for k, v in signals.items()},
    )
    return PairScore(student=student.id, opening=opening.id, score=round(total, 6), explanation=explanation)

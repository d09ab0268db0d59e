"""Reads for the assessment pages, filtered by who asks."""

from django.db import models

from accounts.models import Category, College
from accounts.scope import ScopePaths, is_college_admin, is_research_office, restrict
from scoring.assessment import provisional_ranking, strands_of
from scoring.models import Assessment, AssessmentResult, Case, Objection, SpotCheck, SpotCheckQuerySet
from scoring.paperwork import correction_summary
from teams.selectors import teams_visible_to

OBJECTIONS = SpotCheckQuerySet.scope_paths  # the same office reads both
# Colleges whose archives may be downloaded as one zip: a college's administrator their own, the S&T
# office its university's.
ARCHIVABLE_COLLEGES = ScopePaths(everything=None, university="university", college="pk")


def assessments_visible_to(user):
    return Assessment.objects.select_related("university").visible_to(user)


def public_results(assessment: Assessment):
    """On notice and after: the public sees names, scores, grades and the material counted (record
    titles, dates, evidence names as fixed in the breakdown), never the records' contents or files."""
    if assessment.status not in {Assessment.Status.NOTICE, Assessment.Status.FINAL}:
        return AssessmentResult.objects.none()
    return assessment.results.select_related("team", "team__college").order_by("rank")


def rankings(assessment: Assessment, *, college_id=None, category=None):
    qs = assessment.results.select_related("team", "team__college").order_by("rank")
    return results_filtered(qs, college=college_id, category=category)


def results_filtered(qs, *, college=None, category=None):
    """A ranking's filters (the page's and the API's): one college's teams, one category (理工类/人文类)."""
    if college:
        qs = qs.filter(team__college_id=college)
    if category:
        qs = qs.filter(team__category=category)
    return qs


def results_for(user, assessment: Assessment, *, college_id=None, category=None):
    """The ranking as the asker may see it: the research offices always, everyone else once on notice."""
    if not (
        is_research_office(user) or assessment.status in {Assessment.Status.NOTICE, Assessment.Status.FINAL}
    ):
        return AssessmentResult.objects.none()
    return rankings(assessment, college_id=college_id, category=category)


def provisional_for(user, assessment: Assessment) -> list:
    """The preview before the scores are fixed (scoring.assessment.provisional_ranking), the pages
    and the API alike: the S&T office sees every team; a college's admin, who reviews the college's
    records, sees the college's own teams with their rank in the whole university (the other
    colleges' scores stay unpublished until the notice); anyone else gets nothing."""
    if is_research_office(user):
        return provisional_ranking(assessment)
    if is_college_admin(user) and user.college_id:
        return [row for row in provisional_ranking(assessment) if row.team.college_id == user.college_id]
    return []


def sheets_visible_to(user, assessment: Assessment):
    """The fixed results whose Appendix C sheets (records and evidence behind a score) the asker may
    print: the teams whose records they may see (the team, its college, both research offices)."""
    if assessment.status not in {Assessment.Status.NOTICE, Assessment.Status.FINAL}:
        return AssessmentResult.objects.none()
    return assessment.results.filter(team__in=teams_visible_to(user)).order_by("rank")


def result_visible_to(user, result: AssessmentResult) -> bool:
    """The breakdown (records behind the score): the team, its college, its university's office."""
    return teams_visible_to(user).filter(pk=result.team_id).exists()


def teams_for_archive(user):
    """The teams whose archive forms (Appendix F) the asker may open: the team's members, its college, its
    university's S&T office and platform administrators (the teams whose internals they may see)."""
    return teams_visible_to(user)


def spot_checks_visible_to(user):
    """The drawn records of the asker's university's assessments: for its S&T office only (the
    records behind a score are not for the public, nor for the teams under check)."""
    return SpotCheck.objects.select_related("record", "record__team").visible_to(user)


def assessments_on_notice():
    """Assessments anyone may read and object to: on public notice, or final after it."""
    return Assessment.objects.filter(status__in=[Assessment.Status.NOTICE, Assessment.Status.FINAL])


def objections_visible_to(user):
    """Objections to the asker's university's assessments, with their authors' names and contacts: for
    its S&T office only (which answers them)."""
    return restrict(Objection.objects.select_related("team", "assessment"), user, OBJECTIONS)


def cases_visible_to(user):
    """案例库: the highlights and cases of the teams the asker may see (their members, college, office)."""
    return Case.objects.filter(team__in=teams_visible_to(user)).select_related("team")


def cases_filtered(queryset, *, team=None, year=None, exemplary=None):
    """Narrow cases (already restricted to the asker's) to a team's, a year's, the exemplary ones."""
    if team is not None:
        queryset = queryset.filter(team_id=team)
    if year is not None:
        queryset = queryset.filter(year=year)
    if exemplary is not None:
        queryset = queryset.filter(exemplary=exemplary)
    return queryset


def colleges_archivable_by(user):
    """Colleges whose archives the asker may download as one zip: a college administrator their own, the
    S&T office its university's."""
    return restrict(College.objects.all(), user, ARCHIVABLE_COLLEGES)


def strand_progress(assessment: Assessment) -> list[dict]:
    """Each strand with teams this year: who draws it, whether and when it was drawn, with which seed,
    and how many of its drawn records still wait for a decision."""
    draws = {d.category: d for d in assessment.draws.all()}
    present = strands_of(assessment)
    pending = dict(
        assessment.spot_checks.filter(result=SpotCheck.Result.PENDING)
        .order_by()
        .values_list("category")
        .annotate(n=models.Count("id"))
    )
    checked = dict(assessment.spot_checks.order_by().values_list("category").annotate(n=models.Count("id")))
    return [
        {
            "category": category,
            "label": label,
            "office": OFFICE_LABELS[category],
            "draw": draws.get(category),
            "checks": checked.get(category, 0),
            "pending": pending.get(category, 0),
        }
        for category, label in Category.choices
        if category in present
    ]


OFFICE_LABELS = {Category.SCIENCE: "科技处", Category.HUMANITIES: "人文社科处"}


def corrections_of(assessment: Assessment) -> list:
    """The published 更正 of an assessment, each with its changes in words (public, like the results)."""
    rows = list(assessment.corrections.all())
    for row in rows:
        row.summary = correction_summary(row)
    return rows

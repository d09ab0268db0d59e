"""The API's filters for scoring's lists (core.api_filters): checked and documented here,
applied by scoring.selectors, the functions the pages call."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.models import Category
from core.api_filters import FlagFilter, IdFilter, SelectorFilterSet, YearFilter
from scoring import selectors


class CaseFilter(SelectorFilterSet):
    """`/cases/`: a team's, a year's, the exemplary ones."""

    team = IdFilter(label=_("小分队编号"))
    year = YearFilter(label=_("年度（如 2026）"))
    exemplary = FlagFilter(label=_("只看典型案例（true）或其余（false）"))

    selector = staticmethod(selectors.cases_filtered)


class ResultFilter(SelectorFilterSet):
    """`/assessments/{id}/results/`: one college's teams, one category (the ranking page's filter too)."""

    college = IdFilter(label=_("二级学院编号"))
    category = filters.ChoiceFilter(label=_("类别"), choices=Category.choices)

    selector = staticmethod(selectors.results_filtered)

"""The API's filters for analytics' lists (accounts.api_filters): an assessment's ranking by college and
category, applied by analytics.selectors.results_filtered (the ranking page's filter too)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from accounts.api_filters import IdFilter, SelectorFilterSet
from accounts.models import Category
from analytics import selectors


class ResultFilter(SelectorFilterSet):
    """`/assessments/{id}/results/`: one college's teams, one category."""

    college = IdFilter(label=_("二级学院编号"))
    category = filters.ChoiceFilter(label=_("类别"), choices=Category.choices)

    selector = staticmethod(selectors.results_filtered)

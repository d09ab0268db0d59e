"""The API's filters for engagements and assignments (core.api_filters): checked and documented here,
applied by the selectors the pages call (engagements_filtered, assignments_filtered)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api_filters import FlagFilter, IdFilter, SelectorFilterSet
from engagements import assignment_selectors, selectors
from engagements.models import Assignment, Engagement


class EngagementFilter(SelectorFilterSet):
    """`/engagements/`: by state, need and team."""

    status = filters.ChoiceFilter(label=_("状态"), choices=Engagement.Status.choices)
    need = IdFilter(label=_("需求编号"))
    team = IdFilter(label=_("小分队编号"))

    selector = staticmethod(selectors.engagements_filtered)


class AssignmentFilter(SelectorFilterSet):
    """`/assignments/`: by state, overdue, need and team."""

    status = filters.ChoiceFilter(label=_("状态"), choices=Assignment.Status.choices)
    overdue = FlagFilter(label=_("只看超期与退回（true/false）"))
    need = IdFilter(label=_("需求编号"))
    team = IdFilter(label=_("小分队编号"))

    selector = staticmethod(assignment_selectors.assignments_filtered)

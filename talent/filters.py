"""The API's filters for openings and applications, applied by talent.services' selectors."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api_filters import (
    IdFilter,
    SelectorFilterSet,
)
from talent import services as talent
from talent.models import Application, Opening


class OpeningFilter(SelectorFilterSet):
    """`/openings/`: one team's, of a kind, in a state."""

    team = IdFilter(label=_("小分队编号"))
    kind = filters.ChoiceFilter(label=_("岗位类型"), choices=Opening.Kind.choices)
    status = filters.ChoiceFilter(label=_("状态"), choices=Opening.Status.choices)

    selector = staticmethod(talent.openings_filtered)


class ApplicationFilter(SelectorFilterSet):
    """`/applications/`: those to one opening, in a state."""

    opening = IdFilter(label=_("招募岗位编号"))
    status = filters.ChoiceFilter(label=_("状态"), choices=Application.Status.choices)

    selector = staticmethod(talent.applications_filtered)

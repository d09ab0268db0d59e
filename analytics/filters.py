"""The API's filters for analytics's lists (accounts.api_filters): checked and documented here,
applied by analytics.selectors, the functions the pages call."""

from django.utils.translation import gettext_lazy as _

from accounts.api_filters import FlagFilter, IdFilter, SelectorFilterSet, YearFilter
from analytics import selectors


class CaseFilter(SelectorFilterSet):
    """`/cases/`: a team's, a year's, the exemplary ones."""

    team = IdFilter(label=_("小分队编号"))
    year = YearFilter(label=_("年度（如 2026）"))
    exemplary = FlagFilter(label=_("只看典型案例（true）或其余（false）"))

    selector = staticmethod(selectors.cases_filtered)

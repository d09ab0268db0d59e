"""The API's filters for needs (core.api_filters): the hall's parameters, checked by the page's own
form (demand.forms.HallFilterForm: the same codes, dates and messages) and applied by the selectors the
pages call (demand.selectors.needs_filtered, needs_listed)."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api_filters import FlagFilter, IndustryFilter, RegionFilter, SelectorFilterSet, TextFilter
from demand import selectors
from demand.forms import HallFilterForm, ModerationFilterForm
from demand.models import Need, ServiceType


class HallFilter(SelectorFilterSet):
    """`/hall/`: the demand hall's search and filters."""

    q = TextFilter(label=_("关键词（空格分隔，每个词都须出现在标题或描述中）"), max_length=100)
    industry = IndustryFilter()
    region = RegionFilter()
    service_type = filters.ChoiceFilter(label=_("需求类型"), choices=ServiceType.choices)
    status = filters.ChoiceFilter(
        label=_("状态"), choices=[(s.value, s.label) for s in selectors.HALL_STATUSES]
    )
    date_from = filters.DateFilter(label=_("发布日期起（YYYY-MM-DD）"))
    date_to = filters.DateFilter(label=_("发布日期止（YYYY-MM-DD）"))

    selector = staticmethod(selectors.needs_filtered)

    class Meta:
        form = HallFilterForm


class NeedFilter(HallFilter):
    """`/needs/`: the hall's filters over every need the asker may see, in any state, or only the
    asker's enterprise's own (`mine`)."""

    status = filters.ChoiceFilter(label=_("状态"), choices=Need.Status.choices)
    mine = FlagFilter(label=_("只看本企业的需求（true/false）"))

    def select(self, queryset, **values):
        return selectors.needs_listed(queryset, asker=self.request.user, **values)


class ModerationFilter(SelectorFilterSet):
    """`/needs/moderation/`: submitted needs by words, industry, region and type, still oldest first."""

    q = TextFilter(label=_("关键词（空格分隔，每个词都须出现在标题或描述中）"), max_length=100)
    industry = IndustryFilter()
    region = RegionFilter()
    service_type = filters.ChoiceFilter(label=_("需求类型"), choices=ServiceType.choices)

    selector = staticmethod(selectors.moderation_filtered)

    class Meta:
        form = ModerationFilterForm

"""The API's filters for the recommendation feed, engagements, assignments and saved searches
(core.api_filters):
checked and documented here, applied by matching's selectors (feed_filtered, engagements_filtered,
assignments_filtered, saved_searches_filtered), the ones the pages call."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api_filters import FlagFilter, IdFilter, IndustryFilter, RegionFilter, SelectorFilterSet
from matching import selectors
from matching.forms import FeedFilterForm
from reference.choices import ServiceType


class FeedFilter(SelectorFilterSet):
    """`/teams/{id}/recommendations/`: the feed page's filters (matching.forms.FeedFilterForm)."""

    industry = IndustryFilter()
    region = RegionFilter()
    service_type = filters.ChoiceFilter(label=_("需求类型"), choices=ServiceType.choices)
    min_score = filters.NumberFilter(label=_("最低匹配分（0–1）"), min_value=0, max_value=1)
    max_rank = filters.NumberFilter(
        label=_("本队在需求推荐中的最低名次（1–100 的整数；不填为全部）"),
        min_value=1,
        max_value=100,
        decimal_places=0,
    )

    selector = staticmethod(selectors.feed_filtered)

    class Meta:
        form = FeedFilterForm


class SavedSearchFilter(SelectorFilterSet):
    """`/saved-searches/`: one team's subscriptions, active or paused ones."""

    team = IdFilter(label=_("小分队编号"))
    active = FlagFilter(label=_("启用中（true）或已暂停（false）"))

    selector = staticmethod(selectors.saved_searches_filtered)

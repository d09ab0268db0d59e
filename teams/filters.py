"""The API's filters for teams, portraits, members and service records (core.api_filters): each
FilterSet checks and documents its parameters and hands them to teams.selectors, which holds what they
mean. The views' querysets stay restricted by who asks; a filter only narrows them."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from core.api_filters import (
    DisciplineFilter,
    FlagFilter,
    IdFilter,
    IndustryFilter,
    SelectorFilterSet,
    TextFilter,
    YearFilter,
)
from teams import selectors
from teams.models import RecordType, ServiceRecord, Team


class PortraitFilter(SelectorFilterSet):
    """`/portraits/`: serving teams by name or content, college, industry and discipline."""

    q = TextFilter(label=_("关键词：名称、服务内容或简介包含"), max_length=100)
    college = IdFilter(label=_("二级学院编号"))
    industry = IndustryFilter(label=_("服务行业代码：门类字母（如 C）或 2–4 位数字（如 3533），含下级行业"))
    discipline = DisciplineFilter()

    selector = staticmethod(selectors.teams_filtered)


class TeamFilter(PortraitFilter):
    """`/teams/`: the portraits' filters, and the team's state."""

    status = filters.ChoiceFilter(label=_("状态"), choices=Team.Status.choices)


class MemberFilter(SelectorFilterSet):
    """`/members/`: one team's members."""

    team = IdFilter(label=_("小分队编号"))

    selector = staticmethod(selectors.members_filtered)


class RecordQueueFilter(SelectorFilterSet):
    """`/reviews/records/`: records waiting for review, of one team, a year, a kind (all are submitted)."""

    team = IdFilter(label=_("小分队编号"))
    year = YearFilter(label=_("年度：服务日期所在年份（如 2026）"))
    record_type = filters.ChoiceFilter(label=_("记录类型"), choices=RecordType.choices)

    selector = staticmethod(selectors.records_filtered)


class RecordFilter(RecordQueueFilter):
    """`/records/`: one team's records, a year's, in a state, of a kind."""

    status = filters.ChoiceFilter(label=_("状态"), choices=ServiceRecord.Status.choices)


class CallFilter(SelectorFilterSet):
    """`/calls/`: a year's calls, or only those still open (deadline not yet passed)."""

    year = YearFilter(label=_("年度（如 2026）"))
    open = FlagFilter(label=_("只看未截止的批次（true/false）"))

    selector = staticmethod(selectors.calls_filtered)

"""The API's filters for the reference lookups: `parent` (one level of the tree) or `q` (names).

reference sits left of accounts (it imports no other app), so these FilterSets follow
core.api_filters.SelectorFilterSet's pattern without importing it: the filters check and document
the parameters, and filter_queryset hands the given values to reference.selectors' *_lookup.
"""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from reference import selectors
from reference.fields import TextField
from reference.models import Discipline


class _Text(filters.CharFilter):
    field_class = TextField


class LookupFilter(filters.FilterSet):
    parent = _Text(label=_("上级代码：列出其直接下级；不填列出最高一级"), max_length=12)
    q = _Text(label=_("名称关键词（最多 50 字）：列出名称包含它的各级条目，优先于 parent"), max_length=50)

    selector = None

    def filter_queryset(self, queryset):
        values = {k: v for k, v in self.form.cleaned_data.items() if v not in (None, "")}
        return type(self).selector(queryset, **values)


class IndustryLookupFilter(LookupFilter):
    selector = staticmethod(selectors.industries_lookup)


class RegionLookupFilter(LookupFilter):
    selector = staticmethod(selectors.regions_lookup)


class DisciplineLookupFilter(LookupFilter):
    scheme = filters.ChoiceFilter(label=_("体系（默认 csl）"), choices=Discipline.Scheme.choices)

    selector = staticmethod(selectors.disciplines_lookup)

"""Filters for the API's lists (django-filter), with the rule itself left in the app's selector.

A list's FilterSet declares its query parameters: each filter's form field validates the parameter and
words its refusal in Chinese, and its label documents it in the OpenAPI schema (drf-spectacular reads
FilterSets). It does not filter by itself: `filter_queryset` hands the cleaned, non-empty values to the
app's selector (`demand.selectors.needs_filtered` and the like), the same function the pages call, so
what a filter means is written once, in the selector.

    class HallFilter(SelectorFilterSet):
        q = TextFilter(label=_("关键词"), max_length=100)
        industry = IndustryFilter()
        selector = staticmethod(selectors.needs_filtered)   # needs_filtered(queryset, *, q="", …)

A view uses it with `filter_backends = [DjangoFilterBackend, OrderingFilter]` and `filterset_class`,
and keeps its own `get_queryset` restricted by who asks: the FilterSet only ever narrows that set.

An invalid parameter is a 400 in the API's one error shape (core.api_errors): DjangoFilterBackend
raises DRF's ValidationError keyed by the parameter's name, e.g.
`{"error": {"code": "validation_error", "message": "…", "fields": {"industry": ["行业代码应为…"]}}}`.
A check across parameters (dates in order) raises it on the later one, never as "__all__".
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.form_fields import IdField, YearField
from reference.fields import DisciplineCodeField, IndustryCodeField, RegionCodeField, TextField

EMPTY = (None, "", [], ())


class SelectorFilterSet(filters.FilterSet):
    """Validates the declared parameters and passes what was given to `selector(queryset, **values)`.

    Subclasses set `selector` (a staticmethod) or override `select` when the selector needs more than
    the parameters (the asker: `self.request.user`). `Meta.form` may name the page's filter form, whose
    `clean_<name>` and `clean` methods then check the API's parameters too (one set of messages); the
    declared filters' fields replace the form's own fields of the same names."""

    selector = None

    def values(self) -> dict:
        """The parameters that were given and parsed, empty ones left out (a selector's defaults)."""
        return {k: v for k, v in self.form.cleaned_data.items() if v not in EMPTY}

    def select(self, queryset, **values):
        return type(self).selector(queryset, **values)

    def filter_queryset(self, queryset):
        return self.select(queryset, **self.values())

    @property
    def errors(self):
        """The form's errors; one that is about no single parameter is reported as `non_field_errors`,
        as every other 400 in the API does."""
        errors = self.form.errors
        if NON_FIELD_ERRORS in errors:
            errors = ErrorDict(errors)
            errors["non_field_errors"] = errors.pop(NON_FIELD_ERRORS)
        return errors


class ListFiltersOnly:
    """For a viewset whose list is filtered: its other actions (one object by id, an action on it)
    ignore the list's parameters, as GenericAPIView.get_object would otherwise apply them."""

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset) if getattr(self, "action", None) == "list" else queryset


class TextFilter(filters.CharFilter):
    """A free-text or code parameter (`?q=平缝机`)."""

    field_class = TextField


class CodeFilter(filters.CharFilter):
    """A reference code parameter, checked by its reference.fields field; subclasses give the field,
    the label documenting the accepted forms and the longest code."""

    default_label = ""
    default_max_length: int | None = None

    def __init__(self, **kwargs):
        kwargs.setdefault("label", self.default_label)
        kwargs.setdefault("max_length", self.default_max_length)
        super().__init__(**kwargs)


class IndustryFilter(CodeFilter):
    """A GB/T 4754 code at any level (`?industry=C`, `35`, `3533`)."""

    field_class = IndustryCodeField
    default_label = _("行业代码：门类字母（如 C）或 2–4 位数字（如 3533），含下级行业")
    default_max_length = 8


class RegionFilter(CodeFilter):
    """A region code prefix (`?region=33`, `3310`, `331002`)."""

    field_class = RegionCodeField
    default_label = _("地区代码：2、4 或 6 位数字（如 33、3310、331002），含下级地区")
    default_max_length = 6


class DisciplineFilter(CodeFilter):
    """A discipline code (`?discipline=E05`)."""

    field_class = DisciplineCodeField
    default_label = _("学科代码：国家自然科学基金申请代码（如 E05，含下级）或 CSL 一级学科（如 CSL07）")
    default_max_length = 16


class FlagField(forms.NullBooleanField):
    """true/false (also 1/0); anything else is a 400 rather than silently ignored."""

    widget = forms.TextInput
    TRUE, FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")

    def to_python(self, value):
        text = str(value if value is not None else "").strip().lower()
        if text == "":
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(_("应为 true 或 false。"), code="invalid")

    def validate(self, value):
        pass


class FlagFilter(filters.BooleanFilter):
    """A yes/no parameter (`?unread=true`)."""

    field_class = FlagField

    def __init__(self, **kwargs):
        # django-filter's own widget reads an unknown value as "not given"; this one lets FlagField see it.
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """A parameter naming an object by its id (`?team=12`); the selector decides what it means."""

    field_class = IdField


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(filters.Filter):
    """A year (`?year=2026`), 2000–2100."""

    field_class = YearField

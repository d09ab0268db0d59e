"""Form fields shared by the apps' forms (pages and API alike)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ID_MAX = 2**63 - 1


def whole_number(raw, high: int = ID_MAX) -> int | None:
    """raw as a whole number from 0 to high, or None. Only ASCII digits count: str.isdigit() also
    accepts "²", which int() refuses, and int() refuses more than 4,300 digits, so "isdigit() then
    int()" is a 500 waiting for such input."""
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return None
    number = int(text)
    return number if number <= high else None


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses an id outside the database's id range before it queries:
    SQLite raises OverflowError on an integer it cannot hold, where PostgreSQL simply finds nothing.
    The message is Django's own for a choice that is not offered."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: Django's own check reports it
            if not 0 < number <= ID_MAX:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


def picked(field: forms.Field, kind: str, *, many: bool = False) -> forms.Field:
    """Let the page pick this code field's value by name, "industry" or "region": templates/form_fields.html
    and reference/_picker.html put a cascade of selects before it; without JavaScript the code is typed.
    many: the field holds several codes, and each one picked is added to them."""
    field.picker, field.picker_many = kind, many
    return field


class FilterForm(forms.Form):
    """A page's filters for a list (the needs hall, a team's feed, record lists): the fields that parse
    apply, the others keep their error to show beside the field, and an unbound form filters nothing."""

    def filters(self) -> dict:
        """The filters that parsed, empty values left out: keyword arguments for the list's selector."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class BoundedIntField(forms.IntegerField):
    """A whole number from `low` to `high`; one out of range gets the same message as one that is not a
    number (the `invalid` message each subclass words)."""

    low: int | None = None
    high: int | None = None

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", self.low)
        kwargs.setdefault("max_value", self.high)
        super().__init__(**kwargs)
        self.error_messages["min_value"] = self.error_messages["max_value"] = self.error_messages["invalid"]


class IdField(BoundedIntField):
    """An object's id: a positive whole number within the database's id range."""

    default_error_messages = {"invalid": _("请输入有效的编号（正整数）。")}
    low, high = 1, ID_MAX


class YearField(BoundedIntField):
    default_error_messages = {"invalid": _("年度应为 2000–2100 之间的年份（如 2026）。")}
    low, high = 2000, 2100

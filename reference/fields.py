"""Form fields for taxonomy codes typed by a person or sent as a query parameter: the pages' filter forms
and the API's FilterSets use the same ones, so a code is accepted, normalised and refused with the same
words everywhere."""

import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from reference.selectors import discipline_code_valid, industry_code_valid, region_code_valid

# Lists typed by people: commas of either width, 、, semicolons, spaces or new lines.
LIST_SEPARATORS = re.compile(r"[,，、;；\s]+")


def split_list(text: str, pattern=LIST_SEPARATORS) -> list[str]:
    """The items of a typed list, in order, each once."""
    seen = []
    for part in pattern.split(text or ""):
        part = part.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


class TextField(forms.CharField):
    """Free text; a NUL character (which the database can neither store nor compare) is refused with
    the API's own wording rather than Django's."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            *(v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)),
            ProhibitNullCharactersValidator(message=_("参数不能包含空字符。")),
        ]


class _CodeField(forms.CharField):
    message = ""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # The pattern check below refuses a NUL character too, with this field's own message.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def normalise(self, code: str) -> str:
        return code.strip()

    def valid(self, code: str) -> bool:
        raise NotImplementedError

    def clean(self, value):
        code = self.normalise(super().clean(value) or "")
        if code and not self.valid(code):
            raise forms.ValidationError(self.message, code="invalid")
        return code


class IndustryCodeField(_CodeField):
    """A GB/T 4754 code at any level: a 门类 letter (C) or 2–4 digits (35, 3533); upper-cased."""

    message = _("行业代码应为门类字母（如 C）或 2–4 位数字（如 3533）。")

    def normalise(self, code):
        return code.strip().upper()

    def valid(self, code):
        return industry_code_valid(code)


class RegionCodeField(_CodeField):
    """A 统计用区划代码 prefix: 2, 4 or 6 digits (33, 3310, 331002)."""

    message = _("地区代码应为 2、4 或 6 位数字（如 33、3310、331002）。")

    def valid(self, code):
        return region_code_valid(code)


class DisciplineCodeField(_CodeField):
    """A discipline code: an NSFC code at any level (E05, E0501) or a CSL one (CSL07); upper-cased."""

    message = _("学科代码应为字母加数字（如 E05、E0501、CSL07）。")

    def normalise(self, code):
        return code.strip().upper()

    def valid(self, code):
        return discipline_code_valid(code)

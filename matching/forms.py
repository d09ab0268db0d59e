"""Forms for the matching pages. They parse input; the rules live in engagements.services and
matching.saved_searches."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.form_fields import FilterForm, picked
from matching.models import SavedSearch
from reference.choices import ServiceType
from reference.fields import IndustryCodeField, RegionCodeField

ALL_TYPES = [("", _("全部类型")), *ServiceType.choices]


class FeedFilterForm(FilterForm):
    industry = picked(
        IndustryCodeField(
            label=_("所属行业"),
            required=False,
            max_length=8,
            widget=forms.TextInput(attrs={"placeholder": "行业代码，如 C、35、3533"}),
        ),
        "industry",
    )
    region = picked(
        RegionCodeField(
            label=_("所在地区"),
            required=False,
            max_length=6,
            widget=forms.TextInput(attrs={"placeholder": "地区代码，如 33、3310"}),
        ),
        "region",
    )
    service_type = forms.ChoiceField(label=_("需求类型"), required=False, choices=ALL_TYPES)
    min_score = forms.FloatField(
        label=_("最低匹配分"),
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": 0, "max": 1, "placeholder": "0–1"}),
    )
    # Where the team stands among the teams recommended for a need: the page opens on the needs it is
    # among the first few for (FEED_RANK); with few teams on a platform every team is recommended for
    # every need, and a feed of all of them buries the few that fit.
    max_rank = forms.TypedChoiceField(
        label=_("本队推荐名次"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("3", _("前 3 名")), ("5", _("前 5 名")), ("10", _("前 10 名")), ("", _("全部"))],
    )


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("订阅名称"), max_length=50)
    query = forms.CharField(label=_("关键词（空格分隔，须全部出现）"), required=False, max_length=100)
    industry_prefix = picked(
        forms.CharField(
            label=_("所属行业"),
            required=False,
            max_length=8,
            widget=forms.TextInput(attrs={"placeholder": "行业代码，如 C、35、3533"}),
        ),
        "industry",
    )
    region_prefix = picked(
        forms.CharField(
            label=_("所在地区"),
            required=False,
            max_length=6,
            widget=forms.TextInput(attrs={"placeholder": "地区代码，如 33、3310"}),
        ),
        "region",
    )
    service_type = forms.ChoiceField(label=_("需求类型"), required=False, choices=ALL_TYPES)
    min_score = forms.FloatField(
        label=_("最低匹配分（0–1）"),
        required=False,
        min_value=0,
        max_value=1,
        initial=0,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": 0, "max": 1}),
    )
    frequency = forms.ChoiceField(
        label=_("通知频率"), choices=SavedSearch.Frequency.choices, initial=SavedSearch.Frequency.DAILY
    )

    def __init__(self, *args, **kwargs):
        # It sits beside the feed's filters, which have fields of the same names: ids of its own.
        kwargs.setdefault("auto_id", "search_%s")
        super().__init__(*args, **kwargs)


# ------------------------------------------------------------------------------------------- 人岗匹配

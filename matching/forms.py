from django import forms
from django.utils.translation import gettext_lazy as _

from matching.models import SavedSearch
from reference.choices import ServiceType


class InviteForm(forms.Form):
    team = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("邀请说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class InterestForm(forms.Form):
    need = forms.IntegerField(widget=forms.HiddenInput)
    proposal = forms.CharField(label=_("简要方案"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class FeedFilterForm(forms.Form):
    industry = forms.CharField(label=_("行业代码"), required=False, max_length=8)
    region = forms.CharField(label=_("地区代码"), required=False, max_length=6)
    service_type = forms.ChoiceField(
        label=_("需求类型"), required=False, choices=[("", _("全部类型"))] + list(ServiceType.choices)
    )
    min_score = forms.FloatField(label=_("最低匹配分"), required=False, min_value=0, max_value=1)


class ScopeForm(forms.Form):
    scope = forms.CharField(
        label=_("对接内容与范围"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200)


class CompleteForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("评分"), choices=[(i, f"{i} 分") for i in range(5, 0, -1)], coerce=int
    )
    comment = forms.CharField(
        label=_("评价"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("订阅名称"), max_length=50)
    query = forms.CharField(label=_("关键词（空格分隔）"), required=False, max_length=100)
    industry_prefix = forms.CharField(label=_("行业代码"), required=False, max_length=8)
    region_prefix = forms.CharField(label=_("地区代码"), required=False, max_length=6)
    service_type = forms.ChoiceField(
        label=_("需求类型"), required=False, choices=[("", _("全部类型"))] + list(ServiceType.choices)
    )
    min_score = forms.FloatField(
        label=_("最低匹配分（0-1）"), required=False, min_value=0, max_value=1, initial=0
    )
    frequency = forms.ChoiceField(label=_("通知频率"), choices=SavedSearch.Frequency.choices, initial="daily")

from django import forms
from django.utils.translation import gettext_lazy as _

from demand.models import Need, ServiceType
from demand.services import DESCRIPTION_MAX, TITLE_MAX


class NeedForm(forms.Form):
    """Collects a need; every rule is checked by demand.services.clean_need_fields."""

    title = forms.CharField(label=_("需求标题"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("需求描述"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("用自己的话描述遇到的问题：现象、数据、已尝试的办法、希望达到的效果"),
    )
    industry = forms.CharField(
        label=_("所属行业代码"), max_length=8, help_text=_("GB/T 4754-2017 代码，如 3533")
    )
    region = forms.CharField(
        label=_("所在地区代码"), max_length=6, required=False, help_text=_("6 位区划代码；不填则为企业所在地")
    )
    service_types = forms.MultipleChoiceField(
        label=_("需求类型"), choices=ServiceType.choices, widget=forms.CheckboxSelectMultiple
    )
    budget_min = forms.DecimalField(
        label=_("预算下限（万元）"), required=False, decimal_places=2, max_digits=10
    )
    budget_max = forms.DecimalField(
        label=_("预算上限（万元）"), required=False, decimal_places=2, max_digits=10
    )
    expected_start = forms.DateField(
        label=_("期望开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    duration_months = forms.IntegerField(label=_("预计周期（月）"), required=False)
    show_enterprise = forms.BooleanField(label=_("公开企业名称"), required=False, initial=True)

    # Fixed once a need is published: teams responded to what it was (demand.services refuses changes).
    FIXED = ("title", "industry", "region", "service_types")

    def __init__(self, *args, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed
        if fixed:
            for name in self.FIXED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("需求发布后不可修改")

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("region"):
            data.pop("region", None)
        if self.fixed:
            for name in self.FIXED:
                data.pop(name, None)
        return data

    @staticmethod
    def initial_for(need: Need) -> dict:
        return {
            "title": need.title,
            "description": need.description,
            "industry": need.industry.code,
            "region": need.region.code,
            "service_types": need.service_types,
            "budget_min": need.budget_min,
            "budget_max": need.budget_max,
            "expected_start": need.expected_start,
            "duration_months": need.duration_months,
            "show_enterprise": need.show_enterprise,
        }


class HallFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    industry = forms.CharField(label=_("行业代码"), required=False, max_length=8)
    region = forms.CharField(label=_("地区代码"), required=False, max_length=6)
    service_type = forms.ChoiceField(
        label=_("需求类型"), required=False, choices=[("", _("全部类型"))] + list(ServiceType.choices)
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("", _("全部状态")),
            ("published", _("已发布")),
            ("engaged", _("对接中")),
            ("resolved", _("已解决")),
        ],
    )
    date_from = forms.DateField(
        label=_("发布起"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("发布止"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}))


class ModerateForm(forms.Form):
    approve = forms.TypedChoiceField(choices=[("1", _("发布")), ("0", _("退回"))], coerce=lambda v: v == "1")
    comment = forms.CharField(label=_("意见"), required=False, max_length=500)

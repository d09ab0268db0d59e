"""Forms for the need pages. They parse input; the rules live in demand.services (clean_need_fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.form_fields import FilterForm
from demand.models import Need, ServiceType
from demand.selectors import HALL_STATUSES
from demand.services import DESCRIPTION_MAX, TITLE_MAX
from reference.fields import IndustryCodeField, RegionCodeField

DATE = {"type": "date"}


class NeedForm(forms.Form):
    """Collects a need; every rule is checked by demand.services.clean_need_fields."""

    title = forms.CharField(
        label=_("需求标题"),
        max_length=TITLE_MAX,
        widget=forms.TextInput(attrs={"placeholder": _("一句话说清要解决的问题，如“高速平缝机机头振动大”")}),
    )
    description = forms.CharField(
        label=_("需求描述"),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("用自己的话描述遇到的问题：现象、数据、已尝试的办法、希望达到的效果（10–5000 字）"),
    )
    industry = forms.CharField(
        label=_("所属行业"),
        max_length=8,
        help_text=_("国民经济行业分类（GB/T 4754-2017）代码，可用上方选择框逐级选择，如 3553 缝制机械制造"),
    )
    region = forms.CharField(
        label=_("所在地区"),
        max_length=6,
        required=False,
        help_text=_("默认为企业所在地；可逐级选择省、市、区县"),
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
        label=_("期望开始日期"), required=False, widget=forms.DateInput(attrs=DATE)
    )
    duration_months = forms.IntegerField(
        label=_("预计周期（月）"), required=False, widget=forms.NumberInput(attrs={"min": 1, "max": 120})
    )
    show_enterprise = forms.BooleanField(
        label=_("在需求大厅公开企业名称"),
        required=False,
        initial=True,
        help_text=_("不勾选时，大厅和需求页显示为“某企业（企业要求不公开名称）”，对接达成后对方才能看到"),
    )

    # Fixed once a need is published: teams responded to what it was (demand.services refuses changes).
    FIXED = ("title", "industry", "region", "service_types")

    def __init__(self, *args, fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fixed = fixed
        if fixed:
            for name in self.FIXED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("需求发布后不可修改；如需变更请关闭后重新发布")

    def service_arguments(self) -> dict:
        """What demand.services takes: the region left out when blank (the enterprise's is used)."""
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

    @staticmethod
    def initial_for_enterprise(enterprise) -> dict:
        return {
            "industry": enterprise.industry.code,
            "region": enterprise.region.code,
            "show_enterprise": True,
        }


class HallFilterForm(FilterForm):
    """The hall's search and filters. Fields that do not parse are reported and left out; the rest apply."""

    q = forms.CharField(
        label=_("关键词"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("如：平缝机 振动")}),
    )
    industry = IndustryCodeField(
        label=_("行业代码"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"placeholder": _("如 C、35、3533")}),
    )
    region = RegionCodeField(label=_("地区代码"), required=False, max_length=6)
    service_type = forms.ChoiceField(
        label=_("需求类型"), required=False, choices=[("", _("全部类型")), *ServiceType.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *((s.value, s.label) for s in HALL_STATUSES)],
    )
    date_from = forms.DateField(label=_("发布日期起"), required=False, widget=forms.DateInput(attrs=DATE))
    date_to = forms.DateField(label=_("发布日期止"), required=False, widget=forms.DateInput(attrs=DATE))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data


class ModerationFilterForm(HallFilterForm):
    """The hall's search and filters on the moderation queue: every need there is 待审核 and none is
    published yet, so the state and the publication dates do not apply."""

    status = None
    date_from = None
    date_to = None


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("关闭原因"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：问题已自行解决、项目取消")}),
    )


class ModerateForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审核结论"), choices=[("1", _("发布")), ("0", _("退回"))], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("退回时必填：请说明需要企业修改的地方")}),
    )

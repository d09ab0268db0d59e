"""Forms for the matching pages. They parse input; the rules live in matching.engagements and
matching.saved_searches."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.form_fields import FilterForm, picked
from accounts.models import Enterprise
from matching.models import SavedSearch
from reference.choices import ServiceType
from reference.fields import IndustryCodeField, RegionCodeField
from reference.models import Discipline
from teams.models import Member, Opening

ALL_TYPES = [("", _("全部类型")), *ServiceType.choices]


class InviteForm(forms.Form):
    team = forms.IntegerField(widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("邀请说明（可选）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("如：希望三个月内完成方案评估，可先到厂调研")}
        ),
    )


class InterestForm(forms.Form):
    """揭榜 for one of the teams the user runs (captain or deputy)."""

    team = forms.ModelChoiceField(label=_("代表小分队"), queryset=None, empty_label=None)
    proposal = forms.CharField(
        label=_("简要方案"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("拟采用的技术路线、参与人员与周期")}),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].widget = forms.HiddenInput()
            self.fields["team"].initial = teams[0].pk


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


class ScopeForm(forms.Form):
    scope = forms.CharField(
        label=_("对接内容与范围"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("双方商定的服务内容、目标与周期")}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("谢绝原因"), max_length=200)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class CompleteForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("服务评分"),
        coerce=int,
        initial=5,
        choices=[
            (5, _("5 分 · 非常满意")),
            (4, _("4 分 · 满意")),
            (3, _("3 分 · 一般")),
            (2, _("2 分 · 不满意")),
            (1, _("1 分 · 很不满意")),
        ],
    )
    comment = forms.CharField(
        label=_("评价（可选）"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
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


class AssignForm(forms.Form):
    """指派: pick one of the candidate teams, a deadline to respond and an optional note."""

    team = forms.ModelChoiceField(
        label=_("指派给"),
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("请选择要指派的小分队。"),
            "invalid_choice": _("请选择列表中的小分队。"),
        },
    )
    deadline = forms.DateTimeField(
        label=_("响应期限"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "required": _("请填写响应期限。"),
            "invalid": _("响应期限格式应为“年-月-日 时:分”。"),
        },
    )
    message = forms.CharField(
        label=_("指派说明（可选）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("如：企业急需，请先电话联系并三日内到厂调研")}
        ),
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class AssignmentAcceptForm(ScopeForm):
    pass


class AssignmentDeclineForm(DeclineForm):
    pass


class AssignmentWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)


# ------------------------------------------------------------------------------------------- 人岗匹配


class StudentProfileForm(forms.Form):
    level = forms.ChoiceField(label=_("学生层次"), choices=[("", "—"), *Member.StudentLevel.choices])
    major = forms.CharField(label=_("专业"), max_length=50)
    discipline = forms.ModelChoiceField(
        label=_("所属学科（一级学科）"),
        queryset=Discipline.objects.filter(scheme=Discipline.Scheme.CSL).order_by("name"),
        required=False,
        empty_label=_("（不填写）"),
    )
    year = forms.IntegerField(label=_("入学年份"), min_value=1900, max_value=2100)
    skills = forms.CharField(
        label=_("技能（用逗号或顿号分隔）"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("如：MATLAB、振动测试、Python")}),
    )
    interests = forms.CharField(
        label=_("兴趣与方向"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    hours_per_week = forms.IntegerField(label=_("每周可投入（小时）"), min_value=1, max_value=40)
    available_note = forms.CharField(
        label=_("可参与时间说明"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("如：暑假全职，学期中每周二、四下午")}),
    )
    open_to_offers = forms.BooleanField(label=_("允许小分队在人岗匹配中看到并推荐我"), required=False)


class OpeningForm(forms.Form):
    team = forms.ModelChoiceField(label=_("小分队"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("岗位类型"), choices=Opening.Kind.choices)
    title = forms.CharField(label=_("岗位名称"), max_length=100)
    description = forms.CharField(
        label=_("岗位说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    skills = forms.CharField(label=_("所需技能（用逗号或顿号分隔）"), required=False, max_length=500)
    enterprise = forms.ModelChoiceField(
        label=_("实习企业（企业实习必填）"), queryset=None, required=False, empty_label=_("（无）")
    )
    slots = forms.IntegerField(label=_("名额"), min_value=1, max_value=50, initial=1)
    hours_per_week = forms.IntegerField(label=_("每周投入（小时）"), min_value=1, max_value=40, initial=8)
    deadline = forms.DateField(label=_("报名截止"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["enterprise"].queryset = (
            Enterprise.objects.filter(serving_teams__in=teams).distinct().order_by("name")
        )


class ApplyForm(forms.Form):
    statement = forms.CharField(
        label=_("申请说明（可选）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("相关经历、可参与时间等")}),
    )


class ApplicationDeclineForm(forms.Form):
    reason = forms.CharField(label=_("未录用原因"), max_length=200)

"""Forms for 人岗匹配's pages. They parse input; the rules live in talent.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Enterprise
from reference.models import Discipline
from talent.models import Opening
from teams.models import Member


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

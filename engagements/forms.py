"""Forms for the engagement and assignment pages. They parse input; the rules live in
engagements.services and engagements.assignments."""

from django import forms
from django.utils.translation import gettext_lazy as _


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

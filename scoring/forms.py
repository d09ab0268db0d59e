from django import forms
from django.utils.translation import gettext_lazy as _

from scoring.models import Assessment


class AssessmentOpenForm(forms.Form):
    year = forms.IntegerField(label=_("考核年度"), min_value=2000, max_value=2100)
    spot_share = forms.DecimalField(
        label=_("抽查比例（0-1，本校设置）"), min_value=0, max_value=1, decimal_places=3, initial="0.2"
    )
    grade_mode = forms.ChoiceField(label=_("定档方式（本校设置）"), choices=Assessment.GradeMode.choices)
    # Bounded as the model stores them (max_digits=8): a larger number is a message, not a database error.
    excellent_threshold = forms.DecimalField(
        label=_("优秀分数线（本校设置）"),
        min_value=0,
        max_value=100000,
        max_digits=8,
        decimal_places=2,
        initial="60",
    )
    pass_threshold = forms.DecimalField(
        label=_("合格分数线（本校设置）"),
        min_value=0,
        max_value=100000,
        max_digits=8,
        decimal_places=2,
        initial="20",
    )
    excellent_quota = forms.DecimalField(
        label=_("优秀比例上限（0-1，本校设置）"), min_value=0, max_value=1, decimal_places=3, initial="0.15"
    )
    notice_days = forms.IntegerField(label=_("公示天数（本校设置）"), min_value=1, max_value=30, initial=5)
    rectification_days = forms.IntegerField(
        label=_("不合格整改期限（天，本校设置）"), min_value=7, max_value=365, initial=90, required=False
    )
    new_team_days = forms.IntegerField(
        label=_("新组建小分队当年不参评：成立不足天数（本校设置）"),
        min_value=0,
        max_value=365,
        initial=90,
        required=False,
        help_text=_(
            "年底前不足该天数才开始运行的小分队，本年度不参评（列为新组建），下一年度起参评；0 表示只排除年底后才成立的。"
        ),
    )
    late_approvals = forms.ChoiceField(
        label=_("抽查名单确定后审核通过的记录（本校设置）"),
        choices=Assessment.LateApprovals.choices,
        initial=Assessment.LateApprovals.NEXT_YEAR,
        required=False,
        help_text=_("抽查时本年度记录名单即确定，此后审核通过的记录不计入本年度：计入下一年度，或不再受理。"),
    )

    def clean(self):
        data = super().clean()
        data["late_approvals"] = data.get("late_approvals") or Assessment.LateApprovals.NEXT_YEAR
        if data.get("rectification_days") is None:
            data["rectification_days"] = 90
        if data.get("new_team_days") is None:
            data["new_team_days"] = 90
        if data.get("excellent_threshold") is not None and data.get("pass_threshold") is not None:
            if data["excellent_threshold"] < data["pass_threshold"]:
                self.add_error("excellent_threshold", _("优秀分数线不能低于合格分数线。"))
        return data


class SpotDecisionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("结论"), choices=[("1", _("通过")), ("0", _("不通过"))], coerce=lambda v: v == "1"
    )
    reason = forms.CharField(label=_("不通过原因"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ObjectionForm(forms.Form):
    author = forms.CharField(label=_("署名"), max_length=50)
    contact = forms.CharField(label=_("联系方式"), max_length=100)
    team = forms.IntegerField(label=_("涉及小分队"), required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("异议内容"), max_length=3000, widget=forms.Textarea(attrs={"rows": 5}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class RuleItemForm(forms.Form):
    points = forms.DecimalField(label=_("分值"), min_value=0, max_value=1000, decimal_places=2)
    cap = forms.DecimalField(label=_("上限"), min_value=0, max_value=1000, decimal_places=2, required=False)


class CaseForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=100)
    text = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))


class CorrectionForm(forms.Form):
    """更正 after publication: the reason and the records taken out of, or put into, the year's set, by
    number (the number on each record's page), separated by commas or spaces."""

    reason = forms.CharField(label=_("更正理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    remove = forms.CharField(label=_("移出的服务记录编号"), required=False, max_length=2000)
    add = forms.CharField(label=_("补入的服务记录编号"), required=False, max_length=2000)

    def _numbers(self, name):
        text = self.cleaned_data.get(name, "")
        parts = [
            p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p.strip()
        ]
        return [p.strip() for p in parts]

    def clean_remove(self):
        return self._numbers("remove")

    def clean_add(self):
        return self._numbers("add")


class SharedChoiceForm(forms.Form):
    """Which team keeps a visit or training recorded by two teams that share members."""

    kept_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    left_out_id = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("理由"), max_length=500)


class SpotBatchForm(forms.Form):
    """One conclusion for the drawn records ticked on the assessment page."""

    ids = forms.MultipleChoiceField(
        choices=(), required=True, error_messages={"required": _("请勾选抽查记录。")}
    )
    upheld = forms.TypedChoiceField(
        choices=[("1", _("通过")), ("0", _("不通过"))], coerce=lambda v: v == "1", empty_value=None
    )
    reason = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(str(c), str(c)) for c in choices]

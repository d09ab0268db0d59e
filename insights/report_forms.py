from django import forms

from insights.models import ReportExport
from insights.reports import FORMATS


class ReportExportForm(forms.Form):
    """Only shapes the input; the rules (period, region, formats) live in reports._validate."""

    kind = forms.ChoiceField(label="导出类型", choices=ReportExport.Kind.choices)
    period_from = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    region_code = forms.CharField(
        label="地区代码",
        required=False,
        max_length=12,
        help_text="统计用区划代码，如 33（浙江省）、3310（台州市）；留空为全国。",
    )
    formats = forms.MultipleChoiceField(
        label="格式",
        choices=list(FORMATS.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=list(FORMATS),
        error_messages={"required": "请至少选择一种格式。"},
    )

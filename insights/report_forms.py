from django import forms

from core.form_fields import picked
from insights.models import ReportExport
from insights.reports import FORMATS


class ReportExportForm(forms.Form):
    """Only shapes the input; the rules (period, region, formats) live in reports._validate."""

    kind = forms.ChoiceField(label="导出类型", choices=ReportExport.Kind.choices)
    period_from = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    # Picked by name (省 → 市 → 区县) like every other region field; without JavaScript the code is typed.
    region_code = picked(
        forms.CharField(
            label="地区",
            required=False,
            max_length=12,
            help_text="逐级选到省、市或区县，如 浙江省 › 台州市；留空为全国。",
        ),
        "region",
    )
    formats = forms.MultipleChoiceField(
        label="格式",
        choices=list(FORMATS.items()),
        widget=forms.CheckboxSelectMultiple,
        initial=list(FORMATS),
        error_messages={"required": "请至少选择一种格式。"},
    )

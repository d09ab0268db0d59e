"""The industry codes that forms give as examples name the industry they say (3553 is 缝制机械制造;
the forms said 3533, which is 烟草生产专用设备制造)."""

import re

import pytest

from accounts.forms import EnterpriseRegistrationForm
from demand.forms import NeedForm
from reference.selectors import industry_get

pytestmark = pytest.mark.django_db
EXAMPLE = re.compile(r"(\d{2,4})\s*[（(]?([\u4e00-\u9fff、，]+)")


@pytest.mark.parametrize(
    ("form", "field"), [(NeedForm, "industry"), (EnterpriseRegistrationForm, "industry_code")]
)
def test_an_example_code_names_its_industry(reference_data, form, field):
    help_text = str(form.base_fields[field].help_text)
    examples = EXAMPLE.findall(help_text.split("如", 1)[1])
    assert examples, help_text
    for code, name in examples:
        assert industry_get(code).name == name, f"{code} in {help_text!r}"

"""The platform speaks Chinese whatever the browser asks for, and renders dates as date inputs take them."""

from datetime import date, datetime

import pytest
from django import forms
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("accept", ["en-US,en;q=0.9", "en", "fr-FR", "zh-TW"])
def test_a_browser_asking_for_another_language_gets_chinese(client, accept):
    page = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert "用户名" in page and "Username" not in page
    refused = client.post(
        reverse("accounts:login"), {"username": "nobody", "password": "x"}, HTTP_ACCEPT_LANGUAGE=accept
    ).content.decode()
    assert "密码" in refused and "Please enter" not in refused


def test_date_and_datetime_inputs_render_iso_and_accept_the_chinese_forms():
    class Form(forms.Form):
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        at = forms.DateTimeField(required=False)

    html = str(Form(initial={"day": date(2026, 12, 1)})["day"])
    assert 'value="2026-12-01"' in html
    for typed in ("2026-12-01", "2026/12/01", "2026年12月1日"):
        form = Form({"day": typed})
        assert form.is_valid() and form.cleaned_data["day"] == date(2026, 12, 1), typed
    form = Form({"day": "2026-12-01", "at": "2026-12-01T09:30"})
    assert form.is_valid() and form.cleaned_data["at"].replace(tzinfo=None) == datetime(2026, 12, 1, 9, 30)
    assert not Form({"day": "12/01/2026"}).is_valid()

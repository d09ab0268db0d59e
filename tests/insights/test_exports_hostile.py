"""The dashboard's xlsx/csv exports read back with formula-like names neutralised (the shared
core.exports writer), whatever text reaches a cell."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from reference.models import Industry, Region
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_client(client, dashboard_world):
    region = Region.objects.get(code="3310")
    client.force_login(UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory(region=region)))
    return client


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"])
def test_the_gap_export_neutralises_a_formula_like_industry_name(city_client, payload):
    url = reverse("dashboard:export", args=["gap", "xlsx"])
    first = load_workbook(io.BytesIO(city_client.get(url).content)).active
    code = next(row[2] for row in first.iter_rows(min_row=2, values_only=True) if row[2])
    Industry.objects.filter(code=code).update(name=payload)

    sheet = load_workbook(io.BytesIO(city_client.get(url).content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = {row[3] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2] == code}
    assert names == {"'" + payload}

    text = city_client.get(reverse("dashboard:export", args=["gap", "csv"])).content.decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text))][1:]
    assert {r[3] for r in rows if r[2] == code} == {"'" + payload}

import pytest
from django.urls import reverse

from reference.models import Discipline, Industry, Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Industry, Region, Discipline])
def test_reference_admin_is_read_only(reference_data, admin_client, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    assert admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    obj = model.objects.order_by("pk").first()
    change = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    delete = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]))
    assert delete.status_code == 403


def test_admin_searches_by_code_and_name(reference_data, admin_client):
    url = reverse("admin:reference_region_changelist")
    by_name = admin_client.get(url, {"q": "椒江"})
    assert by_name.context["cl"].result_count == 1
    by_code = admin_client.get(url, {"q": "331002"})
    assert [r.name for r in by_code.context["cl"].result_list] == ["椒江区"]
    by_level = admin_client.get(reverse("admin:reference_industry_changelist"), {"level__exact": "0"})
    assert by_level.context["cl"].result_count == 20


def test_admin_autocomplete_serves_other_apps(reference_data, admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "accounts", "model_name": "enterprise", "field_name": "industry", "term": "3511"},
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["3511 矿山机械制造"]

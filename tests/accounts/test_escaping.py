"""Hostile text typed at registration: stored exactly as typed, shown escaped on the enterprise's page
and in the administrator's review list."""

import pytest
from django.urls import reverse

from accounts.models import Enterprise, Role, User
from accounts.services import enterprise_approve
from tests.accounts.test_registration import form_data  # noqa: F401 - the fixture, used by name
from tests.factories import UserFactory
from tests.hostile_text import SCRIPT, SQL, assert_escaped

pytestmark = pytest.mark.django_db


def test_registration_texts_round_trip_and_are_escaped(client, form_data):  # noqa: F811
    name = SCRIPT + "有限公司"
    response = client.post(
        reverse("accounts:register"), {**form_data, "enterprise_name": name, "real_name": SQL}
    )
    assert response.status_code == 302
    enterprise = Enterprise.objects.get(credit_code=form_data["credit_code"])
    user = User.objects.get(username=form_data["username"])
    assert enterprise.name == name and user.real_name == SQL

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    html = client.get(reverse("admin:accounts_enterprise_changelist")).content.decode()
    assert_escaped(html, name)

    enterprise_approve(enterprise=enterprise, by=UserFactory(role=Role.PLATFORM_ADMIN))
    client.force_login(user)
    for url in (reverse("accounts:enterprise_detail", args=[enterprise.pk]), reverse("accounts:workspace")):
        html = client.get(url).content.decode()
        assert_escaped(html, name)

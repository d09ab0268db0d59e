"""Tokens: issued for a username and password to active users only; revoked on request."""

import pytest
from rest_framework.authtoken.models import Token

from accounts.models import Role
from accounts.services import enterprise_approve, enterprise_register
from tests.api.conftest import assert_error
from tests.factories import (
    EnterpriseUserFactory,
    IndustryFactory,
    RegionFactory,
    UserFactory,
    valid_credit_code,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token/"


def test_it_issues_a_token_that_signs_in(api):
    user = EnterpriseUserFactory(username="qiye")
    response = api().post(URL, {"username": "qiye", "password": "pass12345"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "qiye" and body["user"]["role"] == Role.ENTERPRISE
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["id"] == user.pk


def test_it_refuses_a_wrong_password_without_saying_which_part_was_wrong(api):
    EnterpriseUserFactory(username="qiye")
    wrong = api().post(URL, {"username": "qiye", "password": "nope"}, format="json")
    unknown = api().post(URL, {"username": "nobody", "password": "nope"}, format="json")
    assert assert_error(wrong, 401, "authentication_failed") == assert_error(unknown, 401)
    assert not Token.objects.exists()


def test_it_refuses_an_enterprise_waiting_for_approval_until_approved(api):
    IndustryFactory(), RegionFactory()
    user = enterprise_register(
        username="daishen", password="Pass-12345!", real_name="张三", phone="13800000000",
        email="a@example.com", enterprise_name="待审核公司", credit_code=valid_credit_code(77),
        industry_code="3553", region_code="331002",
    )  # fmt: skip
    data = {"username": "daishen", "password": "Pass-12345!"}
    assert_error(api().post(URL, data, format="json"), 401, "authentication_failed")
    enterprise_approve(enterprise=user.enterprise, by=UserFactory(role=Role.PLATFORM_ADMIN))
    assert api().post(URL, data, format="json").status_code == 200


def test_a_token_stops_working_when_the_user_is_deactivated(api):
    user = EnterpriseUserFactory()
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save()
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert_error(client.get("/api/v1/me/"), 401, "authentication_failed")


def test_delete_revokes_the_token(api):
    user = EnterpriseUserFactory()
    token = Token.objects.create(user=user)
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.delete(URL).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert_error(client.get("/api/v1/me/"), 401)


def test_it_rejects_missing_fields_with_their_names(api):
    assert_error(api().post(URL, {}, format="json"), 400, "validation_error", fields=["username", "password"])


def test_repeated_failures_lock_the_name_as_on_the_sign_in_page(api):
    EnterpriseUserFactory(username="qiye")
    client = api()
    for _ in range(5):
        assert_error(client.post(URL, {"username": "qiye", "password": "y"}, format="json"), 401)
    # locked: even the right password waits, in the error shape, with the page's message
    response = client.post(URL, {"username": "qiye", "password": "pass12345"}, format="json")
    error = assert_error(response, 429, "throttled")
    assert "锁定" in error["message"]
    assert int(response["Retry-After"]) > 0

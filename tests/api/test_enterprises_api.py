"""Enterprises' own profiles through the API, as on the enterprise page: an enterprise's users see their
own, platform administrators every one (pending registrations first of all); anyone else gets a 404
and finds nothing in the list."""

import pytest

from accounts.models import Role
from tests.api.conftest import assert_error
from tests.factories import EnterpriseFactory, EnterpriseUserFactory, TeamMemberUserFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/enterprises/"


@pytest.fixture
def owner():
    return EnterpriseUserFactory(enterprise__name="保密企业甲有限公司")


def test_an_enterprise_user_sees_only_their_own(api, owner):
    EnterpriseFactory(name="另一家企业有限公司")
    listed = api(owner).get(URL).json()
    assert [e["id"] for e in listed["results"]] == [owner.enterprise_id]
    body = api(owner).get(f"{URL}{owner.enterprise_id}/").json()
    assert (body["name"], body["credit_code"]) == ("保密企业甲有限公司", owner.enterprise.credit_code)
    assert body["industry"]["code"] and body["region"]["code"]


def test_a_platform_administrator_lists_pending_registrations(api, owner):
    pending = EnterpriseFactory(name="待审核企业有限公司", status="pending")
    approved = EnterpriseFactory(name="已通过企业有限公司", status="approved")
    admin = UserFactory(role=Role.PLATFORM_ADMIN)
    listed = [e["id"] for e in api(admin).get(URL, {"status": "pending"}).json()["results"]]
    assert pending.pk in listed and approved.pk not in listed
    assert api(admin).get(f"{URL}{owner.enterprise_id}/").status_code == 200
    assert_error(api(admin).get(URL, {"status": "sleeping"}), 400, "validation_error", ["status"])


@pytest.mark.parametrize("who", ["anonymous", "other_enterprise", "teacher"])
def test_others_get_a_404_and_an_empty_list(api, owner, who):
    user = {
        "anonymous": None,
        "other_enterprise": EnterpriseUserFactory(),
        "teacher": TeamMemberUserFactory(),
    }[who]
    response = api(user).get(f"{URL}{owner.enterprise_id}/")
    assert "保密企业甲" not in str(assert_error(response, 401 if user is None else 404))
    if user is not None:
        listed = api(user).get(URL).json()
        assert owner.enterprise_id not in [e["id"] for e in listed["results"]]


def test_a_platform_administrator_approves_and_rejects_registrations(api):
    pending = EnterpriseUserFactory(enterprise__status="pending", is_active=False)
    admin = api(UserFactory(role=Role.PLATFORM_ADMIN))
    response = admin.post(f"{URL}{pending.enterprise_id}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    pending.refresh_from_db()
    assert pending.is_active and pending.enterprise.status == "approved"
    assert admin.post(f"{URL}{pending.enterprise_id}/reject/").json()["status"] == "rejected"
    pending.refresh_from_db()
    assert not pending.is_active


def test_an_enterprise_cannot_approve_itself_and_others_learn_nothing(api):
    pending = EnterpriseUserFactory(enterprise__status="pending", enterprise__name="保密待审企业有限公司")
    assert_error(api(pending).post(f"{URL}{pending.enterprise_id}/approve/"), 403, "permission_denied")
    for user, status in ((None, 401), (EnterpriseUserFactory(), 404), (TeamMemberUserFactory(), 404)):
        response = api(user).post(f"{URL}{pending.enterprise_id}/approve/")
        assert "保密待审" not in str(assert_error(response, status))
    pending.enterprise.refresh_from_db()
    assert pending.enterprise.status == "pending"

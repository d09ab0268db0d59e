import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import EnterpriseFactory, EnterpriseUserFactory, TeamMemberUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("accounts:workspace"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_a_user_sees_their_role_and_organisation(client):
    user = EnterpriseUserFactory(enterprise__name="台州市银河泵业有限公司")
    client.force_login(user)
    page = client.get(reverse("accounts:workspace")).content.decode()
    assert "企业用户" in page
    assert "台州市银河泵业有限公司" in page


def test_a_team_member_sees_their_college(client):
    user = TeamMemberUserFactory(college__name="智能制造学院")
    client.force_login(user)
    page = client.get(reverse("accounts:workspace")).content.decode()
    assert "小分队成员" in page and "智能制造学院" in page


class TestEnterprisePage:
    """Owner, another member of the same enterprise, an outsider, anonymous."""

    @pytest.fixture
    def enterprise(self):
        return EnterpriseFactory(name="玉环市精工汽配有限公司")

    def test_owner_sees_it(self, client, enterprise):
        client.force_login(EnterpriseUserFactory(enterprise=enterprise))
        response = client.get(reverse("accounts:enterprise_detail", args=[enterprise.pk]))
        assert response.status_code == 200
        assert enterprise.credit_code in response.content.decode()

    def test_a_member_of_the_same_enterprise_sees_it(self, client, enterprise):
        EnterpriseUserFactory(enterprise=enterprise)
        client.force_login(EnterpriseUserFactory(enterprise=enterprise))
        assert client.get(reverse("accounts:enterprise_detail", args=[enterprise.pk])).status_code == 200

    def test_an_outsider_gets_404_and_no_leak(self, client, enterprise):
        client.force_login(EnterpriseUserFactory())
        response = client.get(reverse("accounts:enterprise_detail", args=[enterprise.pk]))
        assert response.status_code == 404
        assert enterprise.name not in response.content.decode()

    def test_a_team_member_is_an_outsider_too(self, client, enterprise):
        client.force_login(TeamMemberUserFactory())
        assert client.get(reverse("accounts:enterprise_detail", args=[enterprise.pk])).status_code == 404

    def test_platform_admin_sees_it(self, client, enterprise):
        client.force_login(UserFactory(role=Role.PLATFORM_ADMIN))
        assert client.get(reverse("accounts:enterprise_detail", args=[enterprise.pk])).status_code == 200

    def test_anonymous_is_sent_to_login(self, client, enterprise):
        response = client.get(reverse("accounts:enterprise_detail", args=[enterprise.pk]))
        assert response.status_code == 302


@pytest.mark.django_db
def test_the_browser_favicon_request_finds_the_site_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.svg")
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "img/favicon.svg" in page


def test_a_member_s_teams_link_to_their_pages_whatever_their_state(client):
    from tests.teams.test_views import build_world

    world = build_world()  # the member's team is still a draft
    client.force_login(world.member)
    page = client.get(reverse("accounts:workspace")).content.decode()
    link = reverse("teams:detail", args=[world.team.pk])
    assert f'href="{link}"' in page
    assert client.get(link).status_code == 200


@pytest.mark.parametrize(
    ("status", "shown"), [("pending", "企业注册待审核"), ("rejected", "企业注册未通过"), ("approved", None)]
)
def test_an_enterprise_not_yet_approved_is_told_on_its_workspace(client, status, shown):
    client.force_login(EnterpriseUserFactory(enterprise__status=status))
    page = client.get(reverse("accounts:workspace")).content.decode()
    if shown:
        assert shown in page and "通过平台审核后才能发布需求" in page
    else:
        assert 'data-testid="enterprise-status"' not in page

"""Claimable memberships: a member entered without an account gets a one-time invitation from the
captain (or the college); a teacher or student of the same university claims it; the college may also
link an account of the college directly. Pages, API, notifications and every refusal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from teams.claims import member_account_link, member_claim_issue, member_claim_redeem, token_hash
from teams.errors import TeamsError
from teams.models import MemberClaim, MemberRole
from tests.api.conftest import assert_error
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseUserFactory,
    TeamMemberUserFactory,
    build_valid_team,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    team = build_valid_team(status="active")
    captain = team.members.get(role=MemberRole.CAPTAIN).user
    member = team.members.get(name="李一")  # entered by hand: no account
    teacher = TeamMemberUserFactory(college=team.college, real_name="李一")
    # Same university, another college: may claim by invitation, is not offered to the college's link.
    sister = TeamMemberUserFactory(college=CollegeFactory(university=team.college.university))
    return team, captain, member, teacher, sister


def test_the_captain_issues_and_the_person_claims(world):
    team, captain, member, teacher, _sister = world
    claim, token = member_claim_issue(member=member, by=captain)
    # Only the hash is kept: the code itself is nowhere in the database.
    assert claim.token_hash == token_hash(token) and token not in claim.token_hash
    assert not MemberClaim.objects.filter(token_hash=token).exists()
    assert claim.expires_at > timezone.now() + timedelta(days=13)
    claimed = member_claim_redeem(token=token, by=teacher)
    assert claimed.pk == member.pk and claimed.user == teacher
    claim.refresh_from_db()
    assert claim.used_by == teacher and claim.used_at is not None
    # The captain hears of it.
    assert Notification.objects.filter(user=captain, title__contains="已关联平台账号").exists()
    # The code works once.
    with pytest.raises(TeamsError) as exc:
        member_claim_redeem(token=token, by=TeamMemberUserFactory(college=team.college))
    assert "已被使用" in exc.value.message


def test_a_colleague_of_another_college_of_the_university_may_claim(world):
    _team, captain, member, _teacher, sister = world
    _claim, token = member_claim_issue(member=member, by=captain)
    assert member_claim_redeem(token=token, by=sister).user == sister


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("other_university", "只有本校教师或学生账号可以认领"),
        ("enterprise", "只有本校教师或学生账号可以认领"),
        ("already_member", "您已是该小分队的成员"),
        ("college_admin", "只有本校教师或学生账号可以认领"),
    ],
)
def test_it_refuses_a_claim_by_someone_it_is_not_for(world, who, message):
    team, captain, member, _teacher, _sister = world
    _claim, token = member_claim_issue(member=member, by=captain)
    user = {
        "other_university": lambda: TeamMemberUserFactory(),
        "enterprise": lambda: EnterpriseUserFactory(),
        "already_member": lambda: captain,
        "college_admin": lambda: CollegeAdminFactory(college=team.college),
    }[who]()
    with pytest.raises(TeamsError) as exc:
        member_claim_redeem(token=token, by=user)
    assert message in exc.value.message
    member.refresh_from_db()
    assert member.user is None
    assert MemberClaim.objects.get().used_at is None


def test_an_expired_a_replaced_and_an_unknown_code_are_refused(world):
    _team, captain, member, teacher, _sister = world
    old_claim, old = member_claim_issue(member=member, by=captain)
    new_claim, new = member_claim_issue(member=member, by=captain)
    with pytest.raises(TeamsError) as exc:
        member_claim_redeem(token=old, by=teacher)
    assert "已作废" in exc.value.message
    MemberClaim.objects.filter(pk=new_claim.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(TeamsError) as exc:
        member_claim_redeem(token=new, by=teacher)
    assert "已于" in exc.value.message and "过期" in exc.value.message
    with pytest.raises(TeamsError) as exc:
        member_claim_redeem(token="not-a-code", by=teacher)
    assert "邀请码无效" in exc.value.message
    member.refresh_from_db()
    assert member.user is None


def test_only_the_captain_or_the_college_issues_and_only_for_a_member_without_account(world):
    team, captain, member, _teacher, _sister = world
    deputy_user = TeamMemberUserFactory(college=team.college)
    team.members.filter(role=MemberRole.DEPUTY).update(user=deputy_user)
    with pytest.raises(TeamsError) as exc:
        member_claim_issue(member=member, by=deputy_user)
    assert exc.value.code == "forbidden"
    with pytest.raises(TeamsError) as exc:
        member_claim_issue(member=team.members.get(role=MemberRole.CAPTAIN), by=captain)
    assert "已关联平台账号" in exc.value.message
    assert not MemberClaim.objects.exists()
    claim, _token = member_claim_issue(member=member, by=CollegeAdminFactory(college=team.college))
    assert claim.member == member


def test_the_college_links_an_account_of_the_college(world):
    team, captain, member, teacher, sister = world
    admin = CollegeAdminFactory(college=team.college)
    with pytest.raises(TeamsError) as exc:
        member_account_link(member=member, user=sister, by=admin)
    assert "本学院" in exc.value.message
    with pytest.raises(TeamsError) as exc:
        member_account_link(member=member, user=captain, by=admin)
    assert "已是本小分队成员" in exc.value.message
    with pytest.raises(TeamsError) as exc:
        member_account_link(member=member, user=teacher, by=captain)
    assert exc.value.code == "forbidden"
    member.refresh_from_db()
    assert member.user is None
    _claim, token = member_claim_issue(member=member, by=captain)
    assert member_account_link(member=member, user=teacher, by=admin).user == teacher
    assert Notification.objects.filter(user=teacher, title__contains="您已被关联为").exists()
    # The open invitation died with the link.
    assert MemberClaim.objects.get().revoked_at is not None


# -------------------------------------------------------------------------------- pages and the API


def test_the_pages_issue_show_once_and_claim(client, world):
    team, captain, member, teacher, _sister = world
    client.force_login(captain)
    detail = client.get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert "发出认领邀请" in detail and reverse("teams:member_claim_issue", args=[member.pk]) in detail
    issued = client.post(reverse("teams:member_claim_issue", args=[member.pk]), follow=True)
    assert issued.redirect_chain == [(reverse("teams:member_claim_issue", args=[member.pk]), 302)]
    html = issued.content.decode()
    assert "只在本浏览器中显示" in html
    link = html.split('id="claim-link">')[1].split("<")[0]
    token = html.split('id="claim-code">')[1].split("<")[0]
    assert link.endswith(f"/teams/claim/{token}/")
    # Reloading the page shows the same code: nothing is voided.
    again = client.get(reverse("teams:member_claim_issue", args=[member.pk])).content.decode()
    assert f'id="claim-code">{token}<' in again
    assert member.claims.filter(revoked_at__isnull=True).count() == 1
    client.force_login(teacher)
    entered = client.get(reverse("teams:claim_start"), {"code": link})
    assert entered.status_code == 302 and entered["Location"] == reverse("teams:claim", args=[token])
    confirm = client.get(entered["Location"]).content.decode()
    assert team.name in confirm and "确认认领" in confirm
    done = client.post(reverse("teams:claim", args=[token]))
    assert done.status_code == 302
    member.refresh_from_db()
    assert member.user == teacher
    again = client.post(reverse("teams:claim", args=[token]))
    assert again.status_code == 400 and "已被使用" in again.content.decode()


def test_an_unknown_code_shows_nothing_of_any_team(client, world):
    team, _captain, _member, teacher, _sister = world
    client.force_login(teacher)
    page = client.get(reverse("teams:claim", args=["guessed-code"])).content.decode()
    assert "邀请码无效" in page and team.name not in page


def test_the_college_links_an_account_on_its_page(client, world):
    team, captain, member, teacher, _sister = world
    admin = CollegeAdminFactory(college=team.college)
    client.force_login(captain)
    assert client.get(reverse("teams:member_link", args=[member.pk])).status_code == 403
    client.force_login(admin)
    form = client.get(reverse("teams:member_link", args=[member.pk])).content.decode()
    assert teacher.username in form
    response = client.post(reverse("teams:member_link", args=[member.pk]), {"user": teacher.pk})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.user == teacher


def test_the_api_issues_claims_and_links(api, world):
    team, captain, member, teacher, _sister = world
    issued = api(captain).post(f"/api/v1/members/{member.pk}/claims/")
    assert issued.status_code == 201, issued.content
    body = issued.json()
    assert body["member"] == member.pk and body["link"].endswith(f"/teams/claim/{body['code']}/")
    bad = api(teacher).post("/api/v1/member-claims/redeem/", {"token": "wrong"}, format="json")
    assert "邀请码无效" in assert_error(bad, 400, "invalid")["message"]
    assert_error(api(None).post("/api/v1/member-claims/redeem/", {"token": body["code"]}, format="json"), 401)
    claimed = api(teacher).post("/api/v1/member-claims/redeem/", {"token": body["code"]}, format="json")
    assert claimed.status_code == 200 and claimed.json()["has_account"] is True
    # Linking a member who has an account already is refused.
    admin = CollegeAdminFactory(college=team.college)
    other = TeamMemberUserFactory(college=team.college)
    refused = api(admin).post(f"/api/v1/members/{member.pk}/account/", {"user": other.pk}, format="json")
    assert "已关联平台账号" in assert_error(refused, 409, "wrong_state")["message"]
    second = team.members.get(name="周二")
    unknown = api(admin).post(f"/api/v1/members/{second.pk}/account/", {"user": 999999}, format="json")
    assert_error(unknown, 400, "validation_error", fields=["user"])
    linked = api(admin).post(f"/api/v1/members/{second.pk}/account/", {"user": other.pk}, format="json")
    assert linked.status_code == 200 and linked.json()["has_account"] is True

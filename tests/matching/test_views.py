"""Engagement pages: contact visibility, one open engagement through the page, strangers get 404;
saved searches; notifications."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from matching.models import Engagement, Recommendation, SavedSearch
from tests.factories import EnterpriseUserFactory, TeamMemberUserFactory, build_valid_team, published_need

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    owner = EnterpriseUserFactory(phone="13900001111", email="ent@example.com")
    need = published_need(enterprise_user=owner)
    team = build_valid_team(status="active")
    captain = team.members.get(role="captain").user
    captain.phone = "13700002222"
    captain.save()
    Recommendation.objects.create(
        need=need,
        team=team,
        rank=1,
        score=0.9,
        model_version="t",
        explanation={
            "total": 0.9,
            "contributions": {"dense": 0.9},
            "matched_keywords": ["平缝机"],
            "reasons": ["行业相同"],
        },
    )
    return owner, need, team, captain


def test_invite_accept_and_contacts_appear_only_when_agreed(client, world):
    owner, need, team, captain = world
    client.force_login(owner)
    page = client.get(reverse("matching:need_recommendations", args=[need.pk])).content.decode()
    assert team.name in page and "行业相同" in page
    client.post(reverse("matching:invite", args=[need.pk]), {"team": team.pk, "message": "请评估"})
    engagement = Engagement.objects.get()
    html = client.get(reverse("matching:engagement", args=[engagement.pk])).content.decode()
    assert "13700002222" not in html and "对接达成后可见联系方式" in html
    client.force_login(captain)
    assert (
        "13900001111" not in client.get(reverse("matching:engagement", args=[engagement.pk])).content.decode()
    )
    client.post(reverse("matching:engagement_action", args=[engagement.pk, "accept"]), {"scope": "主轴减振"})
    assert "13900001111" in client.get(reverse("matching:engagement", args=[engagement.pk])).content.decode()
    client.force_login(owner)
    assert "13700002222" in client.get(reverse("matching:engagement", args=[engagement.pk])).content.decode()
    client.post(
        reverse("matching:engagement_action", args=[engagement.pk, "complete"]),
        {"rating": "5", "comment": "好"},
    )
    engagement.refresh_from_db()
    assert (engagement.status, engagement.rating) == ("completed", 5)


def test_a_second_open_engagement_is_refused_through_the_page(client, world):
    owner, need, team, captain = world
    client.force_login(owner)
    client.post(reverse("matching:invite", args=[need.pk]), {"team": team.pk})
    response = client.post(reverse("matching:invite", args=[need.pk]), {"team": team.pk}, follow=True)
    assert "已有进行中的对接" in response.content.decode()
    assert Engagement.objects.count() == 1


def test_strangers_cannot_see_or_act(client, world):
    owner, need, team, captain = world
    client.force_login(owner)
    client.post(reverse("matching:invite", args=[need.pk]), {"team": team.pk})
    engagement = Engagement.objects.get()
    for stranger in (EnterpriseUserFactory(), TeamMemberUserFactory()):
        client.force_login(stranger)
        assert client.get(reverse("matching:engagement", args=[engagement.pk])).status_code == 404
        assert (
            client.post(
                reverse("matching:engagement_action", args=[engagement.pk, "accept"]), {"scope": "x"}
            ).status_code
            == 404
        )
        assert client.get(reverse("matching:need_recommendations", args=[need.pk])).status_code == 404
    engagement.refresh_from_db()
    assert engagement.status == "proposed"


def test_interest_from_the_feed(client, world):
    owner, need, team, captain = world
    client.force_login(captain)
    page = client.get(reverse("matching:feed")).content.decode()
    assert need.title in page
    client.post(
        reverse("matching:interest", args=[team.pk]), {"need": need.pk, "proposal": "模态分析+动平衡"}
    )
    assert Engagement.objects.get().origin == "interest"
    assert Notification.objects.filter(user=owner, kind="interest").exists()


def test_saved_searches_are_managed_by_the_team_only(client, world):
    owner, need, team, captain = world
    client.force_login(captain)
    client.post(
        reverse("matching:search_create", args=[team.pk]),
        {"name": "平缝机", "query": "平缝机", "frequency": "daily", "min_score": "0"},
    )
    search = SavedSearch.objects.get()
    client.post(reverse("matching:search_toggle", args=[search.pk]))
    search.refresh_from_db()
    assert not search.active
    client.force_login(TeamMemberUserFactory())
    assert (
        client.post(reverse("matching:search_toggle", args=[search.pk]), {"delete": "1"}).status_code == 404
    )
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    client.force_login(captain)
    client.post(reverse("matching:search_toggle", args=[search.pk]), {"delete": "1"})
    assert not SavedSearch.objects.exists()


def test_notifications_mark_read_and_count(client, world):
    owner, *_ = world
    Notification.objects.create(user=owner, kind="x", title="一")
    Notification.objects.create(user=owner, kind="x", title="二")
    client.force_login(owner)
    assert client.get(reverse("notifications:unread")).json() == {"unread": 2}
    client.post(
        reverse("notifications:mark_read"),
        {"id": Notification.objects.filter(title="一").values_list("pk", flat=True)[0]},
    )
    assert client.get(reverse("notifications:unread")).json() == {"unread": 1}
    client.post(reverse("notifications:mark_read"))
    assert client.get(reverse("notifications:unread")).json() == {"unread": 0}

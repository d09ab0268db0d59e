"""The matching pages: recommendations with reasons and invitations, the team feed and 揭榜, engagement
pages with who may do each step, the contact rule and one open engagement per team and need."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import Notification
from demand.models import Need
from demand.selectors import HIDDEN_NAME
from engagements.models import Engagement
from matching.models import Recommendation
from teams.models import Member, MemberRole
from tests.factories import (
    CollegeAdminFactory,
    EnterpriseUserFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UserFactory,
    build_valid_team,
    published_need,
)

pytestmark = pytest.mark.django_db

EXPLANATION = {
    "total": 0.82,
    "contributions": {
        "dense": 0.31,
        "lexical": 0.18,
        "industry": 0.15,
        "region": 0.08,
        "discipline": 0.05,
        "service_type": 0.04,
        "load": -0.02,
        "track_record": 0.03,
    },
    "matched_keywords": ["平缝机", "减振"],
    "reasons": ["行业相同：缝制机械制造", "同在台州市"],
}


@dataclass
class World:
    owner: object
    need: Need
    team: object
    captain: object
    member: object
    other_team: object
    other_captain: object


def make_world(*, show_enterprise=True, **need_fields) -> World:
    """An enterprise with a published need; a serving team recommended first (captain, and a core member
    with an account); a second serving team recommended second."""
    owner = EnterpriseUserFactory(phone="13900001111", email="ent@example.com", real_name="陈经理")
    need = published_need(enterprise_user=owner, show_enterprise=show_enterprise, **need_fields)
    team = build_valid_team(status="active", name_suffix="智能缝制装备")
    captain = team.members.get(role="captain").user
    captain.phone, captain.email = "13700002222", "captain@example.edu.cn"
    captain.save()
    member = TeamMemberUserFactory(college=team.college, real_name="孙同学", phone="13500003333")
    Member.objects.create(team=team, user=member, name=member.real_name, role=MemberRole.CORE, title="讲师")
    other_captain = TeamMemberUserFactory(real_name="钱教授")
    other_team = build_valid_team(status="active", name_suffix="流体机械", captain_user=other_captain)
    Recommendation.objects.create(
        need=need, team=team, rank=1, score=0.82, model_version="t", explanation=EXPLANATION
    )
    Recommendation.objects.create(
        need=need,
        team=other_team,
        rank=2,
        score=0.41,
        model_version="t",
        explanation={"total": 0.41, "contributions": {"dense": 0.2}, "reasons": ["语义相近"]},
    )
    return World(owner, need, team, captain, member, other_team, other_captain)


@pytest.fixture
def world():
    return make_world()


def _invite(client, w: World, team=None, message="请评估"):
    client.force_login(w.owner)
    return client.post(
        reverse("engagements:invite", args=[w.need.pk]), {"team": (team or w.team).pk, "message": message}
    )


def _act(client, engagement, action, **data):
    return client.post(
        reverse("engagements:engagement_action", args=[engagement.pk, action]),
        {f"{action}-{k}": v for k, v in data.items()},
    )


def _page(client, engagement):
    return client.get(reverse("engagements:engagement", args=[engagement.pk]))


# ---------------------------------------------------------------------------------- recommendations


def test_the_owner_sees_ranked_teams_with_reasons_keywords_and_factors(client, world):
    client.force_login(world.owner)
    response = client.get(reverse("engagements:need_recommendations", args=[world.need.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(world.team.name) < html.index(world.other_team.name)  # rank order
    assert "行业相同：缝制机械制造" in html and "同在台州市" in html
    assert '<span class="tag keyword">平缝机</span>' in html
    assert "语义相似" in html and "当前负荷" in html and "服务成效" in html
    assert f"/teams/{world.team.pk}/portrait/" in html
    assert html.count("邀请对接") >= 2


def test_matched_keywords_are_highlighted_in_the_team_summary(client, world):
    world.team.service_content = "专注高速平缝机减振降噪与主轴动平衡。"
    world.team.save()
    client.force_login(world.owner)
    html = client.get(reverse("engagements:need_recommendations", args=[world.need.pk])).content.decode()
    assert "专注高速<mark>平缝机</mark><mark>减振</mark>降噪与主轴动平衡。" in html


def test_without_recommendations_the_page_says_they_are_being_computed(client, world):
    Recommendation.objects.all().delete()
    client.force_login(world.owner)
    html = client.get(reverse("engagements:need_recommendations", args=[world.need.pk])).content.decode()
    assert "推荐正在计算中" in html


def test_a_team_that_stopped_serving_is_not_recommended(client, world):
    world.other_team.status = "dissolved"
    world.other_team.save()
    client.force_login(world.owner)
    html = client.get(reverse("engagements:need_recommendations", args=[world.need.pk])).content.decode()
    assert world.team.name in html and world.other_team.name not in html


@pytest.mark.parametrize("who", ["other_enterprise", "captain", "anonymous"])
def test_strangers_do_not_see_recommendations_or_invite(client, world, who):
    if who == "anonymous":
        client.logout()
    else:
        client.force_login(EnterpriseUserFactory() if who == "other_enterprise" else world.captain)
    expected = 302 if who == "anonymous" else 404
    assert (
        client.get(reverse("engagements:need_recommendations", args=[world.need.pk])).status_code == expected
    )
    response = client.post(reverse("engagements:invite", args=[world.need.pk]), {"team": world.team.pk})
    assert response.status_code == expected
    assert not Engagement.objects.exists()


def test_a_moderator_sees_recommendations_but_cannot_invite(client, world):
    client.force_login(StoAdminFactory())
    html = client.get(reverse("engagements:need_recommendations", args=[world.need.pk])).content.decode()
    assert world.team.name in html and "邀请对接" not in html
    assert (
        client.post(reverse("engagements:invite", args=[world.need.pk]), {"team": world.team.pk}).status_code
        == 404
    )


def test_inviting_opens_an_engagement_and_tells_the_team(client, world):
    response = _invite(client, world, message="希望三个月内完成方案")
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "engagements:engagement", args=[engagement.pk]
    )
    assert (engagement.origin, engagement.status, engagement.proposal) == (
        "invitation",
        "proposed",
        "希望三个月内完成方案",
    )
    assert Notification.objects.filter(user=world.captain, kind="invitation").exists()
    html = client.get(reverse("engagements:need_recommendations", args=[world.need.pk])).content.decode()
    assert "查看对接" in html


def test_one_open_engagement_per_team_and_need_through_the_pages(client, world):
    _invite(client, world)
    again = _invite(client, world)
    assert again.status_code == 400 and "已有进行中的对接" in again.content.decode()
    assert Engagement.objects.count() == 1

    # the team cannot 揭榜 while the invitation is open either
    client.force_login(world.captain)
    response = client.post(
        reverse("engagements:interest", args=[world.need.pk]), {"team": world.team.pk, "proposal": "模态分析"}
    )
    assert response.status_code == 400 and "已有进行中的对接" in response.content.decode()
    assert Engagement.objects.count() == 1

    # once declined, a new invitation may be sent; another team may be invited at any time
    _act(client, Engagement.objects.get(), "decline", reason="排期已满")
    assert _invite(client, world).status_code == 302
    assert _invite(client, world, team=world.other_team).status_code == 302
    assert Engagement.objects.filter(status="proposed").count() == 2


def test_inviting_a_team_that_is_not_serving_is_refused(client, world):
    world.other_team.status = "draft"
    world.other_team.save()
    response = _invite(client, world, team=world.other_team)
    assert response.status_code == 400 and "不在运行状态" in response.content.decode()
    assert not Engagement.objects.exists()


# ---------------------------------------------------------------------------------------- engagements


def test_contacts_appear_only_once_agreed(client, world):
    _invite(client, world)
    engagement = Engagement.objects.get()
    for user in (world.owner, world.captain, world.member):
        client.force_login(user)
        html = _page(client, engagement).content.decode()
        assert "对接达成后可见联系方式" in html
        assert "13900001111" not in html and "ent@example.com" not in html
        assert "13700002222" not in html and "captain@example.edu.cn" not in html

    client.force_login(world.captain)
    _act(client, engagement, "accept", scope="主轴减振方案与样机测试")
    engagement.refresh_from_db()
    assert engagement.status == "agreed"
    for user in (world.owner, world.captain, world.member):
        client.force_login(user)
        html = _page(client, engagement).content.decode()
        assert "对接达成后可见联系方式" not in html
        assert "13900001111" in html and "ent@example.com" in html and "陈经理" in html
        assert "13700002222" in html and "captain@example.edu.cn" in html
    assert "13500003333" not in html  # a core member is not a contact: captain and deputies only

    # a college administrator may follow the engagement but is not a party to it
    client.force_login(CollegeAdminFactory(college=world.team.college))
    html = _page(client, engagement).content.decode()
    assert "对接达成后可见联系方式" in html and "13900001111" not in html


def test_a_hidden_enterprise_is_named_to_the_team_only_once_agreed(client):
    w = make_world(show_enterprise=False)
    _invite(client, w)
    engagement = Engagement.objects.get()
    client.force_login(w.captain)
    html = _page(client, engagement).content.decode()
    assert HIDDEN_NAME in html and w.owner.enterprise.name not in html
    html = client.get(reverse("engagements:engagements")).content.decode()
    assert HIDDEN_NAME in html and w.owner.enterprise.name not in html
    _act(client, engagement, "accept", scope="主轴减振")
    assert w.owner.enterprise.name in _page(client, engagement).content.decode()


@pytest.mark.parametrize("who", ["other_enterprise", "other_team_captain", "anonymous"])
def test_strangers_cannot_see_or_act_on_an_engagement(client, world, who):
    _invite(client, world)
    engagement = Engagement.objects.get()
    if who == "anonymous":
        client.logout()
    else:
        client.force_login(EnterpriseUserFactory() if who == "other_enterprise" else world.other_captain)
    expected = 302 if who == "anonymous" else 404
    assert _page(client, engagement).status_code == expected
    assert _act(client, engagement, "accept", scope="x").status_code == expected
    assert _act(client, engagement, "cancel", reason="x").status_code == expected
    engagement.refresh_from_db()
    assert engagement.status == "proposed"


def test_only_the_side_that_did_not_propose_accepts(client, world):
    _invite(client, world)
    engagement = Engagement.objects.get()
    # the enterprise invited: it sees no accept form and may not accept
    client.force_login(world.owner)
    assert "接受对接" not in _page(client, engagement).content.decode()
    assert _act(client, engagement, "accept", scope="自己接受").status_code == 403
    # a core member sees the engagement but does not speak for the team
    client.force_login(world.member)
    assert "接受对接" not in _page(client, engagement).content.decode()
    assert _act(client, engagement, "accept", scope="我来接").status_code == 403
    engagement.refresh_from_db()
    assert engagement.status == "proposed"
    # the captain does
    client.force_login(world.captain)
    assert "接受对接" in _page(client, engagement).content.decode()
    assert _act(client, engagement, "accept", scope="主轴减振").status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == "agreed" and engagement.scope == "主轴减振"
    assert Need.objects.get(pk=world.need.pk).status == Need.Status.ENGAGED


def test_accepting_needs_a_scope_shown_on_the_form(client, world):
    _invite(client, world)
    engagement = Engagement.objects.get()
    client.force_login(world.captain)
    response = _act(client, engagement, "accept", scope="   ")
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.status == "proposed"


def test_interest_is_accepted_by_the_enterprise_and_the_whole_way_to_a_rating(client, world):
    client.force_login(world.captain)
    response = client.post(
        reverse("engagements:interest", args=[world.need.pk]),
        {"team": world.team.pk, "proposal": "模态分析+动平衡"},
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and engagement.origin == "interest"
    assert Notification.objects.filter(user=world.owner, kind="interest").exists()
    assert _act(client, engagement, "accept", scope="x").status_code == 403  # the team proposed

    client.force_login(world.owner)
    assert _act(client, engagement, "accept", scope="三个月内完成减振方案").status_code == 302
    client.force_login(world.captain)
    assert "开始服务" in _page(client, engagement).content.decode()
    assert "确认完成并评价" not in _page(client, engagement).content.decode()  # the enterprise rates
    assert _act(client, engagement, "start").status_code == 302
    assert _act(client, engagement, "complete", rating="5").status_code == 403

    client.force_login(world.owner)
    bad = _act(client, engagement, "complete", rating="9", comment="")
    assert bad.status_code == 400
    engagement.refresh_from_db()
    assert engagement.status == "in_service"
    assert _act(client, engagement, "complete", rating="5", comment="振动降低明显").status_code == 302
    engagement.refresh_from_db()
    assert (engagement.status, engagement.rating, engagement.rating_comment) == (
        "completed",
        5,
        "振动降低明显",
    )
    assert Need.objects.get(pk=world.need.pk).status == Need.Status.RESOLVED
    html = _page(client, engagement).content.decode()
    assert "5 分" in html and "当前没有可执行的操作" in html
    assert [e.action for e in engagement.events.all()] == ["interest", "accept", "start", "complete"]


def test_cancel_needs_a_reason_and_either_side_may_cancel(client, world):
    _invite(client, world)
    engagement = Engagement.objects.get()
    client.force_login(world.captain)
    assert _act(client, engagement, "cancel", reason="").status_code == 400
    assert _act(client, engagement, "cancel", reason="团队人手不足").status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == "cancelled" and engagement.end_reason == "团队人手不足"
    again = _act(client, engagement, "cancel", reason="再取消")  # nothing open to cancel
    assert again.status_code == 400 and "对接当前为“已取消”，不能执行该操作" in again.content.decode()


def test_unknown_actions_are_a_404_and_actions_are_post_only(client, world):
    _invite(client, world)
    engagement = Engagement.objects.get()
    client.force_login(world.captain)
    assert _act(client, engagement, "explode").status_code == 404
    assert (
        client.get(reverse("engagements:engagement_action", args=[engagement.pk, "accept"])).status_code
        == 405
    )


def test_the_record_link_is_for_team_members_once_agreed(client, world):
    _invite(client, world)
    engagement = Engagement.objects.get()
    link = f"/matching/engagements/{engagement.pk}/record/"
    client.force_login(world.captain)
    assert link not in _page(client, engagement).content.decode()
    _act(client, engagement, "accept", scope="主轴减振")
    assert link in _page(client, engagement).content.decode()
    client.force_login(world.member)
    assert link in _page(client, engagement).content.decode()
    client.force_login(world.owner)
    assert link not in _page(client, engagement).content.decode()


def test_each_user_lists_their_own_engagements(client, world):
    _invite(client, world)
    _invite(client, world, team=world.other_team)
    other = published_need(title="别家企业的需求")
    Engagement.objects.create(need=other, team=world.other_team, origin="interest")

    def listed(user):
        client.force_login(user)
        return {
            (e.need.title, e.team_id) for e in client.get(reverse("engagements:engagements")).context["page"]
        }

    mine = world.need.title
    assert listed(world.owner) == {(mine, world.team.pk), (mine, world.other_team.pk)}
    assert listed(world.member) == {(mine, world.team.pk)}
    assert listed(world.other_captain) == {
        (mine, world.other_team.pk),
        ("别家企业的需求", world.other_team.pk),
    }
    assert listed(EnterpriseUserFactory()) == set()
    assert len(listed(UserFactory())) == 3  # a platform administrator sees all
    client.force_login(world.owner)
    filtered = client.get(reverse("engagements:engagements"), {"status": "agreed"}).context["page"]
    assert list(filtered) == []


# --------------------------------------------------------------------------------------------- the feed


def test_the_feed_lists_recommended_needs_by_score_with_reasons(client, world):
    second = published_need(enterprise_user=world.owner, title="缝纫机送布机构异响", show_enterprise=False)
    Recommendation.objects.create(
        need=second, team=world.team, rank=3, score=0.95, model_version="t", explanation={}
    )
    draft_need = published_need(title="已关闭的需求不在推荐中")
    Need.objects.filter(pk=draft_need.pk).update(status=Need.Status.CLOSED)
    Recommendation.objects.create(need=draft_need, team=world.team, rank=1, score=0.99, model_version="t")

    client.force_login(world.member)
    response = client.get(reverse("engagements:feed"))
    html = response.content.decode()
    assert [r.need.title for r in response.context["page"]] == [second.title, world.need.title]
    assert "行业相同：缝制机械制造" in html and "已关闭的需求" not in html
    assert HIDDEN_NAME in html and world.owner.enterprise.name in html  # one hidden, one shown
    assert "由队长或副队长代表小分队揭榜" in html  # a core member does not 揭榜

    client.force_login(world.captain)
    assert "提交揭榜" in client.get(reverse("engagements:feed")).content.decode()


def test_feed_filters(client, world, reference_data):
    pump = published_need(
        enterprise_user=world.owner,
        title="离心泵效率提升",
        industry="3441",
        region="331081",
        service_types=["rd"],
    )
    Recommendation.objects.create(
        need=pump, team=world.team, rank=2, score=0.5, model_version="t", explanation={}
    )
    client.force_login(world.captain)

    def titles(**params):
        return {r.need.title for r in client.get(reverse("engagements:feed"), params).context["page"]}

    both = {world.need.title, pump.title}
    assert titles() == both
    assert titles(industry="344") == {pump.title}
    assert titles(industry="C") == both
    assert titles(region="331081") == {pump.title}
    assert titles(service_type="rd") == {pump.title}
    assert titles(service_type="diagnosis") == {world.need.title}
    assert titles(min_score="0.6") == {world.need.title}
    assert titles(min_score="abc") == both  # does not parse: reported, ignored


def test_the_feed_opens_on_the_needs_the_team_is_among_the_first_five_for(client, world):
    far = published_need(enterprise_user=world.owner, title="本队排第七的需求")
    Recommendation.objects.create(
        need=far, team=world.team, rank=7, score=0.9, model_version="t", explanation={}
    )
    client.force_login(world.captain)

    def titles(**params):
        response = client.get(reverse("engagements:feed"), params)
        return {r.need.title for r in response.context["page"]}, response.content.decode()

    shown, html = titles()
    assert shown == {world.need.title} and "本队位列推荐前 5 名的需求" in html
    assert 'value="5" selected' in html  # the select says which scope is applied
    assert titles(max_rank="")[0] == {world.need.title, far.title}  # 全部
    assert titles(max_rank="10")[0] == {world.need.title, far.title}
    assert titles(max_rank="3", min_score="0.95")[0] == set()
    assert titles(industry="C")[0] == {world.need.title}  # other filters keep the default scope
    shown, html = titles(max_rank="7")  # not a choice: reported, ignored, like the other filters
    assert shown == {world.need.title, far.title} and "不在可用的选项中" in html


def test_a_member_picks_among_their_teams_only(client, world):
    client.force_login(world.captain)
    assert client.get(reverse("engagements:feed"), {"team": world.other_team.pk}).status_code == 404
    Member.objects.create(
        team=world.other_team, user=world.captain, name="赵小明", role=MemberRole.CORE, title="教授"
    )
    response = client.get(reverse("engagements:feed"), {"team": world.other_team.pk})
    assert response.status_code == 200 and response.context["team"] == world.other_team
    assert "切换小分队" in response.content.decode()


def test_the_feed_is_for_team_members(client, world):
    client.force_login(world.owner)
    assert client.get(reverse("engagements:feed")).status_code == 403
    client.force_login(TeamMemberUserFactory())  # in no team yet
    assert "您还没有加入科技小分队" in client.get(reverse("engagements:feed")).content.decode()


def test_declaring_interest_from_the_feed(client, world):
    client.force_login(world.captain)
    response = client.post(
        reverse("engagements:interest", args=[world.need.pk]),
        {"team": world.team.pk, "proposal": "模态分析+动平衡"},
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and (engagement.team, engagement.origin) == (world.team, "interest")
    assert "团队揭榜 · 待确认" in client.get(reverse("engagements:feed")).content.decode()


def test_interest_needs_a_proposal_and_a_team_the_user_runs(client, world):
    client.force_login(world.captain)
    empty = client.post(
        reverse("engagements:interest", args=[world.need.pk]), {"team": world.team.pk, "proposal": ""}
    )
    assert empty.status_code == 400 and "该字段是必填项" in empty.content.decode()
    # a team the captain does not run
    other = client.post(
        reverse("engagements:interest", args=[world.need.pk]),
        {"team": world.other_team.pk, "proposal": "方案"},
    )
    assert other.status_code == 400
    # a core member runs no team
    client.force_login(world.member)
    assert (
        "只有运行中科技小分队的队长或副队长可以"
        in client.get(reverse("engagements:interest", args=[world.need.pk])).content.decode()
    )
    assert (
        client.post(
            reverse("engagements:interest", args=[world.need.pk]), {"team": world.team.pk, "proposal": "方案"}
        ).status_code
        == 400
    )
    assert not Engagement.objects.exists()


def test_interest_in_a_need_that_is_not_open_is_a_404(client, world):
    Need.objects.filter(pk=world.need.pk).update(status=Need.Status.CLOSED)
    client.force_login(world.captain)
    response = client.post(
        reverse("engagements:interest", args=[world.need.pk]), {"team": world.team.pk, "proposal": "方案"}
    )
    assert response.status_code == 404 and not Engagement.objects.exists()


def test_a_record_written_against_an_engagement_is_prefilled_and_linked(client, world):
    from engagements.models import EngagementRecord
    from engagements.services import engagement_accept, engagement_invite

    owner, need, team, captain = world.owner, world.need, world.team, world.captain
    engagement = engagement_accept(
        engagement=engagement_invite(need=need, team=team, by=owner), by=captain, scope="主轴减振"
    )
    client.force_login(captain)
    page = client.get(reverse("engagements:engagement_record", args=[engagement.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["served_organisation"] == need.enterprise.name
    assert page.context["form"].initial["description"] == "主轴减振"
    response = client.post(
        reverse("engagements:engagement_record", args=[engagement.pk]),
        {
            "record_type": "service_visit",
            "date": "2026-11-01",
            "title": "赴企业调研",
            "served_organisation": need.enterprise.name,
            "description": "主轴减振现场测试",
        },
    )
    assert response.status_code == 302
    link = EngagementRecord.objects.get()
    assert link.engagement == engagement and link.record.served_enterprise == need.enterprise
    client.force_login(EnterpriseUserFactory())
    assert client.get(reverse("engagements:engagement_record", args=[engagement.pk])).status_code == 404


@pytest.mark.parametrize("odd", ["²", "9" * 40, "abc"])
def test_the_feed_with_an_odd_team_shows_the_members_first_team(client, world, odd):
    client.force_login(world.member)
    response = client.get(reverse("engagements:feed"), {"team": odd})
    assert response.status_code == 200 and response.context["team"] == world.team

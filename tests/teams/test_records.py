"""Service records through the pages: list, create, edit, submit, review, and the one-claim rule."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from teams.evidence import evidence_add
from teams.models import ServiceRecord, Team
from teams.records import record_create
from tests.teams.test_views import as_user, build_world, message_texts, set_status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    set_status(world.team, Team.Status.ACTIVE)
    set_status(world.other_team, Team.Status.ACTIVE)
    return world


def record_data(team, **overrides):
    data = {
        "record_type": "service_visit",
        "date": "2025-03-18",
        "title": "赴迈得医疗开展缝制设备减振调研",
        "served_organisation": "浙江迈得医疗器械有限公司",
        "participants": [m.pk for m in team.members.filter(role__in=["captain", "core"])[:2]],
        "description": "现场测试振动并提出改进方案。",
        "amount_wan": "",
        "achievement_key": "",
    }
    return data | overrides


def make_record(team, by, **fields):
    values = {
        "record_type": "service_visit",
        "date": date(2025, 3, 1),
        "title": "走访企业",
        "served_organisation": "某企业",
        "description": "走访",
    }
    return record_create(team=team, by=by, **(values | fields))


# ------------------------------------------------------------------------------------------- listing


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 200), ("member", 200), ("college_admin", 200), ("office", 200)]
)
def test_the_record_list_shows_the_teams_records_and_no_others(client, world, who, status):
    make_record(world.team, world.owner, title="本队的走访")
    make_record(world.other_team, world.other_captain, title="别队的走访")
    response = as_user(client, getattr(world, who)).get(reverse("teams:record_list", args=[world.team.pk]))
    assert response.status_code == status
    html = response.content.decode()
    assert "本队的走访" in html and "别队的走访" not in html


def test_the_record_list_pages_by_twenty_newest_first_and_keeps_its_filters(client, world):
    for day in range(1, 24):
        make_record(world.team, world.owner, title=f"第{day:02d}次走访", date=date(2025, 3, day))
    make_record(world.team, world.owner, title="往年的走访", date=date(2024, 3, 1))
    client = as_user(client, world.owner)
    url = reverse("teams:record_list", args=[world.team.pk])
    first = client.get(url, {"year": "2025"})
    html = first.content.decode()
    assert [r.title for r in first.context["records"]] == [f"第{d:02d}次走访" for d in range(23, 3, -1)]
    assert "共 23 条服务记录" in html and 'href="?year=2025&amp;page=2"' in html
    second = client.get(url, {"year": "2025", "page": "2"})
    assert [r.title for r in second.context["records"]] == ["第03次走访", "第02次走访", "第01次走访"]


def test_the_college_queue_pages_and_a_decision_returns_to_the_same_page(client, world):
    for day in range(1, 23):
        make_record(world.team, world.owner, title=f"第{day:02d}次走访", date=date(2025, 3, day))
    ServiceRecord.objects.update(status=ServiceRecord.Status.SUBMITTED)
    client = as_user(client, world.college_admin)
    url = reverse("teams:review_college")
    html = client.get(url).content.decode()
    assert "待审核的服务记录（22）" in html and html.count('class="queue-item"') == 20
    second = client.get(url, {"page": "2"})
    titles = [r.title for r in second.context["records"]]
    assert len(titles) == 2
    assert f'name="next" value="{url}?page=2"' in second.content.decode()


@pytest.mark.parametrize("who", ["outsider", "other_college_admin", "other_office", "other_captain"])
def test_records_of_a_team_are_a_404_to_others(client, world, who):
    record = make_record(world.team, world.owner)
    client = as_user(client, getattr(world, who))
    assert client.get(reverse("teams:record_list", args=[world.team.pk])).status_code == 404
    assert client.get(reverse("teams:record_detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("teams:record_edit", args=[record.pk])).status_code == 404


def test_records_send_anonymous_visitors_to_sign_in(client, world):
    record = make_record(world.team, world.owner)
    response = client.get(reverse("teams:record_detail", args=[record.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


# ------------------------------------------------------------------------------------ create and edit


def test_a_member_records_a_service_visit_with_participants(client, world):
    data = record_data(world.team)
    response = as_user(client, world.member).post(reverse("teams:record_create", args=[world.team.pk]), data)
    record = ServiceRecord.objects.get(title=data["title"])
    assert response.status_code == 302 and response.url == reverse("teams:record_detail", args=[record.pk])
    assert record.team == world.team and record.created_by == world.member
    assert sorted(record.participants.values_list("pk", flat=True)) == sorted(data["participants"])
    assert record.status == ServiceRecord.Status.DRAFT


def test_the_college_admin_cannot_write_a_teams_record(client, world):
    response = as_user(client, world.college_admin).post(
        reverse("teams:record_create", args=[world.team.pk]), record_data(world.team)
    )
    assert response.status_code == 403
    assert not ServiceRecord.objects.exists()


def test_an_amount_type_needs_an_amount_in_wan(client, world):
    client = as_user(client, world.owner)
    url = reverse("teams:record_create", args=[world.team.pk])
    data = record_data(world.team, record_type="horizontal_project", achievement_key="HT-2025-001")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "“横向科研项目”需要填写大于 0 的金额（万元）。" in response.content.decode()
    assert not ServiceRecord.objects.exists()
    client.post(url, data | {"amount_wan": "35.5"})
    assert ServiceRecord.objects.get().amount_wan == pytest.approx(35.5)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1e15", "金额不能超过 1000000 万元（100 亿元），请确认单位是万元。"),
        ("35000000", "金额不能超过 1000000 万元（100 亿元），请确认单位是万元。"),  # 3500 万 typed in 元
        ("1000000.01", "金额不能超过 1000000 万元（100 亿元），请确认单位是万元。"),
        ("35.555", "金额最多保留两位小数（万元）。"),
    ],
)
def test_an_amount_out_of_range_is_told_in_words_that_name_the_limit(client, world, typed, message):
    client = as_user(client, world.owner)
    url = reverse("teams:record_create", args=[world.team.pk])
    data = record_data(world.team, record_type="horizontal_project", achievement_key="HT-2025-001")
    response = client.post(url, data | {"amount_wan": typed})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ServiceRecord.objects.exists()
    client.post(url, data | {"amount_wan": "1000000"})  # the limit itself is allowed
    assert ServiceRecord.objects.get().amount_wan == 1000000


def test_the_service_refuses_an_amount_over_the_limit_whoever_calls_it(world):
    from teams.errors import TeamsError

    with pytest.raises(TeamsError, match="金额不能超过"):
        make_record(
            world.team,
            world.owner,
            record_type="horizontal_project",
            achievement_key="HT-1",
            amount_wan=2_000_000,
        )
    assert not ServiceRecord.objects.exists()


def test_an_achievement_needs_its_identity(client, world):
    response = as_user(client, world.owner).post(
        reverse("teams:record_create", args=[world.team.pk]), record_data(world.team, record_type="paper")
    )
    assert response.status_code == 200
    assert "需要填写成果标识" in response.content.decode()


def test_participants_from_another_team_are_refused(client, world):
    stranger = world.other_team.members.first()
    response = as_user(client, world.owner).post(
        reverse("teams:record_create", args=[world.team.pk]),
        record_data(world.team, participants=[stranger.pk]),
    )
    assert response.status_code == 200
    assert not ServiceRecord.objects.exists()


def claim_the_same_paper_twice(client, world):
    # given the first team has claimed a paper by its DOI
    make_record(
        world.team,
        world.owner,
        record_type="paper",
        title="缝制设备振动分析",
        achievement_key="https://doi.org/10.1016/J.JMATPROTEC.2023.117",
    )
    # when the second team writes the same DOI through the page, in another case and with spaces
    return as_user(client, world.other_captain).post(
        reverse("teams:record_create", args=[world.other_team.pk]),
        record_data(
            world.other_team,
            record_type="paper",
            title="同一篇论文",
            achievement_key="  doi: 10.1016/j.jmatprotec.2023.117 ",
        ),
    )


def test_the_same_paper_claimed_by_a_second_team_is_refused(client, world):
    response = claim_the_same_paper_twice(client, world)
    # then the form is shown again with a refusal and nothing is saved
    assert response.status_code == 200
    assert 'class="errors"' in response.content.decode()
    assert not ServiceRecord.objects.filter(team=world.other_team).exists()


def test_the_refusal_of_a_second_claim_names_the_first_team(client, world):
    html = claim_the_same_paper_twice(client, world).content.decode()
    assert f"该成果已由“{world.team.name}”" in html and "同一成果不得重复计分" in html


def test_a_member_edits_a_draft_record(client, world):
    record = make_record(world.team, world.owner)
    response = as_user(client, world.member).post(
        reverse("teams:record_edit", args=[record.pk]), record_data(world.team, title="改过的标题")
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.title == "改过的标题"


def test_a_submitted_record_can_no_longer_be_edited(client, world):
    record = make_record(world.team, world.owner, title="原标题")
    ServiceRecord.objects.filter(pk=record.pk).update(status=ServiceRecord.Status.SUBMITTED)
    response = as_user(client, world.owner).post(
        reverse("teams:record_edit", args=[record.pk]), record_data(world.team, title="偷偷改"), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("teams:record_detail", args=[record.pk])
    assert "服务记录当前为“待学院审核”，不能修改。" in response.content.decode()
    record.refresh_from_db()
    assert record.title == "原标题"


# --------------------------------------------------------------------------------- submit and review


def test_a_record_without_evidence_cannot_be_submitted(client, world):
    record = make_record(world.team, world.owner)
    response = as_user(client, world.owner).post(reverse("teams:record_action", args=[record.pk, "submit"]))
    assert response.status_code == 200
    assert "请先上传佐证材料再提交审核。" in response.content.decode()
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.DRAFT


def test_submit_then_the_college_approves_and_the_portrait_counts_it(client, world):
    record = make_record(world.team, world.member, title="为企业开展减振培训", record_type="training")
    evidence_add(record=record, by=world.member, upload=SimpleUploadedFile("签到表.pdf", PDF))
    response = as_user(client, world.member).post(reverse("teams:record_action", args=[record.pk, "submit"]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.SUBMITTED

    client.force_login(world.college_admin)
    queue = client.get(reverse("teams:review_college")).content.decode()
    assert "为企业开展减振培训" in queue and "签到表.pdf" in queue
    response = client.post(
        reverse("teams:record_action", args=[record.pk, "approve"]),
        {"comment": "材料齐全", "next": reverse("teams:review_college")},
    )
    assert response.status_code == 302 and response.url == reverse("teams:review_college")
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.APPROVED and record.review_comment == "材料齐全"

    client.logout()
    portrait = client.get(reverse("teams:portrait", args=[world.team.pk])).content.decode()
    assert "为企业开展减振培训" in portrait


def test_the_college_returns_a_record_only_with_a_comment(client, world):
    record = make_record(world.team, world.owner)
    evidence_add(record=record, by=world.owner, upload=SimpleUploadedFile("a.pdf", PDF))
    ServiceRecord.objects.filter(pk=record.pk).update(status=ServiceRecord.Status.SUBMITTED)
    client = as_user(client, world.college_admin)
    url = reverse("teams:record_action", args=[record.pk, "return"])
    response = client.post(url, {"comment": ""})
    assert "“退回修改”需要填写意见。" in response.content.decode()
    response = client.post(url, {"comment": "请补充签到表"})
    assert response.status_code == 302
    assert any("已退回" in m for m in message_texts(response))
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.RETURNED and record.review_comment == "请补充签到表"


@pytest.mark.parametrize("who", ["owner", "office"])
def test_only_the_college_reviewer_approves_a_record(client, world, who):
    record = make_record(world.team, world.owner)
    ServiceRecord.objects.filter(pk=record.pk).update(status=ServiceRecord.Status.SUBMITTED)
    response = as_user(client, getattr(world, who)).post(
        reverse("teams:record_action", args=[record.pk, "approve"])
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.SUBMITTED


def test_another_colleges_admin_cannot_review_a_record(client, world):
    record = make_record(world.team, world.owner)
    ServiceRecord.objects.filter(pk=record.pk).update(status=ServiceRecord.Status.SUBMITTED)
    client = as_user(client, world.other_college_admin)
    assert record.title not in client.get(reverse("teams:review_college")).content.decode()
    response = client.post(reverse("teams:record_action", args=[record.pk, "approve"]))
    assert response.status_code == 404


# ------------------------------------------------------------------------------------------- filters


def queue_three(world):
    """Three submitted records in the college's queue: two teams, two years, two kinds."""
    from tests.factories import TeamMemberUserFactory, build_valid_team

    captain = TeamMemberUserFactory(college=world.college, real_name="钱多", title="教授")
    second = build_valid_team(
        college=world.college, name_suffix="缝纫机", status=Team.Status.ACTIVE, captain_user=captain
    )
    records = {
        "visit_2025": make_record(world.team, world.owner, title="二〇二五年的走访", date=date(2025, 3, 1)),
        "training_2026": make_record(
            world.team, world.owner, title="二〇二六年的培训", record_type="training", date=date(2026, 4, 2)
        ),
        "second_team": make_record(second, captain, title="另一队的走访", date=date(2026, 5, 3)),
    }
    ServiceRecord.objects.filter(pk__in=[r.pk for r in records.values()]).update(
        status=ServiceRecord.Status.SUBMITTED
    )
    return second, records


def test_the_college_queue_filters_by_team_year_and_kind(client, world):
    second, records = queue_three(world)
    client = as_user(client, world.college_admin)
    url = reverse("teams:review_college")

    page = client.get(url).content.decode()
    assert all(r.title in page for r in records.values())
    assert "待审核的服务记录（3）" in page
    assert f'<option value="{second.pk}">{second.name}</option>' in page

    page = client.get(url, {"team": world.team.pk, "year": "2026"}).content.decode()
    assert "二〇二六年的培训" in page
    assert "二〇二五年的走访" not in page and "另一队的走访" not in page
    assert "符合条件 1 / 共 3" in page

    page = client.get(url, {"record_type": "service_visit"}).content.decode()
    assert "二〇二五年的走访" in page and "另一队的走访" in page and "二〇二六年的培训" not in page

    page = client.get(url, {"year": "2024"}).content.decode()
    assert "没有符合条件的待审核记录。" in page


def test_a_filter_that_does_not_parse_is_reported_and_the_others_still_apply(client, world):
    second, _records = queue_three(world)
    client = as_user(client, world.college_admin)
    response = client.get(reverse("teams:review_college"), {"year": "二〇二六", "team": second.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "年度应为 2000–2100 之间的年份（如 2026）。" in page
    assert "另一队的走访" in page and "二〇二五年的走访" not in page

    # A team outside the queue (another college's) is not a choice: reported, nothing else filtered.
    page = client.get(reverse("teams:review_college"), {"team": world.other_team.pk}).content.decode()
    assert "选择一个有效的选项" in page
    assert "二〇二五年的走访" in page and "另一队的走访" in page


def test_reviewing_from_a_filtered_queue_returns_to_it(client, world):
    _second, records = queue_three(world)
    record = records["training_2026"]
    evidence_add(record=record, by=world.owner, upload=SimpleUploadedFile("签到表.pdf", PDF))
    client = as_user(client, world.college_admin)
    filtered = reverse("teams:review_college") + f"?team={world.team.pk}&year=2026"
    page = client.get(filtered).content.decode()
    assert f'name="next" value="{filtered.replace("&", "&amp;")}"' in page
    response = client.post(
        reverse("teams:record_action", args=[record.pk, "approve"]), {"comment": "", "next": filtered}
    )
    assert response.status_code == 302 and response.url == filtered
    record.refresh_from_db()
    assert record.status == ServiceRecord.Status.APPROVED


def test_a_teams_record_list_filters_by_year_kind_and_state(client, world):
    make_record(world.team, world.owner, title="二〇二五年的走访", date=date(2025, 3, 1))
    submitted = make_record(
        world.team, world.owner, title="二〇二六年的培训", record_type="training", date=date(2026, 4, 2)
    )
    ServiceRecord.objects.filter(pk=submitted.pk).update(status=ServiceRecord.Status.SUBMITTED)
    client = as_user(client, world.owner)
    url = reverse("teams:record_list", args=[world.team.pk])

    page = client.get(url, {"status": "submitted"}).content.decode()
    assert "二〇二六年的培训" in page and "二〇二五年的走访" not in page
    page = client.get(url, {"year": "2025", "record_type": "service_visit"}).content.decode()
    assert "二〇二五年的走访" in page and "二〇二六年的培训" not in page
    page = client.get(url, {"year": "2024"}).content.decode()
    assert "没有符合条件的服务记录。" in page
    page = client.get(url, {"status": "乱写"}).content.decode()
    assert "选择一个有效的选项" in page and "二〇二五年的走访" in page
    assert 'name="team"' not in page  # one team's list offers no team choice

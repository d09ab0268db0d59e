"""The lists' filters (django-filter FilterSets, core.api_filters): each narrows the list through the
app's selector, refuses a bad value with a 400 in the one error shape naming the parameter, and never
widens what the asker may see. The schema documents each parameter."""

import datetime as dt
import json

import pytest

from accounts.models import Notification
from demand.models import Need
from demand.services import need_create
from matching.models import Recommendation
from reference.models import Discipline, Industry
from teams.models import Call, ServiceRecord, Team
from teams.records import record_create
from tests.api.conftest import assert_error
from tests.factories import (
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseUserFactory,
    IndustryFactory,
    RegionFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    build_valid_team,
    published_need,
)

pytestmark = pytest.mark.django_db


def ids(response, key: str = "id") -> list[int]:
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def ids_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def refused(response, parameter: str, words: str = "") -> str:
    """A 400 in the one error shape whose fields name `parameter`, its message containing `words`."""
    error = assert_error(response, 400, "validation_error", [parameter])
    message = " ".join(error["fields"][parameter])
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    assert words in message, message
    return message


def parameters(api, path: str) -> dict[str, dict]:
    schema = api().get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    doc = json.loads(schema.content)
    return {p["name"]: p for p in doc["paths"][path]["get"]["parameters"] if p["in"] == "query"}


def test_a_check_across_parameters_is_reported_as_non_field_errors(db):
    from django import forms

    from core.api_filters import SelectorFilterSet, TextFilter

    class PairForm(forms.Form):
        def clean(self):
            raise forms.ValidationError("两个参数不能同时给出。")

    class PairFilter(SelectorFilterSet):
        a = TextFilter(label="甲")

        class Meta:
            form = PairForm

    errors = PairFilter(data={"a": "x"}, queryset=Need.objects.all()).errors
    assert dict(errors) == {"non_field_errors": ["两个参数不能同时给出。"]}


# ------------------------------------------------------------------------------------------------- needs

NEED = {
    "description": "注塑件翘曲变形超差，希望联合高校分析原因。",
    "industry": "3553",
    "service_types": ["diagnosis"],
}


@pytest.fixture
def enterprise():
    IndustryFactory(), RegionFactory()
    return EnterpriseUserFactory()


def test_the_hall_filters_by_status_and_type_through_the_selector(api, enterprise):
    open_need = published_need(enterprise_user=enterprise, title="高速平缝机减振降噪")
    training = published_need(
        enterprise_user=enterprise, title="数控车床操作培训", service_types=["training"]
    )
    Need.objects.filter(pk=training.pk).update(status=Need.Status.RESOLVED)
    assert ids(api().get("/api/v1/hall/", {"status": "resolved"})) == [training.pk]
    assert ids(api().get("/api/v1/hall/", {"service_type": "diagnosis"})) == [open_need.pk]
    assert ids(api().get("/api/v1/hall/", {"industry": "35", "q": "培训"})) == [training.pk]
    assert ids(api().get("/api/v1/hall/", {"industry": "36"})) == []


def test_the_hall_refuses_bad_values_naming_the_parameter(api, enterprise):
    refused(api().get("/api/v1/hall/", {"industry": "3x"}), "industry", "行业代码应为门类字母")
    refused(api().get("/api/v1/hall/", {"region": "3"}), "region", "地区代码应为 2、4 或 6 位数字")
    refused(api().get("/api/v1/hall/", {"status": "draft"}), "status")  # never a hall status
    refused(api().get("/api/v1/hall/", {"date_from": "明天"}), "date_from")
    refused(
        api().get("/api/v1/hall/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}),
        "date_to",
        "结束日期",
    )
    refused(api().get("/api/v1/hall/", {"q": "平缝\x00机"}), "q", "空字符")


def test_the_needs_list_filters_by_state_only_within_what_the_asker_sees(api, enterprise):
    draft = need_create(by=enterprise, title="注塑件翘曲变形分析", **NEED)
    published = published_need(enterprise_user=enterprise)
    other = EnterpriseUserFactory()
    others_draft = need_create(by=other, title="另一企业的草稿需求", **NEED)

    assert ids(api(enterprise).get("/api/v1/needs/", {"status": "draft"})) == [draft.pk]
    assert ids(api(other).get("/api/v1/needs/", {"status": "draft"})) == [others_draft.pk]
    assert ids(api(other).get("/api/v1/needs/", {"status": "published"})) == [published.pk]  # the hall's
    assert ids(api(other).get("/api/v1/needs/", {"mine": "true", "status": "published"})) == []
    assert ids(api(enterprise).get("/api/v1/needs/", {"mine": "1", "q": "翘曲"})) == [draft.pk]
    refused(api(enterprise).get("/api/v1/needs/", {"mine": "maybe"}), "mine", "true 或 false")
    refused(api(enterprise).get("/api/v1/needs/", {"status": "nope"}), "status")


def test_the_schema_documents_the_needs_filters(api, db):
    hall = parameters(api, "/api/v1/hall/")
    assert {"q", "industry", "region", "service_type", "status", "date_from", "date_to", "ordering"} <= set(
        hall
    )
    assert hall["status"]["schema"]["enum"] == ["engaged", "published", "resolved"]
    assert "行业代码" in hall["industry"]["description"]
    needs = parameters(api, "/api/v1/needs/")
    assert needs["mine"]["schema"]["type"] == "boolean" and "draft" in needs["status"]["schema"]["enum"]


# ------------------------------------------------------------------------------------------------- teams


@pytest.fixture
def colleges():
    """Two colleges of one university, each with a team; the first serves 3553 in discipline E05, the
    second 3911 in A01 and is still a draft. Their administrators, and a teacher of neither team."""
    ours = CollegeFactory()
    theirs = CollegeFactory(university=ours.university)
    mine = build_valid_team(college=ours, status="active")
    other = build_valid_team(college=theirs, status="draft", name_suffix="台州泵业")
    # get_or_create: the session's reference data may already hold these rows
    computers, _ = Industry.objects.get_or_create(
        code="3911", defaults={"name": "计算机整机制造", "level": 4}
    )
    other.industries.set([computers])
    e05, _ = Discipline.objects.get_or_create(scheme="nsfc", code="E05", defaults={"name": "机械工程"})
    e0501, _ = Discipline.objects.get_or_create(
        scheme="nsfc", code="E0501", defaults={"name": "机构学与机器人", "parent": e05}
    )
    mine.disciplines.set([e0501])
    maths, _ = Discipline.objects.get_or_create(scheme="nsfc", code="A01", defaults={"name": "数学"})
    other.disciplines.set([maths])
    return {
        "mine": mine,
        "other": other,
        "admin": CollegeAdminFactory(college=ours),
        "their_admin": CollegeAdminFactory(college=theirs),
        "sto": StoAdminFactory(university=ours.university),
        "captain": mine.members.get(role="captain").user,
    }


def test_the_teams_list_filters_by_college_status_industry_and_discipline(api, colleges):
    mine, other, sto = colleges["mine"], colleges["other"], colleges["sto"]
    assert sorted(ids(api(sto).get("/api/v1/teams/"))) == sorted([mine.pk, other.pk])
    assert ids(api(sto).get("/api/v1/teams/", {"college": other.college_id})) == [other.pk]
    assert ids(api(sto).get("/api/v1/teams/", {"status": "draft"})) == [other.pk]
    assert ids(api(sto).get("/api/v1/teams/", {"industry": "35"})) == [mine.pk]
    assert ids(api(sto).get("/api/v1/teams/", {"industry": "39"})) == [other.pk]
    assert ids(api(sto).get("/api/v1/teams/", {"discipline": "e05"})) == [mine.pk]  # E0501 lies under E05
    assert ids(api(sto).get("/api/v1/teams/", {"q": "台州泵业"})) == [other.pk]


def test_team_filters_never_reach_past_the_askers_college(api, colleges):
    admin, other = colleges["admin"], colleges["other"]
    assert ids(api(admin).get("/api/v1/teams/", {"college": other.college_id})) == []
    assert ids(api(admin).get("/api/v1/teams/", {"status": "draft"})) == []
    assert ids(api(admin).get("/api/v1/members/", {"team": other.pk})) == []
    assert api(admin).get("/api/v1/members/", {"team": colleges["mine"].pk}).json()["count"] == 7
    assert ids(api(TeamMemberUserFactory()).get("/api/v1/teams/", {"industry": "35"})) == []


def test_team_filters_refuse_bad_values_naming_the_parameter(api, colleges):
    sto = colleges["sto"]
    refused(api(sto).get("/api/v1/teams/", {"status": "sleeping"}), "status")
    refused(api(sto).get("/api/v1/teams/", {"college": "二"}), "college", "编号")
    refused(api(sto).get("/api/v1/teams/", {"college": "0"}), "college", "编号")
    refused(api(sto).get("/api/v1/teams/", {"industry": "C35"}), "industry", "行业代码")
    refused(api(sto).get("/api/v1/teams/", {"discipline": "机械"}), "discipline", "学科代码")
    refused(api(sto).get("/api/v1/members/", {"team": "9" * 30}), "team", "编号")
    refused(api().get("/api/v1/portraits/", {"industry": "3\x00"}), "industry", "行业代码")


def test_portraits_filter_serving_teams_only(api, colleges):
    mine, other = colleges["mine"], colleges["other"]
    assert ids(api().get("/api/v1/portraits/", {"industry": "35"}), "team_id") == [mine.pk]
    assert (
        ids(api().get("/api/v1/portraits/", {"industry": "39"}), "team_id") == []
    )  # a draft has no portrait
    assert ids(api().get("/api/v1/portraits/", {"college": other.college_id}), "team_id") == []
    assert ids(api().get("/api/v1/portraits/", {"discipline": "E0501"}), "team_id") == [mine.pk]


def two_records(colleges):
    """The first team's drafts: a service visit on 2026-03-01 and a training on 2025-11-05."""
    mine, captain = colleges["mine"], colleges["captain"]
    base = {"served_organisation": "台州市某泵业有限公司", "description": "现场诊断"}
    visit = record_create(
        team=mine,
        by=captain,
        record_type="service_visit",
        date=dt.date(2026, 3, 1),
        title="赴企业服务",
        **base,
    )
    training = record_create(
        team=mine, by=captain, record_type="training", date=dt.date(2025, 11, 5), title="开展培训讲座", **base
    )
    return visit, training


def test_records_filter_by_team_year_status_and_kind(api, colleges):
    mine = colleges["mine"]
    visit, old = two_records(colleges)
    ServiceRecord.objects.filter(pk=old.pk).update(status=ServiceRecord.Status.SUBMITTED)
    admin = colleges["admin"]
    assert ids(api(admin).get("/api/v1/records/", {"year": 2026})) == [visit.pk]
    assert ids(api(admin).get("/api/v1/records/", {"status": "submitted"})) == [old.pk]
    assert ids(api(admin).get("/api/v1/records/", {"record_type": "training", "year": 2025})) == [old.pk]
    assert ids(api(admin).get("/api/v1/records/", {"team": mine.pk})) == [visit.pk, old.pk]
    # another college's administrator asking for this team's records by id finds none
    assert ids(api(colleges["their_admin"]).get("/api/v1/records/", {"team": mine.pk})) == []
    refused(api(admin).get("/api/v1/records/", {"year": "1999"}), "year", "年度")
    refused(api(admin).get("/api/v1/records/", {"year": "今年"}), "year", "年度")
    refused(api(admin).get("/api/v1/records/", {"record_type": "novel"}), "record_type")


def test_the_schema_documents_the_teams_filters(api, db):
    assert {"q", "college", "status", "industry", "discipline", "ordering"} <= set(
        parameters(api, "/api/v1/teams/")
    )
    records = parameters(api, "/api/v1/records/")
    assert records["year"]["schema"]["type"] == "integer" and records["team"]["schema"]["type"] == "integer"
    assert {"team", "year", "status", "record_type"} <= set(records)
    assert "team" in parameters(api, "/api/v1/members/")
    assert {"q", "industry", "college", "discipline"} <= set(parameters(api, "/api/v1/portraits/"))


def test_the_review_queues_filter_within_what_waits_for_the_asker(api, colleges):
    mine, other = colleges["mine"], colleges["other"]
    Team.objects.filter(pk=mine.pk).update(status=Team.Status.COLLEGE_APPROVED)
    Team.objects.filter(pk=other.pk).update(status=Team.Status.COLLEGE_APPROVED)
    sto = colleges["sto"]
    assert sorted(ids(api(sto).get("/api/v1/reviews/teams/"))) == sorted([mine.pk, other.pk])
    assert ids(api(sto).get("/api/v1/reviews/teams/", {"college": other.college_id})) == [other.pk]
    assert ids(api(sto).get("/api/v1/reviews/teams/", {"industry": "35"})) == [mine.pk]
    assert ids(api(sto).get("/api/v1/reviews/teams/", {"q": "台州泵业"})) == [other.pk]
    # a college administrator's queue holds only submitted applications of that college: none here
    assert ids(api(colleges["admin"]).get("/api/v1/reviews/teams/", {"college": mine.college_id})) == []
    refused(api(sto).get("/api/v1/reviews/teams/", {"college": "一"}), "college", "编号")

    visit, talk = two_records(colleges)
    ServiceRecord.objects.filter(pk__in=[visit.pk, talk.pk]).update(status=ServiceRecord.Status.SUBMITTED)
    admin = colleges["admin"]
    assert ids(api(admin).get("/api/v1/reviews/records/")) == [visit.pk, talk.pk]  # oldest first
    assert ids(api(admin).get("/api/v1/reviews/records/", {"year": 2025})) == [talk.pk]
    assert ids(api(admin).get("/api/v1/reviews/records/", {"record_type": "service_visit"})) == [visit.pk]
    assert ids(api(admin).get("/api/v1/reviews/records/", {"team": other.pk})) == []
    assert ids(api(colleges["their_admin"]).get("/api/v1/reviews/records/", {"team": mine.pk})) == []
    refused(api(admin).get("/api/v1/reviews/records/", {"year": "明年"}), "year", "年度")
    refused(api(admin).get("/api/v1/reviews/records/", {"record_type": "novel"}), "record_type")


def test_calls_filter_by_year_and_whether_still_open(api, colleges):
    university = colleges["mine"].college.university
    fields = {"university": university, "requirements": "按指南"}
    closed = Call.objects.create(
        year=2025, title="2025年申报", deadline="2025-06-30T17:00:00+08:00", **fields
    )
    open_call = Call.objects.create(
        year=2026, title="2026年申报", deadline="2099-06-30T17:00:00+08:00", **fields
    )
    elsewhere = Call.objects.create(
        university=CollegeFactory().university,
        year=2026,
        title="别校申报",
        requirements="按指南",
        deadline="2099-06-30T17:00:00+08:00",
    )
    sto = colleges["sto"]
    assert ids(api(sto).get("/api/v1/calls/")) == [open_call.pk, closed.pk]
    assert ids(api(sto).get("/api/v1/calls/", {"year": 2025})) == [closed.pk]
    assert ids(api(sto).get("/api/v1/calls/", {"open": "true"})) == [open_call.pk]
    assert ids(api(sto).get("/api/v1/calls/", {"open": "false"})) == [closed.pk]
    assert elsewhere.pk not in ids(api(sto).get("/api/v1/calls/", {"year": 2026}))
    refused(api(sto).get("/api/v1/calls/", {"open": "也许"}), "open", "true 或 false")
    refused(api(sto).get("/api/v1/calls/", {"year": "0"}), "year", "年度")


def test_the_moderation_queue_filters_and_stays_oldest_first(api, enterprise):
    from demand.services import need_submit

    first = need_submit(need=need_create(by=enterprise, title="注塑件翘曲变形分析", **NEED), by=enterprise)
    second = need_submit(
        need=need_create(by=enterprise, title="数控车床操作培训", **{**NEED, "service_types": ["training"]}),
        by=enterprise,
    )
    sto = StoAdminFactory()
    assert ids(api(sto).get("/api/v1/needs/moderation/")) == [first.pk, second.pk]
    assert ids(api(sto).get("/api/v1/needs/moderation/", {"q": "培训"})) == [second.pk]
    assert ids(api(sto).get("/api/v1/needs/moderation/", {"service_type": "diagnosis"})) == [first.pk]
    assert ids(api(sto).get("/api/v1/needs/moderation/", {"industry": "35"})) == [first.pk, second.pk]
    assert ids(api(sto).get("/api/v1/needs/moderation/", {"industry": "36"})) == []
    refused(api(sto).get("/api/v1/needs/moderation/", {"industry": "3x"}), "industry", "行业代码")
    refused(api(sto).get("/api/v1/needs/moderation/", {"service_type": "magic"}), "service_type")
    assert_error(api(enterprise).get("/api/v1/needs/moderation/", {"q": "培训"}), 403, "permission_denied")


def test_the_schema_documents_the_queue_and_call_filters(api, db):
    assert {"q", "college", "industry", "discipline"} <= set(parameters(api, "/api/v1/reviews/teams/"))
    assert {"team", "year", "record_type"} <= set(parameters(api, "/api/v1/reviews/records/"))
    assert {"year", "open"} <= set(parameters(api, "/api/v1/calls/"))
    assert {"q", "industry", "region", "service_type"} <= set(parameters(api, "/api/v1/needs/moderation/"))


# ---------------------------------------------------------------------------------------------- matching


@pytest.fixture
def world():
    """An enterprise's published need (3553, 椒江区) recommended to a team (0.82) and a second team (0.41)."""
    from tests.matching.test_views import make_world

    return make_world()


def test_the_feed_filters_through_the_pages_selector(api, world):
    feed = f"/api/v1/teams/{world.team.pk}/recommendations/"
    need_ids = lambda response: [row["need"]["id"] for row in ids_rows(response)]  # noqa: E731
    assert need_ids(api(world.captain).get(feed, {"min_score": "0.5", "industry": "35"})) == [world.need.pk]
    assert need_ids(api(world.captain).get(feed, {"min_score": "0.9"})) == []
    assert need_ids(api(world.captain).get(feed, {"industry": "39"})) == []
    assert need_ids(api(world.captain).get(feed, {"region": "33", "service_type": "diagnosis"})) == [
        world.need.pk
    ]
    refused(api(world.captain).get(feed, {"min_score": "2"}), "min_score")
    rank = Recommendation.objects.get(need=world.need, team=world.team).rank
    assert need_ids(api(world.captain).get(feed, {"max_rank": rank})) == [world.need.pk]
    if rank > 1:
        assert need_ids(api(world.captain).get(feed, {"max_rank": rank - 1})) == []
    refused(api(world.captain).get(feed, {"max_rank": "0"}), "max_rank")
    refused(api(world.captain).get(feed, {"max_rank": "第一"}), "max_rank")
    refused(api(world.captain).get(feed, {"region": "3"}), "region", "地区代码")
    # another team's captain may not read this feed, filtered or not
    assert_error(api(world.other_captain).get(feed, {"min_score": "0"}), 404, "not_found")


def test_engagements_filter_by_state_need_and_team_within_what_the_asker_sees(api, world):
    from engagements.services import engagement_invite

    ours = engagement_invite(need=world.need, team=world.team, by=world.owner, message="请评估")
    theirs = engagement_invite(need=world.need, team=world.other_team, by=world.owner, message="请评估")
    owner = api(world.owner)
    assert ids(owner.get("/api/v1/engagements/", {"team": world.other_team.pk})) == [theirs.pk]
    assert sorted(
        ids(owner.get("/api/v1/engagements/", {"need": world.need.pk, "status": "proposed"}))
    ) == sorted([ours.pk, theirs.pk])
    assert ids(owner.get("/api/v1/engagements/", {"status": "agreed"})) == []
    # the first team's captain asking for the other team's engagements finds none
    assert ids(api(world.captain).get("/api/v1/engagements/", {"team": world.other_team.pk})) == []
    assert ids(api(world.captain).get("/api/v1/engagements/", {"need": world.need.pk})) == [ours.pk]
    refused(owner.get("/api/v1/engagements/", {"status": "maybe"}), "status")
    refused(owner.get("/api/v1/engagements/", {"need": "第一个"}), "need", "编号")


def test_assignments_filter_by_state_overdue_and_team_within_the_askers_university(api, world):
    from django.utils import timezone

    from engagements.assignments import assignment_create
    from engagements.models import Assignment

    office = StoAdminFactory(university=world.team.college.university)
    their_office = StoAdminFactory(university=world.other_team.college.university)
    soon = timezone.now() + dt.timedelta(days=2)
    ours = assignment_create(need=world.need, team=world.team, by=office, deadline=soon)
    theirs = assignment_create(need=world.need, team=world.other_team, by=their_office, deadline=soon)
    Assignment.objects.filter(pk=theirs.pk).update(deadline=timezone.now() - dt.timedelta(days=1))

    assert ids(api(office).get("/api/v1/assignments/", {"status": "pending"})) == [ours.pk]
    assert ids(api(office).get("/api/v1/assignments/", {"team": world.other_team.pk})) == []  # not its own
    assert ids(api(their_office).get("/api/v1/assignments/", {"overdue": "true"})) == [theirs.pk]
    assert ids(api(office).get("/api/v1/assignments/", {"overdue": "true"})) == []
    assert ids(api(office).get("/api/v1/assignments/", {"need": world.need.pk, "overdue": "false"})) == [
        ours.pk
    ]
    refused(api(office).get("/api/v1/assignments/", {"overdue": "也许"}), "overdue", "true 或 false")
    refused(api(office).get("/api/v1/assignments/", {"status": "lost"}), "status")
    # one assignment's page ignores the list's parameters
    one = api(office).get(f"/api/v1/assignments/{ours.pk}/", {"status": "declined"})
    assert one.status_code == 200 and one.json()["id"] == ours.pk


def test_the_schema_documents_the_matching_filters(api, db):
    feed = parameters(api, "/api/v1/teams/{id}/recommendations/")
    assert {"industry", "region", "service_type", "min_score"} <= set(feed)
    assert {"status", "need", "team", "ordering"} <= set(parameters(api, "/api/v1/engagements/"))
    assignments = parameters(api, "/api/v1/assignments/")
    assert {"status", "overdue", "need", "team"} <= set(assignments)
    assert assignments["overdue"]["schema"]["type"] == "boolean"


# ------------------------------------------------------------------------------ notifications, lookups


def test_notifications_filter_read_or_unread_and_only_the_askers_own(api, db):
    from django.utils import timezone

    from accounts.notifications import notify

    reader, other = EnterpriseUserFactory(), EnterpriseUserFactory()
    unread, read = (
        notify(users=[reader], kind="test", title="新的推荐"),
        notify(users=[reader], kind="test", title="旧通知"),
    )
    Notification.objects.filter(pk=read[0].pk).update(read_at=timezone.now())
    notify(users=[other], kind="test", title="别人的通知")
    assert ids(api(reader).get("/api/v1/notifications/", {"unread": "true"})) == [unread[0].pk]
    assert ids(api(reader).get("/api/v1/notifications/", {"unread": "false"})) == [read[0].pk]
    assert len(ids(api(reader).get("/api/v1/notifications/"))) == 2
    refused(api(reader).get("/api/v1/notifications/", {"unread": "未读"}), "unread", "true 或 false")
    # one notice by id ignores the list's parameter
    one = api(reader).get(f"/api/v1/notifications/{read[0].pk}/", {"unread": "true"})
    assert one.status_code == 200 and one.json()["id"] == read[0].pk
    assert parameters(api, "/api/v1/notifications/")["unread"]["schema"]["type"] == "boolean"


def test_lookups_list_one_level_or_names_through_the_reference_selectors(api, reference_data):
    # the real GB/T 4754 and discipline tables (loaded once for the session, so a test cannot make its own)
    rows = lambda response: ids_rows(response)  # noqa: E731
    codes = lambda response: [row["code"] for row in rows(response)]  # noqa: E731
    sections = api().get("/api/v1/industries/")
    assert sections.json()["count"] == 20 and "C" in codes(sections)
    divisions = codes(api().get("/api/v1/industries/", {"parent": "c", "page_size": 100}))
    assert "35" in divisions and all(len(code) == 2 for code in divisions)
    found = api().get("/api/v1/industries/", {"q": "专用设备", "page_size": 100})
    assert {"35", "353", "3533"} <= set(codes(found))
    assert all("专用设备" in row["name"] for row in rows(found))
    assert codes(api().get("/api/v1/industries/", {"parent": "3x-"})) == []
    assert codes(api().get("/api/v1/disciplines/", {"q": "机械"})) == ["CSL49"]  # csl unless asked
    nsfc = codes(api().get("/api/v1/disciplines/", {"q": "机械工程", "scheme": "nsfc"}))
    assert nsfc == ["E05"]
    refused(api().get("/api/v1/disciplines/", {"scheme": "mesh"}), "scheme")
    refused(api().get("/api/v1/regions/", {"q": "椒\x00江"}), "q", "空字符")
    refused(api().get("/api/v1/regions/", {"q": "长" * 51}), "q")
    assert {"parent", "q", "scheme"} <= set(parameters(api, "/api/v1/disciplines/"))


# --------------------------------------------------------------------------------------------- analytics


def test_an_assessments_ranking_filters_by_college_and_category(api, db):
    from scoring.assessment import assessment_open
    from scoring.models import AssessmentResult
    from tests.scoring.test_assessment import world as assessment_world

    office, science, humanities, _records = assessment_world.__wrapped__()
    assessment = assessment_open(
        by=office, year=2026, spot_share="0.4", pass_threshold="5", excellent_threshold="7"
    )
    for rank, team in enumerate((science, humanities), start=1):  # the ranking as notice-begin writes it
        AssessmentResult.objects.create(
            assessment=assessment, team=team, score=8 - rank, grade="pass", rank=rank
        )
    url = f"/api/v1/assessments/{assessment.pk}/results/"
    teams = lambda response: [row["team"]["id"] for row in ids_rows(response)]  # noqa: E731
    assert sorted(teams(api(office).get(url))) == sorted([science.pk, humanities.pk])
    assert teams(api(office).get(url, {"category": "humanities"})) == [humanities.pk]
    assert teams(api(office).get(url, {"college": science.college_id})) == [science.pk]
    refused(api(office).get(url, {"category": "arts"}), "category")
    refused(api(office).get(url, {"college": "理学院"}), "college", "编号")
    # another university's office: the assessment is a 404, filtered or not
    assert_error(api(StoAdminFactory()).get(url, {"category": "science"}), 404, "not_found")
    assert {"college", "category"} <= set(parameters(api, "/api/v1/assessments/{id}/results/"))


# ---------------------------------------------------------------------------------------- openings (人岗匹配)


def test_openings_and_applications_filter_within_what_the_asker_sees(api):
    from talent.services import application_submit, opening_close
    from tests.talent.talent_world import make_opening, student

    team = build_valid_team(status="active", name_suffix="缝制装备振动")
    captain = team.members.get(role="captain").user
    assistant = make_opening(team, captain)
    closed = opening_close(
        opening=make_opening(team, captain, kind="project_role", title="项目岗位"), by=captain
    )
    other_team = build_valid_team(
        status="active", name_suffix="流体机械", captain_user=TeamMemberUserFactory()
    )
    other_captain = other_team.members.get(role="captain").user
    elsewhere = make_opening(other_team, other_captain, title="泵体测试科研助理")
    mech = student("王振", major="机械工程", skills=["MATLAB"], interests="机械振动")
    mine = application_submit(opening=assistant, by=mech.user, statement="做过振动测试")
    application_submit(opening=elsewhere, by=mech.user, statement="也想试试")

    assert ids(api(captain).get("/api/v1/openings/", {"team": team.pk, "status": "closed"})) == [closed.pk]
    assert ids(api(captain).get("/api/v1/openings/", {"kind": "research_assistant", "team": team.pk})) == [
        assistant.pk
    ]
    # another team's closed openings stay out of sight, however the list is filtered
    assert ids(api(other_captain).get("/api/v1/openings/", {"team": team.pk, "status": "closed"})) == []
    assert ids(api(captain).get("/api/v1/applications/", {"opening": assistant.pk})) == [mine.pk]
    assert ids(api(captain).get("/api/v1/applications/", {"opening": elsewhere.pk})) == []  # not its team's
    assert len(ids(api(mech.user).get("/api/v1/applications/", {"status": "submitted"}))) == 2
    refused(api(captain).get("/api/v1/openings/", {"kind": "job"}), "kind")
    refused(api(captain).get("/api/v1/applications/", {"opening": "-1"}), "opening", "编号")
    assert {"team", "kind", "status"} <= set(parameters(api, "/api/v1/openings/"))
    assert {"opening", "status"} <= set(parameters(api, "/api/v1/applications/"))

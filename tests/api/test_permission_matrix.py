"""Every endpoint under /api/v1/, for four people: anonymous, the owner, a member of the owner's
organisation, an outsider. Each gets the declared status, and nothing private leaks to those who may not
see it: not in a body, not in a list's count, not in an error, not in an export.

How it works
------------
`test_every_api_route_is_declared` walks Django's URL resolver and lists every route under /api/v1/ with
the HTTP methods its view answers. Each (URL name, method) must have a row in MATRIX, and every row must
name a real route: a new endpoint without a row fails the suite, and so does a row left behind.

Adding an endpoint (other apps: do this when you land one)
-----------------------------------------------------------
Add a row to MATRIX keyed by `("api:<url name>", "<method>")`:

    ("api:need-detail", "get"): Row("/api/v1/needs/{need_draft}/", "need", (401, 200, 200, 404)),

- the URL is formatted with the ids of the objects `build_world` makes (`{need_draft}`, `{team}` …; add
  an object there if yours needs one);
- the family says who "owner", "same_org" and "outsider" are (FAMILIES: the enterprise that posted a
  need and its colleague, a team's captain and a teacher of the same college, a college administrator,
  the S&T office, a government viewer …);
- the statuses are for (anonymous, owner, same_org, outsider), in that order; one status, or a tuple of
  the statuses allowed;
- `data` is the body (a dict, formatted like the URL); `fmt="multipart"` for uploads;
- `counts` gives, per person, the `count` a paginated list must show them (0: nothing of the others');
- `intact` is a check that the world was not changed by a refused write.

Every response to anonymous and to the outsider, and every refusal, is searched for SECRETS (a draft need's title, the name
of an enterprise that asked to stay unnamed, a service record's title, evidence file names, phone
numbers, a notification): none may appear. Each (row, person) runs on a fresh world, so a write by one
person never decides what the next one sees.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Enterprise, Notification, Role
from demand.models import Need, NeedAttachment
from engagements.models import Assignment, Engagement
from matching.models import Recommendation, SavedSearch
from scoring.models import Assessment, AssessmentResult, Case, Objection, RuleSet, SpotCheck
from talent.models import Application, Opening, StudentProfile
from teams.models import (
    Call,
    CaptainChange,
    Evidence,
    Member,
    MemberClaim,
    MemberRole,
    Rectification,
    ServiceRecord,
    Team,
)
from tests.api.conftest import assert_error
from tests.factories import (
    AgencyFactory,
    CollegeAdminFactory,
    CollegeFactory,
    EnterpriseUserFactory,
    IndustryFactory,
    RegionFactory,
    StoAdminFactory,
    TeamMemberUserFactory,
    UniversityFactory,
    UserFactory,
    build_valid_team,
    valid_credit_code,
)
from tests.teams.test_import import GOOD_MEMBERS, member_enterprise, sheet
from tests.teams.test_records import PDF

pytestmark = pytest.mark.django_db
PERSONS = ("anonymous", "owner", "same_org", "outsider")
METHODS = ("get", "post", "put", "patch", "delete")


# --------------------------------------------------------------------------------------------- routes


def api_routes() -> dict[tuple[str, str], str]:
    """(namespaced URL name, method) → route, for every route under api/v1/."""
    found = {}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
                continue
            route = prefix + str(pattern.pattern)
            if not route.startswith("api/v1/"):
                continue
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            callback = pattern.callback
            actions = getattr(callback, "actions", None)
            view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
            methods = set(actions) if actions else {m for m in METHODS if hasattr(view, m)}
            for method in methods & set(METHODS):
                found[(name, method)] = route

    walk(get_resolver().url_patterns, "", "")
    return found


# ---------------------------------------------------------------------------------------------- world

SECRET_DRAFT_TITLE = "保密草稿需求甲乙丙"
SECRET_RECORD_TITLE = "保密服务记录丁戊己"
SECRET_EVIDENCE_NAME = "保密佐证庚辛.pdf"
SECRET_NOTE = "保密通知壬癸"
SECRET_SEARCH = "保密订阅子丑"
SECRET_OBJECTION = "保密异议寅卯"
SECRET_CASE = "保密案例辰巳"
OWNER_PHONE = "13900000001"
CAPTAIN_PHONE = "13700000002"
NEW_NEED = {
    "title": "新的技术需求标题",
    "description": "新的技术需求描述，足够长的文字说明问题。",
    "industry": "3553",
    "service_types": ["diagnosis"],
}
NEW_TEAM = {
    "name": "孙立·泵业科技小分队",
    "work_mode": "enterprise_centre",
    "theme": "smart_manufacturing",
    "captain_title": "教授",
    "qualifying_project": "浙江省重点研发计划项目",
    "qualifying_level": "provincial",
}
IMPORTED_TEAM = "赵小明·杰克缝制科技小分队"
NEW_RECORD = {
    "team": "{team}",
    "record_type": "service_visit",
    "date": "2026-03-01",
    "title": "赴企业开展减振诊断",
    "served_organisation": "某企业",
    "description": "现场测试并提出改进建议。",
}


def build_world() -> SimpleNamespace:
    IndustryFactory(), RegionFactory()
    w = SimpleNamespace()
    # Enterprises: A posts the needs (and asked to stay unnamed on one); B is another enterprise.
    w.ent_owner = EnterpriseUserFactory(phone=OWNER_PHONE, enterprise__name="保密企业名称甲有限公司")
    w.ent_colleague = EnterpriseUserFactory(enterprise=w.ent_owner.enterprise)
    w.ent_outsider = EnterpriseUserFactory()
    need = dict(
        enterprise=w.ent_owner.enterprise,
        created_by=w.ent_owner,
        description="高速平缝机振动偏大，希望联合高校减振优化。",
        industry=w.ent_owner.enterprise.industry,
        region=w.ent_owner.enterprise.region,
        service_types=["diagnosis"],
    )
    now = timezone.now()
    w.need_draft = Need.objects.create(title=SECRET_DRAFT_TITLE, **need)
    w.need_sub = Need.objects.create(title="待审核的需求标题", status="submitted", submitted_at=now, **need)
    public = dict(status="published", published_at=now, show_enterprise=False, **need)
    w.need_pub = Need.objects.create(title="已发布需求一", **public)
    w.need_pub2 = Need.objects.create(title="已发布需求二", **public)
    # University U1 with college C1 and its active team T; U2 elsewhere.
    u1 = UniversityFactory(region=w.ent_owner.enterprise.region)
    c1 = CollegeFactory(university=u1)
    w.team_obj = build_valid_team(college=c1, status="active")
    w.captain = w.team_obj.members.get(role=MemberRole.CAPTAIN).user
    w.captain.phone = CAPTAIN_PHONE
    w.captain.save()
    w.team_draft_obj = build_valid_team(college=c1, name_suffix="二号", captain_user=w.captain)
    w.team_sub_obj = build_valid_team(
        college=c1, name_suffix="三号", captain_user=w.captain, status="submitted"
    )
    w.team3_obj = build_valid_team(college=c1, name_suffix="四号", captain_user=w.captain, status="active")
    w.team_rect_obj = build_valid_team(
        college=c1, name_suffix="五号", captain_user=w.captain, status="rectifying"
    )
    w.rectification_obj = Rectification.objects.create(
        team=w.team_rect_obj,
        reason="记录不足",
        measure="补充服务",
        responsible="赵小明",
        deadline="2099-01-01",
    )
    w.teacher_same = TeamMemberUserFactory(college=c1)
    w.college_admin = CollegeAdminFactory(college=c1)
    w.sto = StoAdminFactory(university=u1)
    c2 = CollegeFactory()
    w.teacher_out = TeamMemberUserFactory(college=c2)
    w.college_admin_out = CollegeAdminFactory(college=c2)
    w.sto_out = StoAdminFactory(university=c2.university)
    w.platform_admin = UserFactory(role=Role.PLATFORM_ADMIN)
    w.gov = UserFactory(role=Role.GOV_VIEWER, agency=AgencyFactory())
    w.gov_colleague = UserFactory(role=Role.GOV_VIEWER, agency=w.gov.agency)
    # Records: a draft with evidence, and a submitted one waiting for the college.
    w.record_obj = ServiceRecord.objects.create(
        team=w.team_obj,
        record_type="service_visit",
        date="2026-03-01",
        title=SECRET_RECORD_TITLE,
        served_organisation="某企业",
        description="现场服务",
        created_by=w.captain,
    )
    w.evidence_obj = Evidence.objects.create(
        record=w.record_obj,
        file=ContentFile(PDF, name="e.pdf"),
        original_name=SECRET_EVIDENCE_NAME,
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=w.captain,
    )
    w.record_sub_obj = ServiceRecord.objects.create(
        team=w.team_obj,
        record_type="training",
        date="2026-03-02",
        title="已提交的服务记录",
        served_organisation="某企业",
        description="培训",
        status="submitted",
    )
    w.member_obj = Member.objects.create(
        team=w.team_obj,
        name="郑五",
        role=MemberRole.CORE,
        kind="teacher",
        background="机械工程",
        title="讲师",
    )
    # 变更队长: a qualified teacher of T its captain may name; a pending change on T3 for the college.
    w.successor_obj = Member.objects.create(
        team=w.team_obj, user=TeamMemberUserFactory(college=c1), name="冯六", role=MemberRole.CORE,
        kind="teacher", background="机械工程", title="教授", qualifying_project="国家自然科学基金项目",
        qualifying_level="national",
    )  # fmt: skip
    team3_core = w.team3_obj.members.get(name="李一")
    w.captain_change_obj = CaptainChange.objects.create(
        team=w.team3_obj, old_captain=w.team3_obj.members.get(role=MemberRole.CAPTAIN), new_captain=team3_core,
        old_captain_name="赵小明", new_captain_name="李一", outgoing="core", reason="工作调动",
        requested_by=w.captain, old_team_name=w.team3_obj.name,
    )  # fmt: skip
    # Matching: a recommendation, a proposed invitation, an agreed engagement.
    Recommendation.objects.create(need=w.need_pub, team=w.team_obj, rank=1, score=0.8, model_version="t")
    w.engagement_obj = Engagement.objects.create(
        need=w.need_pub, team=w.team_obj, origin="invitation", created_by=w.ent_owner
    )
    w.agreed_obj = Engagement.objects.create(
        need=w.need_pub2, team=w.team_obj, origin="invitation", status="agreed", scope="范围"
    )
    w.attachment_obj = NeedAttachment.objects.create(
        need=w.need_draft, file=ContentFile(PDF, name="a.pdf"), original_name="保密附件.pdf",
        content_type="application/pdf", size=len(PDF), uploaded_by=w.ent_owner,
    )  # fmt: skip
    w.note_obj = Notification.objects.create(user=w.ent_owner, kind="test", title=SECRET_NOTE)
    # Assessments of U1: one open, one on notice with a result for T.
    # A closed call of U1 that T applied in (Appendix D prints T's college's batch).
    w.call_obj = Call.objects.create(
        university=u1,
        year=2026,
        title="2026年申报",
        requirements="按指南申报",
        deadline=now - timedelta(days=30),
    )
    Team.objects.filter(pk=w.team_obj.pk).update(call=w.call_obj)
    w.assessment_open_obj = Assessment.objects.create(university=u1, year=2025)
    w.assessment_notice_obj = Assessment.objects.create(
        university=u1, year=2026, status="notice", notice_start=now, notice_end=now + timedelta(days=5)
    )
    w.assessment_spot_obj = Assessment.objects.create(university=u1, year=2024, status="spot_check")
    # The sample is drawn from approved records, and only those can be spot-checked.
    w.record_drawn_obj = ServiceRecord.objects.create(
        team=w.team_obj,
        record_type="training",
        date="2026-03-03",
        title="抽中的服务记录",
        served_organisation="某企业",
        description="培训",
        status="approved",
    )
    w.spot_obj = SpotCheck.objects.create(
        assessment=w.assessment_spot_obj, record=w.record_drawn_obj, category="science"
    )
    w.result_obj = AssessmentResult.objects.create(
        assessment=w.assessment_notice_obj,
        team=w.team_obj,
        score=10,
        grade="pass",
        rank=1,
        breakdown=[
            {
                "record_type": "service_visit",
                "label": "走访",
                "quantity": "0",
                "raw": "0",
                "score": "0",
                "cap": None,
                "capped": False,
                "records": [],
            }
        ],  # fmt: skip
    )
    w.objection_obj = Objection.objects.create(
        assessment=w.assessment_notice_obj, author="李四", contact="13911112222", text=SECRET_OBJECTION
    )
    w.case_obj = Case.objects.create(team=w.team_obj, year=2026, title=SECRET_CASE, text="案例内容")
    # 指派: the S&T office assigned need_pub2 to T3 (waiting); 人岗匹配: an opening of T and a student's
    # application to it.
    w.assignment_obj = Assignment.objects.create(
        need=w.need_pub2, team=w.team3_obj, assigned_by=w.sto, deadline=now + timedelta(days=3)
    )
    w.opening_obj = Opening.objects.create(
        team=w.team_obj, kind="research_assistant", title="振动测试科研助理", description="协助振动测试与分析。",
        slots=1, hours_per_week=8, deadline=timezone.localdate() + timedelta(days=14), created_by=w.captain,
    )  # fmt: skip
    w.student = TeamMemberUserFactory(college=c1)
    profile = StudentProfile.objects.create(
        user=w.student, level="graduate", major="机械工程", year=timezone.localdate().year, hours_per_week=8
    )
    w.application_obj = Application.objects.create(opening=w.opening_obj, student=profile)
    # 订阅: the captain's saved search for T.
    w.search_obj = SavedSearch.objects.create(
        team=w.team_obj, owner=w.captain, name=SECRET_SEARCH, query="泵"
    )
    for user in (w.ent_owner, w.ent_colleague, w.ent_outsider):
        Token.objects.create(user=user)
    w.ids = {
        "need_draft": w.need_draft.pk,
        "need_sub": w.need_sub.pk,
        "need_pub": w.need_pub.pk,
        "team": w.team_obj.pk,
        "team_draft": w.team_draft_obj.pk,
        "team_sub": w.team_sub_obj.pk,
        "team3": w.team3_obj.pk,
        "record": w.record_obj.pk,
        "record_sub": w.record_sub_obj.pk,
        "evidence": w.evidence_obj.pk,
        "member": w.member_obj.pk,
        "successor_member": w.successor_obj.pk,
        "captain_change": w.captain_change_obj.pk,
        "teacher_same": w.teacher_same.pk,
        "rectification": w.rectification_obj.pk,
        "captain_member": w.team_obj.members.get(role=MemberRole.CAPTAIN).pk,
        "engagement": w.engagement_obj.pk,
        "agreed": w.agreed_obj.pk,
        "note": w.note_obj.pk,
        "attachment": w.attachment_obj.pk,
        "assessment_open": w.assessment_open_obj.pk,
        "assessment_spot": w.assessment_spot_obj.pk,
        "call": w.call_obj.pk,
        "assessment_notice": w.assessment_notice_obj.pk,
        "result": w.result_obj.pk,
        "spot": w.spot_obj.pk,
        "region": w.gov.agency.region.code,
        "soon": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "assignment": w.assignment_obj.pk,
        "opening": w.opening_obj.pk,
        "application": w.application_obj.pk,
        "search": w.search_obj.pk,
        "objection": w.objection_obj.pk,
        "case": w.case_obj.pk,
        "college": c1.pk,
        "college_name": c1.name,
        "enterprise": w.ent_owner.enterprise_id,
    }
    return w


SECRETS = ["保密附件", SECRET_DRAFT_TITLE, SECRET_RECORD_TITLE, SECRET_EVIDENCE_NAME, SECRET_NOTE, OWNER_PHONE, CAPTAIN_PHONE,
           "保密企业名称甲", SECRET_SEARCH, SECRET_OBJECTION,
           SECRET_CASE]  # fmt: skip

# family → (owner, same_org, outsider): attributes of the world.
FAMILIES = {
    "need": ("ent_owner", "ent_colleague", "ent_outsider"),  # an enterprise's needs and engagements
    "self": ("ent_owner", "ent_colleague", "ent_outsider"),  # one's own account and notices
    "team": ("captain", "teacher_same", "teacher_out"),  # a team's internals
    "college": ("college_admin", "teacher_same", "college_admin_out"),  # a college's reviews
    "office": ("sto", "teacher_same", "sto_out"),  # the S&T office's assessment
    "moderator": ("sto", "teacher_same", "ent_outsider"),  # moderating needs
    "gov": ("gov", "gov_colleague", "ent_outsider"),  # dashboards: aggregates in one's region
    "report": ("sto", "teacher_same", "sto_out"),  # the S&T office's report exports
    "platform": ("platform_admin", "ent_owner", "sto"),  # reviewing enterprises' registrations
}


@dataclass
class Row:
    url: str
    family: str
    expect: tuple  # (anonymous, owner, same_org, outsider): a status or a tuple of allowed statuses
    data: dict | None = None
    fmt: str = "json"
    counts: dict = field(default_factory=dict)
    intact: object = None  # callable(world) -> bool, checked after a refused write


PUBLIC = (200, 200, 200, 200)
INSIDE = (401, 200, 404, 404)  # the owner only; the rest of the organisation and outsiders get a 404


def _unchanged(model, key, field_name, value):
    return lambda w: getattr(model.objects.get(pk=w.ids[key]), field_name) == value


MATRIX: dict[tuple[str, str], Row] = {
    # reference lookups and the API's own documentation: public
    ("api:industry-list", "get"): Row("/api/v1/industries/", "need", PUBLIC),
    ("api:industry-detail", "get"): Row("/api/v1/industries/3553/", "need", PUBLIC),
    ("api:region-list", "get"): Row("/api/v1/regions/", "need", PUBLIC),
    ("api:region-detail", "get"): Row("/api/v1/regions/331002/", "need", PUBLIC),
    ("api:discipline-list", "get"): Row("/api/v1/disciplines/", "need", PUBLIC),
    ("api:service-type-list", "get"): Row("/api/v1/service-types/", "need", PUBLIC),
    ("api:schema", "get"): Row("/api/v1/schema/", "need", PUBLIC),
    ("api:docs", "get"): Row("/api/v1/docs/", "need", PUBLIC),
    ("api:redoc", "get"): Row("/api/v1/redoc/", "need", PUBLIC),
    # sign-in: a wrong password is refused alike for everyone; each revokes only their own token
    ("api:token", "post"): Row(
        "/api/v1/auth/token/", "self", (401,) * 4, {"username": "nobody", "password": "x"}
    ),
    ("api:token", "delete"): Row("/api/v1/auth/token/", "self", (401, 204, 204, 204)),
    # an enterprise registers (anyone may; the account waits for approval)
    ("api:registration", "post"): Row(
        "/api/v1/registrations/",
        "self",
        (201, 201, 201, 201),
        {
            "enterprise_name": "台州市新注册企业有限公司",
            "credit_code": valid_credit_code(78),
            "industry_code": "3553",
            "region_code": "331002",
            "real_name": "陈经理",
            "phone": "13800000009",
            "email": "new@example.com",
            "username": "newcomer",
            "password": "Taizhou-2026!",
            "password_confirm": "Taizhou-2026!",
        },
    ),  # fmt: skip
    # an enterprise's own profile (its users; platform administrators)
    ("api:enterprise-list", "get"): Row(
        "/api/v1/enterprises/",
        "need",
        (401, 200, 200, 200),
        counts={"owner": 1, "same_org": 1, "outsider": 1},  # each sees their own enterprise only
    ),
    ("api:enterprise-detail", "get"): Row("/api/v1/enterprises/{enterprise}/", "need", (401, 200, 200, 404)),
    ("api:enterprise-approve", "post"): Row(
        "/api/v1/enterprises/{enterprise}/approve/", "platform", (401, 200, 403, 404)
    ),
    ("api:enterprise-reject", "post"): Row(
        "/api/v1/enterprises/{enterprise}/reject/",
        "platform",
        (401, 200, 403, 404),
        intact=_unchanged(Enterprise, "enterprise", "status", "approved"),
    ),  # fmt: skip
    ("api:me", "get"): Row("/api/v1/me/", "self", (401, 200, 200, 200)),
    # one's own contact details: each person edits only their own (the asker is the subject)
    ("api:me", "patch"): Row("/api/v1/me/", "self", (401, 200, 200, 200), {"phone": "13900001111"}),
    ("api:notification-list", "get"): Row(
        "/api/v1/notifications/", "self", (401, 200, 200, 200), counts={"same_org": 0, "outsider": 0}
    ),
    ("api:notification-read", "post"): Row(
        "/api/v1/notifications/read/",
        "self",
        (401, 200, 200, 200),
        {"ids": ["{note}"]},
        intact=lambda w: Notification.objects.get(pk=w.ids["note"]).read_at is None,
    ),  # fmt: skip
    ("api:notification-unread", "get"): Row("/api/v1/notifications/unread/", "self", (401, 200, 200, 200)),
    ("api:notification-detail", "get"): Row("/api/v1/notifications/{note}/", "self", INSIDE),
    # needs: an enterprise and its colleagues see their drafts; the hall is public
    ("api:hall", "get"): Row("/api/v1/hall/", "need", PUBLIC, counts={p: 2 for p in PERSONS}),
    ("api:need-list", "get"): Row(
        "/api/v1/needs/", "need", (401, 200, 200, 200), counts={"owner": 4, "same_org": 4, "outsider": 2}
    ),
    ("api:need-list", "post"): Row("/api/v1/needs/", "need", (401, 201, 201, 201), NEW_NEED),
    ("api:need-detail", "get"): Row("/api/v1/needs/{need_draft}/", "need", (401, 200, 200, 404)),
    # a draft is deleted by its enterprise (owner and colleague alike); anyone else sees no such need
    ("api:need-detail", "delete"): Row(
        "/api/v1/needs/{need_draft}/",
        "need",
        (401, 204, 204, 404),
        intact=_unchanged(Need, "need_draft", "status", "draft"),
    ),
    ("api:need-detail", "patch"): Row(
        "/api/v1/needs/{need_draft}/",
        "need",
        (401, 200, 200, 404),
        {"budget_max": "30"},
        intact=_unchanged(Need, "need_draft", "budget_max", None),
    ),  # fmt: skip
    ("api:need-attachments", "get"): Row(
        "/api/v1/needs/{need_draft}/attachments/", "need", (401, 200, 200, 404)
    ),
    ("api:need-attachments", "post"): Row(
        "/api/v1/needs/{need_draft}/attachments/",
        "need",
        (401, 201, 201, 404),
        {"file": "PDF"},
        fmt="multipart",
    ),
    ("api:attachment-download", "get"): Row(
        "/api/v1/attachments/{attachment}/download/", "need", (401, 200, 200, 404)
    ),
    ("api:need-close", "post"): Row(
        "/api/v1/needs/{need_draft}/close/", "need", (401, 200, 200, 404), {"reason": "不再需要"}
    ),
    ("api:need-events", "get"): Row("/api/v1/needs/{need_draft}/events/", "need", (401, 200, 200, 404)),
    ("api:need-submit", "post"): Row("/api/v1/needs/{need_draft}/submit/", "need", (401, 200, 200, 404)),
    ("api:need-resolve", "post"): Row(
        "/api/v1/needs/{need_pub}/resolve/",
        "need",
        (401, 200, 200, 403),
        intact=_unchanged(Need, "need_pub", "status", "published"),
    ),  # fmt: skip
    ("api:need-moderation", "get"): Row("/api/v1/needs/moderation/", "moderator", (401, 200, 403, 403)),
    ("api:need-moderate", "post"): Row(
        "/api/v1/needs/{need_sub}/moderate/", "moderator", (401, 200, 404, 404), {"approve": True}
    ),
    ("api:need-recommendations", "get"): Row(
        "/api/v1/needs/{need_pub}/recommendations/", "need", (401, 200, 200, 404)
    ),
    # teams: their members, their college and their university's S&T office; portraits are public
    ("api:team-list", "get"): Row(
        "/api/v1/teams/", "team", (401, 200, 200, 200), counts={"owner": 5, "same_org": 0, "outsider": 0}
    ),
    ("api:team-list", "post"): Row("/api/v1/teams/", "team", (401, 201, 201, 201), NEW_TEAM),
    ("api:team-detail", "get"): Row("/api/v1/teams/{team}/", "team", INSIDE),
    ("api:team-detail", "patch"): Row("/api/v1/teams/{team}/", "team", INSIDE, {"description": "新的简介"}),
    ("api:team-history", "get"): Row("/api/v1/teams/{team}/history/", "team", INSIDE),
    ("api:team-members", "get"): Row("/api/v1/teams/{team}/members/", "team", INSIDE),
    ("api:team-transitions", "post"): Row(
        "/api/v1/teams/{team_draft}/transitions/", "team", INSIDE, {"action": "submit"}
    ),
    ("api:team-review", "post"): Row(
        "/api/v1/teams/{team_sub}/review/", "college", INSIDE, {"approve": True}
    ),
    ("api:team-rectifications", "post"): Row(
        "/api/v1/teams/{team}/rectifications/",
        "office",
        (401, 201, 404, 404),
        {"reason": "服务记录不足", "measure": "补充服务", "responsible": "赵小明", "deadline": "{soon}"},
    ),  # fmt: skip
    ("api:call-list", "get"): Row(
        "/api/v1/calls/", "office", (401, 200, 200, 200), counts={"owner": 1, "same_org": 1, "outsider": 0}
    ),
    # Appendix D, filled: the college's administrator and its S&T office; a teacher and another college
    # get a 404
    ("api:call-appendix-d", "get"): Row(
        "/api/v1/calls/{call}/appendix-d/{college}/?kind=xlsx", "college", (401, 200, 404, 404)
    ),
    ("api:call-list", "post"): Row(
        "/api/v1/calls/",
        "office",
        (401, 201, 403, 201),
        {"year": 2026, "title": "2026年申报", "requirements": "按指南申报", "deadline": "2099-12-31 17:00"},
    ),  # fmt: skip
    ("api:rectification-close", "post"): Row(
        "/api/v1/rectifications/{rectification}/close/",
        "office",
        INSIDE,
        {"outcome": "已完成整改"},
        intact=_unchanged(Rectification, "rectification", "status", "open"),
    ),  # fmt: skip
    # Appendix D imports (teams.import_apis): a college's administrator or its S&T office
    ("api:application-import", "post"): Row(
        "/api/v1/application-imports/",
        "college",
        (401, 201, 403, 400),  # the outsider's college is not the sheet's: import_rejected
        {"file": "XLSX"},
        fmt="multipart",
        intact=lambda w: not Team.objects.filter(name=IMPORTED_TEAM).exists(),
    ),
    ("api:application-import-template", "get"): Row(
        "/api/v1/application-imports/template/", "college", (401, 200, 403, 200)
    ),
    ("api:member-list", "get"): Row(
        "/api/v1/members/", "team", (401, 200, 200, 200), counts={"same_org": 0, "outsider": 0}
    ),
    ("api:member-list", "post"): Row(
        "/api/v1/members/",
        "team",
        (401, 201, 404, 404),
        {"team": "{team}", "name": "王六", "role": "core", "title": "讲师", "background": "机械工程"},
    ),
    ("api:member-detail", "get"): Row("/api/v1/members/{member}/", "team", INSIDE),
    ("api:member-detail", "patch"): Row("/api/v1/members/{member}/", "team", INSIDE, {"title": "副教授"}),
    ("api:member-detail", "delete"): Row(
        "/api/v1/members/{member}/",
        "team",
        (401, 204, 404, 404),
        intact=lambda w: Member.objects.filter(pk=w.ids["member"]).exists(),
    ),  # fmt: skip
    # claimable memberships (teams.claims): the captain (or the college) issues, a teacher claims, the
    # college links an account of the college
    ("api:member-claims", "post"): Row(
        "/api/v1/members/{member}/claims/",
        "team",
        (401, 201, 404, 404),
        intact=lambda w: not MemberClaim.objects.exists(),
    ),
    ("api:member-account", "post"): Row(
        "/api/v1/members/{member}/account/",
        "college",
        (401, 200, 404, 404),
        {"user": "{teacher_same}"},
        intact=lambda w: Member.objects.get(pk=w.ids["member"]).user_id is None,
    ),
    ("api:member-claim-redeem", "post"): Row(
        "/api/v1/member-claims/redeem/",
        "team",
        (401, 400, 400, 400),  # a code nobody issued: refused alike, nothing named
        {"token": "a-code-nobody-issued"},
        intact=lambda w: Member.objects.get(pk=w.ids["member"]).user_id is None,
    ),
    # 变更队长 (teams.captaincy): the captain asks, the college decides, the captain may withdraw
    ("api:team-captain-changes", "get"): Row("/api/v1/teams/{team}/captain-changes/", "team", INSIDE),
    ("api:team-captain-changes", "post"): Row(
        "/api/v1/teams/{team}/captain-changes/",
        "team",
        (401, 201, 404, 404),
        {"new_captain": "{successor_member}", "outgoing": "core", "reason": "工作调动"},
        intact=lambda w: not CaptainChange.objects.filter(team=w.team_obj).exists(),
    ),
    ("api:captain-change-decide", "post"): Row(
        "/api/v1/captain-changes/{captain_change}/decide/",
        "college",
        INSIDE,
        {"approve": False, "comment": "暂缓"},
        intact=_unchanged(CaptainChange, "captain_change", "status", "pending"),
    ),
    ("api:captain-change-withdraw", "post"): Row(
        "/api/v1/captain-changes/{captain_change}/withdraw/",
        "team",
        INSIDE,
        intact=_unchanged(CaptainChange, "captain_change", "status", "pending"),
    ),
    ("api:portrait-list", "get"): Row("/api/v1/portraits/", "team", PUBLIC, counts={p: 3 for p in PERSONS}),
    ("api:portrait-detail", "get"): Row("/api/v1/portraits/{team}/", "team", PUBLIC),
    # service records and evidence: the team, its college, its S&T office
    ("api:record-list", "get"): Row(
        "/api/v1/records/", "team", (401, 200, 200, 200), counts={"owner": 3, "same_org": 0, "outsider": 0}
    ),
    ("api:record-list", "post"): Row("/api/v1/records/", "team", (401, 201, 404, 404), NEW_RECORD),
    ("api:record-detail", "get"): Row("/api/v1/records/{record}/", "team", INSIDE),
    ("api:record-detail", "patch"): Row(
        "/api/v1/records/{record}/",
        "team",
        INSIDE,
        {"description": "补充说明"},
        intact=_unchanged(ServiceRecord, "record", "description", "现场服务"),
    ),  # fmt: skip
    ("api:record-history", "get"): Row("/api/v1/records/{record}/history/", "team", INSIDE),
    ("api:record-evidence", "get"): Row("/api/v1/records/{record}/evidence/", "team", INSIDE),
    ("api:record-evidence", "post"): Row(
        "/api/v1/records/{record}/evidence/", "team", (401, 201, 404, 404), {"file": "PDF"}, fmt="multipart"
    ),
    ("api:record-submit", "post"): Row(
        "/api/v1/records/{record}/submit/",
        "team",
        INSIDE,
        intact=_unchanged(ServiceRecord, "record", "status", "draft"),
    ),  # fmt: skip
    ("api:record-review", "post"): Row(
        "/api/v1/records/{record_sub}/review/",
        "college",
        INSIDE,
        {"approve": True},
        intact=_unchanged(ServiceRecord, "record_sub", "status", "submitted"),
    ),  # fmt: skip
    ("api:evidence-detail", "get"): Row("/api/v1/evidence/{evidence}/", "team", INSIDE),
    ("api:evidence-download", "get"): Row("/api/v1/evidence/{evidence}/download/", "team", INSIDE),
    ("api:review-team-list", "get"): Row(
        "/api/v1/reviews/teams/",
        "college",
        (401, 200, 200, 200),
        counts={"owner": 1, "same_org": 0, "outsider": 0},
    ),
    ("api:review-record-list", "get"): Row(
        "/api/v1/reviews/records/",
        "college",
        (401, 200, 200, 200),
        counts={"owner": 1, "same_org": 0, "outsider": 0},
    ),  # fmt: skip
    # matching: recommendations to a team's members; engagements to the two parties
    ("api:team-recommendations", "get"): Row("/api/v1/teams/{team}/recommendations/", "team", INSIDE),
    ("api:engagement-list", "get"): Row(
        "/api/v1/engagements/",
        "need",
        (401, 200, 200, 200),
        counts={"owner": 2, "same_org": 2, "outsider": 0},
    ),
    ("api:engagement-list", "post"): Row(
        "/api/v1/engagements/",
        "need",
        (401, 201, 201, 404),
        {"origin": "invitation", "need": "{need_pub}", "team": "{team3}"},
    ),
    ("api:engagement-detail", "get"): Row("/api/v1/engagements/{engagement}/", "need", (401, 200, 200, 404)),
    ("api:engagement-accept", "post"): Row(
        "/api/v1/engagements/{engagement}/accept/",
        "team",
        INSIDE,
        {"scope": "三个月内完成"},
        intact=_unchanged(Engagement, "engagement", "status", "proposed"),
    ),  # fmt: skip
    ("api:engagement-decline", "post"): Row(
        "/api/v1/engagements/{engagement}/decline/", "team", INSIDE, {"reason": "档期已满"}
    ),
    ("api:engagement-cancel", "post"): Row(
        "/api/v1/engagements/{engagement}/cancel/",
        "need",
        (401, 200, 200, 404),
        {"reason": "已另有安排"},
        intact=_unchanged(Engagement, "engagement", "status", "proposed"),
    ),  # fmt: skip
    ("api:engagement-records", "post"): Row(
        "/api/v1/engagements/{agreed}/records/", "team", (401, 201, 404, 404), {**NEW_RECORD, "team": None}
    ),
    ("api:engagement-start", "post"): Row("/api/v1/engagements/{agreed}/start/", "team", INSIDE),
    ("api:engagement-complete", "post"): Row(
        "/api/v1/engagements/{agreed}/complete/", "need", (401, 200, 200, 404), {"rating": 5}
    ),
    # scores, assessments and archives
    ("api:score", "get"): Row("/api/v1/scores/?team={team}&year=2026", "team", INSIDE),
    ("api:assessment-list", "get"): Row(
        "/api/v1/assessments/",
        "office",
        (401, 200, 200, 200),
        counts={"owner": 3, "same_org": 3, "outsider": 0},
    ),
    ("api:assessment-list", "post"): Row(
        "/api/v1/assessments/",
        "office",
        (401, 201, 403, 201),  # each office opens its own university's
        {
            "year": 2027,
            "spot_share": "0.2",
            "grade_mode": "threshold",
            "excellent_threshold": "60",
            "pass_threshold": "20",
            "excellent_quota": "0.15",
            "notice_days": 5,
        },
        intact=lambda w: not Assessment.objects.filter(year=2027).exists(),
    ),  # fmt: skip
    ("api:scoring-rules", "get"): Row("/api/v1/scoring-rules/2026/", "office", (401, 200, 200, 200)),
    ("api:scoring-rule-revisions", "post"): Row(
        "/api/v1/scoring-rules/2026/revisions/",
        "office",
        (401, 201, 403, 201),
        {"items": [{"record_type": "training", "points": "3"}]},
        intact=lambda w: not RuleSet.objects.filter(year=2026, version=2).exists(),
    ),
    ("api:assessment-detail", "get"): Row(
        "/api/v1/assessments/{assessment_open}/", "office", (401, 200, 200, 404)
    ),
    ("api:assessment-results", "get"): Row(
        "/api/v1/assessments/{assessment_open}/results/",
        "office",
        (401, 200, 200, 404),
        counts={"owner": 0, "same_org": 0},
    ),  # fmt: skip
    ("api:assessment-provisional", "get"): Row(
        "/api/v1/assessments/{assessment_open}/provisional/", "office", (401, 200, 200, 404)
    ),
    ("api:assessment-spot-checks", "get"): Row(
        "/api/v1/assessments/{assessment_open}/spot-checks/", "office", (401, 200, 200, 404)
    ),
    ("api:spot-check-decide", "post"): Row(
        "/api/v1/spot-checks/{spot}/decide/",
        "office",
        INSIDE,
        {"upheld": True},
        intact=_unchanged(SpotCheck, "spot", "result", "pending"),
    ),  # fmt: skip
    ("api:assessment-spot-checks-decide", "post"): Row(
        "/api/v1/assessments/{assessment_spot}/spot-checks/decide/",
        "office",
        (401, 200, 403, 404),
        {"ids": ["{spot}"], "upheld": True},
        intact=_unchanged(SpotCheck, "spot", "result", "pending"),
    ),
    ("api:assessment-spot-draw", "post"): Row(
        "/api/v1/assessments/{assessment_open}/spot-draw/", "office", (401, 200, 403, 404)
    ),
    ("api:assessment-notice-begin", "post"): Row(
        "/api/v1/assessments/{assessment_open}/notice-begin/", "office", (401, 409, 403, 404)
    ),
    ("api:assessment-publish", "post"): Row(
        "/api/v1/assessments/{assessment_notice}/publish/", "office", (401, 409, 403, 404)
    ),
    ("api:assessment-notice", "get"): Row(
        "/api/v1/assessments/{assessment_notice}/notice/", "office", PUBLIC
    ),
    # 公示异议: anyone lodges one during the notice; the S&T office reads and answers them
    ("api:assessment-objections", "get"): Row(
        "/api/v1/assessments/{assessment_notice}/objections/", "office", (401, 200, 403, 404)
    ),
    ("api:assessment-objections", "post"): Row(
        "/api/v1/assessments/{assessment_notice}/objections/",
        "office",
        (201, 201, 201, 201),
        {"author": "张三", "contact": "13800000000", "text": "某项记录存疑"},
    ),
    ("api:objection-answer", "post"): Row(
        "/api/v1/objections/{objection}/answer/",
        "office",
        INSIDE,
        {"answer": "经核查属实。"},
        intact=_unchanged(Objection, "objection", "answered_at", None),
    ),  # fmt: skip
    ("api:assessment-result", "get"): Row("/api/v1/results/{result}/", "team", INSIDE),
    # 更正 after publication: the S&T office only, and only once published (this one is on notice)
    ("api:assessment-corrections", "post"): Row(
        "/api/v1/assessments/{assessment_notice}/corrections/",
        "office",
        (401, 409, 403, 404),
        {"reason": "核查发现记录不实", "remove": [1]},
    ),
    # which team keeps a visit two teams sharing members recorded: the S&T office, before the notice
    ("api:assessment-shared-items", "post"): Row(
        "/api/v1/assessments/{assessment_open}/shared-items/",
        "office",
        (401, 400, 403, 404),
        {"kept_id": 1, "left_out_id": 2, "reason": "乙队带队"},
    ),
    # paperwork: the 公示 list and the results notice are public like the notice (the results notice
    # exists once published); the Appendix C sheets show records and evidence: those who see the team
    ("api:assessment-paperwork", "get"): Row(
        "/api/v1/assessments/{assessment_notice}/notice-list/?kind=pdf", "office", PUBLIC
    ),
    ("api:assessment-sheets", "get"): Row(
        "/api/v1/assessments/{assessment_notice}/appendix-c/?kind=xlsx", "office", (401, 200, 404, 404)
    ),
    ("api:result-sheet", "get"): Row("/api/v1/results/{result}/appendix-c/?kind=pdf", "team", INSIDE),
    ("api:archive", "get"): Row("/api/v1/archives/{team}/2026/", "team", INSIDE),
    ("api:archive-download", "get"): Row(
        "/api/v1/archives/{team}/2026/download/?kind=xlsx", "team", (401, (200, 400), 404, 404)
    ),
    ("api:college-archive-download", "get"): Row(
        "/api/v1/archives/colleges/{college}/2026/download/", "college", (401, 200, 404, 404)
    ),
    # 案例库: a team's members write cases; the team, its college and its office read them; the office
    # marks the exemplary ones
    ("api:case-list", "get"): Row(
        "/api/v1/cases/", "team", (401, 200, 200, 200), counts={"owner": 1, "same_org": 0, "outsider": 0}
    ),
    ("api:case-list", "post"): Row(
        "/api/v1/cases/",
        "team",
        (401, 201, 404, 404),
        {"team": "{team}", "year": 2026, "title": "减振改造案例", "text": "为企业完成减振改造。"},
        intact=lambda w: Case.objects.count() == 1,
    ),
    ("api:case-detail", "get"): Row("/api/v1/cases/{case}/", "team", INSIDE),
    ("api:case-exemplary", "post"): Row(
        "/api/v1/cases/{case}/exemplary/",
        "office",
        INSIDE,
        {"exemplary": True},
        intact=_unchanged(Case, "case", "exemplary", False),
    ),  # fmt: skip
    # dashboards: aggregates within the viewer's region (insights.dashboard_api)
    ("api:dashboard-regions-map", "get"): Row("/api/v1/regions-map/", "gov", (401, 200, 200, 403)),
    ("api:dashboard-heatmap", "get"): Row("/api/v1/heatmap/", "gov", (401, 200, 200, 403)),
    ("api:dashboard-heatmap-cell", "get"): Row(
        "/api/v1/heatmap/cell/?cell_region={region}&cell_industry=C", "gov", (401, 200, 200, 403)
    ),
    ("api:dashboard-gap", "get"): Row("/api/v1/gap/", "gov", (401, 200, 200, 403)),
    ("api:dashboard-trend", "get"): Row("/api/v1/trend/", "gov", (401, 200, 200, 403)),
    ("api:dashboard-funnel", "get"): Row("/api/v1/funnel/", "gov", (401, 200, 200, 403)),
    ("api:dashboard-summary", "get"): Row("/api/v1/dashboard-summary/", "gov", (401, 200, 200, 403)),
    ("api:industry-map", "get"): Row("/api/v1/industry-map/", "gov", (401, 200, 200, 403)),
    # report exports: the S&T office's own
    ("api:report-export-list", "get"): Row(
        "/api/v1/report-exports/", "report", (401, 200, 403, 200), counts={"owner": 0, "outsider": 0}
    ),
    ("api:report-export-list", "post"): Row(
        "/api/v1/report-exports/", "report", (401, (201, 400), 403, (201, 400)), {"kind": "problems"}
    ),
    ("api:report-export-detail", "get"): Row(
        "/api/v1/report-exports/999999/", "report", (401, 404, 404, 404)
    ),
    ("api:report-export-download", "get"): Row(
        "/api/v1/report-exports/999999/download/xlsx/", "report", (401, 404, 404, 404)
    ),
    # assignments (指派, engagements.assignment_apis): the platform or the S&T office assigns a need to a team
    ("api:assignment-list", "get"): Row(
        "/api/v1/assignments/",
        "office",
        (401, 200, 200, 200),
        counts={"owner": 1, "same_org": 0, "outsider": 0},
    ),
    ("api:assignment-list", "post"): Row(
        "/api/v1/assignments/",
        "moderator",
        (401, 201, 403, 403),
        {"need": "{need_pub}", "team": "{team3}", "deadline": "{soon}"},
    ),
    ("api:assignment-detail", "get"): Row(
        "/api/v1/assignments/{assignment}/", "office", (401, 200, 404, 404)
    ),
    ("api:assignment-accept", "post"): Row(
        "/api/v1/assignments/{assignment}/accept/",
        "team",
        INSIDE,
        {"scope": "三个月内完成"},
        intact=_unchanged(Assignment, "assignment", "status", "pending"),
    ),  # fmt: skip
    ("api:assignment-decline", "post"): Row(
        "/api/v1/assignments/{assignment}/decline/",
        "team",
        INSIDE,
        {"reason": "档期已满"},
        intact=_unchanged(Assignment, "assignment", "status", "pending"),
    ),  # fmt: skip
    ("api:assignment-withdraw", "post"): Row(
        "/api/v1/assignments/{assignment}/withdraw/",
        "office",
        (401, 200, 404, 404),
        {"reason": "另行安排"},
        intact=_unchanged(Assignment, "assignment", "status", "pending"),
    ),  # fmt: skip
    ("api:assignment-stats", "get"): Row("/api/v1/assignment-stats/", "moderator", (401, 200, 200, 200)),
    ("api:team-assignment-handler", "put"): Row(
        "/api/v1/teams/{team}/assignment-handler/", "team", INSIDE, {"member": "{captain_member}"}
    ),
    ("api:need-assignment-candidates", "get"): Row(
        "/api/v1/needs/{need_pub}/assignment-candidates/", "moderator", (401, 200, 403, 403)
    ),
    # 人岗匹配 (talent.apis, engagements.assignment_apis): openings, applications, student profiles
    ("api:opening-list", "get"): Row("/api/v1/openings/", "team", (401, 200, 200, 200)),
    ("api:opening-list", "post"): Row(
        "/api/v1/openings/", "team", (401, (201, 400), (400, 403), (400, 403)), {}
    ),
    ("api:opening-detail", "get"): Row("/api/v1/openings/{opening}/", "team", (401, 200, 200, 200)),
    ("api:opening-close", "post"): Row(
        "/api/v1/openings/{opening}/close/",
        "team",
        (401, 200, 403, 403),
        intact=_unchanged(Opening, "opening", "status", "open"),
    ),  # fmt: skip
    ("api:opening-apply", "post"): Row(
        "/api/v1/openings/{opening}/apply/",
        "team",
        (401, 400, 400, 400),
        {"statement": "申请"},
        intact=lambda w: Application.objects.count() == 1,
    ),  # nobody of the family has a student profile: "fill in your profile first"
    ("api:opening-ranked-students", "get"): Row(
        "/api/v1/openings/{opening}/ranked-students/", "team", (401, 200, 403, 403)
    ),
    ("api:ranked-openings", "get"): Row(
        "/api/v1/students/profile/ranked-openings/", "team", (401, 404, 404, 404)
    ),
    ("api:student-profile", "get"): Row("/api/v1/students/profile/", "team", (401, 404, 404, 404)),
    ("api:student-profile", "put"): Row("/api/v1/students/profile/", "team", (401, 400, 400, 400), {}),
    ("api:application-list", "get"): Row(
        "/api/v1/applications/",
        "team",
        (401, 200, 200, 200),
        counts={"owner": 1, "same_org": 0, "outsider": 0},
    ),
    ("api:application-detail", "get"): Row("/api/v1/applications/{application}/", "team", INSIDE),
    ("api:application-accept", "post"): Row(
        "/api/v1/applications/{application}/accept/",
        "team",
        INSIDE,
        intact=_unchanged(Application, "application", "status", "submitted"),
    ),  # fmt: skip
    ("api:application-decline", "post"): Row(
        "/api/v1/applications/{application}/decline/",
        "team",
        INSIDE,
        {"reason": "名额已满"},
        intact=_unchanged(Application, "application", "status", "submitted"),
    ),  # fmt: skip
    ("api:application-withdraw", "post"): Row(
        "/api/v1/applications/{application}/withdraw/",
        "team",
        (401, 403, 404, 404),
        intact=_unchanged(Application, "application", "status", "submitted"),
    ),  # only the student withdraws; the captain sees it but may not  # fmt: skip
    # 订阅 (matching.saved_search_apis): the team's members manage the team's saved searches
    ("api:saved-search-list", "get"): Row(
        "/api/v1/saved-searches/",
        "team",
        (401, 200, 200, 200),
        counts={"owner": 1, "same_org": 0, "outsider": 0},
    ),
    ("api:saved-search-list", "post"): Row(
        "/api/v1/saved-searches/",
        "team",
        (401, 201, 404, 404),
        {"team": "{team}", "name": "泵类需求", "query": "振动"},
        intact=lambda w: SavedSearch.objects.count() == 1,
    ),
    ("api:saved-search-detail", "get"): Row("/api/v1/saved-searches/{search}/", "team", INSIDE),
    ("api:saved-search-detail", "patch"): Row(
        "/api/v1/saved-searches/{search}/",
        "team",
        INSIDE,
        {"active": False},
        intact=_unchanged(SavedSearch, "search", "active", True),
    ),  # fmt: skip
    ("api:saved-search-detail", "delete"): Row(
        "/api/v1/saved-searches/{search}/",
        "team",
        (401, 204, 404, 404),
        intact=lambda w: SavedSearch.objects.filter(pk=w.ids["search"]).exists(),
    ),  # fmt: skip
}


# ---------------------------------------------------------------------------------------------- tests


def test_every_api_route_is_declared():
    routes = api_routes()
    undeclared = sorted(set(routes) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(routes))
    assert not undeclared, f"Declare these endpoints in MATRIX (see this file's docstring): {undeclared}"
    assert not stale, f"These MATRIX rows name no route any more: {stale}"


def _format(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_format(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _format(v, ids) for k, v in value.items()}
    return value


def _body(row: Row, ids):
    if row.data is None:
        return None
    data = _format(row.data, ids)
    for key, value in data.items():
        if value == "PDF":
            data[key] = SimpleUploadedFile("附件.pdf", PDF)
        elif value == "XLSX":  # an Appendix D batch of one good row, for the world's college C1
            member_enterprise()
            rows = [[1, IMPORTED_TEAM, GOOD_MEMBERS, "3553", "缝制设备减振降噪", ""]]
            data[key] = SimpleUploadedFile("申报表.xlsx", sheet(rows, college=ids["college_name"]).getvalue())
        elif isinstance(value, str) and value.isdigit() and key in {"team", "need", "member"}:
            data[key] = int(value)
        elif isinstance(value, list):
            data[key] = [int(v) if isinstance(v, str) and v.isdigit() else v for v in value]
    return data


def _text(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _cases():
    """Reads: one world, all four persons in turn (a read changes nothing). Writes: a fresh world for
    each person, so one person's write never decides what the next one gets."""
    for key in sorted(MATRIX):
        if key[1] == "get":
            yield pytest.param(key, None, id=f"{key[0]}-get")
        else:
            for person in PERSONS:
                yield pytest.param(key, person, id=f"{key[0]}-{key[1]}-{person}")


@pytest.mark.parametrize(("key", "only"), list(_cases()))
def test_the_matrix(api, key, only, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    row = MATRIX[key]
    world = build_world()
    for person in PERSONS if only is None else (only,):
        with django_capture_on_commit_callbacks(execute=False):
            _check(api, row, key, person, world)


def _check(api, row: Row, key, person: str, world) -> None:
    method = key[1]
    user = None if person == "anonymous" else getattr(world, FAMILIES[row.family][PERSONS.index(person) - 1])
    client = api(user)
    if method == "delete" and row.url.endswith("/auth/token/") and user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    url = _format(row.url, world.ids)
    body = _body(row, world.ids)
    call = getattr(client, method)
    response = call(url, body, format=row.fmt) if body is not None else call(url)
    expected = row.expect[PERSONS.index(person)]
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, (key, person, response.status_code, _text(response)[:500])
    if response.status_code >= 400 and response.get("Content-Type", "").startswith("application/json"):
        assert_error(response, response.status_code)
    refused = response.status_code in (401, 403, 404)
    if person in ("anonymous", "outsider") or refused:
        text = _text(response)
        leaked = [s for s in SECRETS if s in text]
        assert not leaked, (key, person, leaked)
    if person in row.counts:
        assert response.json()["count"] == row.counts[person], (key, person, response.json())
    if row.intact is not None and response.status_code >= 400:
        assert row.intact(world), (key, person, "a refused write changed something")


def test_a_government_viewer_sees_aggregates_not_organisations_internals(api, settings, tmp_path):
    """A government viewer reads the dashboards for its region; lists of needs show only what the hall
    shows, and teams, records, engagements and assessments show nothing."""
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    client = api(world.gov)
    assert client.get("/api/v1/needs/").json()["count"] == 2  # the two published needs
    for url in ("/api/v1/teams/", "/api/v1/records/", "/api/v1/engagements/", "/api/v1/assessments/"):
        body = client.get(url).json()
        assert body["count"] == 0, (url, body)
    assert_error(client.get(f"/api/v1/needs/{world.ids['need_draft']}/"), 404)
    assert_error(client.get(f"/api/v1/records/{world.ids['record']}/"), 404)

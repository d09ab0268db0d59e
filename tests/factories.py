"""factory_boy factories shared by the suite. Reference rows are got-or-created by code so the
factories work with or without the full reference load."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import College, Enterprise, GovernmentAgency, Role, University, User
from accounts.validators import credit_code_check_char
from reference.models import Industry, Region


class IndustryFactory(DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "3553"
    name = "缝制机械制造"
    level = Industry.Level.CLASS


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "331002"
    name = "椒江区"
    level = Region.Level.COUNTY


class UniversityFactory(DjangoModelFactory):
    class Meta:
        model = University

    name = factory.Sequence(lambda n: f"测试大学{n}")


class CollegeFactory(DjangoModelFactory):
    class Meta:
        model = College

    university = factory.SubFactory(UniversityFactory)
    name = factory.Sequence(lambda n: f"智能制造学院{n}")


def valid_credit_code(n: int, region: str = "331002") -> str:
    first17 = f"91{region}{n:08d}"[:17].ljust(17, "0")
    return first17 + credit_code_check_char(first17)


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"台州市测试机械有限公司{n}")
    credit_code = factory.Sequence(lambda n: valid_credit_code(n + 1000))
    industry = factory.SubFactory(IndustryFactory)
    region = factory.SubFactory(RegionFactory)
    status = Enterprise.Status.APPROVED


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = GovernmentAgency

    name = factory.Sequence(lambda n: f"测试市科学技术局{n}")
    region = factory.SubFactory(RegionFactory)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.PLATFORM_ADMIN
    password = factory.PostGenerationMethodCall("set_password", "pass12345")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        if create:
            obj.save()


class EnterpriseUserFactory(UserFactory):
    role = Role.ENTERPRISE
    enterprise = factory.SubFactory(EnterpriseFactory)


class TeamMemberUserFactory(UserFactory):
    role = Role.TEAM_MEMBER
    college = factory.SubFactory(CollegeFactory)


class StoAdminFactory(UserFactory):
    role = Role.STO_ADMIN
    university = factory.SubFactory(UniversityFactory)


class HumAdminFactory(UserFactory):
    """The humanities research office (人文社科处): spot-checks the 人文类 strand."""

    role = Role.HUM_ADMIN
    university = factory.SubFactory(UniversityFactory)


def humanities_office_of(university):
    """The university's humanities research office user (made on first use)."""
    from accounts.models import User

    return User.objects.filter(role=Role.HUM_ADMIN, university=university).first() or HumAdminFactory(
        university=university
    )


def draw_both_strands(assessment, office, *, seed=None):
    """Both research offices of the assessment's university draw their strands (the same seed for each,
    when given); returns the merged sample by category."""
    from scoring.assessment import spot_check_draw

    sample = dict(spot_check_draw(assessment=assessment, by=office, seed=seed))
    humanities = humanities_office_of(assessment.university)
    sample.update(spot_check_draw(assessment=assessment, by=humanities, seed=seed))
    return sample


def decide_all_checks(assessment, office, *, rejected=(), reason="不实"):
    """Each pending spot check decided by its strand's office: upheld, but for the records in
    `rejected` (ids)."""
    from scoring.assessment import spot_check_decide

    humanities = humanities_office_of(assessment.university)
    for check in assessment.spot_checks.filter(result="pending").order_by("id"):
        by = office if check.category == "science" else humanities
        bad = check.record_id in set(rejected)
        spot_check_decide(check=check, by=by, upheld=not bad, reason=reason if bad else "")


class CollegeAdminFactory(UserFactory):
    role = Role.COLLEGE_ADMIN
    college = factory.SubFactory(CollegeFactory)


def build_valid_team(*, college=None, name_suffix="迈得医疗", status="draft", captain_user=None):
    """A team that satisfies every composition rule, with a captain user who can act for it."""
    from teams.models import Member, MemberRole, Team

    college = college or CollegeFactory()
    captain_user = captain_user or TeamMemberUserFactory(college=college, real_name="赵小明", title="教授")
    team = Team.objects.create(
        name=f"{captain_user.real_name}·{name_suffix}科技小分队",
        college=college,
        work_mode="enterprise_centre",
        theme="smart_manufacturing",
        category=college.category,
        status=status,
        service_content="为企业提供缝制设备减振降噪与智能控制技术服务。",
    )
    team.industries.add(IndustryFactory())
    Member.objects.create(
        team=team,
        user=captain_user,
        name=captain_user.real_name,
        role=MemberRole.CAPTAIN,
        kind="teacher",
        background="机械工程",
        title="教授",
        qualifying_project="浙江省重点研发计划项目",
        qualifying_level="provincial",
    )
    Member.objects.create(
        team=team,
        name="钱红",
        role=MemberRole.DEPUTY,
        kind="teacher",
        title="副教授",
        deputy_focus="research",
    )
    # 5.1: core members are teachers with a relevant background.
    for name in ["李一", "周二", "吴三"]:
        Member.objects.create(
            team=team, name=name, role=MemberRole.CORE, kind="teacher", background="机械工程", title="讲师"
        )
    # 5.1: students as dynamic members and enterprise engineers.
    Member.objects.create(
        team=team, name="郑同学", role=MemberRole.DYNAMIC, kind="student", student_level="graduate"
    )
    # (No enterprise row for the engineer: the region and industry counts of the tests stay hand-made.)
    Member.objects.create(
        team=team, name="王工", role=MemberRole.ENTERPRISE, kind="enterprise", title="高级工程师"
    )
    return team


def submitted_need(*, enterprise_user=None, title="高速平缝机减振降噪", **fields):
    """A need through the real lifecycle services, submitted and waiting for moderation."""
    from demand.services import need_create, need_submit

    owner = enterprise_user or EnterpriseUserFactory()
    IndustryFactory()
    defaults = {
        "title": title,
        "description": "我司高速平缝机在4000针/分钟以上时机头振动偏大，噪声超过80分贝，希望联合高校减振优化。",
        "industry": "3553",
        "service_types": ["diagnosis"],
    }
    need = need_create(by=owner, **{**defaults, **fields})
    return need_submit(need=need, by=owner)


def published_need(*, enterprise_user=None, title="高速平缝机减振降噪", **fields):
    """A need through the real lifecycle services, published by a platform administrator."""
    from demand.services import need_moderate

    need = submitted_need(enterprise_user=enterprise_user, title=title, **fields)
    return need_moderate(need=need, by=UserFactory(role=Role.PLATFORM_ADMIN), approve=True)

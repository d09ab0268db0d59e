"""演示世界: a believable 台州学院 with its colleges, 科技小分队, enterprises across 浙江 and its neighbours,
their technical needs, and a login for every role.

The content is data in ``demo/data/`` (hand-written JSON); this module only turns it into rows. Building is
idempotent: every row is found by its natural key (names, codes, usernames; a need by enterprise and
title), created when missing and otherwise brought in line with the data, saving only what differs. A
second run with the same data and seed creates and changes nothing.

Dates are fixed relative to ``ANCHOR`` (2026-11-01) and the random choices (credit codes, posting dates)
come from ``random.Random`` seeded with the seed and the row's natural key, so the world is the same on
every machine and adding a row to the data does not move the others.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import models, transaction

from accounts.models import ROLE_ORGANISATION_FIELD, College, Enterprise, GovernmentAgency, Role, University
from accounts.validators import CREDIT_CODE_ALPHABET, credit_code_check_char
from demand.models import Need, ServiceType
from matching.models import NeedMatchFacts
from reference.models import Discipline, Industry, Region
from teams.models import Member, MemberKind, MemberRole, Team

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_SEED = 20261101
ANCHOR = datetime(2026, 11, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DEMO_PASSWORD = "demo12345"  # noqa: S105 - the published password of the demo logins

# How long before ANCHOR a need in each status was posted (days): open ones are mostly recent,
# resolved ones old enough to have run their course.
_NEED_AGE_DAYS = {
    Need.Status.DRAFT: (1, 25),
    Need.Status.SUBMITTED: (1, 20),
    Need.Status.PUBLISHED: (3, 420),
    Need.Status.ENGAGED: (90, 480),
    Need.Status.RESOLVED: (240, 540),
    Need.Status.CLOSED: (60, 520),
    Need.Status.EXPIRED: (300, 540),
}
_PUBLISHED_OR_LATER = {
    Need.Status.PUBLISHED,
    Need.Status.ENGAGED,
    Need.Status.RESOLVED,
    Need.Status.CLOSED,
    Need.Status.EXPIRED,
}
# 组织机构代码 (GB 11714) weights for its check character.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


class DemoWorldError(RuntimeError):
    """The demo world cannot be built: reference data missing, or the content files are inconsistent."""


# ------------------------------------------------------------------------------------------- content


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DemoWorldError(f"演示数据文件 {path.name} 无法读取：{exc}") from exc


@cache
def load_content() -> dict:
    """Everything in demo/data: university and colleges, agencies, enterprises, teams, needs, users."""
    org = _read_json(DATA_DIR / "university.json")
    needs = []
    for path in sorted((DATA_DIR / "needs").glob("*.json")):
        needs.extend(_read_json(path))
    return {
        "university": org["university"],
        "colleges": org["colleges"],
        "agencies": org["agencies"],
        "enterprises": _read_json(DATA_DIR / "enterprises.json"),
        "teams": _read_json(DATA_DIR / "teams.json"),
        "needs": needs,
        "users": _read_json(DATA_DIR / "users.json"),
    }


def demo_logins() -> list[dict]:
    """The demo accounts: username, role (value and label), who they are; all use DEMO_PASSWORD."""
    labels = dict(Role.choices)
    return [
        {
            "username": spec["username"],
            "role": spec["role"],
            "role_label": str(labels[spec["role"]]),
            "real_name": spec.get("real_name", ""),
            "note": spec.get("note", ""),
        }
        for spec in load_content()["users"]
    ]


# ------------------------------------------------------------------------------------- credit codes


def _org_code_check(body8: str) -> str:
    total = sum(int(ch, 36) * w for ch, w in zip(body8, _ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def credit_code_for(name: str, county_code: str, *, seed: int = DEFAULT_SEED, attempt: int = 0) -> str:
    """A valid 统一社会信用代码 for a demo enterprise, the same for the same name, county and seed.

    9 (工商) + 1 (企业) + the county code + a 组织机构代码 with its GB 11714 check character + the
    GB 32100 check character. Older firms carry a numeric 组织机构代码, newer ones the “MA…” form.
    """
    rng = random.Random(f"{seed}:credit:{name}:{attempt}")
    if rng.random() < 0.45:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    else:
        letters = CREDIT_CODE_ALPHABET[10:]
        body = (
            "MA"
            + rng.choice("0123456789" + letters)
            + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(5))
        )
    first17 = f"91{county_code}{body}{_org_code_check(body)}"
    return first17 + credit_code_check_char(first17)


# ------------------------------------------------------------------------------------------ builder


def _at(days_before: float, rng: random.Random) -> datetime:
    """A moment ``days_before`` days before ANCHOR, in office hours, to the second."""
    day = (ANCHOR - timedelta(days=int(days_before))).date()
    hour, minute, second = rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=ANCHOR.tzinfo)


def _same(obj, field: str, value) -> bool:
    """Whether ``obj.field`` already holds ``value``; foreign keys compare ids, without a query."""
    model_field = obj._meta.get_field(field)
    if model_field.is_relation:
        return getattr(obj, model_field.attname) == (value.pk if value is not None else None)
    return getattr(obj, field) == value


def _first_of_month_after(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


class _Builder:
    def __init__(self, content: dict, seed: int):
        self.content = content
        self.seed = seed
        self.created = 0
        self.updated = 0
        self.university: University | None = None
        self.colleges: dict[str, College] = {}
        self.enterprises: dict[str, Enterprise] = {}
        self.teams: dict[str, Team] = {}
        self.users_by_enterprise: dict[int, object] = {}
        self.agencies: dict[str, GovernmentAgency] = {}
        self._industries: dict[str, Industry] = {}
        self._regions: dict[str, Region] = {}
        self._disciplines: dict[str, Discipline] = {}

    # -- lookups -------------------------------------------------------------------------------------

    def industry(self, code: str) -> Industry:
        if code not in self._industries:
            found = Industry.objects.filter(code=code).first()
            if found is None:
                raise DemoWorldError(f"行业代码 {code} 不在参考数据中（GB/T 4754-2017）。")
            self._industries[code] = found
        return self._industries[code]

    def region(self, code: str) -> Region:
        """A region by code; 331000 / 330000 style codes also find a city (3310) or province (33)."""
        if code not in self._regions:
            candidates = [code]
            if len(code) == 6 and code.endswith("0000"):
                candidates.append(code[:2])
            elif len(code) == 6 and code.endswith("00"):
                candidates.append(code[:4])
            found = next((r for c in candidates if (r := Region.objects.filter(code=c).first())), None)
            if found is None:
                raise DemoWorldError(f"行政区划代码 {code} 不在参考数据中。")
            self._regions[code] = found
        return self._regions[code]

    def discipline(self, name: str) -> Discipline:
        if name not in self._disciplines:
            found = Discipline.objects.filter(scheme=Discipline.Scheme.CSL, name=name).first()
            if found is None:
                raise DemoWorldError(f"学科“{name}”不在 CSL 一级学科参考数据中。")
            self._disciplines[name] = found
        return self._disciplines[name]

    def rng(self, *key) -> random.Random:
        return random.Random(":".join([str(self.seed), *map(str, key)]))

    # -- generic sync --------------------------------------------------------------------------------

    def sync(self, model, lookup: dict, values: dict, *, m2m: dict | None = None, stamps: dict | None = None):
        """Find ``model`` by ``lookup``; create it with ``values`` or save the fields that differ.

        ``m2m`` maps a many-to-many field to the objects it should hold; ``stamps`` sets auto_now(_add)
        timestamps directly (an update query, so the auto fields do not overwrite them).
        """
        obj = model.objects.filter(**lookup).first()
        is_new = obj is None
        changed = False
        if is_new:
            obj = model(**lookup, **values)
            obj.full_clean()
            obj.save()
        else:
            differing = {f: v for f, v in values.items() if not _same(obj, f, v)}
            if differing:
                for field, value in differing.items():
                    setattr(obj, field, value)
                obj.full_clean()
                obj.save()
                changed = True
        for field, targets in (m2m or {}).items():
            manager = getattr(obj, field)
            if set(manager.values_list("pk", flat=True)) != {t.pk for t in targets}:
                manager.set(targets)
                changed = True
        if stamps:
            differing = {f: v for f, v in stamps.items() if getattr(obj, f) != v}
            if differing:
                model.objects.filter(pk=obj.pk).update(**differing)
                for field, value in differing.items():
                    setattr(obj, field, value)
                changed = True
        if is_new:
            self.created += 1
        elif changed:
            self.updated += 1
        return obj

    # -- the world -----------------------------------------------------------------------------------

    def build(self):
        self.build_university()
        self.build_agencies()
        self.build_enterprises()
        self.build_teams()
        self.build_users()
        self.build_needs()

    def build_university(self):
        spec = self.content["university"]
        self.university = self.sync(
            University, {"name": spec["name"]}, {"region": self.region(spec["region"])}
        )
        for college in self.content["colleges"]:
            self.colleges[college["name"]] = self.sync(
                College,
                {"university": self.university, "name": college["name"]},
                {"category": college["category"]},
            )

    def build_agencies(self):
        self.agencies = {
            spec["name"]: self.sync(
                GovernmentAgency, {"name": spec["name"]}, {"region": self.region(spec["region"])}
            )
            for spec in self.content["agencies"]
        }

    def build_enterprises(self):
        codes: set[str] = set()
        for spec in self.content["enterprises"]:
            name = spec["name"]
            attempt = 0
            code = credit_code_for(name, spec["county"], seed=self.seed)
            while code in codes:  # a collision between two demo firms: astronomically rare, but be sure
                attempt += 1
                code = credit_code_for(name, spec["county"], seed=self.seed, attempt=attempt)
            codes.add(code)
            rng = self.rng("enterprise", name)
            self.enterprises[name] = self.sync(
                Enterprise,
                {"name": name},
                {
                    "credit_code": code,
                    "industry": self.industry(spec["industry"]),
                    "region": self.region(spec["county"]),
                    "address": spec.get("address", ""),
                    "description": spec.get("description", ""),
                    "status": spec.get("status", Enterprise.Status.APPROVED),
                },
                stamps={"created_at": _at(rng.randint(560, 820), rng)},
            )

    def build_teams(self):
        for spec in self.content["teams"]:
            name = spec["name"]
            college = self.colleges.get(spec["college"])
            if college is None:
                raise DemoWorldError(f"小分队“{name}”的学院“{spec['college']}”不在演示数据中。")
            bad = sorted(set(spec.get("service_types", [])) - set(ServiceType.values))
            if bad:
                raise DemoWorldError(f"小分队“{name}”的服务类型 {bad} 无效。")
            rng = self.rng("team", name)
            if spec["status"] == Team.Status.ACTIVE:
                created = _at(rng.randint(420, 800), rng)
            else:
                created = _at(rng.randint(15, 120), rng)
            team = self.sync(
                Team,
                {"name": name},
                {
                    "college": college,
                    "work_mode": spec["work_mode"],
                    "theme": spec["theme"],
                    "category": college.category,
                    "status": spec["status"],
                    "service_content": spec.get("service_content", ""),
                    "service_foundation": spec.get("service_foundation", ""),
                    "description": spec.get("description", ""),
                    "keywords": spec.get("keywords", []),
                    "service_types": spec.get("service_types", []),
                },
                m2m={
                    "industries": [self.industry(c) for c in spec.get("industries", [])],
                    "regions": [self.region(c) for c in spec.get("regions", [])],
                    "disciplines": [self.discipline(n) for n in spec.get("disciplines", [])],
                    "served_enterprises": [
                        self.enterprise(n, name) for n in spec.get("served_enterprises", [])
                    ],
                },
                stamps={"created_at": created, "updated_at": created + timedelta(days=rng.randint(3, 60))},
            )
            self.teams[name] = team
            for member in self.members_of(spec, name):
                self.sync(Member, {"team": team, "name": member.pop("name")}, member)

    def enterprise(self, name: str, where: str) -> Enterprise:
        found = self.enterprises.get(name)
        if found is None:
            raise DemoWorldError(f"“{where}”引用的企业“{name}”不在演示数据中。")
        return found

    def members_of(self, spec: dict, team_name: str) -> list[dict]:
        blank = {
            "background": "",
            "title": "",
            "deputy_focus": "",
            "student_level": "",
            "enterprise": None,
            "research_direction": "",
            "qualifying_project": "",
            "qualifying_level": "",
            "qualifying_amount_yuan": None,
        }
        captain = spec["captain"]
        amount = captain.get("amount_wan")
        rows = [
            {
                **blank,
                "name": captain["name"],
                "role": MemberRole.CAPTAIN,
                "kind": MemberKind.TEACHER,
                "background": captain.get("background", captain.get("direction", "")),
                "title": captain["title"],
                "research_direction": captain.get("direction", ""),
                "qualifying_project": captain["project"],
                "qualifying_level": captain["level"],
                "qualifying_amount_yuan": Decimal(amount) * 10000 if amount is not None else None,
            }
        ]
        for deputy in spec.get("deputies", []):
            rows.append(
                {
                    **blank,
                    "name": deputy["name"],
                    "role": MemberRole.DEPUTY,
                    "kind": MemberKind.TEACHER,
                    "background": deputy.get("background", deputy.get("direction", "")),
                    "title": deputy["title"],
                    "deputy_focus": deputy["focus"],
                    "research_direction": deputy.get("direction", ""),
                }
            )
        for core in spec.get("core", []):
            rows.append(
                {
                    **blank,
                    "name": core["name"],
                    "role": MemberRole.CORE,
                    "kind": MemberKind.TEACHER,
                    "background": core.get("background", core.get("direction", "")),
                    "title": core["title"],
                    "research_direction": core.get("direction", ""),
                }
            )
        for student in spec.get("students", []):
            rows.append(
                {
                    **blank,
                    "name": student["name"],
                    "role": MemberRole.DYNAMIC,
                    "kind": MemberKind.STUDENT,
                    "student_level": student["level"],
                    "research_direction": student.get("direction", ""),
                }
            )
        for engineer in spec.get("engineers", []):
            rows.append(
                {
                    **blank,
                    "name": engineer["name"],
                    "role": MemberRole.ENTERPRISE,
                    "kind": MemberKind.ENTERPRISE,
                    "title": engineer.get("title", ""),
                    "enterprise": self.enterprise(engineer["enterprise"], team_name),
                }
            )
        return rows

    def build_users(self):
        user_model = get_user_model()
        for spec in self.content["users"]:
            role = spec["role"]
            memberships = [self.membership(m, spec["username"]) for m in spec.get("memberships", [])]
            values = {
                "role": role,
                "real_name": spec.get("real_name", ""),
                "title": spec.get("title", ""),
                "is_staff": spec.get("is_staff", False),
                "is_superuser": spec.get("is_superuser", False),
                "is_active": True,
                "enterprise": None,
                "college": None,
                "university": None,
                "agency": None,
            }
            organisation = ROLE_ORGANISATION_FIELD.get(role)
            if organisation == "enterprise":
                values["enterprise"] = self.enterprise(spec["enterprise"], spec["username"])
            elif organisation == "college":
                college_name = spec.get("college")
                values["college"] = (
                    self.colleges[college_name] if college_name else memberships[0].team.college
                )
            elif organisation == "university":
                values["university"] = self.university
            elif organisation == "agency":
                values["agency"] = self.agencies[spec["agency"]]
            user = user_model.objects.filter(username=spec["username"]).first()
            if user is None:
                user = user_model(username=spec["username"], **values)
                user.set_password(DEMO_PASSWORD)
                user.full_clean()
                user.save()
                self.created += 1
            else:
                differing = {f: v for f, v in values.items() if not _same(user, f, v)}
                for field, value in differing.items():
                    setattr(user, field, value)
                if not user.check_password(DEMO_PASSWORD):
                    user.set_password(DEMO_PASSWORD)
                    differing["password"] = True
                if differing:
                    user.full_clean()
                    user.save()
                    self.updated += 1
            for member in memberships:
                if member.user_id != user.pk:
                    member.user = user
                    member.save(update_fields=["user"])
                    self.updated += 1
            if user.enterprise_id and user.enterprise_id not in self.users_by_enterprise:
                self.users_by_enterprise[user.enterprise_id] = user

    def membership(self, spec: dict, username: str) -> Member:
        team = self.teams.get(spec["team"])
        member = team and team.members.filter(name=spec["member"]).first()
        if not member:
            raise DemoWorldError(
                f"用户 {username} 关联的成员“{spec['member']}”不在小分队“{spec['team']}”中。"
            )
        return member

    def build_needs(self):
        valid_types = set(ServiceType.values)
        for spec in self.content["needs"]:
            enterprise = self.enterprise(spec["enterprise"], spec["title"])
            bad = [t for t in spec["types"] if t not in valid_types]
            if bad:
                raise DemoWorldError(f"需求“{spec['title']}”的需求类型 {bad} 无效。")
            status = spec.get("status", Need.Status.PUBLISHED)
            rng = self.rng("need", enterprise.name, spec["title"])
            stamps = self.need_timeline(status, rng)
            if stamps["published_at"]:
                # The matcher ranks a need minutes after it is published; these were published in the
                # past, so their first recommendation is dated then, not when the demo is seeded. (A
                # generator of its own, so the need's other random draws stay as they were.)
                delay = self.rng("recommended", enterprise.name, spec["title"]).randint(2, 180)
                first_recommended_at = stamps["published_at"] + timedelta(minutes=delay)
            else:
                first_recommended_at = None
            budget = spec.get("budget")
            need = self.sync(
                Need,
                {"enterprise": enterprise, "title": spec["title"]},
                {
                    "created_by": self.users_by_enterprise.get(enterprise.pk),
                    "description": spec["description"],
                    "industry": self.industry(spec.get("industry") or enterprise.industry.code),
                    "region": enterprise.region,
                    "service_types": list(spec["types"]),
                    "budget_min": Decimal(budget[0]).quantize(Decimal("0.01")) if budget else None,
                    "budget_max": Decimal(budget[1]).quantize(Decimal("0.01")) if budget else None,
                    "expected_start": _first_of_month_after(
                        (stamps["created_at"] + timedelta(days=rng.randint(10, 60))).date()
                    ),
                    "duration_months": spec.get("months"),
                    "show_enterprise": spec.get("show_enterprise", rng.random() > 0.12),
                    "status": status,
                    "close_reason": spec.get("close_reason", ""),
                },
                stamps=stamps,
            )
            if first_recommended_at is not None:
                # matching's own table (a ranking run while seeding may have stamped today already).
                NeedMatchFacts.objects.update_or_create(
                    need=need, defaults={"first_recommended_at": first_recommended_at}
                )

    @staticmethod
    def need_timeline(status: str, rng: random.Random) -> dict:
        """created → submitted → published → engaged → resolved / closed, all before ANCHOR."""
        low, high = _NEED_AGE_DAYS[status]
        if status == Need.Status.PUBLISHED:
            age = rng.triangular(low, high, 20)  # the hall is mostly fresh
        else:
            age = rng.uniform(low, high)
        created = _at(age, rng)
        stamps = {
            "created_at": created,
            "submitted_at": None,
            "published_at": None,
            "engaged_at": None,
            "resolved_at": None,
            "closed_at": None,
        }
        latest = created
        if status != Need.Status.DRAFT:
            latest = stamps["submitted_at"] = created + timedelta(hours=rng.randint(1, 48))
        if status in _PUBLISHED_OR_LATER:
            latest = stamps["published_at"] = latest + timedelta(hours=rng.randint(4, 72))
        if status in (Need.Status.ENGAGED, Need.Status.RESOLVED):
            room = (ANCHOR - latest).days
            latest = stamps["engaged_at"] = latest + timedelta(days=min(rng.randint(7, 60), room // 3))
        if status == Need.Status.RESOLVED:
            room = (ANCHOR - latest).days
            latest = stamps["resolved_at"] = latest + timedelta(
                days=min(rng.randint(60, 240), room * 9 // 10)
            )
        if status == Need.Status.CLOSED:
            room = (ANCHOR - latest).days
            latest = stamps["closed_at"] = latest + timedelta(days=min(rng.randint(15, 120), room * 9 // 10))
        stamps["updated_at"] = latest
        return stamps


# ------------------------------------------------------------------------------------------- public


def world_counts() -> dict:
    """Rows per model, as demo_world_build reports them."""
    models_by_key: dict[str, type[models.Model]] = {
        "universities": University,
        "colleges": College,
        "agencies": GovernmentAgency,
        "enterprises": Enterprise,
        "users": get_user_model(),
        "teams": Team,
        "members": Member,
        "needs": Need,
    }
    return {key: model.objects.count() for key, model in models_by_key.items()}


def demo_world_build(*, seed: int = DEFAULT_SEED) -> dict:
    """Build (or bring up to date) the demo world; returns rows per model and what this run changed.

    The result is ``{"universities": 1, "colleges": 10, …, "needs": 213, "changes": {"created": n,
    "updated": m}}``; a second run reports the same counts with ``changes`` all zero.
    Raises DemoWorldError when the reference data (industries, regions, disciplines) is not loaded.
    """
    if not Industry.objects.exists():
        raise DemoWorldError(
            "参考数据为空：请先加载行业、行政区划和学科（reference.loaders.load_all()，"
            "或运行 python manage.py seed_demo，它会自动加载）。"
        )
    builder = _Builder(load_content(), seed)
    with transaction.atomic():
        builder.build()
    return {**world_counts(), "changes": {"created": builder.created, "updated": builder.updated}}

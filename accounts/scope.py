"""The one scope rule (ARCHITECTURE.md, rule 2): what a user may see is decided here, and only here.

A user's role and organisation map to one `Scope`:

============  ==========================================  ==================================
kind          who                                          keyed by
============  ==========================================  ==================================
everything    platform administrators and superusers        (no filter)
university    the S&T office (科技处)                       user.university_id
college       a college's administrator                     user.college_id
enterprise    an enterprise's users                         user.enterprise_id
agency        government viewers                            user.agency_id (and its region)
member        teachers and students: members of teams       the user
nothing       anonymous, or a role with no organisation     (nothing)
============  ==========================================  ==================================

(Students sign in as team members of their college: talent.services. There is no separate kind.)

Each model declares only its lookup paths per kind (`ScopePaths`) on its QuerySet, and its manager
answers `Model.objects.visible_to(user)`::

    class TeamQuerySet(ScopedQuerySet):
        scope_paths = ScopePaths(university="college__university", college="college", member=...)

    class Team(models.Model):
        objects = TeamQuerySet.as_manager()

A second view of the same rows (an enterprise's own needs, the colleges whose archives one may zip)
declares its paths beside its selector and asks `restrict(queryset, user, paths)`: the same helper.

The predicates (`is_sto_admin` …) answer the role questions the rest of the code asks; no other module
compares `user.role` (tests/accounts/test_one_scope_rule.py checks this). Templates ask the context
processor `accounts.context_processors.permissions` instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet

from accounts.models import Category, Role, User


class Kind(StrEnum):
    EVERYTHING = "everything"
    UNIVERSITY = "university"
    COLLEGE = "college"
    ENTERPRISE = "enterprise"
    AGENCY = "agency"
    MEMBER = "member"
    NOTHING = "nothing"


# The one place a role becomes a kind of scope.
ROLE_KIND: dict[str, Kind] = {
    Role.PLATFORM_ADMIN: Kind.EVERYTHING,
    Role.STO_ADMIN: Kind.UNIVERSITY,
    Role.HUM_ADMIN: Kind.UNIVERSITY,
    Role.COLLEGE_ADMIN: Kind.COLLEGE,
    Role.ENTERPRISE: Kind.ENTERPRISE,
    Role.GOV_VIEWER: Kind.AGENCY,
    Role.TEAM_MEMBER: Kind.MEMBER,
}


# ------------------------------------------------------------------------------------------ predicates


def _role_is(user, role: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role == role


def is_platform_admin(user) -> bool:
    """Platform administrators and superusers: everything."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.is_superuser or user.role == Role.PLATFORM_ADMIN
    )


def is_sto_admin(user) -> bool:
    """The S&T office (科技处) of a university."""
    return _role_is(user, Role.STO_ADMIN)


def is_hum_admin(user) -> bool:
    """The humanities research office (人文社科处) of a university."""
    return _role_is(user, Role.HUM_ADMIN)


# Appendix C's note: the university's 科技 and 人文科研 management departments spot-check the 理工类 and
# 人文类 material separately. The one place an office becomes its strand.
OFFICE_STRAND = {Role.STO_ADMIN: Category.SCIENCE, Role.HUM_ADMIN: Category.HUMANITIES}


def is_research_office(user) -> bool:
    """Either research office of a university: reads the whole assessment, checks its own strand."""
    return is_sto_admin(user) or is_hum_admin(user)


def strand_of(user) -> str | None:
    """The category (accounts.models.Category) whose material this user's office spot-checks, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return OFFICE_STRAND.get(user.role)


def office_users(university_id, *, strand: str | None = None) -> QuerySet[User]:
    """A university's active research-office accounts: the S&T office's (which runs the assessment) by
    default, or those of the office that checks `strand`."""
    roles = [role for role, s in OFFICE_STRAND.items() if s == (strand or Category.SCIENCE)]
    return User.objects.filter(role__in=roles, university_id=university_id, is_active=True).order_by("pk")


def is_college_admin(user) -> bool:
    """A college's (二级学院) administrator."""
    return _role_is(user, Role.COLLEGE_ADMIN)


def is_enterprise_user(user) -> bool:
    return _role_is(user, Role.ENTERPRISE)


def is_government(user) -> bool:
    """A government viewer (政府用户)."""
    return _role_is(user, Role.GOV_VIEWER)


def is_team_member(user) -> bool:
    """A teacher or student of a college: forms and serves in teams (not a college's administrator)."""
    return _role_is(user, Role.TEAM_MEMBER)


def acts_for_enterprise(user, enterprise_id) -> bool:
    """The user is one of this enterprise's users."""
    return is_enterprise_user(user) and enterprise_id is not None and user.enterprise_id == enterprise_id


def users_of_kind(kind: Kind) -> QuerySet[User]:
    """The accounts whose role gives this kind of scope (EVERYTHING: the platform administrators' role,
    not superusers of another role)."""
    return User.objects.filter(role__in=[role for role, k in ROLE_KIND.items() if k == kind])


# -------------------------------------------------------------------------------------------- the scope


@dataclass(frozen=True)
class Scope:
    kind: Kind
    user: object = field(default=None, compare=False, repr=False)

    @property
    def user_id(self):
        return getattr(self.user, "pk", None)

    @property
    def university_id(self):
        """The S&T office's university (user.university_id)."""
        return getattr(self.user, "university_id", None)

    @cached_property
    def home_university_id(self):
        """The university a user belongs to: the S&T office's own, or their college's."""
        user = self.user
        if user is None:
            return None
        if user.university_id:
            return user.university_id
        if user.college_id:
            return user.college.university_id
        return None

    @property
    def college_id(self):
        return getattr(self.user, "college_id", None)

    @property
    def enterprise_id(self):
        return getattr(self.user, "enterprise_id", None)

    @property
    def agency_id(self):
        return getattr(self.user, "agency_id", None)

    @property
    def region(self):
        """A government viewer's region (its agency's): it sees that region and everything below it."""
        return self.user.agency.region if self.kind == Kind.AGENCY and self.agency_id else None

    def key(self, name: str):
        """The value a lookup path is compared with: "user", "university", "home_university", "college",
        "enterprise" or "agency"."""
        return self.user_id if name == "user" else getattr(self, f"{name}_id")


NOTHING = Scope(Kind.NOTHING)


def scope_of(user) -> Scope:
    """The user's scope: anonymous → nothing; superusers and platform administrators → everything."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING
    if is_platform_admin(user):
        return Scope(Kind.EVERYTHING, user)
    return Scope(ROLE_KIND.get(user.role, Kind.NOTHING), user)


# ------------------------------------------------------------------------------------- lookup paths

ALL = "*"  # a path value: this kind sees every row


@dataclass(frozen=True)
class Lookup:
    """A path compared with another of the scope's keys than its kind's own (e.g. a call's university for
    a college's administrator: `Lookup("university", "home_university")`)."""

    path: str
    key: str


# The key each kind's plain path is compared with.
KIND_KEY = {
    Kind.UNIVERSITY: "university",
    Kind.COLLEGE: "college",
    Kind.ENTERPRISE: "enterprise",
    Kind.AGENCY: "agency",
    Kind.MEMBER: "user",
}


@dataclass(frozen=True)
class ScopePaths:
    """One model's lookup path per kind of scope: ALL (every row), a path from the model to the kind's
    organisation (or, for members, to the user), a `Lookup`, or None (nothing: the default)."""

    everything: str | None = ALL
    university: str | Lookup | None = None
    college: str | Lookup | None = None
    enterprise: str | Lookup | None = None
    agency: str | Lookup | None = None
    member: str | Lookup | None = None


def _multi_valued(model, path: str) -> bool:
    """Does the path cross a to-many relation (so a plain filter could repeat rows)?"""
    for part in path.split("__"):
        try:
            f = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if f.many_to_many or f.one_to_many:
            return True
        if f.related_model is None:
            return False
        model = f.related_model
    return False


class Reach:
    """What `reach` answers: every row, no row, or the rows matching `q`."""

    def __init__(self, q: Q | None = None, *, everything: bool = False):
        self.q, self.everything = q, everything

    @property
    def nothing(self) -> bool:
        return not self.everything and self.q is None

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.everything:
            return queryset
        if self.q is None:
            return queryset.none()
        return queryset.filter(self.q)


def reach(user, paths: ScopePaths, model) -> Reach:
    """The rows of `model` the user's scope reaches through `paths`."""
    scope = user if isinstance(user, Scope) else scope_of(user)
    if scope.kind == Kind.EVERYTHING and paths.everything is None:
        # Rows administrators do not see: a superuser who holds an organisation's role keeps its reach.
        scope = Scope(ROLE_KIND.get(scope.user.role, Kind.NOTHING), scope.user)
    if scope.kind == Kind.NOTHING:
        return Reach()
    spec = getattr(paths, scope.kind.value)
    if spec is None:
        return Reach()
    if spec == ALL:
        return Reach(everything=True)
    path, key = (spec.path, spec.key) if isinstance(spec, Lookup) else (spec, KIND_KEY[scope.kind])
    value = scope.key(key)
    if value is None:
        return Reach()
    if _multi_valued(model, path):
        return Reach(Q(pk__in=model._default_manager.filter(**{path: value}).values("pk")))
    return Reach(Q(**{path: value}))


def restrict(queryset: QuerySet, user, paths: ScopePaths) -> QuerySet:
    """`queryset` narrowed to what `user` may see: every selector, page, API and export asks this."""
    return reach(user, paths, queryset.model).apply(queryset)


class ScopedQuerySetMixin:
    """For a model's QuerySet: declare `scope_paths`, and `Model.objects.visible_to(user)` is the scope
    rule for it."""

    scope_paths: ScopePaths = ScopePaths(everything=None)

    def visible_to(self, user):
        return restrict(self, user, self.scope_paths)


class ScopedQuerySet(ScopedQuerySetMixin, QuerySet):
    """A model's QuerySet with `visible_to(user)`: subclass it with the model's `scope_paths` and use it as
    the manager (`objects = TeamQuerySet.as_manager()`)."""

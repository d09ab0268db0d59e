"""ARCHITECTURE.md rule 2, "one scope rule": what a user may see is decided in accounts.scope, and only
there. (a) No project module outside accounts/scope.py compares a user's role (`user.role == …`,
`… in {Role.X, …}`, `filter(role=Role.X)`); accounts.scope's predicates and ScopePaths answer instead.
(b) No template compares `user.role`; templates ask `may` (accounts.context_processors.permissions).

A team member's role on a team (captain, deputy … `teams.models.MemberRole`) is another thing and is not
checked here."""

import ast
import re
from pathlib import Path

import pytest

from accounts.models import Role

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", "tests", "migrations", "node_modules", "var", "static", ".git", "kjxfd.egg-info"}
THE_RULE = Path("accounts/scope.py")
USER_ROLES = set(Role.values)
# Only roles no team member role shares ("enterprise" is both a user's role and a MemberRole).
UNAMBIGUOUS_ROLES = USER_ROLES - {"enterprise"}

# Where users are created, a role is set, not compared: keyword arguments to these calls, in these files.
CREATING_CALLS = {"create_user", "create_superuser", "create", "get_or_create", "update_or_create", "User"}
CREATING_FILES = ("accounts/services.py", "accounts/forms.py", "demo/", "benchmarks/load_needs.py")
CREATING_DIRS = ("/management/commands/",)

# Role comparisons in modules another change owns right now (left for it to move to accounts.scope):
# file → how many may remain. Lower a number when you take one out; never raise one.
PENDING: dict[str, int] = {}  # none left: every role question goes through accounts.scope

USERISH = re.compile(r"(^|\.|_)(user|by|actor|asker|viewer|operator|reviewer)$")
USER_ROLE_KEYWORD = re.compile(r"(^|__)(user|users|by|author|actor|assigned_by|created_by)__role(__in)?$")


def _walk(pattern: str):
    """Files under the project root, not descending into SKIP_DIRS (the virtualenv is large)."""
    for top in sorted(ROOT.iterdir()):
        if top.name in SKIP_DIRS or top.name.startswith("."):
            continue
        yield from [top] if top.is_file() and top.match(pattern) else sorted(top.rglob(pattern))


def project_files() -> list[Path]:
    files = []
    for path in _walk("*.py"):
        rel = path.relative_to(ROOT)
        if SKIP_DIRS & set(rel.parts[:-1]) or rel == THE_RULE:
            continue
        files.append(rel)
    return files


def _operands(node) -> list:
    """A comparison's operand, and the members of a literal tuple, list or set."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return list(node.elts)
    return [node]


def _is_role_member(node) -> bool:
    """`Role.STO_ADMIN` (accounts.models.Role; `MemberRole.X` is a team member's role)."""
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Role"


def _is_user_role_attribute(node) -> bool:
    """`user.role`, `request.user.role`, `by.role` …: the role of someone who asks or acts."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "role"
        and bool(USERISH.search(ast.unparse(node.value)))
    )


def _role_literal(node, roles) -> bool:
    return isinstance(node, ast.Constant) and node.value in roles


def _comparison_problem(node: ast.Compare) -> str | None:
    sides = [node.left, *node.comparators]
    flat = [leaf for side in sides for leaf in _operands(side)]
    if any(_is_role_member(leaf) for leaf in flat):
        return f"compares with a Role member: {ast.unparse(node)}"
    if any(_is_user_role_attribute(side) for side in sides):
        return f"compares a user's role: {ast.unparse(node)}"
    role_attributes = [s for s in sides if isinstance(s, ast.Attribute) and s.attr == "role"]
    if role_attributes and any(_role_literal(leaf, UNAMBIGUOUS_ROLES) for leaf in flat):
        return f"compares a role with a user role's value: {ast.unparse(node)}"
    return None


def _creating(rel: str, call: ast.Call) -> bool:
    if not (rel.startswith(CREATING_FILES) or any(d in f"/{rel}" for d in CREATING_DIRS)):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in CREATING_CALLS


def _keyword_problem(rel: str, call: ast.Call, keyword: ast.keyword) -> str | None:
    if keyword.arg is None:
        return None
    if USER_ROLE_KEYWORD.search(keyword.arg):
        return f"filters on a user's role: {keyword.arg}={ast.unparse(keyword.value)}"
    if keyword.arg not in {"role", "role__in"}:
        return None
    leaves = _operands(keyword.value)
    if any(_is_role_member(leaf) or _role_literal(leaf, USER_ROLES) for leaf in leaves):
        if _creating(rel, call):
            return None
        return f"filters on a user's role: {keyword.arg}={ast.unparse(keyword.value)}"
    return None


def role_comparisons(rel: str, source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source, filename=rel)):
        if isinstance(node, ast.Compare):
            problem = _comparison_problem(node)
            if problem:
                found.append((node.lineno, problem))
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                problem = _keyword_problem(rel, node, keyword)
                if problem:
                    found.append((keyword.value.lineno, problem))
    return found


# ------------------------------------------------------------------------------------------ (a) python


def test_no_module_but_accounts_scope_compares_a_users_role():
    offending = []
    for rel in project_files():
        found = role_comparisons(rel.as_posix(), (ROOT / rel).read_text(encoding="utf-8"))
        allowed = PENDING.get(rel.as_posix(), 0)
        if len(found) > allowed:
            offending += [f"{rel}:{line}: {problem}" for line, problem in found]
    assert not offending, (
        "Role comparisons outside accounts/scope.py (ask accounts.scope: is_sto_admin(user) …, "
        "restrict(queryset, user, ScopePaths(...))):\n" + "\n".join(offending)
    )


@pytest.mark.parametrize(
    "source",
    [
        "if user.role == Role.STO_ADMIN: pass",
        "ok = request.user.role != Role.TEAM_MEMBER",
        "ok = user.role in {Role.STO_ADMIN, Role.COLLEGE_ADMIN}",
        "ok = by.role == 'sto_admin'",
        "ok = self.request.user.role == role",
        "ok = someone.role in ('gov_viewer', 'platform_admin')",
        "ok = Role.ENTERPRISE == kind",
        "qs = User.objects.filter(role=Role.PLATFORM_ADMIN)",
        "qs = User.objects.filter(role__in=['sto_admin', 'college_admin'])",
        "qs = Need.objects.filter(enterprise__users__role='enterprise')",
        "qs = Assignment.objects.filter(assigned_by__role=kind)",
    ],
)
def test_the_check_finds_role_comparisons(source):
    assert role_comparisons("teams/selectors.py", source)


@pytest.mark.parametrize(
    "source",
    [
        "captains = [m for m in members if m.role == 'captain']",
        "ok = member.role == MemberRole.CAPTAIN",
        "ok = member.role not in HANDLER_ROLES",
        "qs = team.members.filter(role=MemberRole.CAPTAIN)",
        "qs = team.members.filter(role__in=['captain', 'deputy'])",
        "qs = Team.objects.filter(members__role__in=CONTACT_ROLES)",
        "field = ROLE_ORGANISATION_FIELD.get(user.role)",
        "labels = dict(Role.choices)",
    ],
)
def test_the_check_leaves_team_member_roles_alone(source):
    assert role_comparisons("teams/selectors.py", source) == []


def test_creating_users_may_set_a_role_only_where_users_are_created():
    source = "User.objects.create_user(username='a', role=Role.ENTERPRISE)"
    assert role_comparisons("accounts/services.py", source) == []
    assert role_comparisons("demo/talent.py", "u = User(username='a', role=Role.TEAM_MEMBER)") == []
    assert role_comparisons("teams/forms.py", source)
    assert role_comparisons("demo/talent.py", "qs = User.objects.filter(role=Role.STO_ADMIN)")


def test_a_comparison_added_to_a_module_is_found(tmp_path):
    """The check reads the files as they are: one comparison added to a real module fails it."""
    rel = "teams/selectors.py"
    source = (ROOT / rel).read_text(encoding="utf-8")
    assert role_comparisons(rel, source) == []
    added = source + "\n\ndef _office(user):\n    return user.role == Role.STO_ADMIN\n"
    assert [line for line, _problem in role_comparisons(rel, added)] == [len(added.splitlines())]


def test_pending_files_still_exist():
    """A pending entry names a real module (a moved or renamed one must take its entry along)."""
    assert [name for name in PENDING if not (ROOT / name).exists()] == []


# ---------------------------------------------------------------------------------------- (b) templates

TEMPLATE_ROLE = re.compile(
    r"\buser\.role\b|\.role\s*[!=]=\s*['\"](" + "|".join(sorted(UNAMBIGUOUS_ROLES)) + r")['\"]"
)


def template_files() -> list[Path]:
    rels = (p.relative_to(ROOT) for p in _walk("*.html"))
    return sorted(rel for rel in rels if not SKIP_DIRS & set(rel.parts[:-1]))


def test_no_template_compares_a_users_role():
    assert any(p.parts[0] == "templates" for p in template_files())
    offending = []
    for rel in template_files():
        for n, line in enumerate((ROOT / rel).read_text(encoding="utf-8").splitlines(), 1):
            if TEMPLATE_ROLE.search(line):
                offending.append(f"{rel}:{n}: {line.strip()[:120]}")
    assert not offending, "Templates compare roles (ask `may`, accounts.context_processors):\n" + "\n".join(
        offending
    )


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ('{% if user.role == "sto_admin" %}', True),
        ("{% if request.user.role != 'gov_viewer' %}", True),
        ('{% if u.role == "college_admin" %}', True),
        ("{{ user.get_role_display }}", False),
        ('{% if m.role != "captain" %}', False),
        ("{% if may.see_dashboard %}", False),
    ],
)
def test_the_template_check(line, found):
    assert bool(TEMPLATE_ROLE.search(line)) is found

"""ARCHITECTURE.md rule 1, one owner per row: a model's rows are created, changed and deleted only by
its own app. This reads every module's syntax tree and fails on a write to another app's model.

A write is a call chain rooted at a model class imported from another app's `models` module and ending
in a writing method (`Need.objects.filter(…).update(…)`, `Team.objects.create(…)`, …). Instances
reached through a variable are not typed here; the services' tests cover those.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = [
    "reference",
    "core",
    "accounts",
    "demand",
    "teams",
    "matching",
    "engagements",
    "talent",
    "scoring",
    "insights",
]
WRITES = {
    "save",
    "update",
    "create",
    "delete",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "add",
    "remove",
    "set",
    "clear",
}
# Benchmarks build a throw-away world of every app's rows (and roll it back); they write nothing real.
ALLOWED = {
    "insights/management/commands/bench_dashboard.py",
    "insights/management/commands/bench_industry_map.py",
}


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if "/migrations/" in rel or rel in ALLOWED:
                continue
            yield app, rel, path


def foreign_models(tree: ast.Module, app: str) -> dict[str, str]:
    """Names bound in this module to other apps' model classes (from X.models import A, B as C)."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.endswith(".models"):
            owner = node.module.split(".")[0]
            if owner != app and owner in APPS:
                for alias in node.names:
                    names[alias.asname or alias.name] = owner
    return names


def root_name(node) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def foreign_writes(app: str, rel: str, path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=rel)
    models = foreign_models(tree, app)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            name = root_name(node.func.value)
            if name in models and isinstance(node.func.value, ast.Attribute | ast.Call):
                found.append(f"{rel}:{node.lineno}: {app} writes {models[name]}.{name} (.{node.func.attr})")
    return found


def test_no_app_writes_another_apps_rows():
    problems = [line for app, rel, path in modules() for line in foreign_writes(app, rel, path)]
    assert not problems, "rows changed outside their own app:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "source",
    [
        "from demand.models import Need\nNeed.objects.filter(pk=1).update(title='x')\n",
        "from teams.models import Team\nTeam.objects.create(name='x')\n",
        "from teams.models import ServiceRecord as R\nR.objects.filter(pk=1).delete()\n",
    ],
)
def test_the_check_sees_a_foreign_write(tmp_path, source):
    path = tmp_path / "services.py"
    path.write_text(source)
    assert foreign_writes("matching", "matching/services.py", path)


def test_the_check_lets_an_app_write_its_own_rows(tmp_path):
    path = tmp_path / "services.py"
    path.write_text("from demand.models import Need\nNeed.objects.filter(pk=1).update(title='x')\n")
    assert not foreign_writes("demand", "demand/services.py", path)

"""ARCHITECTURE.md, rule 3: one service per use case. The service owns the transaction
(`@transaction.atomic`); views, API views and tasks never open one. A use case a view would stitch from
several service calls inside its own atomic block is one service function instead, called by the page and
the API alike.

Read from the source with `ast` (nothing is imported), so a failure names the file and the line.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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
    "analytics",
    "demo",
]
# The kinds of module that must not open a transaction, by their file name without ".py".
KINDS = ("views", "apis", "tasks")


def _is_entry_point(path: Path) -> bool:
    """views.py, apis.py, tasks.py, *_views.py, *_apis.py, *_tasks.py, or any module in a views/apis/tasks
    package."""
    if any(part in KINDS for part in path.relative_to(ROOT).parts[:-1]):
        return True
    stem = path.stem
    return any(stem == kind or stem.endswith(f"_{kind}") for kind in KINDS)


def entry_point_modules() -> list[Path]:
    modules = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or not _is_entry_point(path):
                continue
            modules.append(path)
    return modules


def _dotted(node: ast.AST) -> str:
    """`django.db.transaction.atomic` for the expression that spells it, "" for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def atomic_uses(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, what) for every way the module reaches transaction.atomic: `transaction.atomic` (as a
    decorator, a `with`, a call or a name passed on), `django.db.transaction.atomic`, and `atomic` imported
    from django.db.transaction, under any alias."""
    tree = ast.parse(source, filename=filename)
    transaction_names = {"transaction"}  # `from django.db import transaction [as t]`
    atomic_names: set[str] = set()  # `from django.db.transaction import atomic [as a]`
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.db":
            transaction_names |= {a.asname or a.name for a in node.names if a.name == "transaction"}
        elif isinstance(node, ast.ImportFrom) and node.module == "django.db.transaction":
            for alias in node.names:
                if alias.name == "atomic":
                    atomic_names.add(alias.asname or alias.name)
                    found.append((node.lineno, "from django.db.transaction import atomic"))
        elif isinstance(node, ast.Import):
            transaction_names |= {
                a.asname for a in node.names if a.name == "django.db.transaction" and a.asname
            }
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "atomic":
            base = _dotted(node.value)
            if base in transaction_names or base.endswith("db.transaction"):
                found.append((node.lineno, f"{base}.atomic"))
        elif isinstance(node, ast.Name) and node.id in atomic_names and isinstance(node.ctx, ast.Load):
            found.append((node.lineno, node.id))
    return sorted(set(found))


def test_the_entry_points_are_found():
    """The scan below sees the modules it is about (a layout change that hid them would pass it silently)."""
    names = {str(p.relative_to(ROOT)) for p in entry_point_modules()}
    assert {
        "demand/views.py",
        "demand/apis.py",
        "demand/tasks.py",
        "engagements/views.py",
        "engagements/apis.py",
        "engagements/assignment_views.py",
        "engagements/assignment_apis.py",
        "engagements/tasks.py",
        "teams/views.py",
        "teams/apis.py",
        "matching/tasks.py",
    } <= names


def test_no_view_api_or_task_opens_a_transaction():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in entry_point_modules()
        for line, what in atomic_uses(path.read_text(encoding="utf-8"), str(path))
    ]
    assert not offences, (
        "Views, API views and tasks never open a transaction (ARCHITECTURE.md rule 3): make the use case "
        "one @transaction.atomic service in the owning app and call it from the page and the API.\n"
        + "\n".join(offences)
    )


@pytest.mark.parametrize(
    "source",
    [
        "from django.db import transaction\n\n@transaction.atomic\ndef view(request): ...\n",
        "from django.db import transaction\n\ndef view(request):\n    with transaction.atomic():\n        pass\n",
        "from django.db import transaction as tx\n\ndef view(request):\n    with tx.atomic(using='default'):\n"
        "        pass\n",
        "import django.db\n\n@django.db.transaction.atomic\ndef view(request): ...\n",
        "from django.db.transaction import atomic\n\n@atomic\ndef view(request): ...\n",
    ],
)
def test_the_scan_sees_each_spelling(source):
    assert atomic_uses(source)


def test_the_scan_leaves_on_commit_alone():
    source = "from django.db import transaction\n\ndef view(request):\n    transaction.on_commit(print)\n"
    assert atomic_uses(source) == []

"""platform_data export|import: the platform's data as JSON lines survives export → empty database →
import → export unchanged; a bad line or an occupied database changes nothing."""

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import Notification, User
from core import backup
from demand.models import Need
from matching import services
from teams.models import Team
from tests.factories import build_valid_team, published_need
from tests.matching.test_embeddings import MODEL

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def platform(reference_data, django_capture_on_commit_callbacks):
    """Rows in most apps: a serving team, a published need (embedded and ranked when the model is
    built), a user in a group with a permission, a notification."""
    services.reset_index_cache()
    team = build_valid_team(status="active", name_suffix="缝制装备")
    with django_capture_on_commit_callbacks(execute=True):
        need = published_need()
    reviewers = Group.objects.create(name="审核员")
    reviewers.permissions.add(Permission.objects.get(codename="change_need"))
    owner = need.enterprise.users.first()
    owner.groups.add(reviewers)
    owner.set_password("demo12345")
    owner.save()
    Notification.objects.create(user=owner, kind="test", title="含“引号”与\n换行的通知")
    yield team, need, owner
    services.reset_index_cache()


def export(path) -> bytes:
    call_command("platform_data", "export", str(path))
    return path.read_bytes()


def flush():
    call_command("flush", interactive=False, verbosity=0)
    assert backup.occupied_tables() == []


def test_export_flush_import_export_gives_the_same_file(platform, tmp_path):
    team, need, owner = platform
    first = export(tmp_path / "first.jsonl")
    labels = {json.loads(line)["model"] for line in first.decode().splitlines()[1:]}
    assert {"reference.industry", "accounts.user", "demand.need", "teams.team", "auth.group"} <= labels
    if (MODEL / "modules.json").exists():
        assert {"matching.textembedding", "matching.recommendation"} <= labels

    flush()
    call_command("platform_data", "import", str(tmp_path / "first.jsonl"))

    assert export(tmp_path / "second.jsonl") == first
    restored = User.objects.get(pk=owner.pk)
    assert restored.check_password("demo12345")
    assert restored.has_perm("demand.change_need")  # permission found again by natural key
    assert Need.objects.get(pk=need.pk).title == need.title
    assert Team.objects.get(pk=team.pk).members.count() == team.members.count()
    # Sequences moved past the imported ids: a new row does not collide.
    assert Notification.objects.create(user=restored, kind="test", title="新").pk > max(
        Notification.objects.exclude(title="新").values_list("pk", flat=True)
    )


def variant(tmp_path, name: str, lines: list[str]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_bad_files_are_refused_with_the_reason_and_nothing_is_written(platform, tmp_path):
    lines = export(tmp_path / "good.jsonl").decode().splitlines()
    # a row cut short near the end, after thousands of good rows
    near_end = len(lines) - 3
    truncated = variant(
        tmp_path, "truncated.jsonl", [*lines[:near_end], lines[near_end][:-5], *lines[near_end + 1 :]]
    )
    # a need whose enterprise does not exist
    at = next(i for i, line in enumerate(lines) if '"model": "demand.need"' in line)
    row = json.loads(lines[at])
    row["fields"]["enterprise"] = 987654
    dangling = variant(
        tmp_path, "dangling.jsonl", [*lines[:at], json.dumps(row, ensure_ascii=False), *lines[at + 1 :]]
    )
    # a file made under another schema, and a file that is no export at all
    head = json.loads(lines[0])
    head["migrations"]["demand"] = "9999_future"
    future = variant(tmp_path, "future.jsonl", [json.dumps(head), *lines[1:]])
    other = variant(tmp_path, "other.jsonl", ['{"model": "accounts.user", "pk": 1, "fields": {}}'])
    flush()

    refusals = [
        (truncated, f"第 {near_end + 1} 行不是有效的 JSON.*未导入任何数据"),
        (dangling, "不存在的记录|无法导入"),
        (future, "迁移版本不一致（demand）"),
        (other, "第 1 行不是平台数据导出文件的文件头"),
    ]
    for path, message in refusals:
        with pytest.raises(CommandError, match=message):
            call_command("platform_data", "import", path)
        assert backup.occupied_tables() == []


def test_a_database_with_data_is_refused(platform, tmp_path):
    export(tmp_path / "backup.jsonl")
    users = User.objects.count()
    with pytest.raises(CommandError, match="目标数据库已有平台数据"):
        call_command("platform_data", "import", str(tmp_path / "backup.jsonl"))
    assert User.objects.count() == users


def test_times_come_back_to_the_microsecond(platform, tmp_path):
    """Django's encoder cuts times to milliseconds: 12:00:37.000456 came back as 12:00:37 (a flaky
    round trip whenever a stamp's microseconds were under 1000)."""
    import datetime as dt

    from teams.models import Team

    team, _need, _owner = platform
    stamp = dt.datetime(2026, 5, 1, 12, 0, 37, 456, tzinfo=dt.UTC)
    Team.objects.filter(pk=team.pk).update(updated_at=stamp)
    export(tmp_path / "first.jsonl")
    flush()
    call_command("platform_data", "import", str(tmp_path / "first.jsonl"))
    assert Team.objects.get(pk=team.pk).updated_at == stamp

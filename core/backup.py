"""The platform's data as JSON lines: every row of the project's apps, exported and imported whole.

A logical backup beside pg_dump (platform/BACKUP.md): readable, diffable, and portable across
databases (PostgreSQL ↔ SQLite). The first line is a header naming the format and the migration each
app was at; every other line is one row in Django's jsonl serialization, with its primary key kept and
references to Django's own tables (content types, permissions) by natural key, since their ids differ
from one database to another. Models come in dependency order (a row's foreign keys point to rows
above it) and rows in primary-key order, so two exports of the same data are byte-for-byte equal.

Import refuses a database that already holds platform data, and runs in one transaction: a bad line
stops it with the line number and a Chinese message, and nothing is written.

Generic over the app registry, so it imports no app's modules (safe to live in accounts).
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime, time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "kjxfd-platform-data"
VERSION = 1
# Rows of Django's and DRF's own apps that are platform data too (roles in groups, API tokens).
EXTRA_MODELS = ["auth.group", "authtoken.token"]


class BackupError(Exception):
    """A problem with the file or the target database, said in Chinese for the operator."""


def project_apps():
    """The project's own apps (their code lives in the project, not in a package): an app added
    later is backed up without anyone remembering to list it."""
    root = Path(settings.BASE_DIR).resolve()
    return [
        a
        for a in apps.get_app_configs()
        if Path(a.path).resolve().is_relative_to(root) and ".venv" not in Path(a.path).parts
    ]


def platform_models() -> list[type[models.Model]]:
    """Every concrete model of the platform, each after the models its foreign keys point to."""
    found = []
    for app_config in project_apps():
        found += [m for m in app_config.get_models() if not m._meta.proxy]
    for label in EXTRA_MODELS:
        app_label, _, name = label.partition(".")
        if apps.is_installed(f"rest_framework.{app_label}") or apps.is_installed(
            f"django.contrib.{app_label}"
        ):
            found.append(apps.get_model(app_label, name))
    return _dependency_order(found)


def _dependency_order(found: list[type[models.Model]]) -> list[type[models.Model]]:
    # Depth-first over foreign keys, in a stable order; a cycle is cut where it closes (the database
    # checks foreign keys at commit, so any order imports, but this one reads naturally).
    chosen = set(found)
    ordered: list[type[models.Model]] = []
    state: dict = {}

    def visit(model):
        if state.get(model):
            return
        state[model] = "visiting"
        for field in model._meta.get_fields():
            target = getattr(field, "related_model", None)
            # Many-to-many rows are saved with their owner, so their targets come first too.
            forward = (field.many_to_one or field.one_to_one or field.many_to_many) and field.concrete
            if forward and target in chosen:
                if target is not model and state.get(target) != "visiting":
                    visit(target)
        state[model] = "done"
        ordered.append(model)

    for model in found:
        visit(model)
    return ordered


def _label(model) -> str:
    return model._meta.label_lower


def _migration_state() -> dict[str, str]:
    """The last applied migration of each platform app: data fits only the schema it came from."""
    state: dict[str, str] = {}
    labels = {m._meta.app_label for m in platform_models()}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in labels and name > state.get(app, ""):
            state[app] = name
    return dict(sorted(state.items()))


def header() -> dict:
    return {"format": FORMAT, "version": VERSION, "migrations": _migration_state()}


def export_lines() -> Iterator[str]:
    """The header, then every row, one JSON object per line (without the newline)."""
    yield json.dumps(header(), ensure_ascii=False, sort_keys=True)
    for model in platform_models():
        rows = model._default_manager.order_by("pk").iterator(chunk_size=1000)
        text = ExactSerializer().serialize(
            rows, use_natural_foreign_keys=True, use_natural_primary_keys=False
        )
        for line in text.splitlines():
            if line:
                yield line


class ExactSerializer(jsonl.Serializer):
    """Django's JSON lines, with times to the microsecond. Its encoder cuts them to milliseconds, so a
    time whose microseconds were under 1000 came back a different value (…:37.000Z exported, …:37Z
    after a round trip): a backup must give back exactly what it took."""

    def _value_from_field(self, obj, field):
        value = super()._value_from_field(obj, field)
        return value.isoformat() if isinstance(value, datetime | time) else value


def occupied_tables() -> list[str]:
    """Platform models that already hold rows in this database."""
    return [_label(m) for m in platform_models() if m._default_manager.exists()]


def import_lines(lines: Iterable[str]) -> dict[str, int]:
    """Load an export into an empty platform database; returns rows per model. All or nothing."""
    occupied = occupied_tables()
    if occupied:
        raise BackupError(
            "目标数据库已有平台数据（"
            + "、".join(occupied[:5])
            + (" 等" if len(occupied) > 5 else "")
            + "），拒绝导入。请在新建并完成 migrate 的空数据库中导入。"
        )
    allowed = {_label(m): m for m in platform_models()}
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            iterator = iter(enumerate(lines, start=1))
            _check_header(next(iterator, (1, "")))
            for number, line in iterator:
                if line.strip():
                    _load_line(number, line, allowed, counts)
            _reset_sequences([allowed[label] for label in counts])
            # Surface broken references here, with a message, instead of at commit.
            connection.check_constraints(table_names=[allowed[label]._meta.db_table for label in counts])
    except IntegrityError as exc:
        raise BackupError(f"导入的数据引用了不存在的记录，已全部撤销：{exc}") from exc
    return counts


def _check_header(numbered: tuple[int, str]) -> None:
    _number, line = numbered
    try:
        head = json.loads(line)
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise BackupError("第 1 行不是平台数据导出文件的文件头（应由 platform_data export 生成）。")
    if head.get("version") != VERSION:
        raise BackupError(f"导出文件格式版本为 {head.get('version')!r}，本程序只能导入版本 {VERSION}。")
    here = _migration_state()
    if head.get("migrations") != here:
        differ = sorted(
            app
            for app in set(here) | set(head.get("migrations") or {})
            if here.get(app) != (head.get("migrations") or {}).get(app)
        )
        raise BackupError(
            "导出文件与当前数据库的迁移版本不一致（"
            + "、".join(differ)
            + "）。请先把代码与数据库迁移到导出时的版本再导入。"
        )


def _load_line(number: int, line: str, allowed: dict, counts: dict[str, int]) -> None:
    try:
        row = json.loads(line)
    except ValueError as exc:
        raise BackupError(f"第 {number} 行不是有效的 JSON：{exc}") from exc
    label = row.get("model") if isinstance(row, dict) else None
    if label not in allowed:
        raise BackupError(f"第 {number} 行的模型 {label!r} 不属于平台数据。")
    try:
        # No savepoint per line: the first error ends the import, and the outer transaction is rolled
        # back whole. force_insert: the database is empty, so one INSERT per row (no UPDATE first).
        for obj in serializers.deserialize("jsonl", line, handle_forward_references=False):
            obj.save(force_insert=True)
    except (DeserializationError, DatabaseError, ValueError, TypeError) as exc:
        raise BackupError(f"第 {number} 行（{label}）无法导入：{exc}") from exc
    counts[label] = counts.get(label, 0) + 1


def _reset_sequences(models_loaded) -> None:
    """Rows came with their ids: move each id sequence past them, as loaddata does."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_loaded)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

"""An existing database upgrades through the app moves with every row kept (ARCHITECTURE.md: a move is
not a drop and recreate).

The database is taken back to the schema before the moves (the last migrations of the release before
them), every moved table is filled through the models as they were then, with rows that also point at
each other and at files, and then migrated forward. Each row must be found again, field for field,
under its new app, and the content types must have followed; the needs' first-recommendation stamps
must be in matching's own table.
"""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.apps import apps as current_apps
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

# The schema before the moves: each app's last migration then.
BEFORE = [
    ("accounts", "0002_notification"),
    ("analytics", "0004_report_export_claimed_by"),
    ("demand", "0004_need_first_recommended_at"),
    ("matching", "0008_backfill_first_recommended_at"),
    ("reference", "0001_initial"),
    ("teams", "0003_talent"),
    ("core", None),
    ("engagements", None),
    ("talent", None),
    ("scoring", None),
    ("insights", None),
]
MOVED = {
    ("matching", "Engagement"): ("engagements", "Engagement"),
    ("matching", "EngagementEvent"): ("engagements", "EngagementEvent"),
    ("matching", "EngagementRecord"): ("engagements", "EngagementRecord"),
    ("matching", "Assignment"): ("engagements", "Assignment"),
    ("matching", "TaskFailure"): ("core", "TaskFailure"),
    ("matching", "TaskDelivery"): ("core", "TaskDelivery"),
    ("teams", "StudentProfile"): ("talent", "StudentProfile"),
    ("teams", "Opening"): ("talent", "Opening"),
    ("teams", "Application"): ("talent", "Application"),
    ("analytics", "RuleSet"): ("scoring", "RuleSet"),
    ("analytics", "RuleItem"): ("scoring", "RuleItem"),
    ("analytics", "Assessment"): ("scoring", "Assessment"),
    ("analytics", "AssessmentResult"): ("scoring", "AssessmentResult"),
    ("analytics", "SpotCheck"): ("scoring", "SpotCheck"),
    ("analytics", "Objection"): ("scoring", "Objection"),
    ("analytics", "Case"): ("scoring", "Case"),
    ("analytics", "ReportExport"): ("insights", "ReportExport"),
}
ROWS_EACH = 2


class RowMaker:
    """Makes valid rows of historical models: every field filled (fresh parents for each foreign key,
    so unique and conditional constraints hold), nothing left to chance."""

    def __init__(self, apps):
        self.apps = apps
        self.counter = itertools.count(1)

    def value(self, field):
        n = next(self.counter)
        if field.choices:
            return field.choices[-1][0] if field.name == "kind" else field.choices[0][0]
        if isinstance(field, models.FileField):
            return f"upgrade/{n}.xlsx"
        if isinstance(field, models.EmailField):
            return f"u{n}@example.com"
        if isinstance(field, models.CharField | models.TextField):
            return f"v{n}"[: field.max_length or 50]
        if isinstance(field, models.BooleanField):
            return False
        if isinstance(field, models.DecimalField):
            return Decimal("1.00")
        if isinstance(field, models.IntegerField | models.FloatField):
            return n  # distinct, so (year, version) and the like stay unique
        if isinstance(field, models.DateTimeField):
            return dt.datetime(2026, 5, 1, 8, n % 60, tzinfo=dt.UTC)
        if isinstance(field, models.DateField):
            return dt.date(2026, 5, 1)
        if isinstance(field, models.JSONField):
            return {"k": n} if field.name in {"match_signals", "kwargs"} else []
        raise AssertionError(f"no value for {field.model.__name__}.{field.name}")

    def make(self, model, depth=0):
        assert depth < 8, f"foreign keys too deep at {model.__name__}"
        values = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.name in {"password", "last_login"}:
                continue
            if field.is_relation:
                # A nullable link is left empty (a region's parent would recurse); a required one
                # gets a fresh parent of its own.
                values[field.name] = None if field.null else self.make(field.related_model, depth + 1)
            elif field.name in {"rating"}:
                values[field.name] = 5
            else:
                values[field.name] = self.value(field)
        if model.__name__ == "User":
            values["is_active"] = True
        return model.objects.create(**values)


def plain(instance) -> dict:
    """Every concrete column's value, foreign keys as ids, files as names."""
    row = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        row[field.attname] = getattr(value, "name", value)
    return row


@pytest.mark.django_db(transaction=True)
def test_every_moved_row_survives_the_upgrade():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        check_upgrade(latest)
    finally:  # whatever happened, leave the test database at today's schema
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)


def check_upgrade(latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = MigrationExecutor(connection).loader.project_state([node for node in BEFORE if node[1]]).apps
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    maker = RowMaker(old_apps)
    before = {}
    for (app, name), _new in MOVED.items():
        model = old_apps.get_model(app, name)
        ContentType.objects.get_or_create(app_label=app, model=name.lower())
        for _ in range(ROWS_EACH):
            maker.make(model)
    for app, name in MOVED:  # after all are made: later rows made parents of earlier models too
        model = old_apps.get_model(app, name)
        before[(app, name)] = {row["id"]: row for row in map(plain, model.objects.all())}
    assert all(len(rows) >= ROWS_EACH for rows in before.values())
    # A need's first-recommendation stamp moves from demand's column to matching's own table.
    need_model = old_apps.get_model("demand", "Need")
    stamps = dict(need_model.objects.values_list("pk", "first_recommended_at"))
    assert stamps and all(stamps.values())

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    from django.contrib.contenttypes.models import ContentType as CurrentContentType

    from matching.models import NeedMatchFacts

    assert dict(NeedMatchFacts.objects.values_list("need_id", "first_recommended_at")) == stamps

    for (app, name), (new_app, new_name) in MOVED.items():
        model = current_apps.get_model(new_app, new_name)
        # The columns the row had then (a later migration may add some with their defaults).
        after = {
            row["id"]: {k: v for k, v in row.items() if k in before[(app, name)][row["id"]]}
            for row in map(plain, model.objects.all())
        }
        assert after == before[(app, name)], f"{app}.{name} → {new_app}.{new_name} changed"
        assert CurrentContentType.objects.filter(app_label=new_app, model=new_name.lower()).exists()
        assert not CurrentContentType.objects.filter(app_label=app, model=name.lower()).exists()

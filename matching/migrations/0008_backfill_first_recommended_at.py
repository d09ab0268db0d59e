"""Stamp demand.Need.first_recommended_at for needs that have recommendations stored: the earliest
rank-1 recommendation's time. Needs whose recommendations were already dropped (resolved or closed
before this field existed) cannot be recovered and stay unstamped."""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery


def backfill(apps, schema_editor):
    Need = apps.get_model("demand", "Need")
    Recommendation = apps.get_model("matching", "Recommendation")
    earliest = (
        Recommendation.objects.filter(need=OuterRef("pk"))
        .order_by()
        .values("need")
        .annotate(first=Min("computed_at"))
        .values("first")
    )
    Need.objects.filter(
        first_recommended_at__isnull=True, pk__in=Recommendation.objects.values("need_id")
    ).update(first_recommended_at=Subquery(earliest))


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0007_task_delivery"),
        ("demand", "0004_need_first_recommended_at"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]

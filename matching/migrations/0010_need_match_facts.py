"""A need's first-recommendation stamp moves from demand's Need to matching's own NeedMatchFacts (the
fact is matching's: ARCHITECTURE.md rule 1). Every stamp is copied here; demand 0005 then drops the
column. Backwards, the stamps are copied back first."""

import django.db.models.deletion
from django.db import migrations, models


BATCH = 2000


def copy_stamps(apps, schema_editor):
    need_model = apps.get_model("demand", "Need")
    facts_model = apps.get_model("matching", "NeedMatchFacts")
    db = schema_editor.connection.alias
    stamped = need_model.objects.using(db).filter(first_recommended_at__isnull=False).order_by("pk")
    rows = stamped.values_list("pk", "first_recommended_at").iterator(chunk_size=BATCH)
    batch = []
    for need_id, at in rows:
        batch.append(facts_model(need_id=need_id, first_recommended_at=at))
        if len(batch) == BATCH:
            facts_model.objects.using(db).bulk_create(batch, ignore_conflicts=True)
            batch = []
    facts_model.objects.using(db).bulk_create(batch, ignore_conflicts=True)


def copy_stamps_back(apps, schema_editor):
    need_model = apps.get_model("demand", "Need")
    facts_model = apps.get_model("matching", "NeedMatchFacts")
    db = schema_editor.connection.alias
    facts = facts_model.objects.using(db).filter(first_recommended_at__isnull=False)
    for need_id, at in facts.values_list("need_id", "first_recommended_at").iterator(chunk_size=BATCH):
        need_model.objects.using(db).filter(pk=need_id).update(first_recommended_at=at)


class Migration(migrations.Migration):

    dependencies = [
        ('demand', '0004_need_first_recommended_at'),
        ('matching', '0009_move_out_engagements_and_tasks'),
    ]

    operations = [
        migrations.CreateModel(
            name='NeedMatchFacts',
            fields=[
                ('need', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='match_facts', serialize=False, to='demand.need')),
                ('first_recommended_at', models.DateTimeField(blank=True, db_index=True, null=True, verbose_name='首次获得推荐时间')),
            ],
            options={
                'verbose_name': '需求匹配事实',
                'verbose_name_plural': '需求匹配事实',
            },
        ),
        migrations.RunPython(copy_stamps, copy_stamps_back),
    ]

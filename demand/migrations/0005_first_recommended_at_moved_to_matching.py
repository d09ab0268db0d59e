"""The first-recommendation stamp now lives in matching.NeedMatchFacts (copied there by matching 0010)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0010_need_match_facts'),
        ('demand', '0004_need_first_recommended_at'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='need',
            name='first_recommended_at',
        ),
    ]

"""Engagements, assignments and task records leave matching's state for engagements and core; their
tables and rows are kept (engagements 0001, core 0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('engagements', '0001_initial'),
        ('core', '0001_initial'),
        ('matching', '0008_backfill_first_recommended_at'),
    ]

    operations = [
        # State only: the table and its rows stay where they are (see the docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='assignment',
                name='assigned_by',
            ),
            migrations.RemoveField(
                model_name='assignment',
                name='engagement',
            ),
            migrations.RemoveField(
                model_name='assignment',
                name='need',
            ),
            migrations.RemoveField(
                model_name='assignment',
                name='responded_by',
            ),
            migrations.RemoveField(
                model_name='assignment',
                name='team',
            ),
            migrations.RemoveField(
                model_name='engagement',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='engagement',
                name='need',
            ),
            migrations.RemoveField(
                model_name='engagement',
                name='team',
            ),
            migrations.RemoveField(
                model_name='engagementevent',
                name='engagement',
            ),
            migrations.RemoveField(
                model_name='engagementrecord',
                name='engagement',
            ),
            migrations.RemoveField(
                model_name='engagementevent',
                name='actor',
            ),
            migrations.RemoveField(
                model_name='engagementrecord',
                name='record',
            ),
            migrations.DeleteModel(
                name='TaskDelivery',
            ),
            migrations.DeleteModel(
                name='TaskFailure',
            ),
            migrations.DeleteModel(
                name='Assignment',
            ),
            migrations.DeleteModel(
                name='Engagement',
            ),
            migrations.DeleteModel(
                name='EngagementEvent',
            ),
            migrations.DeleteModel(
                name='EngagementRecord',
            ),
            ],
        ),
    ]

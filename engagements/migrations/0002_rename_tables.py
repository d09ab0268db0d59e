"""The moved tables take this app's names (matching_… → engagements_…), and the content types follow, so
permissions and admin history stay attached to the same rows."""

from django.db import migrations

from core.migration_helpers import move_content_types


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0009_move_out_engagements_and_tasks'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('engagements', '0001_initial'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='assignment',
            new_name='engagements_status_fe686d_idx',
            old_name='matching_as_status_cc4437_idx',
        ),
        migrations.AlterModelTable(
            name='assignment',
            table=None,
        ),
        migrations.AlterModelTable(
            name='engagement',
            table=None,
        ),
        migrations.AlterModelTable(
            name='engagementevent',
            table=None,
        ),
        migrations.AlterModelTable(
            name='engagementrecord',
            table=None,
        ),
        move_content_types('matching', 'engagements', ['engagement', 'engagementevent', 'engagementrecord', 'assignment']),
    ]

"""The moved tables take this app's names (matching_… → core_…), and the content types follow, so
permissions and admin history stay attached to the same rows."""

from django.db import migrations

from core.migration_helpers import move_content_types


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0009_move_out_engagements_and_tasks'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
    ]

    operations = [
        migrations.RenameIndex(
            model_name='taskfailure',
            new_name='core_taskfa_task_na_e1aa75_idx',
            old_name='matching_ta_task_na_860b4b_idx',
        ),
        migrations.AlterModelTable(
            name='taskdelivery',
            table=None,
        ),
        migrations.AlterModelTable(
            name='taskfailure',
            table=None,
        ),
        move_content_types('matching', 'core', ['taskfailure', 'taskdelivery']),
    ]

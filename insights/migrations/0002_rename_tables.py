"""The moved tables take this app's names (analytics_… → insights_…), and the content types follow, so
permissions and admin history stay attached to the same rows."""

from django.db import migrations

from core.migration_helpers import move_content_types


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0005_move_out_to_scoring_and_insights'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('insights', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='reportexport',
            table=None,
        ),
        move_content_types('analytics', 'insights', ['reportexport']),
    ]

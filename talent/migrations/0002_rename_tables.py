"""The moved tables take this app's names (teams_… → talent_…), and the content types follow, so
permissions and admin history stay attached to the same rows."""

from django.db import migrations

from core.migration_helpers import move_content_types


class Migration(migrations.Migration):

    dependencies = [
        ('teams', '0004_move_out_talent'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('talent', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='application',
            table=None,
        ),
        migrations.AlterModelTable(
            name='opening',
            table=None,
        ),
        migrations.AlterModelTable(
            name='studentprofile',
            table=None,
        ),
        move_content_types('teams', 'talent', ['studentprofile', 'opening', 'application']),
    ]

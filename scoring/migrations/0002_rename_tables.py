"""The moved tables take this app's names (analytics_… → scoring_…), and the content types follow, so
permissions and admin history stay attached to the same rows."""

from django.db import migrations

from core.migration_helpers import move_content_types


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0005_move_out_to_scoring_and_insights'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('scoring', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(
            name='assessment',
            table=None,
        ),
        migrations.AlterModelTable(
            name='assessmentresult',
            table=None,
        ),
        migrations.AlterModelTable(
            name='case',
            table=None,
        ),
        migrations.AlterModelTable(
            name='objection',
            table=None,
        ),
        migrations.AlterModelTable(
            name='ruleitem',
            table=None,
        ),
        migrations.AlterModelTable(
            name='ruleset',
            table=None,
        ),
        migrations.AlterModelTable(
            name='spotcheck',
            table=None,
        ),
        move_content_types('analytics', 'scoring', ['ruleset', 'ruleitem', 'assessment', 'assessmentresult', 'spotcheck', 'objection', 'case']),
    ]

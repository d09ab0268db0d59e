"""Everything leaves analytics' state for scoring and insights; the tables and rows are kept (scoring
0001, insights 0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('scoring', '0001_initial'),
        ('insights', '0001_initial'),
        ('analytics', '0004_report_export_claimed_by'),
    ]

    operations = [
        # State only: the table and its rows stay where they are (see the docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='spotcheck',
                name='assessment',
            ),
            migrations.RemoveField(
                model_name='assessmentresult',
                name='assessment',
            ),
            migrations.RemoveField(
                model_name='objection',
                name='assessment',
            ),
            migrations.RemoveField(
                model_name='assessmentresult',
                name='team',
            ),
            migrations.RemoveField(
                model_name='case',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='case',
                name='team',
            ),
            migrations.RemoveField(
                model_name='objection',
                name='answered_by',
            ),
            migrations.RemoveField(
                model_name='objection',
                name='team',
            ),
            migrations.RemoveField(
                model_name='reportexport',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='reportexport',
                name='region',
            ),
            migrations.RemoveField(
                model_name='reportexport',
                name='university',
            ),
            migrations.RemoveField(
                model_name='ruleitem',
                name='rule_set',
            ),
            migrations.RemoveField(
                model_name='ruleset',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='ruleset',
                name='university',
            ),
            migrations.RemoveField(
                model_name='spotcheck',
                name='checked_by',
            ),
            migrations.RemoveField(
                model_name='spotcheck',
                name='record',
            ),
            migrations.DeleteModel(
                name='Assessment',
            ),
            migrations.DeleteModel(
                name='AssessmentResult',
            ),
            migrations.DeleteModel(
                name='Case',
            ),
            migrations.DeleteModel(
                name='Objection',
            ),
            migrations.DeleteModel(
                name='ReportExport',
            ),
            migrations.DeleteModel(
                name='RuleItem',
            ),
            migrations.DeleteModel(
                name='RuleSet',
            ),
            migrations.DeleteModel(
                name='SpotCheck',
            ),
            ],
        ),
    ]

"""实习相关协议 counts per signed agreement (Appendix C item 14): several placements may share one
record, so an application's record becomes a plain foreign key. The column and every row stay; only
the one-to-one uniqueness goes. Records made before keep their own identity (one per student, enterprise
and year): each was one agreement when it was written."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('talent', '0002_rename_tables'),
        ('teams', '0006_member_kind_claims_captain_changes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='application',
            name='record',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='applications', to='teams.servicerecord', verbose_name='实习协议记录'),
        ),
    ]

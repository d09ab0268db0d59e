"""Rule sets, assessments, results, spot checks, objections and cases, moved here from analytics with
their rows: the models join this app's state while their tables keep their names and contents
(renamed in 0002)."""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('analytics', '0004_report_export_claimed_by'),
        ('accounts', '0002_notification'),
        ('teams', '0004_move_out_talent'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the table and its rows stay where they are (see the docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Assessment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='考核年度')),
                    ('status', models.CharField(choices=[('open', '材料审核中'), ('spot_check', '抽查中'), ('notice', '公示中'), ('final', '已公布')], default='open', max_length=16, verbose_name='状态')),
                    ('spot_share', models.DecimalField(decimal_places=3, default=Decimal('0.2'), max_digits=4, verbose_name='抽查比例')),
                    ('spot_seed', models.BigIntegerField(blank=True, null=True, verbose_name='抽查随机种子')),
                    ('grade_mode', models.CharField(choices=[('threshold', '按分数线'), ('quota', '按优秀比例')], default='threshold', max_length=16, verbose_name='定档方式')),
                    ('excellent_threshold', models.DecimalField(decimal_places=2, default=Decimal('60'), max_digits=8, verbose_name='优秀分数线')),
                    ('pass_threshold', models.DecimalField(decimal_places=2, default=Decimal('20'), max_digits=8, verbose_name='合格分数线')),
                    ('excellent_quota', models.DecimalField(decimal_places=3, default=Decimal('0.15'), max_digits=4, verbose_name='优秀比例上限')),
                    ('notice_days', models.PositiveSmallIntegerField(default=5, verbose_name='公示天数')),
                    ('notice_start', models.DateTimeField(blank=True, null=True, verbose_name='公示开始')),
                    ('notice_end', models.DateTimeField(blank=True, null=True, verbose_name='公示结束')),
                    ('published_at', models.DateTimeField(blank=True, null=True, verbose_name='公布时间')),
                    ('university', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='accounts.university', verbose_name='高校')),
                ],
                options={
                    'verbose_name': '年度考核',
                    'verbose_name_plural': '年度考核',
                    'db_table': 'analytics_assessment',
                    'ordering': ['-year'],
                },
            ),
            migrations.CreateModel(
                name='Case',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='年度')),
                    ('title', models.CharField(max_length=100, verbose_name='标题')),
                    ('text', models.TextField(max_length=5000, verbose_name='内容')),
                    ('exemplary', models.BooleanField(default=False, verbose_name='典型案例')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.team', verbose_name='小分队')),
                ],
                options={
                    'verbose_name': '亮点与案例',
                    'verbose_name_plural': '案例库',
                    'db_table': 'analytics_case',
                    'ordering': ['-exemplary', '-created_at'],
                },
            ),
            migrations.CreateModel(
                name='Objection',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('author', models.CharField(max_length=50, verbose_name='署名')),
                    ('contact', models.CharField(max_length=100, verbose_name='联系方式')),
                    ('text', models.TextField(max_length=3000, verbose_name='异议内容')),
                    ('answer', models.TextField(blank=True, verbose_name='答复')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('answered_at', models.DateTimeField(blank=True, null=True)),
                    ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='objections', to='scoring.assessment')),
                    ('team', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='teams.team', verbose_name='涉及小分队')),
                ],
                options={
                    'verbose_name': '公示异议',
                    'verbose_name_plural': '公示异议',
                    'db_table': 'analytics_objection',
                    'ordering': ['created_at'],
                },
            ),
            migrations.CreateModel(
                name='RuleSet',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='考核年度')),
                    ('version', models.PositiveSmallIntegerField(default=1, verbose_name='版本')),
                    ('frozen', models.BooleanField(default=False, verbose_name='已冻结')),
                    ('note', models.CharField(blank=True, max_length=200, verbose_name='修订说明')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='修订人')),
                    ('university', models.ForeignKey(blank=True, help_text='留空为平台通用评分表', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='accounts.university', verbose_name='所属高校')),
                ],
                options={
                    'verbose_name': '评分规则',
                    'verbose_name_plural': '评分规则',
                    'db_table': 'analytics_ruleset',
                    'ordering': ['-year', '-version'],
                },
            ),
            migrations.CreateModel(
                name='RuleItem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('record_type', models.CharField(max_length=32, verbose_name='项目')),
                    ('points', models.DecimalField(decimal_places=2, max_digits=8, verbose_name='分值')),
                    ('unit', models.CharField(choices=[('each', '每项/次'), ('per_wan', '每万元')], default='each', max_length=8, verbose_name='计分单位')),
                    ('cap', models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, verbose_name='上限')),
                    ('rule_set', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='scoring.ruleset', verbose_name='评分规则')),
                ],
                options={
                    'verbose_name': '评分项',
                    'verbose_name_plural': '评分项',
                    'db_table': 'analytics_ruleitem',
                    'ordering': ['rule_set', 'id'],
                },
            ),
            migrations.AddField(
                model_name='assessment',
                name='rule_set',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='scoring.ruleset', verbose_name='评分规则'),
            ),
            migrations.CreateModel(
                name='SpotCheck',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('category', models.CharField(max_length=16, verbose_name='类别')),
                    ('result', models.CharField(choices=[('pending', '待抽查'), ('upheld', '通过'), ('rejected', '不通过')], default='pending', max_length=16, verbose_name='结果')),
                    ('reason', models.TextField(blank=True, verbose_name='不通过原因')),
                    ('checked_at', models.DateTimeField(blank=True, null=True)),
                    ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='spot_checks', to='scoring.assessment')),
                    ('checked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('record', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.servicerecord')),
                ],
                options={
                    'verbose_name': '抽查',
                    'verbose_name_plural': '抽查',
                    'db_table': 'analytics_spotcheck',
                    'ordering': ['assessment', 'category', 'record_id'],
                },
            ),
            migrations.CreateModel(
                name='AssessmentResult',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('score', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='得分')),
                    ('grade', models.CharField(choices=[('excellent', '优秀'), ('pass', '合格'), ('fail', '不合格')], max_length=16, verbose_name='档次')),
                    ('rank', models.PositiveIntegerField(verbose_name='名次')),
                    ('breakdown', models.JSONField(default=list, verbose_name='得分明细')),
                    ('highlights', models.TextField(blank=True, verbose_name='工作亮点和特色')),
                    ('assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='scoring.assessment')),
                    ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='teams.team', verbose_name='小分队')),
                ],
                options={
                    'verbose_name': '考核结果',
                    'verbose_name_plural': '考核结果',
                    'db_table': 'analytics_assessmentresult',
                    'ordering': ['assessment', 'rank'],
                    'constraints': [models.UniqueConstraint(fields=('assessment', 'team'), name='result_unique_team')],
                },
            ),
            migrations.AddConstraint(
                model_name='ruleset',
                constraint=models.UniqueConstraint(condition=models.Q(('university__isnull', True)), fields=('year', 'version'), name='ruleset_year_version_unique'),
            ),
            migrations.AddConstraint(
                model_name='ruleset',
                constraint=models.UniqueConstraint(condition=models.Q(('university__isnull', False)), fields=('university', 'year', 'version'), name='ruleset_university_year_version_unique'),
            ),
            migrations.AddConstraint(
                model_name='ruleitem',
                constraint=models.UniqueConstraint(fields=('rule_set', 'record_type'), name='ruleitem_unique_type'),
            ),
            migrations.AddConstraint(
                model_name='assessment',
                constraint=models.UniqueConstraint(fields=('university', 'year'), name='assessment_unique_year'),
            ),
            migrations.AddConstraint(
                model_name='spotcheck',
                constraint=models.UniqueConstraint(fields=('assessment', 'record'), name='spotcheck_unique_record'),
            ),
            ],
        ),
    ]

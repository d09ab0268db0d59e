"""Report exports, moved here from analytics with their rows: the model joins this app's state while its
table keeps its name and contents (renamed in 0002)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('analytics', '0004_report_export_claimed_by'),
        ('accounts', '0002_notification'),
        ('reference', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the table and its rows stay where they are (see the docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='ReportExport',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('problems', '问题库'), ('projects', '项目库')], max_length=16, verbose_name='类型')),
                    ('period_from', models.DateField(verbose_name='起始日期')),
                    ('period_to', models.DateField(verbose_name='截止日期')),
                    ('formats', models.JSONField(default=list, verbose_name='格式')),
                    ('status', models.CharField(choices=[('pending', '排队中'), ('running', '生成中'), ('done', '已完成'), ('failed', '生成失败')], default='pending', max_length=16, verbose_name='状态')),
                    ('error', models.CharField(blank=True, max_length=300, verbose_name='失败原因')),
                    ('claimed_by', models.CharField(blank=True, editable=False, max_length=64, verbose_name='生成任务')),
                    ('xlsx_file', models.FileField(blank=True, upload_to='reports/%Y/%m/', verbose_name='Excel 文件')),
                    ('jsonl_file', models.FileField(blank=True, upload_to='reports/%Y/%m/', verbose_name='JSON Lines 文件')),
                    ('rows_count', models.PositiveIntegerField(blank=True, null=True, verbose_name='行数')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='生成人')),
                    ('region', models.ForeignKey(blank=True, help_text='留空为全国', null=True, on_delete=django.db.models.deletion.PROTECT, to='reference.region', verbose_name='地区')),
                    ('university', models.ForeignKey(blank=True, help_text='科技处生成的导出属于本校；平台管理员生成的为空', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.university', verbose_name='所属高校')),
                ],
                options={
                    'verbose_name': '上报导出',
                    'verbose_name_plural': '上报导出',
                    'db_table': 'analytics_reportexport',
                    'ordering': ['-created_at', '-id'],
                    'constraints': [models.CheckConstraint(condition=models.Q(('period_from__lte', models.F('period_to'))), name='report_export_period_ordered')],
                },
            ),
            ],
        ),
    ]

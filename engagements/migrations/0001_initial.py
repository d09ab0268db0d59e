"""Engagements and assignments, moved here from matching with their rows: the models join this app's
state while their tables keep their names and contents (renamed in 0002)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('matching', '0008_backfill_first_recommended_at'),
        ('demand', '0004_need_first_recommended_at'),
        ('teams', '0004_move_out_talent'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the table and its rows stay where they are (see the docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Engagement',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('origin', models.CharField(choices=[('invitation', '企业邀请'), ('interest', '团队揭榜'), ('assignment', '平台指派')], max_length=16, verbose_name='来源')),
                    ('status', models.CharField(choices=[('proposed', '待确认'), ('agreed', '已达成'), ('in_service', '服务中'), ('completed', '已完成'), ('cancelled', '已取消'), ('declined', '已谢绝')], default='proposed', max_length=16, verbose_name='状态')),
                    ('proposal', models.TextField(blank=True, max_length=2000, verbose_name='方案或邀请说明')),
                    ('scope', models.TextField(blank=True, max_length=2000, verbose_name='对接内容与范围')),
                    ('rating', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='企业评分')),
                    ('rating_comment', models.TextField(blank=True, max_length=1000, verbose_name='企业评价')),
                    ('end_reason', models.CharField(blank=True, max_length=200, verbose_name='取消或谢绝原因')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='发起时间')),
                    ('agreed_at', models.DateTimeField(blank=True, null=True, verbose_name='达成时间')),
                    ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始服务时间')),
                    ('completed_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                    ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='取消或谢绝时间')),
                    ('match_signals', models.JSONField(blank=True, default=dict, verbose_name='发起时的匹配信号')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发起人')),
                    ('need', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='engagements', to='demand.need', verbose_name='需求')),
                    ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='engagements', to='teams.team', verbose_name='小分队')),
                ],
                options={
                    'verbose_name': '对接',
                    'verbose_name_plural': '对接',
                    'db_table': 'matching_engagement',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='Assignment',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('message', models.TextField(blank=True, max_length=2000, verbose_name='指派说明')),
                    ('deadline', models.DateTimeField(verbose_name='响应期限')),
                    ('status', models.CharField(choices=[('pending', '待响应'), ('accepted', '已接受'), ('declined', '已谢绝'), ('escalated', '超期退回'), ('withdrawn', '已撤回')], default='pending', max_length=16, verbose_name='状态')),
                    ('reason', models.CharField(blank=True, max_length=200, verbose_name='谢绝或撤回原因')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='指派时间')),
                    ('responded_at', models.DateTimeField(blank=True, null=True, verbose_name='响应时间')),
                    ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='退回时间')),
                    ('match_rank', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='指派时排名')),
                    ('match_score', models.FloatField(blank=True, null=True, verbose_name='指派时匹配分')),
                    ('assigned_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='指派人')),
                    ('need', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='demand.need', verbose_name='需求')),
                    ('responded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='响应人')),
                    ('team', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='teams.team', verbose_name='小分队')),
                    ('engagement', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assignment', to='engagements.engagement', verbose_name='对接')),
                ],
                options={
                    'verbose_name': '指派',
                    'verbose_name_plural': '指派',
                    'db_table': 'matching_assignment',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='EngagementEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('action', models.CharField(max_length=32, verbose_name='操作')),
                    ('from_status', models.CharField(max_length=16, verbose_name='原状态')),
                    ('to_status', models.CharField(max_length=16, verbose_name='新状态')),
                    ('comment', models.TextField(blank=True, verbose_name='说明')),
                    ('at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                    ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('engagement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='engagements.engagement')),
                ],
                options={
                    'verbose_name': '对接记录',
                    'verbose_name_plural': '对接记录',
                    'db_table': 'matching_engagementevent',
                    'ordering': ['engagement', 'at', 'id'],
                },
            ),
            migrations.CreateModel(
                name='EngagementRecord',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('engagement', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='record_links', to='engagements.engagement')),
                    ('record', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='engagement_link', to='teams.servicerecord')),
                ],
                options={
                    'verbose_name': '对接服务记录',
                    'verbose_name_plural': '对接服务记录',
                    'db_table': 'matching_engagementrecord',
                },
            ),
            migrations.AddConstraint(
                model_name='engagement',
                constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['proposed', 'agreed', 'in_service'])), fields=('need', 'team'), name='engagement_one_open_per_team_and_need'),
            ),
            migrations.AddConstraint(
                model_name='engagement',
                constraint=models.CheckConstraint(condition=models.Q(('rating__isnull', True), models.Q(('rating__gte', 1), ('rating__lte', 5)), _connector='OR'), name='engagement_rating_1_to_5'),
            ),
            migrations.AddIndex(
                model_name='assignment',
                index=models.Index(fields=['status', 'deadline'], name='matching_as_status_cc4437_idx'),
            ),
            migrations.AddConstraint(
                model_name='assignment',
                constraint=models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('need', 'team'), name='assignment_one_pending_per_team_and_need'),
            ),
            ],
        ),
    ]

"""Student profiles, openings and applications, moved here from teams with their rows: the models join
this app's state while their tables keep their names and contents (renamed in 0002)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('teams', '0003_talent'),
        ('accounts', '0002_notification'),
        ('reference', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # State only: the table and its rows stay where they are (see the docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='Opening',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('research_assistant', '科研助理'), ('internship', '企业实习'), ('project_role', '项目岗位')], max_length=24, verbose_name='类型')),
                    ('title', models.CharField(max_length=100, verbose_name='岗位名称')),
                    ('description', models.TextField(max_length=2000, verbose_name='岗位说明')),
                    ('skills', models.JSONField(blank=True, default=list, verbose_name='所需技能')),
                    ('slots', models.PositiveSmallIntegerField(verbose_name='名额')),
                    ('hours_per_week', models.PositiveSmallIntegerField(verbose_name='每周投入（小时）')),
                    ('deadline', models.DateField(verbose_name='报名截止')),
                    ('status', models.CharField(choices=[('open', '招募中'), ('filled', '已满员'), ('closed', '已关闭')], default='open', max_length=8, verbose_name='状态')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='发布时间')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                    ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发布人')),
                    ('enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='openings', to='accounts.enterprise', verbose_name='实习企业')),
                    ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='openings', to='teams.team', verbose_name='小分队')),
                ],
                options={
                    'verbose_name': '招募岗位',
                    'verbose_name_plural': '招募岗位',
                    'db_table': 'teams_opening',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.CreateModel(
                name='StudentProfile',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('level', models.CharField(choices=[('graduate', '研究生'), ('undergraduate', '本科生')], max_length=16, verbose_name='学生层次')),
                    ('major', models.CharField(max_length=50, verbose_name='专业')),
                    ('year', models.PositiveSmallIntegerField(verbose_name='入学年份')),
                    ('skills', models.JSONField(blank=True, default=list, verbose_name='技能')),
                    ('interests', models.TextField(blank=True, max_length=1000, verbose_name='兴趣与方向')),
                    ('hours_per_week', models.PositiveSmallIntegerField(verbose_name='每周可投入（小时）')),
                    ('available_note', models.CharField(blank=True, max_length=200, verbose_name='可参与时间说明')),
                    ('open_to_offers', models.BooleanField(default=True, verbose_name='接受团队推荐')),
                    ('updated_at', models.DateTimeField(auto_now=True, verbose_name='更新时间')),
                    ('discipline', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reference.discipline', verbose_name='所属学科')),
                    ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='student_profile', to=settings.AUTH_USER_MODEL, verbose_name='平台用户')),
                ],
                options={
                    'verbose_name': '学生档案',
                    'verbose_name_plural': '学生档案',
                    'db_table': 'teams_studentprofile',
                },
            ),
            migrations.CreateModel(
                name='Application',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('statement', models.TextField(blank=True, max_length=1000, verbose_name='申请说明')),
                    ('status', models.CharField(choices=[('submitted', '待处理'), ('accepted', '已录用'), ('declined', '未录用'), ('withdrawn', '已撤回')], default='submitted', max_length=12, verbose_name='状态')),
                    ('reason', models.CharField(blank=True, max_length=200, verbose_name='未录用原因')),
                    ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                    ('decided_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                    ('record', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='application', to='teams.servicerecord', verbose_name='实习协议记录')),
                    ('opening', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='applications', to='talent.opening', verbose_name='岗位')),
                    ('student', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='applications', to='talent.studentprofile', verbose_name='学生')),
                ],
                options={
                    'verbose_name': '岗位申请',
                    'verbose_name_plural': '岗位申请',
                    'db_table': 'teams_application',
                    'ordering': ['-created_at', '-id'],
                },
            ),
            migrations.AddConstraint(
                model_name='opening',
                constraint=models.CheckConstraint(condition=models.Q(('slots__gte', 1)), name='opening_slots_positive'),
            ),
            migrations.AddConstraint(
                model_name='opening',
                constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'internship'), _negated=True), ('enterprise__isnull', False), _connector='OR'), name='opening_internship_has_enterprise'),
            ),
            migrations.AddConstraint(
                model_name='application',
                constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['submitted', 'accepted'])), fields=('opening', 'student'), name='application_one_live_per_opening'),
            ),
            ],
        ),
    ]

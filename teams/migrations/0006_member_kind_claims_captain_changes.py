"""Issue 31: members get a kind (教师 / 学生 / 企业人员) and a 专业背景; teams keep Appendix D's 填报日期;
claimable memberships (MemberClaim); captain changes reviewed by the college (CaptainChange); the 6.1
record kinds Appendix C does not score.

Every existing member keeps its row: its kind is filled from its role (captain, deputy, core → teacher;
dynamic → student; enterprise → enterprise staff), and a teacher's 专业背景 starts as the research
direction already entered, so a core member who stated one still meets 5.1's "相关专业背景"."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ROLE_KINDS = {
    "captain": "teacher",
    "deputy": "teacher",
    "core": "teacher",
    "dynamic": "student",
    "enterprise": "enterprise",
}
KIND_CHOICES = [("teacher", "教师"), ("student", "学生"), ("enterprise", "企业人员")]


def fill_kinds(apps, schema_editor):
    member = apps.get_model("teams", "Member")
    db = schema_editor.connection.alias
    for role, kind in ROLE_KINDS.items():
        member.objects.using(db).filter(role=role, kind="").update(kind=kind)
    teachers = member.objects.using(db).filter(kind="teacher", background="").exclude(research_direction="")
    for row in teachers.only("pk", "research_direction"):
        member.objects.using(db).filter(pk=row.pk).update(background=row.research_direction[:100])


class Migration(migrations.Migration):

    dependencies = [
        ('teams', '0005_rectification_reminder_marks'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='member',
            name='background',
            field=models.CharField(blank=True, help_text='所学专业或从事的专业领域，如：机械工程', max_length=100, verbose_name='专业背景'),
        ),
        migrations.AddField(
            model_name='member',
            name='kind',
            field=models.CharField(choices=KIND_CHOICES, default='', max_length=16, verbose_name='人员类别'),
            preserve_default=False,
        ),
        migrations.RunPython(fill_kinds, migrations.RunPython.noop),
        migrations.AddField(
            model_name='team',
            name='filled_on',
            field=models.DateField(blank=True, null=True, verbose_name='填报日期'),
        ),
        migrations.AlterField(
            model_name='servicerecord',
            name='record_type',
            field=models.CharField(choices=[('service_visit', '赴政府机关、企事业单位或行业开展服务'), ('training', '开展培训、讲座'), ('tech_transfer', '科技成果转化项目'), ('horizontal_project', '横向科研项目'), ('vertical_project', '联合立项纵向科研项目'), ('paper', '联合发表学术论文'), ('patent', '联合授权专利'), ('standard', '联合起草标准'), ('consulting_report', '咨询报告和政策建议'), ('award', '联合获评科技成果奖'), ('platform', '联合创建学科平台或团队'), ('agreement_comprehensive', '全面合作协议或科研平台合作协议'), ('agreement_internship', '实习相关协议'), ('plan_report', '规划、调研报告、设计方案'), ('appraisal', '联合技术成果鉴定或登记'), ('talent_curriculum', '人才培养：专业与课程建设'), ('talent_innovation', '人才培养：双创实践'), ('talent_practice', '人才培养：社会实践'), ('party_building', '党建与思想教育活动')], max_length=32, verbose_name='类型'),
        ),
        migrations.CreateModel(
            name='MemberClaim',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token_hash', models.CharField(editable=False, max_length=64, unique=True, verbose_name='邀请码摘要')),
                ('expires_at', models.DateTimeField(verbose_name='有效期至')),
                ('issued_at', models.DateTimeField(auto_now_add=True, verbose_name='发出时间')),
                ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='认领时间')),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='作废时间')),
                ('issued_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='发出人')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='claims', to='teams.member', verbose_name='成员')),
                ('used_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='认领账号')),
            ],
            options={
                'verbose_name': '成员认领邀请',
                'verbose_name_plural': '成员认领邀请',
                'ordering': ['-issued_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='CaptainChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('old_captain_name', models.CharField(max_length=50, verbose_name='原队长姓名')),
                ('new_captain_name', models.CharField(max_length=50, verbose_name='拟任队长姓名')),
                ('outgoing', models.CharField(choices=[('core', '转为核心成员'), ('leave', '退出小分队')], max_length=8, verbose_name='原队长去向')),
                ('reason', models.TextField(max_length=2000, verbose_name='变更理由')),
                ('status', models.CharField(choices=[('pending', '待学院审核'), ('approved', '已批准'), ('rejected', '未批准'), ('withdrawn', '已撤回')], default='pending', max_length=12, verbose_name='状态')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='申请时间')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='审核时间')),
                ('decision_comment', models.TextField(blank=True, verbose_name='审核意见')),
                ('old_team_name', models.CharField(max_length=100, verbose_name='原小分队名称')),
                ('new_team_name', models.CharField(blank=True, max_length=100, verbose_name='变更后名称')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='审核人')),
                ('new_captain', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='teams.member', verbose_name='拟任队长')),
                ('old_captain', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='teams.member', verbose_name='原队长')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='申请人')),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='captain_changes', to='teams.team', verbose_name='小分队')),
            ],
            options={
                'verbose_name': '队长变更',
                'verbose_name_plural': '队长变更',
                'ordering': ['-requested_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'pending')), fields=('team',), name='captain_change_one_pending')],
            },
        ),
    ]

"""Task failures and deliveries, moved here from matching with their rows: the models join this app's
state while their tables keep their names and contents (renamed in 0002)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('matching', '0008_backfill_first_recommended_at'),
    ]

    operations = [
        # State only: the table and its rows stay where they are (see the docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='TaskDelivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('task_id', models.CharField(max_length=64, verbose_name='任务编号')),
                    ('retries', models.PositiveIntegerField(default=0, verbose_name='重试序号')),
                    ('task_name', models.CharField(max_length=200, verbose_name='任务')),
                    ('deliveries', models.PositiveIntegerField(default=1, verbose_name='投递次数')),
                    ('first_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='首次投递时间')),
                ],
                options={
                    'verbose_name': '任务投递计数',
                    'verbose_name_plural': '任务投递计数',
                    'db_table': 'matching_taskdelivery',
                    'constraints': [models.UniqueConstraint(fields=('task_id', 'retries'), name='task_delivery_once_per_attempt')],
                },
            ),
            migrations.CreateModel(
                name='TaskFailure',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('task_name', models.CharField(max_length=200, verbose_name='任务')),
                    ('task_id', models.CharField(blank=True, max_length=64, verbose_name='任务编号')),
                    ('args', models.JSONField(default=list, verbose_name='位置参数')),
                    ('kwargs', models.JSONField(default=dict, verbose_name='关键字参数')),
                    ('reason', models.CharField(max_length=500, verbose_name='原因')),
                    ('exception', models.TextField(verbose_name='异常')),
                    ('attempts', models.PositiveIntegerField(verbose_name='尝试次数')),
                    ('failed_at', models.DateTimeField(auto_now_add=True, verbose_name='失败时间')),
                ],
                options={
                    'verbose_name': '任务失败记录',
                    'verbose_name_plural': '任务失败记录',
                    'db_table': 'matching_taskfailure',
                    'ordering': ['-failed_at', '-id'],
                    'indexes': [models.Index(fields=['task_name', '-failed_at'], name='matching_ta_task_na_860b4b_idx')],
                },
            ),
            ],
        ),
    ]

"""Student profiles, openings and applications leave teams' state for talent; their tables and rows are
kept (talent 0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('talent', '0001_initial'),
        ('teams', '0003_talent'),
    ]

    operations = [
        # State only: the table and its rows stay where they are (see the docstring).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='opening',
                name='created_by',
            ),
            migrations.RemoveField(
                model_name='opening',
                name='enterprise',
            ),
            migrations.RemoveField(
                model_name='opening',
                name='team',
            ),
            migrations.RemoveField(
                model_name='studentprofile',
                name='discipline',
            ),
            migrations.RemoveField(
                model_name='studentprofile',
                name='user',
            ),
            migrations.DeleteModel(
                name='Application',
            ),
            migrations.DeleteModel(
                name='Opening',
            ),
            migrations.DeleteModel(
                name='StudentProfile',
            ),
            ],
        ),
    ]

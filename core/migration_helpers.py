"""Helpers for migrations that move models between apps (ARCHITECTURE.md: a move, not a drop).

The tables are renamed by AlterModelTable; this moves what else names a model by its app: the content
types (and with them the permissions granted on the model, and the admin log's links to its rows).
"""

from django.db import migrations


def move_content_types(old_app: str, new_app: str, models: list[str]) -> migrations.RunPython:
    """A RunPython that relabels the models' content types from old_app to new_app (and back on reverse).

    On a new database there are none yet (they are made after migrate); where the new label exists
    already, the old row is left alone rather than merged."""

    def relabel(source, target):
        def run(apps, schema_editor):
            content_type = apps.get_model("contenttypes", "ContentType")
            db = schema_editor.connection.alias
            for model in models:
                if not content_type.objects.using(db).filter(app_label=target, model=model).exists():
                    content_type.objects.using(db).filter(app_label=source, model=model).update(
                        app_label=target
                    )

        return run

    return migrations.RunPython(relabel(old_app, new_app), relabel(new_app, old_app))

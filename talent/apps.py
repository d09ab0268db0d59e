from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("人岗匹配")

    def ready(self):
        from matching import embedding_store, hooks
        from talent import ranking

        # `reembed` stores these under a new model too: openings as queries, students as passages.
        hooks.register_embedding_source(
            "招募岗位", embedding_store.QUERY, lambda: ranking.embedding_texts()[0]
        )
        hooks.register_embedding_source("学生", embedding_store.PASSAGE, lambda: ranking.embedding_texts()[1])

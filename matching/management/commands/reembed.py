"""python manage.py reembed: embed every need and portrait text with the configured model.

Run it after EMBEDDING_MODEL changes: vectors are stored per model version, so the new model's vectors
are added beside the old ones (which stay until `--prune`), then every open need is re-ranked.
"""

from functools import partial

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demand.models import Need
from matching import embedding_store, services
from matching.engine.ranker import portrait_pieces, pseudo_queries
from matching.models import TextEmbedding
from matching.portraits import engine_team, serving_portraits

BATCH = 64


class Command(BaseCommand):
    help = "用当前配置的向量模型重新向量化全部需求与团队画像，并刷新推荐（带进度条）"

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="删除其他模型版本的向量")

    def handle(self, *args, prune, **options):
        try:
            model = embedding_store.embedder()
        except embedding_store.LOAD_ERRORS as exc:
            raise CommandError(str(exc)) from exc
        needs = list(Need.objects.filter(status__in=services.OPEN_NEEDS).order_by("id"))
        need_texts = services.need_texts(needs)
        portraits, team_texts, _owner = portrait_pieces([engine_team(p) for p in serving_portraits()])
        # The works' pseudo-queries: what the discipline models for keyword needs learn from.
        keyword_texts = pseudo_queries(portraits)
        for label, embed, texts in (
            ("需求", embedding_store.embed_need_texts, need_texts),
            ("画像", partial(embedding_store.embed_texts, kind=embedding_store.PASSAGE), team_texts),
            (
                "画像关键词查询",
                partial(embedding_store.embed_texts, kind=embedding_store.QUERY),
                keyword_texts,
            ),
        ):
            for start in tqdm(range(0, len(texts), BATCH), desc=label, unit="批", disable=not texts):
                embed(texts[start : start + BATCH])
        if prune:
            removed, _ = TextEmbedding.objects.exclude(model_version=model.model_version).delete()
            self.stdout.write(f"已删除旧模型向量 {removed} 条。")
        services.reset_index_cache()
        count = services.recommendations_refresh_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"模型 {model.model_version}：需求 {len(needs)} 条，画像文本 {len(team_texts)} 段，推荐 {count} 条。"
            )
        )

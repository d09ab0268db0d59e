"""python manage.py reembed: embed every text the platform matches with the configured model.

Run it after EMBEDDING_MODEL changes: vectors are stored per model version, so the new model's vectors
are added beside the old ones, then every open need is re-ranked. `--prune` then deletes every stored
vector the platform no longer reads: other model versions, and this version's vectors of texts that are
gone (closed needs, edited portraits, a need's vector of the kind it is no longer embedded as). The
table is a cache keyed by text, so a text pruned by mistake is only embedded again when next used.
"""

from collections.abc import Iterable
from functools import partial

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demand.models import Need
from matching import embedding_store, hooks, services
from matching.engine.ranker import portrait_pieces, pseudo_queries
from matching.models import TextEmbedding
from matching.portraits import engine_team, serving_portraits

BATCH = 64
# Rows deleted per statement: SQLite takes at most a few thousand parameters per query.
DELETE_CHUNK = 500


def _unused(version: str, kept: set[str]) -> list[int]:
    """Ids of this version's rows whose text is not among the kept hashes (read in chunks, so a large
    table is never loaded whole)."""
    rows = TextEmbedding.objects.filter(model_version=version).values_list("pk", "text_hash")
    return [pk for pk, text_hash in rows.iterator(chunk_size=2000) if text_hash not in kept]


def _delete(ids: Iterable[int]) -> int:
    ids = list(ids)
    removed = 0
    for start in range(0, len(ids), DELETE_CHUNK):
        removed += TextEmbedding.objects.filter(pk__in=ids[start : start + DELETE_CHUNK]).delete()[0]
    return removed


def _of_kind(sources, kind: str) -> list[str]:
    return [text for _label, source_kind, texts in sources if source_kind == kind for text in texts]


class Command(BaseCommand):
    help = "用当前配置的向量模型重新向量化全部需求、团队画像与人岗匹配文本，并刷新推荐（带进度条）"

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="删除其他模型版本的向量和不再使用的向量")

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
        # Other apps' texts (talent's openings and students), as they registered them.
        sources = [(label, kind, texts()) for label, kind, texts in hooks.embedding_sources]
        passage = partial(embedding_store.embed_texts, kind=embedding_store.PASSAGE)
        query = partial(embedding_store.embed_texts, kind=embedding_store.QUERY)
        for label, embed, texts in (
            ("需求", embedding_store.embed_need_texts, need_texts),
            ("画像", passage, team_texts),
            ("画像关键词查询", query, keyword_texts),
            *(
                (label, partial(embedding_store.embed_texts, kind=kind), texts)
                for label, kind, texts in sources
            ),
        ):
            for start in tqdm(range(0, len(texts), BATCH), desc=label, unit="批", disable=not texts):
                embed(texts[start : start + BATCH])
        if prune:
            kept = {embedding_store.need_text_hash(t) for t in need_texts}
            for kind, texts in (
                (embedding_store.PASSAGE, team_texts + _of_kind(sources, embedding_store.PASSAGE)),
                (embedding_store.QUERY, keyword_texts + _of_kind(sources, embedding_store.QUERY)),
            ):
                kept.update(embedding_store.text_hash(kind, t) for t in texts)
            removed, _ = TextEmbedding.objects.exclude(model_version=model.model_version).delete()
            self.stdout.write(f"已删除旧模型向量 {removed} 条。")
            unused = _delete(_unused(model.model_version, kept))
            self.stdout.write(f"已删除不再使用的向量 {unused} 条。")
        services.reset_index_cache()
        count = services.recommendations_refresh_all()
        self.stdout.write(
            self.style.SUCCESS(
                f"模型 {model.model_version}：需求 {len(needs)} 条，画像文本 {len(team_texts)} 段，"
                f"人岗匹配文本 {sum(len(texts) for _l, _k, texts in sources)} 段，推荐 {count} 条。"
            )
        )

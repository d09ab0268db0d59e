"""python manage.py evaluate_matching --corpus DIR [--method tfidf|bm25|dense|hybrid] [--json]

Needs no database and no server: it reads the corpus files and runs the engine.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matching.engine.corpus import CorpusError
from matching.engine.evaluation import METHODS, evaluate


class Command(BaseCommand):
    help = "在 csl-dev 格式的语料上评测匹配质量（nDCG@10、MRR、Recall@10）"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--corpus", required=True, help="teams.jsonl / needs.jsonl / qrels.tsv 所在目录")
        parser.add_argument("--method", default="hybrid", choices=METHODS)
        parser.add_argument("--keywords-only", action="store_true", help="把每条需求换成几个关键词再评测")
        parser.add_argument("--json", action="store_true", help="最后一行输出一个 JSON 对象")

    def handle(self, *args, **options):
        embedder = None
        if options["method"] in ("dense", "hybrid"):
            from matching.embedding_store import LOAD_ERRORS, load_embedder

            try:
                embedder = load_embedder(settings.EMBEDDING_MODEL)
            except LOAD_ERRORS as exc:
                raise CommandError(str(exc)) from exc
        try:
            result = evaluate(
                options["corpus"],
                options["method"],
                embedder=embedder,
                keywords_only=options["keywords_only"],
            )
        except CorpusError as exc:
            raise CommandError(f"语料有误：{exc}") from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            for key, value in result.items():
                self.stdout.write(f"{key}: {value}")

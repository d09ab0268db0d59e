"""python manage.py train_ranker: learn fusion weights from engagement outcomes; print the comparison."""

import json

from django.core.management.base import BaseCommand

from matching.learning import ranker_train


class Command(BaseCommand):
    help = "用对接结果（接受/谢绝）训练排序权重；仅当在留出结果上优于现用权重时启用"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0, help="划分训练与留出结果的随机种子")

    def handle(self, *args, seed, **options):
        row = ranker_train(seed=seed)
        self.stdout.write(
            json.dumps(
                {
                    "outcomes": row.outcomes,
                    "auc_learned": round(row.auc_learned, 4),
                    "auc_current": round(row.auc_current, 4),
                    "active": row.active,
                    "weights": row.weights,
                    "note": row.note,
                },
                ensure_ascii=False,
            )
        )

"""python manage.py bench_matching --portraits N [--queries Q] [--json]

Times ranking (embedding excluded) over N synthetic portraits, and the default model's embedding
throughput on short Chinese needs. Prints JSON with rank_p50_ms, rank_p95_ms, embed_per_s, portraits,
raw_scan_p50_ms (the bare float32 matrix scan, for the machine's speed) and int8_prefilter (whether the
exact search pruned with its int8 copy first). `--index usearch` ranks through the
approximate index instead of the exact scan (the `ann` extra: pip install usearch).
"""

import json
import time

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from matching.engine.evaluation import discipline_categories
from matching.engine.portrait import Need, TeamPortrait, Work
from matching.engine.ranker import TeamIndex
from matching.engine.structured import StructuredFacts

SHORT_NEEDS = [
    "高速平缝机机头振动大、噪声超标，需要减振降噪方案",
    "注塑件翘曲变形严重，模具冷却水路需要优化",
    "水泵效率偏低，希望改进叶轮水力设计",
    "原料药杂质超标，需要分析鉴定并优化合成工艺",
    "汽车零部件表面处理后附着力不足",
    "印染废水 COD 偏高，需要低成本处理工艺",
    "伺服电机低速抖动，控制参数整定困难",
    "医疗器械产品注册检测前的质量体系辅导",
]


def synthetic_index(n: int, backend: str = "exact"):
    """n portraits with random unit vectors, a short text each, one or two of the 67 CSL disciplines
    and structured fields, in a real TeamIndex: ranking pays for the discipline model and every
    team's discipline score, as it does on real portraits."""
    rng = np.random.default_rng(0)
    category_of = discipline_categories()
    disciplines = sorted(category_of)
    vectors = rng.standard_normal((n, 384), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    words = [
        "振动",
        "噪声",
        "模具",
        "冷却",
        "水泵",
        "叶轮",
        "杂质",
        "工艺",
        "表面",
        "处理",
        "伺服",
        "电机",
        "废水",
        "检测",
    ]
    portraits, facts = [], []
    for i in range(n):
        text = "".join(rng.choice(words, 3))
        declared = list(rng.choice(disciplines, int(rng.integers(1, 3)), replace=False))
        portraits.append(
            TeamPortrait(id=str(i), name=f"团队{i}", disciplines=declared, works=[Work(abstract=text)])
        )
        facts.append(
            StructuredFacts(
                industry_codes=[str(rng.integers(1311, 4390))],
                region_codes=[str(rng.integers(331001, 331099))],
                service_types=["diagnosis"],
                open_engagements=int(rng.integers(0, 5)),
            )
        )
    index = TeamIndex(
        portraits, vectors, np.arange(n), facts=facts, category_of=category_of, vector_backend=backend
    )
    return index, facts[:50]


WARM_UP = 8  # texts embedded before the clock starts (the first batch pays for lazy set-up)


def _raw_scan_ms(matrix: np.ndarray, needs: np.ndarray) -> float:
    """The bare NumPy scan of the portrait matrix for one need: the floor under rank_p50_ms on this
    machine, printed beside it because shared machines differ (and vary) in memory bandwidth."""
    timings = []
    for q in range(len(needs)):
        started = time.perf_counter()
        matrix @ needs[q]
        timings.append((time.perf_counter() - started) * 1000)
    # Three places (microseconds): a small matrix scans in a few, which two places would print as 0.
    return round(float(np.percentile(timings, 50)), 3)


class Command(BaseCommand):
    help = "匹配速度基准：N 个合成画像上的排序延迟与向量化吞吐（输出 JSON）"
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--portraits", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=200)
        parser.add_argument("--embed-texts", type=int, default=256)
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--index",
            choices=["exact", "usearch"],
            default="exact",
            help="向量检索：精确扫描或近似（usearch）",
        )

    def handle(self, *args, **options):
        n, queries = options["portraits"], options["queries"]
        if n < 1 or queries < 1:
            raise CommandError("--portraits 和 --queries 必须为正整数")
        if options["embed_texts"] <= WARM_UP:
            raise CommandError(f"--embed-texts 必须大于 {WARM_UP}（前 {WARM_UP} 条用于预热，不计时）")
        started = time.perf_counter()
        try:
            index, need_facts = synthetic_index(n, options["index"])
        except ImportError as exc:
            raise CommandError(str(exc)) from exc
        build_s = time.perf_counter() - started
        rng = np.random.default_rng(1)
        needs = rng.standard_normal((queries, 384), dtype=np.float32)
        needs /= np.linalg.norm(needs, axis=1, keepdims=True)
        timings = []
        for q in range(queries):
            need = Need(id=str(q), title=SHORT_NEEDS[q % len(SHORT_NEEDS)], description="")
            started = time.perf_counter()
            index.rank([need], needs[q : q + 1], need_facts=[need_facts[q % len(need_facts)]], k=20)
            timings.append((time.perf_counter() - started) * 1000)
        result = {
            "portraits": n,
            "queries": queries,
            "index": options["index"],
            "index_build_s": round(build_s, 1),
            "rank_p50_ms": round(float(np.percentile(timings, 50)), 2),
            "rank_p95_ms": round(float(np.percentile(timings, 95)), 2),
            "raw_scan_p50_ms": _raw_scan_ms(index.team_vectors, needs),
            # Whether the exact search read the int8 copy first (libraries of 20,000 portraits or more).
            "int8_prefilter": getattr(index.dense_index, "prefilter", None) is not None,
        }
        result.update(self._embedding(options["embed_texts"]))
        self.stdout.write(json.dumps(result, ensure_ascii=False) if options["json"] else str(result))

    def _embedding(self, count: int) -> dict:
        from matching.embedding_store import LOAD_ERRORS, load_embedder

        try:
            embedder = load_embedder(settings.EMBEDDING_MODEL)
        except LOAD_ERRORS as exc:
            raise CommandError(str(exc)) from exc
        texts = [f"{SHORT_NEEDS[i % len(SHORT_NEEDS)]}（编号{i}）" for i in range(count)]
        embedder.encode_queries(texts[:WARM_UP])
        started = time.perf_counter()
        embedder.encode_queries(texts[WARM_UP:])
        elapsed = time.perf_counter() - started
        return {
            "embed_per_s": round((count - WARM_UP) / elapsed, 1),
            "embed_model": embedder.model_version,
        }
